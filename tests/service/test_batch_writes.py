"""BatchWriteOrders (ordered mixed writes, one transaction) and PurgeOrders (archive by filter)."""

import uuid

import grpc
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME
from tests.service.builders import an_order, usd
from tests.service.status_details import field_violations

PARENT = "tenants/acme"


def _upsert(order: order_pb2.Order) -> order_service_pb2.OrderWrite:
    return order_service_pb2.OrderWrite(
        upsert=order_service_pb2.UpsertOrderRequest(order=order, key_source="test")
    )


def _by_ref(order: order_pb2.Order, **write: object) -> order_service_pb2.OrderWrite:
    return order_service_pb2.OrderWrite(order_ref=order.external_refs[0], **write)  # type: ignore[arg-type]


def _lookup(stub: OrderServiceStub, order: order_pb2.Order) -> order_pb2.Order:
    return stub.LookupOrder(
        order_service_pb2.LookupOrderRequest(
            parent=PARENT, external_ref=order.external_refs[0], show_deleted=True
        ),
        metadata=ACME,
    )


def test_writes_apply_in_request_order_in_one_batch(stub: OrderServiceStub) -> None:
    order = an_order()
    response = stub.BatchWriteOrders(
        order_service_pb2.BatchWriteOrdersRequest(
            parent=PARENT,
            writes=[
                _upsert(order),
                _by_ref(
                    order,
                    refund=order_service_pb2.CreateRefundRequest(
                        refund=order_pb2.Refund(upstream_id="r1", amount=usd(5))
                    ),
                ),
                _by_ref(order, cancel=order_service_pb2.CancelOrderRequest()),
            ],
        ),
        metadata=ACME,
    )
    assert [result.code for result in response.results] == [0, 0, 0]
    assert response.results[0].created
    stored = _lookup(stub, order)
    assert stored.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert stored.refunded_total == usd(5)
    assert stored.payment_state == order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED
    assert stored.revision == 3
    assert response.results[2].order == stored


def test_a_failing_entry_leaves_its_neighbours_written(stub: OrderServiceStub) -> None:
    first, missing, last = an_order(), an_order(), an_order()
    response = stub.BatchWriteOrders(
        order_service_pb2.BatchWriteOrdersRequest(
            parent=PARENT,
            writes=[
                _upsert(first),
                _by_ref(missing, cancel=order_service_pb2.CancelOrderRequest()),
                order_service_pb2.OrderWrite(),
                _upsert(last),
            ],
        ),
        metadata=ACME,
    )
    codes = [result.code for result in response.results]
    assert codes == [0, grpc.StatusCode.NOT_FOUND.value[0], 3, 0]
    assert response.results[2].field_violations[0].field == "writes[2]"
    assert _lookup(stub, first).order_number == first.order_number
    assert _lookup(stub, last).order_number == last.order_number


def test_all_or_nothing_writes_nothing_when_an_entry_fails(stub: OrderServiceStub) -> None:
    kept_out, missing = an_order(), an_order()
    response = stub.BatchWriteOrders(
        order_service_pb2.BatchWriteOrdersRequest(
            parent=PARENT,
            writes=[
                _upsert(kept_out),
                _by_ref(missing, delete=order_service_pb2.DeleteOrderRequest()),
            ],
            all_or_nothing=True,
        ),
        metadata=ACME,
    )
    assert [result.code for result in response.results] == [
        grpc.StatusCode.ABORTED.value[0],
        grpc.StatusCode.NOT_FOUND.value[0],
    ]
    with pytest.raises(grpc.RpcError) as raised:
        _lookup(stub, kept_out)
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_write_on_another_tenants_order_is_not_found(stub: OrderServiceStub) -> None:
    name = f"tenants/globex/orders/{uuid.uuid4().hex}"
    response = stub.BatchWriteOrders(
        order_service_pb2.BatchWriteOrdersRequest(
            parent=PARENT,
            writes=[
                order_service_pb2.OrderWrite(cancel=order_service_pb2.CancelOrderRequest(name=name))
            ],
        ),
        metadata=ACME,
    )
    assert response.results[0].code == grpc.StatusCode.NOT_FOUND.value[0]


def test_more_than_a_thousand_writes_are_refused(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.BatchWriteOrders(
            order_service_pb2.BatchWriteOrdersRequest(
                parent=PARENT, writes=[order_service_pb2.OrderWrite()] * 1001
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "writes" in field_violations(raised.value)


def test_purge_counts_then_archives_the_matching_orders(stub: OrderServiceStub) -> None:
    cart = f"purge-{uuid.uuid4().hex[:8]}"
    orders = [an_order() for _ in range(3)]
    for order in orders[:2]:
        order.cart_id = cart
    for order in orders:
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent=PARENT, order=order), metadata=ACME
        )
    preview = stub.PurgeOrders(
        order_service_pb2.PurgeOrdersRequest(parent=PARENT, filter=f'cart_id = "{cart}"'),
        metadata=ACME,
    )
    assert preview.purge_count == 2
    assert not _lookup(stub, orders[0]).HasField("archive_time")
    purged = stub.PurgeOrders(
        order_service_pb2.PurgeOrdersRequest(
            parent=PARENT, filter=f'cart_id = "{cart}"', force=True
        ),
        metadata=ACME,
    )
    assert purged.purge_count == 2
    assert [_lookup(stub, order).HasField("archive_time") for order in orders] == [
        True,
        True,
        False,
    ]
    again = stub.PurgeOrders(
        order_service_pb2.PurgeOrdersRequest(
            parent=PARENT, filter=f'cart_id = "{cart}"', force=True
        ),
        metadata=ACME,
    )
    assert again.purge_count == 0


@pytest.mark.parametrize("bad_filter", ["", "   ", "cart_id ="])
def test_purge_needs_a_filter(stub: OrderServiceStub, bad_filter: str) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.PurgeOrders(
            order_service_pb2.PurgeOrdersRequest(parent=PARENT, filter=bad_filter, force=True),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "filter" in field_violations(raised.value)
