"""Whatever a caller sends, OrderService answers OK or INVALID_ARGUMENT, never INTERNAL."""

import grpc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from tests.conftest import ACME
from tests.service.builders import an_order
from tests.service.status_details import field_violations

PARENT = "tenants/acme"
INT64 = st.integers(-(2**63), 2**63 - 1)
INT32 = st.integers(-(2**31), 2**31 - 1)
TEXT = st.text(max_size=400)


@st.composite
def hostile_orders(draw: st.DrawFn) -> order_pb2.Order:
    order = an_order(items=draw(st.integers(0, 3)))
    order.currency_code = draw(st.sampled_from(["USD", "JPY", "usd", "", "EURO", "€€€"]))
    order.total.CopyFrom(
        order_pb2.Money(
            currency_code=draw(st.sampled_from([order.currency_code, "", "XXX"])),
            units=draw(INT64),
            nanos=draw(INT32),
        )
    )
    order.cart_id = draw(TEXT)
    order.customer.email = draw(TEXT)
    order.native_status.CopyFrom(
        order_pb2.NativeStatus(source=draw(TEXT), code=draw(TEXT), label=draw(TEXT))
    )
    # proto3 enums are open: any number may arrive on the wire.
    order.lifecycle_state = draw(INT32)  # type: ignore[assignment]  # any int on the wire
    order.order_number = draw(TEXT)
    if draw(st.booleans()):
        order.external_refs.add(source=draw(TEXT), id=draw(TEXT))
    for item in order.line_items:
        item.quantity = draw(INT64)
        item.unit_price.units = draw(INT64)
    order.payments.add(method=draw(TEXT))
    return order


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=hostile_orders())
def test_any_order_is_stored_or_refused_with_field_violations(
    stub: OrderServiceStub, order: order_pb2.Order
) -> None:
    call = stub.CreateOrder.with_call  # returns (response, call) or raises
    failure: grpc.RpcError | None = None
    try:
        stored, _ = call(
            order_service_pb2.CreateOrderRequest(parent=PARENT, order=order),
            metadata=ACME,
            timeout=30,
        )
    except grpc.RpcError as error:
        failure = error
    if failure is not None:
        code = failure.code()
        assert code in (grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.ALREADY_EXISTS)
        if code == grpc.StatusCode.INVALID_ARGUMENT:
            assert field_violations(failure)
        return
    fetched = stub.GetOrder(order_service_pb2.GetOrderRequest(name=stored.name), metadata=ACME)
    assert fetched == stored


@pytest.mark.parametrize(
    ("field", "value"),
    [("cart_id", "c" * 257), ("customer.email", "e" * 321), ("native_status.source", "s" * 65)],
)
def test_overlong_indexed_text_is_a_field_violation(
    stub: OrderServiceStub, field: str, value: str
) -> None:
    order = an_order()
    if field == "cart_id":
        order.cart_id = value
    elif field == "customer.email":
        order.customer.email = value
    else:
        order.native_status.source = value
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent=PARENT, order=order), metadata=ACME
        )
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert f"order.{field}" in field_violations(raised.value)


def test_a_total_beyond_nine_billion_units_is_refused(stub: OrderServiceStub) -> None:
    order = an_order()
    order.total.units = 10**10
    with pytest.raises(grpc.RpcError) as raised:
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent=PARENT, order=order), metadata=ACME
        )
    assert "order.total.units" in field_violations(raised.value)


FILTER_WORDS = st.sampled_from(
    [
        "lifecycle_state",
        "total",
        "serial_number",
        "update_time",
        "external_ref",
        "cart_id",
        "=",
        "!=",
        "<",
        ">=",
        "AND",
        "OR",
        '"',
        "CANCELLED",
        "2024-01-01T00:00:00Z",
        "1e400",
        "99999999999999999999",
        "-1",
        "a/b",
        "\\",
        "(",
        ")",
    ]
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    filter_text=st.one_of(st.text(max_size=60), st.lists(FILTER_WORDS, max_size=8).map(" ".join)),
    order_by=st.one_of(st.text(max_size=20), st.sampled_from(["create_time desc", "total"])),
    page_token=st.one_of(st.just(""), st.text(max_size=40)),
    page_size=st.integers(-5, 5000),
)
def test_any_list_request_is_answered_or_refused_with_field_violations(
    stub: OrderServiceStub, filter_text: str, order_by: str, page_token: str, page_size: int
) -> None:
    request = order_service_pb2.ListOrdersRequest(
        parent=PARENT,
        filter=filter_text,
        order_by=order_by,
        page_token=page_token,
        page_size=page_size,
    )
    failure: grpc.RpcError | None = None
    try:
        stub.ListOrders(request, metadata=ACME, timeout=30)
    except grpc.RpcError as error:
        failure = error
    if failure is not None:
        assert failure.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field_violations(failure)


def test_nul_characters_are_refused_everywhere_they_reach_sql(stub: OrderServiceStub) -> None:
    order = an_order()
    order.payments.add(method="card\x00")
    requests = [
        (stub.CreateOrder, order_service_pb2.CreateOrderRequest(parent=PARENT, order=order)),
        (
            stub.LookupOrder,
            order_service_pb2.LookupOrderRequest(
                parent=PARENT, external_ref=order_pb2.ExternalRef(source="x", id="a\x00")
            ),
        ),
        (
            stub.ListOrders,
            order_service_pb2.ListOrdersRequest(parent=PARENT, filter='cart_id = "a\x00"'),
        ),
        (
            stub.UpsertOrder,
            order_service_pb2.UpsertOrderRequest(
                parent=PARENT, order=an_order(), key_source="te\x00st"
            ),
        ),
    ]
    for rpc, request in requests:
        with pytest.raises(grpc.RpcError) as raised:
            rpc(request, metadata=ACME)
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT, rpc
