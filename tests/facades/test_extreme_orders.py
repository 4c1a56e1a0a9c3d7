"""Orders with extreme but accepted values: what CreateOrder accepts, every door can render.

Either the service refuses an order at write time (INVALID_ARGUMENT with a BadRequest field
violation naming the field), or every read answers: gRPC GetOrder, the BigCommerce door (one
order, the list, the products), the fabric door, and the pure Drip and Jirafe writers (those two
doors have no read routes). Never a 500.
"""

import json
import math
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import grpc
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from adapters.drip.translate import order_from_drip, order_to_drip
from adapters.errors import TranslationError
from adapters.jirafe.translate import order_to_jirafe
from adapters.jsonvalues import dumps, loads
from core.money import minor_unit_exponent
from core.validation import MAX_TOTAL_UNITS
from tests.conftest import ACME, scaled_examples
from tests.service.status_details import field_violations

PARENT = "tenants/acme"
STORE = "/bigcommerce/stores/acme/v2"
BIGCOMMERCE_AUTH = {"X-Auth-Token": "token-acme", "X-Auth-Client": "orderbridge-tests"}
FABRIC_HEADERS = {"x-api-key": "token-acme", "x-site-context": json.dumps({"account": "acme"})}
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Edges of the integer types a value meets on its way to a vendor: int32, 2**53 (a double's
# exact integers), int64, and the service's own bound on a total.
EDGES = [
    0,
    1,
    -1,
    2**31 - 1,
    2**31,
    -(2**31),
    2**32,
    2**53,
    2**53 + 1,
    10**15,
    10**17,
    MAX_TOTAL_UNITS,
    MAX_TOTAL_UNITS + 1,
    -MAX_TOTAL_UNITS,
    2**62,
    INT64_MAX,
    INT64_MIN,
]
INTEGERS = st.one_of(st.sampled_from(EDGES), st.integers(INT64_MIN, INT64_MAX))
NANOS = st.sampled_from([0, 1, 5_000_000, 10_000_000, 500_000_000, 999_999_999])
LONG_TEXT = st.one_of(
    st.text(min_size=1, max_size=20),
    st.integers(200, 3000).map(lambda size: "é" * size),
)
# Digit strings: vendors write numeric ids as JSON numbers (BigCommerce ids, fabric shipToId),
# and Python reads at most 4300 digits as an int.
DIGITS = st.sampled_from(
    ["0", "7", str(2**31), str(INT64_MAX), str(2**63), str(2**64), "9" * 30, "1" * 5000]
)


@st.composite
def amounts(draw: st.DrawFn, currency: str) -> order_pb2.Money:
    """Money near the limits, nanos of the units' sign (mixed signs are refused anyway)."""
    units = draw(INTEGERS)
    nanos = draw(NANOS)
    if units < 0 or (units == 0 and draw(st.booleans())):
        nanos = -nanos
    return order_pb2.Money(currency_code=currency, units=units, nanos=nanos)


@st.composite
def extreme_orders(draw: st.DrawFn) -> order_pb2.Order:
    currency = draw(st.sampled_from(["USD", "JPY", "KWD"]))
    order = an_order(currency)
    order.customer_message = draw(LONG_TEXT)
    for index in range(draw(st.integers(0, 40))):
        line = order.line_items.add(
            id=draw(st.one_of(st.just(f"li-{index}"), DIGITS)),
            sku=draw(st.one_of(st.just(f"SKU-{index}"), DIGITS)),
            name=draw(LONG_TEXT),
            quantity=draw(INTEGERS),
            quantity_shipped=draw(INTEGERS),
            line_number=draw(st.one_of(st.just(""), DIGITS)),
            destination_id=draw(st.one_of(st.just(""), DIGITS)),
        )
        line.product.id = draw(st.one_of(st.just(""), DIGITS))
        line.product.variant_id = draw(st.one_of(st.just(""), DIGITS))
        line.unit_price.CopyFrom(draw(amounts(currency)))
        for field in ("total", "discount", "tax"):
            if draw(st.booleans()):
                getattr(line, field).CopyFrom(draw(amounts(currency)))
    for field in ("total", "subtotal", "tax_total", "shipping_total", "discount_total"):
        if draw(st.booleans()):
            getattr(order, field).CopyFrom(draw(amounts(currency)))
    if draw(st.booleans()):
        order.refunds.add(amount=draw(amounts(currency)))
    if draw(st.booleans()):
        order.customer.id = draw(DIGITS)
    if draw(st.booleans()):
        order.channel = draw(DIGITS)
    if draw(st.booleans()):
        payment = order.payments.add(method="card", conversion_rate=draw(DIGITS))
        payment.amount.CopyFrom(draw(amounts(currency)))
        payment.destination_ids.append(draw(DIGITS))
    for _ in range(draw(st.integers(0, 2))):
        destination = order.shipping_destinations.add(
            id=draw(DIGITS), items_total=draw(INTEGERS), items_shipped=draw(INTEGERS)
        )
        destination.address.postal_code = draw(DIGITS)
        for field in ("shipping_cost", "shipping_tax", "total"):
            if draw(st.booleans()):
                getattr(destination, field).CopyFrom(draw(amounts(currency)))
    if draw(st.booleans()):
        shipment = order.shipments.add(id=draw(DIGITS), destination_id=draw(DIGITS))
        shipment.items.add(line_item_id=draw(DIGITS), quantity=draw(INTEGERS))
        shipment.merchant_shipping_cost.CopyFrom(draw(amounts(currency)))
    return order


def money(units: int, nanos: int = 0, currency: str = "USD") -> order_pb2.Money:
    return order_pb2.Money(currency_code=currency, units=units, nanos=nanos)


def an_order(currency: str = "USD") -> order_pb2.Order:
    """A confirmed, paid order with a unique order number and external reference."""
    number = uuid.uuid4().hex
    return order_pb2.Order(
        order_number=f"XO-{number}",
        currency_code=currency,
        external_refs=[order_pb2.ExternalRef(source="extreme", id=number)],
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        customer=order_pb2.Customer(email=f"{number}@example.com"),
    )


@pytest.fixture
def http(facade_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=facade_url, timeout=60) as client:
        yield client


def create(stub: OrderServiceStub, order: order_pb2.Order) -> order_pb2.Order | grpc.RpcError:
    try:
        stored: order_pb2.Order = stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent=PARENT, order=order),
            metadata=ACME,
            timeout=30,
        )
    except grpc.RpcError as error:
        return error
    return stored


def created(stub: OrderServiceStub, order: order_pb2.Order) -> order_pb2.Order:
    result = create(stub, order)
    assert isinstance(result, order_pb2.Order), result.details()
    return result


def refused(stub: OrderServiceStub, order: order_pb2.Order) -> dict[str, str]:
    """The field violations of a CreateOrder that must be INVALID_ARGUMENT."""
    result = create(stub, order)
    assert isinstance(result, grpc.RpcError), "the order was stored"
    assert result.code() == grpc.StatusCode.INVALID_ARGUMENT, result.details()
    return field_violations(result)


def json_of(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    # Exact numbers; a JSON integer of more than 4300 digits is more than Python's int() reads.
    return json.loads(response.content, parse_float=Decimal, parse_int=Decimal)


def bigcommerce_order(http: httpx.Client, serial: int) -> dict[str, Any]:
    emitted: dict[str, Any] = json_of(
        http.get(f"{STORE}/orders/{serial}", headers=BIGCOMMERCE_AUTH)
    )
    return emitted


def bigcommerce_products(http: httpx.Client, serial: int) -> list[dict[str, Any]]:
    response = http.get(f"{STORE}/orders/{serial}/products", headers=BIGCOMMERCE_AUTH)
    products: list[dict[str, Any]] = json_of(response)
    return products


def fabric_order(http: httpx.Client, order_number: str) -> dict[str, Any]:
    response = http.get(
        f"/fabric/api-order/orders/orderNumber/{order_number}", headers=FABRIC_HEADERS
    )
    emitted: dict[str, Any] = json_of(response)["order"]
    return emitted


def _all_money(message: Any) -> Iterator[order_pb2.Money]:
    if isinstance(message, order_pb2.Money):
        yield message
        return
    for field, value in message.ListFields():
        if field.message_type is None or field.message_type.full_name.startswith("google."):
            continue
        for item in value if field.is_repeated else [value]:
            yield from _all_money(item)


def _finer_than_minor_unit(amount: order_pb2.Money) -> bool:
    exponent = minor_unit_exponent(amount.currency_code)
    return amount.nanos % 10 ** (9 - exponent) != 0


def assert_drip_renders(stored: order_pb2.Order) -> None:
    """Drip amounts are whole minor units (_orders.md: "in cents"); an amount finer than that is
    the one thing order_to_drip refuses, naming the Drip field (tests/adapters/drip)."""
    failure: TranslationError | None = None
    try:
        dumps(order_to_drip(stored))
    except TranslationError as error:
        failure = error
    if failure is not None:
        assert "finer than its minor unit" in failure.reason, failure
        assert any(_finer_than_minor_unit(amount) for amount in _all_money(stored)), failure


def assert_readable_everywhere(
    stub: OrderServiceStub, http: httpx.Client, stored: order_pb2.Order
) -> None:
    """Every read of a stored order answers, through gRPC and every door."""
    fetched = stub.GetOrder(
        order_service_pb2.GetOrderRequest(name=stored.name), metadata=ACME, timeout=30
    )
    assert fetched == stored
    serial = stored.serial_number
    assert bigcommerce_order(http, serial)["id"] == serial
    listed = http.get(
        f"{STORE}/orders", params={"min_id": serial, "max_id": serial}, headers=BIGCOMMERCE_AUTH
    )
    assert [entry["id"] for entry in json_of(listed)] == [serial]
    products = http.get(f"{STORE}/orders/{serial}/products", headers=BIGCOMMERCE_AUTH)
    assert products.status_code == (200 if stored.line_items else 204), products.text
    assert fabric_order(http, stored.order_number)["orderId"] == stored.order_number
    dumps(order_to_jirafe(stored))
    assert_drip_renders(stored)


@settings(
    max_examples=scaled_examples(30),
    deadline=None,
    # The fixtures are clients of session-scoped servers; generation time depends on load.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=extreme_orders())
def test_an_extreme_order_is_refused_or_readable_through_every_door(
    stub: OrderServiceStub, http: httpx.Client, order: order_pb2.Order
) -> None:
    result = create(stub, order)
    if isinstance(result, grpc.RpcError):
        assert result.code() == grpc.StatusCode.INVALID_ARGUMENT, result.details()
        violations = field_violations(result)
        assert violations
        assert all(field.startswith("order.") for field in violations), violations
        return
    assert_readable_everywhere(stub, http, result)


# ---------------------------------------------------------------------------------------------
# What the search found, one test each


def test_bigcommerce_shows_int64_quantity_times_int64_price_exactly(
    stub: OrderServiceStub, http: httpx.Client
) -> None:
    # Before: 500, quantize of a 47-digit product overflowed the default 28-digit context.
    order = an_order()
    order.line_items.add(name="Bulk", quantity=INT64_MAX, unit_price=money(INT64_MAX, 999_999_999))
    stored = created(stub, order)

    (product,) = bigcommerce_products(http, stored.serial_number)
    emitted = bigcommerce_order(http, stored.serial_number)

    # (2**63 - 1 + 0.999999999) × (2**63 - 1), in ten-thousandths, rounded half-even.
    nanos = (INT64_MAX * 10**9 + 999_999_999) * INT64_MAX
    whole, rest = divmod(nanos, 10**5)
    ten_thousandths = whole + (rest > 5 * 10**4 or (rest == 5 * 10**4 and whole % 2 == 1))
    exact = f"{ten_thousandths // 10**4}.{ten_thousandths % 10**4:04d}"
    assert product["total_ex_tax"] == exact
    assert emitted["subtotal_ex_tax"] == exact
    assert product["price_ex_tax"] == "9223372036854775808.0000"  # 0.999999999 rounds half-even
    assert_readable_everywhere(stub, http, stored)


def test_bigcommerce_shows_a_25_digit_line_total_to_four_places(
    stub: OrderServiceStub, http: httpx.Client
) -> None:
    # Before: 500. 123456789012.123456789 × 3**29 has 34 digits: the default context rounds it
    # to 28, and four places of a 25-digit amount need 29.
    order = an_order()
    order.line_items.add(
        name="Many", quantity=3**29, unit_price=money(123_456_789_012, 123_456_789)
    )
    stored = created(stub, order)

    (product,) = bigcommerce_products(http, stored.serial_number)
    emitted = bigcommerce_order(http, stored.serial_number)

    assert product["total_ex_tax"] == "8472886018158773955082922.7365"
    assert emitted["subtotal_ex_tax"] == "8472886018158773955082922.7365"
    assert emitted["total_inc_tax"] == "8472886018158773955082922.7365"  # no total: the items


def test_items_total_beyond_64_bits_is_an_exact_json_number(
    stub: OrderServiceStub, http: httpx.Client
) -> None:
    # Before: 500 from the BigCommerce door, orjson writes integers below 2**64 only.
    order = an_order()
    for index in range(3):
        order.line_items.add(
            id=f"li-{index}",
            name="Bulk",
            quantity=INT64_MAX,
            quantity_shipped=INT64_MAX,
            unit_price=money(0),
        )
    stored = created(stub, order)

    emitted = bigcommerce_order(http, stored.serial_number)

    assert emitted["items_total"] == 3 * INT64_MAX
    assert emitted["items_shipped"] == 3 * INT64_MAX
    assert fabric_order(http, stored.order_number)["totalQuantity"] == 3 * INT64_MAX


@pytest.mark.parametrize(
    "digits", ["9" * 30, str(2**63), "1" * 5000], ids=["30 digits", "2**63", "5000 digits"]
)
def test_digit_ids_beyond_64_bits_are_not_bigcommerce_ids(
    stub: OrderServiceStub, http: httpx.Client, digits: str
) -> None:
    # Before: 500 from the BigCommerce door (an id orjson cannot write, or int() of more than
    # 4300 digits) and from the fabric door (int() of more than 4300 digits).
    order = an_order()
    order.customer.id = digits[:256]  # an indexed column of 256 characters
    order.line_items.add(
        id=digits,
        sku=digits,
        line_number=digits,
        destination_id=digits,
        name="Pen",
        quantity=1,
        unit_price=money(1),
    )
    order.line_items[0].product.id = digits
    order.line_items[0].product.variant_id = digits
    order.line_items.add(id="12", name="Ink", quantity=1, unit_price=money(1))
    order.shipping_destinations.add(id=digits).address.postal_code = digits
    order.payments.add(method="card", destination_ids=[digits])
    order.shipments.add(id=digits, destination_id=digits)
    stored = created(stub, order)

    emitted = bigcommerce_order(http, stored.serial_number)
    products = bigcommerce_products(http, stored.serial_number)
    fabric = fabric_order(http, stored.order_number)

    assert emitted["customer_id"] == 0  # not a BigCommerce customer id: a guest
    assert [product["id"] for product in products] == [13, 12]  # numbered after the real one
    assert "variant_id" not in products[0]
    assert products[0]["product_id"] == 0
    assert fabric["items"][0]["sku"] == digits  # text: fabric's ids are numbers only in int64
    assert fabric["items"][0]["lineItemId"] == digits
    assert fabric["shipTo"][0]["shipToId"] == digits
    assert_readable_everywhere(stub, http, stored)


def test_fabric_writes_a_5000_digit_conversion_rate_exactly(
    stub: OrderServiceStub, http: httpx.Client
) -> None:
    # Before: 500 from the fabric door, int() reads at most 4300 digits.
    order = an_order()
    order.payments.add(method="card", conversion_rate="1" * 5000, amount=money(5))
    stored = created(stub, order)

    (payment,) = fabric_order(http, stored.order_number)["payments"]

    assert payment["conversion"] == Decimal("1" * 5000)


@pytest.mark.parametrize("currency", ["USD", "KWD", "JPY"])
def test_drip_cents_beyond_64_bits_are_exact_json_integers(currency: str) -> None:
    # Before: order_to_drip answered a payload adapters.jsonvalues.dumps could not write
    # ("Integer exceeds 64-bit range"): a 64-bit unit price in cents, and price × quantity.
    order = an_order(currency)
    order.line_items.add(name="Bulk", quantity=INT64_MAX, unit_price=money(INT64_MAX, 0, currency))
    scale = 10 ** minor_unit_exponent(currency)

    emitted = loads(dumps(order_to_drip(order)))

    (item,) = emitted["items"]
    assert item["price"] == INT64_MAX * scale
    assert item["amount"] == INT64_MAX * scale * INT64_MAX
    assert emitted["amount"] == item["amount"]  # no grand total: the items' sum


def test_drip_reads_back_a_64_bit_unit_price_it_wrote_in_cents() -> None:
    order = an_order("KWD")
    price = money(INT64_MAX, 999_000_000, "KWD")
    order.line_items.add(name="Gold", quantity=1, unit_price=price, total=price)
    order.total.CopyFrom(money(0, 0, "KWD"))

    emitted = loads(dumps(order_to_drip(order)))

    assert emitted["items"][0]["price"] == INT64_MAX * 1000 + 999
    assert order_from_drip(emitted).line_items[0].unit_price == price


def test_jirafe_writes_extreme_amounts_without_raising() -> None:
    order = an_order("KWD")
    order.line_items.add(
        name="Bulk", quantity=INT64_MIN, unit_price=money(INT64_MIN, -999_999_999, "KWD")
    )
    order.total.CopyFrom(money(MAX_TOTAL_UNITS, 999_999_999, "KWD"))

    emitted = loads(dumps(order_to_jirafe(order)))

    assert emitted["items"][0]["quantity"] == INT64_MIN
    assert emitted["total"] == Decimal(MAX_TOTAL_UNITS) + Decimal("0.999999999")


# ---------------------------------------------------------------------------------------------
# What has no rendering is refused at write time, naming the field


def _with_place_time(seconds: int) -> order_pb2.Order:
    order = an_order()
    order.place_time.seconds = seconds
    return order


def _with_close_time(seconds: int) -> order_pb2.Order:
    order = an_order()
    order.close_time.seconds = seconds
    return order


def _with_line_time_nanos(nanos: int) -> order_pb2.Order:
    order = an_order()
    order.line_items.add(name="Pen", quantity=1).create_time.nanos = nanos
    return order


def _with_property(number: float) -> order_pb2.Order:
    order = an_order()
    order.properties.fields["weight"].number_value = number
    return order


def _with_line_property(number: float) -> order_pb2.Order:
    order = an_order()
    line = order.line_items.add(name="Pen", quantity=1)
    line.properties.fields["sizes"].list_value.values.add().number_value = number
    return order


def _with_total_units(units: int) -> order_pb2.Order:
    order = an_order()
    order.total.CopyFrom(money(units))
    return order


def _with_channel(channel: str) -> order_pb2.Order:
    order = an_order()
    order.channel = channel
    return order


@pytest.mark.parametrize(
    ("build", "field"),
    [
        # Before: INTERNAL (a Timestamp beyond 9999 or before year 1 has no datetime).
        (lambda: _with_place_time(253_402_300_800), "order.place_time.seconds"),
        (lambda: _with_place_time(-62_135_596_801), "order.place_time.seconds"),
        # Before: stored, then the BigCommerce door answered 500 for it (RFC 2822 date_shipped).
        (lambda: _with_close_time(2**62), "order.close_time.seconds"),
        (lambda: _with_line_time_nanos(-1), "order.line_items[0].create_time.nanos"),
        # Before: stored, then the Drip writer answered a NaN no JSON can hold.
        (lambda: _with_property(math.nan), "order.properties.weight"),
        (lambda: _with_line_property(-math.inf), "order.line_items[0].properties.sizes[0]"),
        (lambda: _with_total_units(MAX_TOTAL_UNITS + 1), "order.total.units"),
        (lambda: _with_total_units(INT64_MIN), "order.total.units"),
        (lambda: _with_channel("7" * 257), "order.channel"),
    ],
    ids=[
        "place_time after 9999",
        "place_time before year 1",
        "close_time far future",
        "negative nanos of a time",
        "NaN property",
        "infinite line property",
        "total beyond 64-bit nanos",
        "most negative total",
        "channel of 257 characters",
    ],
)
def test_values_no_door_can_write_are_refused_with_a_field_violation(
    stub: OrderServiceStub, build: Callable[[], order_pb2.Order], field: str
) -> None:
    assert field in refused(stub, build())


def test_limits_themselves_are_accepted_and_readable(
    stub: OrderServiceStub, http: httpx.Client
) -> None:
    order = _with_place_time(253_402_300_799)
    order.channel = "7" * 256
    order.total.CopyFrom(money(-MAX_TOTAL_UNITS, -999_999_999))
    order.properties.fields["weight"].number_value = 1e308
    stored = created(stub, order)

    emitted = bigcommerce_order(http, stored.serial_number)

    assert emitted["total_inc_tax"] == f"-{MAX_TOTAL_UNITS + 1}.0000"
    assert emitted["channel_id"] == 1  # 256 digits are no BigCommerce channel id
    assert emitted["date_created"] == "Fri, 31 Dec 9999 23:59:59 +0000"
    assert_readable_everywhere(stub, http, stored)
