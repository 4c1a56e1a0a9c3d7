"""request_id: retries return the first result, reuse for another request is refused."""

from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from google.protobuf import field_mask_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME
from tests.service.builders import an_order
from tests.service.status_details import error_info, field_violations

PARENT = "tenants/acme"


def _ref_filter(order: order_pb2.Order) -> str:
    ref = order.external_refs[0]
    return f'external_ref = "{ref.source}/{ref.id}"'


def _count(stub: OrderServiceStub, order: order_pb2.Order) -> int:
    listed = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent=PARENT, filter=f'order_number = "{order.order_number}"'
        ),
        metadata=ACME,
    )
    return len(listed.orders)


def test_retried_create_returns_the_first_result(stub: OrderServiceStub) -> None:
    request = order_service_pb2.CreateOrderRequest(
        parent=PARENT, order=an_order(), request_id="retry-" + an_order().order_number
    )
    first = stub.CreateOrder(request, metadata=ACME)
    second = stub.CreateOrder(request, metadata=ACME)
    assert second == first
    assert _count(stub, request.order) == 1


def test_request_id_reused_for_another_request_is_rejected(stub: OrderServiceStub) -> None:
    request_id = "reuse-" + an_order().order_number
    stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(
            parent=PARENT, order=an_order(), request_id=request_id
        ),
        metadata=ACME,
    )
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(
                parent=PARENT, order=an_order(), request_id=request_id
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error_info(raised.value).reason == "REQUEST_ID_REUSED"
    assert "request_id" in field_violations(raised.value)


def test_concurrent_creates_with_one_request_id_make_one_order(
    stub: OrderServiceStub, channel: grpc.Channel
) -> None:
    order = an_order()
    request = order_service_pb2.CreateOrderRequest(
        parent=PARENT, order=order, request_id="race-" + order.order_number
    )
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda _: stub.CreateOrder(request, metadata=ACME, timeout=30), range(8))
        )
    assert len({result.name for result in results}) == 1
    assert all(result == results[0] for result in results)
    assert _count(stub, order) == 1


def test_concurrent_upserts_of_one_reference_make_one_order(stub: OrderServiceStub) -> None:
    order = an_order(ref_source="drip:race")
    request = order_service_pb2.UpsertOrderRequest(
        parent=PARENT, order=order, key_source="drip:race"
    )
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda _: stub.UpsertOrder(request, metadata=ACME, timeout=30), range(8))
        )
    assert len({result.order.name for result in results}) == 1
    assert sum(result.created for result in results) == 1
    assert _count(stub, order) == 1


def test_retried_update_is_applied_once(stub: OrderServiceStub) -> None:
    stored = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=an_order()), metadata=ACME
    )
    request = order_service_pb2.UpdateOrderRequest(
        order=order_pb2.Order(name=stored.name, etag=stored.etag, staff_notes="once"),
        update_mask=field_mask_pb2.FieldMask(paths=["staff_notes"]),
        request_id="update-" + stored.order_number,
    )
    first = stub.UpdateOrder(request, metadata=ACME)
    # The etag in the request is stale now, yet the retry replays instead of failing.
    second = stub.UpdateOrder(request, metadata=ACME)
    assert second == first
    assert first.revision == 2


def test_request_ids_are_per_tenant(stub: OrderServiceStub) -> None:
    from tests.conftest import GLOBEX

    request_id = "shared-" + an_order().order_number
    mine = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(
            parent=PARENT, order=an_order(), request_id=request_id
        ),
        metadata=ACME,
    )
    theirs = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(
            parent="tenants/globex", order=an_order(), request_id=request_id
        ),
        metadata=GLOBEX,
    )
    assert mine.name != theirs.name


def test_malformed_request_id_is_invalid(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(
                parent=PARENT, order=an_order(), request_id="has space"
            ),
            metadata=ACME,
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
