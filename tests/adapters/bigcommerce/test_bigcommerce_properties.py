"""Property tests: generated BigCommerce orders round-trip exactly and keep every minor unit."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from orderbridge.v1 import order_pb2

from adapters.bigcommerce.translate import (
    order_from_bigcommerce,
    order_to_bigcommerce,
    resource_links,
)
from adapters.jsonvalues import canonical_text
from adapters.money import minor_units_from_money
from tests.adapters.bigcommerce.openapi_schema import schema_errors
from tests.adapters.bigcommerce.vendor_examples import example
from tests.conftest import scaled_examples

# In-process translation at a few milliseconds an example, scaled with the profile's budget
# (tests/conftest.py). A generated order has dozens of independent optional fields, so it gets
# half as many examples again as the profile's; a canonical order is sparse and gets the budget.
BIGCOMMERCE_ORDERS = settings(max_examples=scaled_examples(150), deadline=None)
CANONICAL_ORDERS = settings(max_examples=scaled_examples(100), deadline=None)

# Currencies a multi-currency store may transact in, with their ISO 4217 minor-unit exponent.
CURRENCIES = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
STATUS_NAMES = {status["id"]: status["name"] for status in example("order_statuses")}
PAYMENT_STATUSES = ["authorized", "captured", "pending", "refunded", "void", "declined", ""]
ORDER_MONEY_KEYS = [
    "subtotal_ex_tax",
    "subtotal_inc_tax",
    "subtotal_tax",
    "base_shipping_cost",
    "shipping_cost_ex_tax",
    "shipping_cost_inc_tax",
    "shipping_cost_tax",
    "base_handling_cost",
    "handling_cost_ex_tax",
    "handling_cost_inc_tax",
    "handling_cost_tax",
    "base_wrapping_cost",
    "wrapping_cost_ex_tax",
    "wrapping_cost_inc_tax",
    "wrapping_cost_tax",
    "total_ex_tax",
    "total_inc_tax",
    "total_tax",
    "refunded_amount",
    "store_credit_amount",
    "gift_certificate_amount",
    "discount_amount",
    "coupon_discount",
]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
NAME = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
)


def rfc2822(moment: datetime) -> str:
    """BigCommerce's date format ("Tue, 20 Nov 2012 00:00:00 +0000"), written independently."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return (
        f"{days[moment.weekday()]}, {moment.day:02d} {months[moment.month - 1]} {moment.year} "
        f"{moment:%H:%M:%S} +0000"
    )


DATES = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001  # hypothesis wants naive bounds
    max_value=datetime(2037, 12, 31),  # noqa: DTZ001  # with `timezones` giving the zone
    timezones=st.just(UTC),
).map(lambda moment: rfc2822(moment.replace(microsecond=0)))


def money_text(minor_units: int, exponent: int) -> str:
    """Four places, as BigCommerce writes money, of an amount in the currency's minor units."""
    return f"{Decimal(minor_units).scaleb(-exponent).quantize(Decimal('0.0001')):f}"


@st.composite
def bigcommerce_orders(draw: st.DrawFn) -> dict[str, Any]:
    currency = draw(st.sampled_from(sorted(CURRENCIES)))
    exponent = CURRENCIES[currency]

    def money() -> str:
        return money_text(draw(st.integers(0, 10**9)), exponent)

    def product(product_id: int) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": product_id,
            "product_id": draw(st.integers(0, 10**5)),
            "name": draw(NAME),
            "sku": draw(TEXT),
            "quantity": draw(st.integers(0, 50)),
            "price_ex_tax": money(),
            "price_inc_tax": money(),
            "total_inc_tax": money(),
            "total_tax": money(),
            "quantity_shipped": draw(st.integers(0, 50)),
            "brand": draw(TEXT),
        }
        if draw(st.booleans()):
            item["weight"] = "2.0000"
            item["product_options"] = [{"id": 1, "value": draw(TEXT)}]
        return item

    product_ids = draw(st.lists(st.integers(1, 10**6), max_size=3, unique=True))
    address_ids = draw(st.lists(st.integers(1, 10**6), max_size=2, unique=True))
    status_id = draw(st.integers(0, 14))
    order: dict[str, Any] = {
        "id": draw(st.integers(1, 10**7)),
        "customer_id": draw(st.integers(0, 10**6)),
        "date_created": draw(DATES),
        "date_modified": draw(DATES),
        "date_shipped": draw(st.one_of(st.just(""), DATES)),
        "status_id": status_id,
        "status": STATUS_NAMES[status_id],
        **{key: money() for key in ORDER_MONEY_KEYS},
        "payment_method": draw(TEXT),
        "payment_status": draw(st.sampled_from(PAYMENT_STATUSES)),
        "currency_code": currency,
        "default_currency_code": currency,
        "staff_notes": draw(TEXT),
        "cart_id": draw(TEXT),
        "order_source": draw(st.sampled_from(["www", "external", "manual"])),
        "channel_id": draw(st.integers(1, 5)),
        "billing_address": {
            "first_name": draw(TEXT),
            "last_name": draw(TEXT),
            "street_1": draw(TEXT),
            "city": draw(TEXT),
            "zip": draw(TEXT),
            "country_iso2": "US",
            "email": draw(TEXT),
        },
        "products": [product(product_id) for product_id in product_ids],
        "shipping_addresses": [
            {
                "id": address_id,
                "first_name": draw(TEXT),
                "zip": draw(TEXT),
                "cost_ex_tax": money(),
                "cost_inc_tax": money(),
                "items_total": draw(st.integers(0, 9)),
            }
            for address_id in address_ids
        ],
    }
    if draw(st.booleans()):
        order["fees"] = [{"type": "custom_fee", "cost_inc_tax": money(), "source": "AA"}]
    return order


def minor(text: str, currency: str) -> int:
    return int(Decimal(text).scaleb(CURRENCIES[currency]))


@BIGCOMMERCE_ORDERS
@given(bigcommerce_orders())
def test_bigcommerce_generated_order_round_trips_exactly(sent: dict[str, Any]) -> None:
    emitted = order_to_bigcommerce(order_from_bigcommerce(sent))

    assert canonical_text(emitted) == canonical_text(sent)


@BIGCOMMERCE_ORDERS
@given(bigcommerce_orders())
def test_bigcommerce_generated_order_keeps_every_minor_unit(sent: dict[str, Any]) -> None:
    currency = sent["currency_code"]

    order = order_from_bigcommerce(sent)

    assert order.currency_code == currency
    assert minor_units_from_money(order.total) == minor(sent["total_inc_tax"], currency)
    assert minor_units_from_money(order.subtotal) == minor(sent["subtotal_ex_tax"], currency)
    assert minor_units_from_money(order.tax_total) == minor(sent["total_tax"], currency)
    for line, product in zip(order.line_items, sent["products"], strict=True):
        assert line.unit_price.currency_code == currency
        assert minor_units_from_money(line.unit_price) == minor(product["price_ex_tax"], currency)
        assert minor_units_from_money(line.total) == minor(product["total_inc_tax"], currency)
        assert minor_units_from_money(line.tax) == minor(product["total_tax"], currency)
        assert line.quantity == product["quantity"]


def money_of(minor_units: int, currency: str) -> order_pb2.Money:
    """Money for an amount in minor units, computed here without the code under test."""
    scale = 10 ** CURRENCIES[currency]
    return order_pb2.Money(
        currency_code=currency,
        units=minor_units // scale,
        nanos=(minor_units % scale) * 10 ** (9 - CURRENCIES[currency]),
    )


@st.composite
def canonical_orders(draw: st.DrawFn) -> order_pb2.Order:
    currency = draw(st.sampled_from(sorted(CURRENCIES)))

    def money() -> order_pb2.Money:
        return money_of(draw(st.integers(0, 10**9)), currency)

    order = order_pb2.Order(
        serial_number=draw(st.integers(0, 10**6)),
        order_number=draw(TEXT),
        currency_code=currency,
        lifecycle_state=draw(st.sampled_from(order_pb2.LifecycleState.keys())),
        payment_state=draw(st.sampled_from(order_pb2.PaymentState.keys())),
        fulfillment_state=draw(st.sampled_from(order_pb2.FulfillmentState.keys())),
        subtotal=money(),
        total=money(),
        tax_total=money(),
        shipping_total=money(),
        customer=order_pb2.Customer(id=draw(TEXT), name=order_pb2.PersonName(full_name=draw(TEXT))),
        ip_address=draw(st.sampled_from(["", "10.0.0.1", "2001:db8::2"])),
    )
    for _ in range(draw(st.integers(0, 3))):
        order.line_items.append(
            order_pb2.LineItem(
                id=draw(TEXT),
                name=draw(TEXT),
                quantity=draw(st.integers(-5, 50)),
                unit_price=money(),
                total=money(),
                destination_id=draw(TEXT),
            )
        )
    for _ in range(draw(st.integers(0, 2))):
        order.shipping_destinations.append(
            order_pb2.ShippingDestination(id=draw(TEXT), shipping_cost=money())
        )
    return order


@CANONICAL_ORDERS
@given(canonical_orders())
def test_bigcommerce_any_canonical_order_emits_valid_json_and_keeps_money(
    order: order_pb2.Order,
) -> None:
    emitted = order_to_bigcommerce(order)

    assert schema_errors("order_Resp", {**emitted, **resource_links(emitted["id"])}) == []
    for product in emitted["products"]:
        assert schema_errors("orderProducts", product) == []
    again = order_from_bigcommerce(emitted)
    for field in ("subtotal", "total", "tax_total", "shipping_total"):
        assert minor_units_from_money(getattr(again, field)) == minor_units_from_money(
            getattr(order, field)
        )
    for line, original in zip(again.line_items, order.line_items, strict=True):
        assert minor_units_from_money(line.unit_price) == minor_units_from_money(
            original.unit_price
        )
        assert minor_units_from_money(line.total) == minor_units_from_money(original.total)
        assert line.quantity == original.quantity


# Generated fields with a canonical home (README.md, "Vendor mappings"): re-emitted from the
# canonical order alone, without the residue. The *_tax amounts of the order are derived from
# inc and ex, which the generator draws independently, so they are left out here.
MAPPED_ORDER_KEYS = [
    key
    for key in ORDER_MONEY_KEYS
    if key not in {"subtotal_tax", "shipping_cost_tax", "handling_cost_tax", "wrapping_cost_tax"}
] + [
    "id",
    "customer_id",
    "date_created",
    "date_modified",
    "date_shipped",
    "status_id",
    "status",
    "payment_method",
    "payment_status",
    "currency_code",
    "default_currency_code",
    "staff_notes",
    "cart_id",
    "order_source",
    "channel_id",
    "billing_address",
]
MAPPED_PRODUCT_KEYS = [
    "id",
    "product_id",
    "name",
    "sku",
    "quantity",
    "price_ex_tax",
    "price_inc_tax",
    "total_inc_tax",
    "total_tax",
    "quantity_shipped",
    "brand",
]
MAPPED_ADDRESS_KEYS = ["id", "first_name", "zip", "cost_ex_tax", "cost_inc_tax", "items_total"]


@BIGCOMMERCE_ORDERS
@given(bigcommerce_orders())
def test_bigcommerce_generated_order_maps_its_fields_canonically(sent: dict[str, Any]) -> None:
    order = order_from_bigcommerce(sent)
    del order.vendor_data["bigcommerce"]

    emitted = order_to_bigcommerce(order)

    billing = {key: emitted["billing_address"][key] for key in sent["billing_address"]}
    assert {**{key: emitted[key] for key in MAPPED_ORDER_KEYS}, "billing_address": billing} == {
        key: sent[key] for key in MAPPED_ORDER_KEYS
    }
    assert [{key: p[key] for key in MAPPED_PRODUCT_KEYS} for p in emitted["products"]] == [
        {key: p[key] for key in MAPPED_PRODUCT_KEYS} for p in sent["products"]
    ]
    assert [
        {key: a[key] for key in MAPPED_ADDRESS_KEYS} for a in emitted["shipping_addresses"]
    ] == [{key: a[key] for key in MAPPED_ADDRESS_KEYS} for a in sent["shipping_addresses"]]
