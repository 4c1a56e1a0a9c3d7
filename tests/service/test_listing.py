"""ListOrders: filters, ordering, and page tokens that stay correct while orders are inserted."""

from datetime import UTC, datetime

import grpc
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME
from tests.service.builders import an_order

PARENT = "tenants/acme"


def _create_tagged(stub: OrderServiceStub, cart_id: str, **fields: object) -> order_pb2.Order:
    order = an_order()
    order.cart_id = cart_id
    for key, value in fields.items():
        setattr(order, key, value)
    return stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=order), metadata=ACME
    )


def _list_all(stub: OrderServiceStub, **request: object) -> list[order_pb2.Order]:
    orders: list[order_pb2.Order] = []
    token = ""
    while True:
        page = stub.ListOrders(
            order_service_pb2.ListOrdersRequest(parent=PARENT, page_token=token, **request),  # type: ignore[arg-type]  # test kwargs
            metadata=ACME,
        )
        orders.extend(page.orders)
        token = page.next_page_token
        if not token:
            return orders


def test_pages_stay_correct_while_orders_are_inserted(stub: OrderServiceStub) -> None:
    cart = "paging-" + an_order().order_number
    created = [_create_tagged(stub, cart) for _ in range(7)]
    seen: list[str] = []
    token = ""
    inserted_meanwhile: list[order_pb2.Order] = []
    while True:
        page = stub.ListOrders(
            order_service_pb2.ListOrdersRequest(
                parent=PARENT, page_size=3, page_token=token, filter=f'cart_id = "{cart}"'
            ),
            metadata=ACME,
        )
        seen.extend(order.name for order in page.orders)
        # A newer order lands between pages; with create_time desc it sorts before the cursor.
        inserted_meanwhile.append(_create_tagged(stub, cart))
        token = page.next_page_token
        if not token:
            break
    expected = [
        order.name
        for order in sorted(
            created,
            key=lambda o: (o.create_time.ToNanoseconds(), o.name.rsplit("/", 1)[1]),
            reverse=True,
        )
    ]
    assert seen == expected
    assert len(set(seen)) == len(seen)


def test_ascending_serial_order_lists_every_order_once(stub: OrderServiceStub) -> None:
    cart = "serial-" + an_order().order_number
    created = [_create_tagged(stub, cart) for _ in range(5)]
    listed = _list_all(stub, page_size=2, filter=f'cart_id = "{cart}"', order_by="serial_number")
    assert [order.serial_number for order in listed] == sorted(o.serial_number for o in created)


def test_filters_on_state_time_total_and_email(stub: OrderServiceStub) -> None:
    cart = "filters-" + an_order().order_number
    cancelled = _create_tagged(stub, cart, lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED)
    confirmed = _create_tagged(stub, cart)
    by_state = _list_all(stub, filter=f'cart_id = "{cart}" AND lifecycle_state = CANCELLED')
    assert [order.name for order in by_state] == [cancelled.name]
    by_prefixed_state = _list_all(
        stub, filter=f'cart_id = "{cart}" AND lifecycle_state != LIFECYCLE_STATE_CANCELLED'
    )
    assert [order.name for order in by_prefixed_state] == [confirmed.name]
    since = datetime.fromtimestamp(confirmed.update_time.seconds, UTC).isoformat()
    recent = _list_all(stub, filter=f'cart_id = "{cart}" AND update_time >= "{since}"')
    assert confirmed.name in {order.name for order in recent}
    future = _list_all(stub, filter=f'cart_id = "{cart}" AND update_time > "2999-01-01T00:00:00Z"')
    assert future == []
    by_total = _list_all(stub, filter=f'cart_id = "{cart}" AND total >= 29.97 AND total < 29.98')
    assert len(by_total) == 2
    assert _list_all(stub, filter=f'cart_id = "{cart}" AND total > 29.97') == []
    email = confirmed.customer.email.upper()
    assert [o.name for o in _list_all(stub, filter=f'customer.email = "{email}"')] == [
        confirmed.name
    ]


@pytest.mark.parametrize(
    ("filter_text", "field"),
    [
        ("lifecycle_state = SHIPPED", "filter"),
        ("nonsense", "filter"),
        ("update_time >= yesterday", "filter"),
        ('cart_id < "a"', "filter"),
        ("cart_id = a OR cart_id = b", "filter"),
    ],
)
def test_bad_filters_are_invalid_argument(
    stub: OrderServiceStub, filter_text: str, field: str
) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListOrders(
            order_service_pb2.ListOrdersRequest(parent=PARENT, filter=filter_text), metadata=ACME
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_page_token_from_another_query_is_refused(stub: OrderServiceStub) -> None:
    cart = "tokens-" + an_order().order_number
    for _ in range(3):
        _create_tagged(stub, cart)
    page = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent=PARENT, page_size=1, filter=f'cart_id = "{cart}"'
        ),
        metadata=ACME,
    )
    assert page.next_page_token
    for request in (
        order_service_pb2.ListOrdersRequest(parent=PARENT, page_token=page.next_page_token),
        order_service_pb2.ListOrdersRequest(parent=PARENT, page_token="garbage!"),
    ):
        with pytest.raises(grpc.RpcError) as raised:
            stub.ListOrders(request, metadata=ACME)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_bad_order_by_is_invalid(stub: OrderServiceStub) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListOrders(
            order_service_pb2.ListOrdersRequest(parent=PARENT, order_by="total desc"), metadata=ACME
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("filter_text", ["serial_number > 9223372036854775808", "total < 1e30"])
def test_filter_values_beyond_64_bits_are_invalid(stub: OrderServiceStub, filter_text: str) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListOrders(
            order_service_pb2.ListOrdersRequest(parent=PARENT, filter=filter_text), metadata=ACME
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_skip_pages_by_number(stub: OrderServiceStub) -> None:
    cart = "skip-" + an_order().order_number
    created = [_create_tagged(stub, cart) for _ in range(5)]
    page = stub.ListOrders(
        order_service_pb2.ListOrdersRequest(
            parent=PARENT,
            filter=f'cart_id = "{cart}"',
            order_by="serial_number",
            page_size=2,
            skip=2,
        ),
        metadata=ACME,
    )
    assert [order.name for order in page.orders] == [order.name for order in created[2:4]]
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListOrders(order_service_pb2.ListOrdersRequest(parent=PARENT, skip=-1), metadata=ACME)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
