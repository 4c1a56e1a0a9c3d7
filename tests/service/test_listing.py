"""ListOrders and CountOrders over real gRPC: filters, orderings, page tokens, skip, page bytes."""

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import grpc
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

import service.migrate
from service.convert import record_values
from service.database import Database, open_database
from service.filtering import parse_filter, parse_order_by
from service.listing import PAGE_BYTES, list_page
from service.migrate import upgrade
from service.tables import UTCDateTime
from tests.conftest import ACME, drop_postgres_schema, fresh_postgres_url
from tests.service.builders import an_order, usd
from tests.service.status_details import field_violations

PARENT = "tenants/acme"
Edit = Callable[[order_pb2.Order], None]


def _run_id() -> str:
    """Lowercase letters only: sorts the same under every collation and in Python."""
    return "".join(chr(ord("a") + int(digit, 16) % 26) for digit in uuid.uuid4().hex[:12])


def _create_tagged(
    stub: OrderServiceStub, cart_id: str, edit: Edit | None = None, **fields: object
) -> order_pb2.Order:
    order = an_order()
    order.cart_id = cart_id
    for key, value in fields.items():
        setattr(order, key, value)
    if edit is not None:
        edit(order)
    created: order_pb2.Order = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=order), metadata=ACME
    )
    return created


def _list_request(**request: object) -> order_service_pb2.ListOrdersRequest:
    return order_service_pb2.ListOrdersRequest(parent=PARENT, **request)  # type: ignore[arg-type]  # test kwargs


def _pages(stub: OrderServiceStub, **request: object) -> list[order_service_pb2.ListOrdersResponse]:
    pages: list[order_service_pb2.ListOrdersResponse] = []
    token = ""
    while True:
        page = stub.ListOrders(_list_request(page_token=token, **request), metadata=ACME)
        pages.append(page)
        token = page.next_page_token
        if not token:
            return pages


def _list_all(stub: OrderServiceStub, **request: object) -> list[order_pb2.Order]:
    return [order for page in _pages(stub, **request) for order in page.orders]


def _names(orders: list[order_pb2.Order]) -> list[str]:
    return [order.name for order in orders]


def _id(order: order_pb2.Order) -> str:
    return order.name.rsplit("/", 1)[1]


def _refused(call: Callable[[], object]) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as raised:
        call()
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    return raised.value


def _stamp(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(datetime.fromisoformat(text))
    return stamp


def test_pages_stay_correct_while_orders_are_inserted(stub: OrderServiceStub) -> None:
    cart = "paging-" + _run_id()
    created = [_create_tagged(stub, cart) for _ in range(7)]
    seen: list[str] = []
    token = ""
    while True:
        page = stub.ListOrders(
            _list_request(page_size=3, page_token=token, filter=f'cart_id = "{cart}"'),
            metadata=ACME,
        )
        seen.extend(order.name for order in page.orders)
        # A newer order lands between pages; with create_time desc it sorts before the cursor.
        _create_tagged(stub, cart)
        token = page.next_page_token
        if not token:
            break
    expected = sorted(created, key=lambda o: (o.create_time.ToMicroseconds(), _id(o)), reverse=True)
    assert seen == _names(expected)


def test_ascending_serial_order_lists_every_order_once(stub: OrderServiceStub) -> None:
    cart = "serial-" + _run_id()
    created = [_create_tagged(stub, cart) for _ in range(5)]
    listed = _list_all(stub, page_size=2, filter=f'cart_id = "{cart}"', order_by="serial_number")
    assert [order.serial_number for order in listed] == sorted(o.serial_number for o in created)


def test_filters_on_state_time_total_and_email(stub: OrderServiceStub) -> None:
    cart = "filters-" + _run_id()
    cancelled = _create_tagged(stub, cart, lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED)
    confirmed = _create_tagged(stub, cart)
    by_state = _list_all(stub, filter=f'cart_id = "{cart}" AND lifecycle_state = CANCELLED')
    assert _names(by_state) == [cancelled.name]
    by_prefixed_state = _list_all(
        stub, filter=f'cart_id = "{cart}" AND lifecycle_state != LIFECYCLE_STATE_CANCELLED'
    )
    assert _names(by_prefixed_state) == [confirmed.name]
    since = datetime.fromtimestamp(confirmed.update_time.seconds, UTC).isoformat()
    recent = _list_all(stub, filter=f'cart_id = "{cart}" AND update_time >= "{since}"')
    assert confirmed.name in _names(recent)
    future = _list_all(stub, filter=f'cart_id = "{cart}" AND update_time > "2999-01-01T00:00:00Z"')
    assert future == []
    by_total = _list_all(stub, filter=f'cart_id = "{cart}" AND total >= 29.97 AND total < 29.98')
    assert len(by_total) == 2
    assert _list_all(stub, filter=f'cart_id = "{cart}" AND total > 29.97') == []
    email = confirmed.customer.email.upper()
    assert _names(_list_all(stub, filter=f'customer.email = "{email}"')) == [confirmed.name]


def test_every_filter_field_selects_its_orders(stub: OrderServiceStub) -> None:
    run = _run_id()

    def first(order: order_pb2.Order) -> None:
        order.channel = f"web{run}"
        order.order_number = f"first{run}"
        order.customer.id = f"cust{run}"
        order.customer.email = f"First.{run}@Example.com"
        order.native_status.CopyFrom(order_pb2.NativeStatus(source=f"bc{run}", code="11"))
        order.payments.add(method=f"card{run}")
        order.external_refs[0].source = f"pos{run}"
        order.external_refs[0].id = "1/a"
        order.place_time.CopyFrom(_stamp("2021-03-04T05:06:07+00:00"))
        order.total.CopyFrom(usd(10, 500_000_000))

    def second(order: order_pb2.Order) -> None:
        order.channel = f"app{run}"
        order.lifecycle_state = order_pb2.LIFECYCLE_STATE_COMPLETED
        order.payment_state = order_pb2.PAYMENT_STATE_REFUNDED
        order.fulfillment_state = order_pb2.FULFILLMENT_STATE_SHIPPED
        order.external_refs[0].source = f"web{run}"
        order.total.CopyFrom(usd(-3))

    one = _create_tagged(stub, f"{run}a", first)
    two = _create_tagged(stub, f"{run}b", second)
    three = _create_tagged(stub, f"{run}c", lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED)
    scope = f"cart_id:({run}a OR {run}b OR {run}c)"
    created = f'"{two.create_time.ToDatetime(tzinfo=UTC).isoformat()}"'
    cases: list[tuple[str, list[order_pb2.Order]]] = [
        ("lifecycle_state = CONFIRMED", [one]),
        ("lifecycle_state:(completed OR LIFECYCLE_STATE_CANCELLED)", [two, three]),
        ("payment_state = REFUNDED", [two]),
        ("payment_state != PAYMENT_STATE_REFUNDED", [one, three]),
        ("fulfillment_state = SHIPPED", [two]),
        (f"create_time >= {created}", [two, three]),
        ("update_time > 2000-01-01T00:00:00Z", [one, two, three]),
        ("place_time < 2022-01-01T00:00:00Z", [one]),
        ("place_time = 2021-03-04T05:06:07Z", [one]),
        # Without a place_time an order was placed when it was created.
        (f"place_time >= {created}", [two, three]),
        (f"serial_number = {two.serial_number}", [two]),
        (f"serial_number:({one.serial_number} OR {three.serial_number})", [one, three]),
        (f"serial_number > {one.serial_number}", [two, three]),
        ("total = 10.5", [one]),
        ("total < 0", [two]),
        ("total >= 29.970000000", [three]),
        (f"order_number = first{run}", [one]),
        (f"cart_id = {run}b", [two]),
        (f"cart_id != {run}b", [one, three]),
        (f'customer.id = "cust{run}"', [one]),
        (f"customer.email = FIRST.{run}@EXAMPLE.COM", [one]),
        (f"native_status.code = 11 AND native_status.source = bc{run}", [one]),
        ("native_status.source:*", [one]),
        (f"payment_method = card{run}", [one]),
        ('payment_method = ""', [two, three]),
        (f'external_ref = "pos{run}/1/a"', [one]),
        (f'external_ref:("pos{run}/1/a" OR "web{run}/{two.external_refs[0].id}")', [one, two]),
        (f'external_ref = "pos{run}/1/b"', []),
        (f"external_ref.source = web{run}", [two]),
        (f"external_ref.source != web{run}", [one, three]),
        (f"external_ref.source:(pos{run} OR web{run})", [one, two]),
        ("external_ref:*", [one, two, three]),
        (f"channel = web{run}", [one]),
        (f"channel:(web{run} OR app{run})", [one, two]),
        ('channel = ""', [three]),
        ("channel:*", [one, two]),
        ("-channel:*", [three]),
    ]
    for condition, expected in cases:
        listed = _list_all(stub, filter=f"{scope} AND ({condition})", order_by="serial_number")
        assert _names(listed) == _names(expected), condition


def test_precedence_negation_parentheses_and_membership(stub: OrderServiceStub) -> None:
    run = _run_id()
    a, b, c = (_create_tagged(stub, f"{run}{letter}") for letter in "abc")
    cancelled = _create_tagged(stub, f"{run}d", lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED)
    every = f"cart_id:({run}a OR {run}b OR {run}c OR {run}d)"
    cases: list[tuple[str, list[order_pb2.Order]]] = [
        # OR binds tighter than AND: this is `a AND (b OR c)`, which nothing matches.
        (f"cart_id = {run}a AND cart_id = {run}b OR cart_id = {run}c", []),
        (f"(cart_id = {run}a AND cart_id = {run}a) OR cart_id = {run}c", [a, c]),
        (f"cart_id = {run}a OR cart_id = {run}b cart_id:({run}a OR {run}b)", [a, b]),
        (f"{every} NOT cart_id = {run}b", [a, c, cancelled]),
        # NOT (a OR NOT c) is (NOT a) AND c.
        (f"{every} -(cart_id = {run}a OR -cart_id = {run}c)", [c]),
        (f"cart_id:({run}a OR {run}d) AND NOT lifecycle_state = CANCELLED", [a]),
        (f"cart_id:({run}a OR {run}d) AND lifecycle_state:(CANCELLED OR COMPLETED)", [cancelled]),
    ]
    for condition, expected in cases:
        listed = _list_all(stub, filter=condition, order_by="serial_number")
        assert _names(listed) == _names(expected), condition


# Seven orders whose sort values tie in pairs and triples; "" means no place_time.
_CHANNELS = ["web", "pos", "web", "app", "pos", "web", "app"]
_CUSTOMERS = ["cb", "ca", "cb", "cc", "ca", "cb", "cc"]
_NUMBERS = ["b", "a", "b", "c", "a", "b", "c"]
_TOTALS = [5, 3, 5, 9, 3, 5, -9]
_PLACED = ["2020-01-02", "", "2020-01-02", "2020-01-03", "", "2020-01-01", "2020-01-03"]


def _seven(stub: OrderServiceStub, cart: str) -> list[order_pb2.Order]:
    created = []
    for index in range(7):

        def edit(order: order_pb2.Order, index: int = index) -> None:
            order.channel = _CHANNELS[index]
            order.customer.id = _CUSTOMERS[index]
            order.order_number = cart + _NUMBERS[index]
            order.total.CopyFrom(usd(_TOTALS[index]))
            if _PLACED[index]:
                order.place_time.CopyFrom(_stamp(_PLACED[index] + "T00:00:00+00:00"))

        created.append(_create_tagged(stub, cart, edit))
    return created


def _sort_value(order: order_pb2.Order, field: str) -> Any:
    if field in ("create_time", "update_time"):
        return getattr(order, field).ToMicroseconds()
    if field == "place_time":
        placed = order.place_time if order.HasField("place_time") else order.create_time
        return placed.ToMicroseconds()
    if field == "total":
        return order.total.units * 1_000_000_000 + order.total.nanos
    if field == "customer.id":
        return order.customer.id
    return getattr(order, field)


def _sort_key(field: str) -> Callable[[order_pb2.Order], Any]:
    return lambda order: _sort_value(order, field)


def _expected(orders: list[order_pb2.Order], order_by: str) -> list[order_pb2.Order]:
    keys = [part.split() for part in order_by.split(",")]
    # The id breaks the last tie, in the last key's direction; stable sorts, last key first.
    result = sorted(orders, key=_id, reverse=keys[-1][-1] == "desc")
    for field, *direction in reversed(keys):
        result.sort(key=_sort_key(field), reverse=direction == ["desc"])
    return result


ORDER_FIELDS = [
    "serial_number",
    "create_time",
    "update_time",
    "place_time",
    "customer.id",
    "channel",
    "order_number",
    "total",
]


@pytest.mark.parametrize("field", ORDER_FIELDS)
def test_each_order_by_field_pages_both_ways(stub: OrderServiceStub, field: str) -> None:
    cart = _run_id()
    created = _seven(stub, cart)
    for order_by in (field, f"{field} desc", f"{field} asc"):
        pages = _pages(stub, page_size=2, filter=f"cart_id = {cart}", order_by=order_by)
        assert [len(page.orders) for page in pages] == [2, 2, 2, 1]
        listed = [order for page in pages for order in page.orders]
        assert _names(listed) == _names(_expected(created, order_by)), order_by


@pytest.mark.parametrize(
    "order_by",
    [
        "channel, total desc",
        "customer.id desc, place_time",
        "total, channel desc, order_number",
        "place_time desc, customer.id desc",
        "channel, customer.id, total, order_number desc",
    ],
)
def test_multi_column_order_by_pages_through_ties(stub: OrderServiceStub, order_by: str) -> None:
    cart = _run_id()
    created = _seven(stub, cart)
    for page_size in (1, 3):
        listed = _list_all(stub, page_size=page_size, filter=f"cart_id = {cart}", order_by=order_by)
        assert _names(listed) == _names(_expected(created, order_by)), (order_by, page_size)


def test_order_written_without_place_time_pages_by_its_create_time(
    stub: OrderServiceStub, database: Database
) -> None:
    cart = _run_id()
    created = _seven(stub, cart)
    # A row as an older writer left it: no place_time at all.
    unplaced = created[1]
    with database.writer.begin() as connection:
        connection.execute(
            sa.text("UPDATE orders SET place_time = NULL WHERE id = :id"), {"id": _id(unplaced)}
        )
    for order_by in ("place_time", "place_time desc"):
        listed = _list_all(stub, page_size=2, filter=f"cart_id = {cart}", order_by=order_by)
        assert _names(listed) == _names(_expected(created, order_by)), order_by
    since = datetime.fromtimestamp(unplaced.create_time.seconds, UTC).isoformat()
    recent = _list_all(stub, filter=f'cart_id = {cart} AND place_time >= "{since}"')
    assert unplaced.name in _names(recent)


def _tampered(token: str, change: Callable[[list[object]], None]) -> str:
    """The token with its payload changed and its 16-byte tag kept: a forgery."""
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    payload = json.loads(raw[16:])
    change(payload)
    return base64.urlsafe_b64encode(raw[:16] + json.dumps(payload).encode()).decode().rstrip("=")


def test_page_tokens_are_bound_to_their_query(stub: OrderServiceStub) -> None:
    cart = _run_id()
    _seven(stub, cart)
    query = {"filter": f"cart_id = {cart}", "order_by": "channel, total desc"}
    page = stub.ListOrders(_list_request(page_size=2, **query), metadata=ACME)
    token = page.next_page_token
    assert token
    # The same query with other spacing in order_by is the same query.
    same = stub.ListOrders(
        _list_request(
            page_size=2, page_token=token, filter=query["filter"], order_by=" channel ,total  desc"
        ),
        metadata=ACME,
    )
    assert len(same.orders) == 2
    other_queries: list[dict[str, object]] = [
        {**query, "filter": f"cart_id = {cart} OR cart_id = x"},
        {**query, "order_by": "channel, total"},
        {**query, "order_by": "channel"},
        {**query, "show_deleted": True},
        {},
    ]
    for other in other_queries:
        error = _refused(
            partial(stub.ListOrders, _list_request(page_token=token, **other), metadata=ACME)
        )
        assert field_violations(error) == {"page_token": "filter, order_by or show_deleted changed"}

    def as_text(payload: list[object]) -> None:
        values = payload[1]
        assert isinstance(values, list)
        values[1] = "5"

    def dropped(payload: list[object]) -> None:
        values = payload[1]
        assert isinstance(values, list)
        values.pop()

    def bad_id(payload: list[object]) -> None:
        payload[2] = "x\x00"

    for bad in (
        "garbage!",
        token[:-4],
        _tampered(token, as_text),
        _tampered(token, dropped),
        _tampered(token, bad_id),
    ):
        error = _refused(
            partial(stub.ListOrders, _list_request(page_token=bad, **query), metadata=ACME)
        )
        assert field_violations(error) == {"page_token": "malformed"}


def test_skip_pages_by_number(stub: OrderServiceStub) -> None:
    cart = _run_id()
    created = [_create_tagged(stub, cart) for _ in range(5)]
    page = stub.ListOrders(
        _list_request(filter=f"cart_id = {cart}", order_by="serial_number", page_size=2, skip=2),
        metadata=ACME,
    )
    assert _names(list(page.orders)) == _names(created[2:4])
    assert page.next_page_token
    rest = stub.ListOrders(
        _list_request(
            filter=f"cart_id = {cart}", order_by="serial_number", page_token=page.next_page_token
        ),
        metadata=ACME,
    )
    assert _names(list(rest.orders)) == _names(created[4:])
    for skip in (5, 6, 2**31 - 1):
        beyond = stub.ListOrders(
            _list_request(filter=f"cart_id = {cart}", order_by="channel, total desc", skip=skip),
            metadata=ACME,
        )
        assert list(beyond.orders) == []
        assert beyond.next_page_token == ""
    everything = stub.ListOrders(_list_request(skip=2**31 - 1), metadata=ACME)
    assert list(everything.orders) == []
    for field in ("skip", "page_size"):
        error = _refused(partial(stub.ListOrders, _list_request(**{field: -1}), metadata=ACME))
        assert field_violations(error) == {field: "negative"}


def _large(notes_bytes: int) -> Edit:
    def edit(order: order_pb2.Order) -> None:
        order.staff_notes = "n" * notes_bytes

    return edit


def test_pages_of_large_orders_stay_under_the_byte_budget(stub: OrderServiceStub) -> None:
    cart = _run_id()
    created = [_create_tagged(stub, cart, _large(1024 * 1024)) for _ in range(5)]
    # Five at once would be 5 MiB, past gRPC's default 4 MiB: the service cuts pages itself.
    pages = _pages(stub, page_size=50, filter=f"cart_id = {cart}", order_by="serial_number")
    assert [len(page.orders) for page in pages] == [2, 2, 1]
    assert all(page.ByteSize() <= PAGE_BYTES for page in pages)
    assert [page.next_page_token != "" for page in pages] == [True, True, False]
    listed = [order for page in pages for order in page.orders]
    assert _names(listed) == _names(created)


def test_an_order_larger_than_the_budget_still_gets_its_own_page(stub: OrderServiceStub) -> None:
    cart = _run_id()
    huge = _create_tagged(stub, cart, _large(3 * 1024 * 1024 + 512 * 1024))
    small = _create_tagged(stub, cart)
    pages = _pages(stub, page_size=10, filter=f"cart_id = {cart}", order_by="serial_number")
    assert [_names(list(page.orders)) for page in pages] == [[huge.name], [small.name]]


@pytest.mark.parametrize(
    "filter_text",
    [
        "lifecycle_state = SHIPPED",
        "nonsense",
        "update_time >= yesterday",
        'cart_id < "a"',
        "cart_id = (a OR b)",
        "unknown_field = 1",
        "serial_number > 9223372036854775808",
        "total < 1e30",
        "total = 1e999999",
        "total = NaN",
        "total = Infinity",
        "total = 0.0000000001",
        'cart_id = "a\x00"',
        'external_ref != "a/b"',
        "channel > a",
        "total:*",
        "create_time < 0001-01-01T00:00:00+05:00",
        "cart_id = a OR " * 600 + "cart_id = b",
        "(" * 65 + "cart_id = a" + ")" * 65,
    ],
)
def test_bad_filters_are_invalid_argument_on_list_and_count(
    stub: OrderServiceStub, filter_text: str
) -> None:
    for call in (
        lambda: stub.ListOrders(_list_request(filter=filter_text), metadata=ACME),
        lambda: stub.CountOrders(
            order_service_pb2.CountOrdersRequest(parent=PARENT, filter=filter_text), metadata=ACME
        ),
    ):
        assert "filter" in field_violations(_refused(call))


@pytest.mark.parametrize(
    "order_by",
    ["tax desc", "create_time sideways", "total, total", "create_time,", "customer.email"],
)
def test_bad_order_by_is_invalid(stub: OrderServiceStub, order_by: str) -> None:
    error = _refused(lambda: stub.ListOrders(_list_request(order_by=order_by), metadata=ACME))
    assert "order_by" in field_violations(error)


def test_count_uses_the_same_filter_language(stub: OrderServiceStub) -> None:
    run = _run_id()
    _create_tagged(stub, f"{run}a")
    _create_tagged(stub, f"{run}b", lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED)
    _create_tagged(stub, f"{run}c", lifecycle_state=order_pb2.LIFECYCLE_STATE_COMPLETED)
    for condition, expected in [
        (f"cart_id:({run}a OR {run}b OR {run}c)", 3),
        (f"cart_id:({run}a OR {run}b OR {run}c) -lifecycle_state = CANCELLED", 2),
        (f"cart_id = {run}a OR cart_id = {run}b AND lifecycle_state:(CANCELLED OR COMPLETED)", 1),
        (f"(cart_id = {run}a OR cart_id = {run}c) AND NOT lifecycle_state = CONFIRMED", 1),
    ]:
        counted = stub.CountOrders(
            order_service_pb2.CountOrdersRequest(parent=PARENT, filter=condition), metadata=ACME
        )
        assert counted.total_count == expected, condition
        assert counted.total_count == len(_list_all(stub, filter=condition)), condition


def _alembic(connection: sa.Connection) -> Config:
    config = Config()
    scripts = Path(service.migrate.__file__).with_name("migrations")
    config.set_main_option("script_location", str(scripts))
    config.attributes["connection"] = connection
    return config


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database nothing has migrated yet, on each backend."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path}/old.db")
        yield database
        database.dispose()
        return
    url, schema = fresh_postgres_url()
    database = open_database(url)
    yield database
    database.dispose()
    drop_postgres_schema(schema)


def test_orders_stored_before_0002_list_by_channel_and_place_time(
    empty_database: Database,
) -> None:
    old = an_order()
    old.channel = "web"
    old.serial_number = 1
    old.revision = 1
    old.create_time.CopyFrom(_stamp("2020-05-06T07:08:09+00:00"))
    old.update_time.CopyFrom(old.create_time)
    row = record_values("acme", "0" * 32, old)
    # What revision 0001 wrote: no channel column, and no place_time for an unplaced order.
    del row["channel"]
    row["place_time"] = None
    orders = sa.table(
        "orders",
        *(sa.column(name, UTCDateTime() if name.endswith("_time") else None) for name in row),
    )
    with empty_database.writer.begin() as connection:
        command.upgrade(_alembic(connection), "0001")
        connection.execute(sa.insert(orders).values(row))
    upgrade(empty_database)
    page = list_page(
        empty_database,
        tenant="acme",
        where=parse_filter('channel = web AND place_time = "2020-05-06T07:08:09Z"'),
        ordering=parse_order_by("channel, place_time desc"),
        page_size=10,
        after=None,
        show_deleted=False,
    )
    assert [order_pb2.Order.FromString(body).channel for body in page.bodies] == ["web"]
    with empty_database.reader.begin() as connection:
        stored = connection.execute(
            sa.text("SELECT channel, place_time IS NOT NULL FROM orders")
        ).one()
    assert tuple(stored) == ("web", True)
