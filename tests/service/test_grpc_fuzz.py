"""Hypothesis over every OrderService request, as messages and as raw bytes: never INTERNAL or
UNKNOWN, and every INVALID_ARGUMENT names its field in a google.rpc BadRequest."""

import base64
import json
from collections.abc import Callable
from functools import partial
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor, field_mask_pb2, message_factory, timestamp_pb2
from google.protobuf.message import Message
from google.rpc import code_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from core.validation import order_violations
from service.servicer import undecodable_field
from tests.conftest import ACME, scaled_examples
from tests.service.builders import an_order
from tests.service.status_details import field_violations

SERVICE = order_service_pb2.DESCRIPTOR.services_by_name["OrderService"]
METHODS = [method.name for method in SERVICE.methods]
PARENT = "tenants/acme"
# Orders the fuzzer writes share this cart, and a forced purge is confined to it, so the orders
# other tests share a session database with are never archived. A fixed name (each session's
# databases are new) keeps every generated request the same from run to run.
FUZZ_CART = "grpcfuzzcart"
# Stands for the seeded order's name; replaced when the request is sent.
SEED = "tenants/acme/orders/" + "5eed" * 8
# Each example is one real call, on SQLite and on PostgreSQL; scaled with the profile's budget.
EXAMPLES_PER_METHOD = scaled_examples(60)
RAW_EXAMPLES = scaled_examples(400)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
NEVER = (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN)

# Hypothesis picks a one_of branch about evenly: three valid branches to one hostile keep most
# requests valid but for one or two values, so calls get past the first check to storage.
RARELY = st.sampled_from([False, False, False, True])


def _mostly(valid: object, hostile: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(valid), st.just(valid), st.just(valid), hostile)


INT64 = st.integers(-(2**63), 2**63 - 1)
INT32 = st.integers(-(2**31), 2**31 - 1)
TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "x" * 400, "é" * 200, "\U0001f600", "tenants/acme", "*"]),
)
# timestamp.proto's range is 0001-01-01T00:00:00Z (-62135596800) to 9999-12-31T23:59:59Z
# (253402300799): one past each end, far past them, and nanos out of [0, 1e9).
SECONDS = st.one_of(
    st.sampled_from(
        [2**62, -(2**62), 253402300800, 253402300799, -62135596801, -62135596800, 0, 2**63 - 1]
    ),
    INT64,
    st.integers(-62135596800, 253402300799),
)
NANOS = st.one_of(
    st.sampled_from([-5, 2_000_000_000, 0, 999_999_999, 10**9, -1]),
    st.integers(0, 999_999_999),
    INT32,
)
TIMESTAMPS = st.builds(timestamp_pb2.Timestamp, seconds=SECONDS, nanos=NANOS)
MONEY = st.builds(
    order_pb2.Money,
    currency_code=_mostly("USD", st.sampled_from(["", "usd", "JPY", "\x00\x00\x00"])),
    units=st.one_of(st.integers(0, 100), st.integers(0, 100), INT64),
    nanos=st.one_of(st.just(0), st.integers(0, 999_999_999), INT32),
)
NAMES = _mostly(
    SEED,
    st.sampled_from(
        [
            "tenants/acme/orders/" + "0" * 32,
            "tenants/globex/orders/" + "0" * 32,
            "tenants/acme/orders/" + "A" * 32,
            "tenants/acme/orders/",
            "tenants/acme",
            "",
        ]
    )
    | TEXT,
)
PARENTS = _mostly(PARENT, st.sampled_from(["tenants/globex", "tenants/", "", "tenants/a/b"]) | TEXT)
REQUEST_IDS = _mostly(
    "", st.uuids().map(str) | st.text(max_size=5) | st.sampled_from(["r" * 129, "a b"])
)
FILTERS = st.one_of(
    st.sampled_from(
        [
            "",
            "*",
            "total > NaN",
            "total > Infinity",
            "total < -Infinity",
            "total < 1e999999",
            "total = 1e-999999",
            "total >= 0.0000000001",
            "total > sNaN",
            "serial_number > 9223372036854775808",
            "serial_number = ١٢",
            "create_time > 9999-12-31T23:59:59-05:00",
            "create_time < 0001-01-01T00:00:00+05:00",
            'update_time >= "9999-12-31T23:59:59.999999999+14:00"',
            "place_time <= 9999-12-31T23:59:59+23:59",
            "archive_time > 10000-01-01T00:00:00Z",
            "create_time > 2024-13-01T00:00:00Z",
            "lifecycle_state = 99",
            "lifecycle_state:(CANCELLED OR 7)",
            "external_ref = a/",
            'cart_id = "\\',
            "NOT " * 100 + "cart_id = a",
            "(" * 70 + "cart_id = a" + ")" * 70,
            f"cart_id = {FUZZ_CART}",
        ]
    ),
    st.lists(
        st.sampled_from(
            [
                *("total", "create_time", "serial_number", "lifecycle_state", "cart_id"),
                *("=", "<", ">=", ":", "(", ")", "AND", "OR", "NOT", "-", "*", '"x"'),
                *("NaN", "1e999999", "CANCELLED", "9999-12-31T23:59:59-01:00"),
            ]
        ),
        max_size=7,
    ).map(" ".join),
    st.text(max_size=40),
)
ORDER_BYS = st.one_of(
    st.sampled_from(["", "create_time desc", "total, serial_number desc", "total total", "x"]),
    st.text(max_size=20),
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


PAGE_TOKENS = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.binary(max_size=80).map(_b64),
    # The old, unsigned format: what a client who read an old token would forge.
    st.sampled_from(
        [
            _b64(json.dumps(["0" * 16, ["2024-05-01T12:00:00"], "ab"]).encode()),
            _b64(json.dumps(["0" * 16, [2**63], "ab"]).encode()),
            _b64(json.dumps(["0" * 16, ["9999-12-31T23:00:00-05:00"], "ab"]).encode()),
            _b64(b"[" * 10_000),
            "A" * 20_000,
            "====",
            "é",
        ]
    ),
)
PATHS = st.one_of(
    st.sampled_from(
        [
            *("order_number", "line_items", "total", "name", "vendor_data.x", "customer.email"),
            *("nope", "", "line_items.sku", "vendor_data.", "etag"),
        ]
    ),
    st.text(max_size=10),
)
MASKS = st.builds(field_mask_pb2.FieldMask, paths=st.lists(PATHS, max_size=3))


@st.composite
def orders(draw: st.DrawFn) -> order_pb2.Order:
    """A plausible order with hostile values drawn into its texts, money and times."""
    order = an_order(items=draw(st.integers(0, 2)))
    order.cart_id = draw(_mostly(FUZZ_CART, st.sampled_from(["\x00", "c" * 257])))
    if draw(RARELY):
        order.currency_code = draw(st.sampled_from(["USD", "JPY", "", "usd", "US\x00"]))
    if draw(RARELY):
        order.total.CopyFrom(draw(MONEY))
    if draw(RARELY):
        order.order_number = draw(TEXT)
    if draw(RARELY):
        order.customer.email = draw(TEXT)
    if draw(RARELY):
        order.channel = draw(TEXT)
    for field in draw(
        st.lists(
            st.sampled_from(["place_time", "close_time", "cancel_time", "vendor_update_time"]),
            max_size=2,
            unique=True,
        )
    ):
        getattr(order, field).CopyFrom(draw(TIMESTAMPS))
    for item in order.line_items:
        if draw(RARELY):
            item.quantity = draw(INT64)
            item.unit_price.CopyFrom(draw(MONEY))
        if draw(RARELY):
            item.create_time.CopyFrom(draw(TIMESTAMPS))
    if draw(RARELY):
        order.refunds.add(amount=draw(MONEY), refund_time=draw(TIMESTAMPS))
    if draw(RARELY):
        order.external_refs.add(source=draw(TEXT), id=draw(TEXT))
    if draw(RARELY):
        order.lifecycle_state = draw(INT32)  # type: ignore[assignment]  # open enum on the wire
    if draw(RARELY):
        order.properties.fields["n"].number_value = draw(st.floats())
    return order


REFS = st.builds(
    order_pb2.ExternalRef,
    source=_mostly("test", TEXT),
    id=_mostly("x", TEXT),
)
REFUNDS = st.builds(
    order_pb2.Refund,
    upstream_id=_mostly("", TEXT),
    amount=_mostly(order_pb2.Money(currency_code="USD", units=1), MONEY),
    refund_time=st.one_of(st.just(timestamp_pb2.Timestamp()), TIMESTAMPS),
    note=_mostly("", TEXT),
)
CANCELS = st.builds(
    order_service_pb2.CancelOrderRequest,
    name=NAMES,
    request_id=REQUEST_IDS,
    cancel_time=st.one_of(st.none(), TIMESTAMPS),
)
UPSERTS = st.builds(
    order_service_pb2.UpsertOrderRequest,
    parent=PARENTS,
    order=orders(),
    key_source=_mostly("test", st.sampled_from(["", "\x00", "k" * 200])),
    update_mask=MASKS,
    request_id=REQUEST_IDS,
)


def _line_change(draw: st.DrawFn) -> order_service_pb2.LineItemChange:
    change = order_service_pb2.LineItemChange(
        line_item=draw(st.sampled_from(list(an_order(items=1).line_items))),
        update_mask=draw(MASKS),
        remove=draw(st.booleans()),
    )
    which = draw(st.sampled_from(["id", "number", None]))
    if which == "id":
        change.id = draw(st.one_of(st.just("li-0"), TEXT))
    elif which == "number":
        change.number = draw(st.one_of(st.integers(-2, 3), INT64))
    return change


@st.composite
def updates(draw: st.DrawFn) -> order_service_pb2.UpdateOrderRequest:
    order = draw(orders())
    order.name = draw(NAMES)
    order.etag = draw(st.sampled_from(["", "stale", "\x00"]))
    request = order_service_pb2.UpdateOrderRequest(
        order=order,
        update_mask=draw(MASKS),
        request_id=draw(REQUEST_IDS),
        keep_totals_in_step=draw(st.booleans()),
    )
    for _ in range(draw(st.integers(0, 2))):
        request.line_item_changes.append(_line_change(draw))
    for _ in range(draw(st.integers(0, 1))):
        change = request.shipping_destination_changes.add(
            update_mask=draw(MASKS), remove=draw(st.booleans())
        )
        change.number = draw(st.one_of(st.integers(-1, 2), INT64))
    return request


@st.composite
def batch_writes(draw: st.DrawFn) -> order_service_pb2.BatchWriteOrdersRequest:
    request = order_service_pb2.BatchWriteOrdersRequest(
        parent=draw(PARENTS),
        request_id=draw(REQUEST_IDS),
        all_or_nothing=draw(st.booleans()),
    )
    for _ in range(draw(st.integers(0, 3))):
        write = request.writes.add()
        kind = draw(st.sampled_from(["upsert", "cancel", "refund", "delete", None]))
        if kind == "upsert":
            write.upsert.CopyFrom(draw(UPSERTS))
        elif kind == "cancel":
            write.cancel.CopyFrom(draw(CANCELS))
        elif kind == "refund":
            write.refund.name = draw(NAMES)
            write.refund.refund.CopyFrom(draw(REFUNDS))
        elif kind == "delete":
            write.delete.name = draw(NAMES)
        if draw(st.booleans()):
            write.order_ref.CopyFrom(draw(REFS))
    return request


@st.composite
def purges(draw: st.DrawFn) -> order_service_pb2.PurgeOrdersRequest:
    force = draw(st.booleans())
    criteria = draw(FILTERS)
    return order_service_pb2.PurgeOrdersRequest(
        parent=draw(PARENTS),
        # A forced purge archives for real: only inside the fuzzer's own cart.
        filter=f"cart_id = {FUZZ_CART} AND ({criteria})" if force else criteria,
        force=force,
        request_id=draw(REQUEST_IDS),
    )


REQUESTS: dict[str, st.SearchStrategy[Message]] = {
    "CreateOrder": st.builds(
        order_service_pb2.CreateOrderRequest,
        parent=PARENTS,
        order=orders(),
        request_id=REQUEST_IDS,
    ),
    "GetOrder": st.builds(order_service_pb2.GetOrderRequest, name=NAMES),
    "LookupOrder": st.builds(
        order_service_pb2.LookupOrderRequest,
        parent=PARENTS,
        external_ref=REFS,
        show_deleted=st.booleans(),
    ),
    "ListOrders": st.builds(
        order_service_pb2.ListOrdersRequest,
        parent=PARENTS,
        page_size=st.one_of(st.integers(-1, 1001), INT32),
        page_token=PAGE_TOKENS,
        filter=FILTERS,
        order_by=ORDER_BYS,
        show_deleted=st.booleans(),
        skip=st.one_of(st.integers(-1, 3), INT32),
    ),
    "CountOrders": st.builds(
        order_service_pb2.CountOrdersRequest,
        parent=PARENTS,
        filter=FILTERS,
        show_deleted=st.booleans(),
    ),
    "UpdateOrder": updates(),
    "UpsertOrder": UPSERTS,
    "BatchUpsertOrders": st.builds(
        order_service_pb2.BatchUpsertOrdersRequest,
        parent=PARENTS,
        requests=st.lists(UPSERTS, max_size=3),
        request_id=REQUEST_IDS,
    ),
    "DeleteOrder": st.builds(
        order_service_pb2.DeleteOrderRequest,
        name=NAMES,
        request_id=REQUEST_IDS,
        etag=st.sampled_from(["", "stale"]),
    ),
    "PurgeOrders": purges(),
    "BatchWriteOrders": batch_writes(),
    "CancelOrder": CANCELS,
    "CreateRefund": st.builds(
        order_service_pb2.CreateRefundRequest,
        name=NAMES,
        refund=REFUNDS,
        request_id=REQUEST_IDS,
    ),
}


def _path(method: str) -> str:
    return f"/{SERVICE.full_name}/{method}"


def _request_type(method: str) -> Any:
    return message_factory.GetMessageClass(SERVICE.methods_by_name[method].input_type)


def _raw_call(channel: grpc.Channel, method: str) -> Callable[..., bytes]:
    # No serializers: the bytes go on the wire exactly as drawn.
    return channel.unary_unary(_path(method))


def _orders_in(method: str, body: bytes) -> list[order_pb2.Order]:
    """The orders a write answered with (each as stored)."""
    output = message_factory.GetMessageClass(SERVICE.methods_by_name[method].output_type)
    response = output.FromString(body)
    if isinstance(response, order_pb2.Order):
        return [response]
    if isinstance(response, order_service_pb2.UpsertOrderResponse):
        return [response.order]
    if isinstance(
        response,
        order_service_pb2.BatchUpsertOrdersResponse | order_service_pb2.BatchWriteOrdersResponse,
    ):
        return [result.order for result in response.results if result.code == 0]
    return []


def _assert_answered(method: str, call: Callable[[], bytes]) -> None:
    """The call succeeds or fails with a code a client can act on (never INTERNAL or UNKNOWN);
    an INVALID_ARGUMENT carries a BadRequest naming at least one field; and an order a write
    stored is one the service would accept again (else it could never be updated)."""
    failure: Any = None
    try:
        body = call()
    except grpc.RpcError as error:
        failure = error  # a failed call is also a grpc.Call: code() and details()
    if failure is None:
        for order in _orders_in(method, body):
            assert order_violations(order) == [], order.name
        return
    assert failure.code() not in NEVER, f"{failure.code()}: {failure.details()}"
    if failure.code() == grpc.StatusCode.INVALID_ARGUMENT:
        assert field_violations(failure), failure.details()


@pytest.fixture(scope="module")
def seed_name(channel: grpc.Channel) -> str:
    """A real order of tenant acme the generated names point at (SEED)."""
    order = an_order()
    order.cart_id = FUZZ_CART
    create = _raw_call(channel, "CreateOrder")
    body = order_service_pb2.CreateOrderRequest(parent=PARENT, order=order).SerializeToString()
    return order_pb2.Order.FromString(create(body, metadata=ACME, timeout=30)).name


def _send(channel: grpc.Channel, seed_name: str, method: str, request: Message) -> None:
    body = request.SerializeToString().replace(SEED.encode(), seed_name.encode())
    _assert_answered(method, lambda: _raw_call(channel, method)(body, metadata=ACME, timeout=30))


@pytest.mark.parametrize("method", METHODS)
@settings(max_examples=EXAMPLES_PER_METHOD, deadline=None, suppress_health_check=HEALTH)
@given(data=st.data())
def test_no_request_message_is_answered_internal_or_unknown(
    channel: grpc.Channel, seed_name: str, method: str, data: st.DataObject
) -> None:
    _send(channel, seed_name, method, data.draw(REQUESTS[method], label=method))


def _string_paths(message_descriptor: Any, depth: int = 2) -> list[str]:
    """Dotted paths of the singular string fields, through singular messages, `depth` deep."""
    paths: list[str] = []
    for field in message_descriptor.fields:
        if field.is_repeated:
            continue
        if field.type == descriptor.FieldDescriptor.TYPE_STRING:
            paths.append(field.name)
        elif (
            field.message_type is not None
            and depth > 0
            and not field.message_type.full_name.startswith("google.")
        ):
            nested = _string_paths(field.message_type, depth - 1)
            paths += [f"{field.name}.{path}" for path in nested]
    return paths


# Replaced byte for byte, so every length prefix around it stays right.
MARK = "\x01MARK\x01"
NOT_UTF8 = b"\xff\xc0\x80\xed\xa0\x80"  # a stray byte, an overlong NUL, a lone surrogate


def _with_invalid_utf8(request: Message, path: str) -> bytes:
    """The request's bytes with the string at `path` replaced by bytes that are not UTF-8."""
    *parents, name = path.split(".")
    holder = request
    for parent in parents:
        holder = getattr(holder, parent)
    setattr(holder, name, MARK)
    assert len(NOT_UTF8) == len(MARK.encode())
    return request.SerializeToString().replace(MARK.encode(), NOT_UTF8)


@st.composite
def raw_requests(draw: st.DrawFn) -> tuple[str, bytes]:
    """(method, bytes): random bytes, a valid request cut short, or one with bad UTF-8."""
    method = draw(st.sampled_from(METHODS))
    kind = draw(st.sampled_from(["random", "truncated", "utf8"]))
    if kind == "random":
        return method, draw(st.binary(max_size=120))
    request = draw(REQUESTS[method])
    if kind == "truncated":
        body = request.SerializeToString()
        return method, body[: draw(st.integers(0, max(0, len(body) - 1)))]
    paths = _string_paths(request.DESCRIPTOR)
    return method, _with_invalid_utf8(request, draw(st.sampled_from(paths)))


@settings(max_examples=RAW_EXAMPLES, deadline=None, suppress_health_check=HEALTH)
@given(raw=raw_requests())
def test_no_request_bytes_are_answered_internal_or_unknown(
    channel: grpc.Channel, seed_name: str, raw: tuple[str, bytes]
) -> None:
    method, body = raw
    body = body.replace(SEED.encode(), seed_name.encode())
    _assert_answered(method, lambda: _raw_call(channel, method)(body, metadata=ACME, timeout=30))


# Found by the fuzzer: a refund or a cancel time outside money.proto's or timestamp.proto's range
# was stored (OK), and from then on every update of that order was refused for a field the
# caller never sent, and every door writing the time as a date failed. Each is now refused.
STAMP_FAR = timestamp_pb2.Timestamp(seconds=2**62)
USD_1 = order_pb2.Money(currency_code="USD", units=1)
FOUND_STORED: list[tuple[str, Message, str]] = [
    (
        "CancelOrder",
        order_service_pb2.CancelOrderRequest(name=SEED, cancel_time=STAMP_FAR),
        "cancel_time.seconds",
    ),
    (
        "CancelOrder",
        order_service_pb2.CancelOrderRequest(
            name=SEED, cancel_time=timestamp_pb2.Timestamp(seconds=253402300800)
        ),
        "cancel_time.seconds",
    ),
    (
        "CancelOrder",
        order_service_pb2.CancelOrderRequest(
            name=SEED, cancel_time=timestamp_pb2.Timestamp(seconds=-62135596801)
        ),
        "cancel_time.seconds",
    ),
    (
        "CreateRefund",
        order_service_pb2.CreateRefundRequest(
            name=SEED,
            refund=order_pb2.Refund(amount=USD_1, refund_time=timestamp_pb2.Timestamp(nanos=-5)),
        ),
        "refund.refund_time.nanos",
    ),
    (
        "CreateRefund",
        order_service_pb2.CreateRefundRequest(
            name=SEED,
            refund=order_pb2.Refund(
                amount=order_pb2.Money(currency_code="USD", nanos=2_000_000_000)
            ),
        ),
        "refund.amount.nanos",
    ),
    (
        "CreateRefund",
        order_service_pb2.CreateRefundRequest(
            name=SEED,
            refund=order_pb2.Refund(amount=order_pb2.Money(currency_code="USD", units=1, nanos=-1)),
        ),
        "refund.amount.nanos",
    ),
    (
        "BatchWriteOrders",
        order_service_pb2.BatchWriteOrdersRequest(
            parent=PARENT,
            writes=[
                order_service_pb2.OrderWrite(
                    cancel=order_service_pb2.CancelOrderRequest(name=SEED, cancel_time=STAMP_FAR)
                )
            ],
        ),
        "writes[0].cancel.cancel_time.seconds",
    ),
    (
        "BatchWriteOrders",
        order_service_pb2.BatchWriteOrdersRequest(
            parent=PARENT,
            writes=[
                order_service_pb2.OrderWrite(
                    refund=order_service_pb2.CreateRefundRequest(
                        name=SEED,
                        refund=order_pb2.Refund(amount=USD_1, refund_time=STAMP_FAR),
                    )
                )
            ],
        ),
        "writes[0].refund.refund.refund_time.seconds",
    ),
]


@pytest.mark.parametrize(
    ("method", "request_message", "field"),
    FOUND_STORED,
    ids=[f"{method}-{field}" for method, _, field in FOUND_STORED],
)
def test_out_of_range_cancel_times_and_refunds_are_refused(
    channel: grpc.Channel, method: str, request_message: Message, field: str
) -> None:
    stub = OrderServiceStub(channel)
    seeded = an_order()
    seeded.cart_id = FUZZ_CART
    name = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=seeded), metadata=ACME
    ).name
    body = request_message.SerializeToString().replace(SEED.encode(), name.encode())
    call = partial(_raw_call(channel, method), body, metadata=ACME, timeout=30)
    if method == "BatchWriteOrders":  # a batch answers each entry on its own
        (result,) = order_service_pb2.BatchWriteOrdersResponse.FromString(call()).results
        assert result.code == code_pb2.INVALID_ARGUMENT
        assert field in {violation.field for violation in result.field_violations}
    else:
        with pytest.raises(grpc.RpcError) as raised:
            call()
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field in field_violations(raised.value)
    # The order is still one the service accepts: an update goes through.
    update = order_pb2.Order(name=name, order_number="still-updatable")
    stub.UpdateOrder(
        order_service_pb2.UpdateOrderRequest(order=update, update_mask={"paths": ["order_number"]}),
        metadata=ACME,
    )


def _create_request_with_skus(*skus: str) -> bytes:
    order = an_order(items=0)
    for sku in skus:
        order.line_items.add(sku=sku, quantity=1)
    return order_service_pb2.CreateOrderRequest(parent=PARENT, order=order).SerializeToString()


# Found by the fuzzer: grpc answers INTERNAL ("Exception deserializing request!") for bytes that
# are not the request message; service.servicer.UndecodableRequests answers INVALID_ARGUMENT
# naming the field that does not decode.
UNDECODABLE: list[tuple[str, bytes, str]] = [
    ("GetOrder", b"\x0a\x02\xff\xfe", "name"),
    ("ListOrders", b"\x22\x03\xc0\x80a", "filter"),
    (
        "CreateOrder",
        _create_request_with_skus("a", "Q").replace(b"Q", b"\xff"),
        "order.line_items[1].sku",
    ),
    ("CreateOrder", _create_request_with_skus("a")[:-1], "order"),
    ("UpdateOrder", b"\x0a", "order"),
    ("BatchWriteOrders", b"\xff", "request"),
    ("CountOrders", b"\x0f", "parent"),  # field 1 in wire type 7, which does not exist
]


@pytest.mark.parametrize(
    ("method", "body", "field"), UNDECODABLE, ids=[f"{m}-{f}" for m, _, f in UNDECODABLE]
)
def test_undecodable_field_names_the_field(method: str, body: bytes, field: str) -> None:
    assert (undecodable_field(_request_type(method), body) or "request") == field


@pytest.mark.parametrize(
    ("method", "body", "field"), UNDECODABLE, ids=[f"{m}-{f}" for m, _, f in UNDECODABLE]
)
def test_undecodable_requests_are_invalid_argument_naming_the_field(
    channel: grpc.Channel, method: str, body: bytes, field: str
) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        _raw_call(channel, method)(body, metadata=ACME, timeout=30)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(raised.value) == {field: "does not decode"}
