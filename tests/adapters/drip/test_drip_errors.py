"""Drip payloads that cannot be translated: each names its Drip field path and Drip error code."""

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters.drip import errors, requests, translate
from adapters.errors import TranslationError
from adapters.jsonvalues import loads

EXAMPLES = Path(__file__).parent / "examples"
SEED_BODY = loads((EXAMPLES / "seed004_orders_request.json").read_bytes())
SEED_ORDER: dict[str, Any] = SEED_BODY["orders"][0]
SEED_REFUND: dict[str, Any] = loads((EXAMPLES / "seed004_refunds_request.json").read_bytes())[
    "refunds"
][0]


def _changed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    payload = copy.deepcopy(SEED_ORDER)
    change(payload)
    return payload


# (case, change to the seed order, field path, start of the reason, Drip error code)
ORDER_ERRORS: list[tuple[str, Callable[[dict[str, Any]], object], str, str, str]] = [
    ("no amount", lambda o: o.pop("amount"), "amount", "is required", "presence_error"),
    (
        "amount as text",
        lambda o: o.update(amount="4900"),
        "amount",
        "must be a whole number of cents",
        "format_error",
    ),
    (
        "amount with a fraction of a cent",
        lambda o: o.update(amount=Decimal("4900.5")),
        "amount",
        "must be a whole number of cents",
        "format_error",
    ),
    (
        "amount as a boolean",
        lambda o: o.update(amount=True),
        "amount",
        "must be a whole number of cents",
        "format_error",
    ),
    (
        "tax as a fraction",
        lambda o: o.update(tax=Decimal("1.5")),
        "tax",
        "must be a whole number of cents",
        "format_error",
    ),
    (
        "item without a name",
        lambda o: o["items"][0].pop("name"),
        "items[0].name",
        "is required",
        "presence_error",
    ),
    (
        "item with a blank name",
        lambda o: o["items"][0].update(name="  "),
        "items[0].name",
        "is required",
        "presence_error",
    ),
    (
        "item without an amount",
        lambda o: o["items"][0].pop("amount"),
        "items[0].amount",
        "is required",
        "presence_error",
    ),
    (
        "item price with a fraction of a cent",
        lambda o: o["items"][0].update(price=Decimal("49.99")),
        "items[0].price",
        "must be a whole number of cents",
        "format_error",
    ),
    (
        "item quantity as text",
        lambda o: o["items"][0].update(quantity="1"),
        "items[0].quantity",
        "must be an integer",
        "format_error",
    ),
    (
        "item taxable as text",
        lambda o: o["items"][0].update(taxable="yes"),
        "items[0].taxable",
        "must be true or false",
        "format_error",
    ),
    (
        "item categories as text",
        lambda o: o["items"][0].update(categories="Boats"),
        "items[0].categories",
        "must be an array",
        "format_error",
    ),
    (
        "item product_url not a URL",
        lambda o: o["items"][0].update(product_url="canoe.html"),
        "items[0].product_url",
        "must be a valid URL",
        "url_error",
    ),
    (
        "unknown financial_state",
        lambda o: o.update(financial_state="shipped"),
        "financial_state",
        "must be one of",
        "format_error",
    ),
    (
        "unknown fulfillment_state",
        lambda o: o.update(fulfillment_state="delivered"),
        "fulfillment_state",
        "must be one of",
        "format_error",
    ),
    (
        "occurred_at not ISO 8601",
        lambda o: o.update(occurred_at="21/06/2013"),
        "occurred_at",
        "must be a valid time in ISO-8601 format",
        "time_error",
    ),
    (
        "cancelled_at not a time",
        lambda o: o.update(cancelled_at="soon"),
        "cancelled_at",
        "must be a valid time in ISO-8601 format",
        "time_error",
    ),
    (
        "email not an address",
        lambda o: o.update(email="john-at-acme"),
        "email",
        "must be a valid email address",
        "email_error",
    ),
    (
        "neither email nor subscriber id",
        lambda o: o.pop("email"),
        "email",
        "is required",
        "presence_error",
    ),
    (
        "permalink not a URL",
        lambda o: o.update(permalink="myorders.com/orders/1"),
        "permalink",
        "must be a valid URL",
        "url_error",
    ),
    (
        "currency_code not a code",
        lambda o: o.update(currency_code="US$"),
        "currency_code",
        "has an invalid format",
        "format_error",
    ),
    (
        "billing_address as text",
        lambda o: o.update(billing_address="123 Bill St."),
        "billing_address",
        "must be an object",
        "format_error",
    ),
    (
        "shipping zip as a number",
        lambda o: o["shipping_address"].update(zip=1234),
        "shipping_address.zip",
        "must be a string",
        "format_error",
    ),
    (
        "properties as a list",
        lambda o: o.update(properties=[1, 2]),
        "properties",
        "must be an object",
        "format_error",
    ),
    (
        "items as an object",
        lambda o: o.update(items={}),
        "items",
        "must be an array",
        "format_error",
    ),
    (
        "upstream_id as a boolean",
        lambda o: o.update(upstream_id=True),
        "upstream_id",
        "must be a string or an integer",
        "format_error",
    ),
    (
        "amount beyond what Money holds",
        lambda o: o.update(amount=10**30),
        "amount",
        "is out of range",
        "range_error",
    ),
    (
        "tax beyond what Money holds",
        lambda o: o.update(tax=-(10**30)),
        "tax",
        "is out of range",
        "range_error",
    ),
    (
        "item price beyond what Money holds",
        lambda o: o["items"][0].update(price=10**30),
        "items[0].price",
        "is out of range",
        "range_error",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "reason", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in ORDER_ERRORS],
)
def test_invalid_drip_order_names_its_field(
    change: Callable[[dict[str, Any]], object], field: str, reason: str, code: str
) -> None:
    with pytest.raises(TranslationError) as raised:
        translate.order_from_drip(_changed(change))

    assert raised.value.field == field
    assert raised.value.reason.startswith(reason)
    assert errors.error_for(raised.value)["code"] == code


def test_order_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(TranslationError) as raised:
        translate.order_from_drip([SEED_ORDER])  # type: ignore[arg-type]  # wrong on purpose

    assert (raised.value.field, raised.value.reason) == ("", "must be an object")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda r: r.pop("order_upstream_id"), "order_upstream_id", "is required"),
        (lambda r: r.update(provider=""), "provider", "is required"),
        (lambda r: r.pop("amount"), "amount", "is required"),
        (lambda r: r.update(amount=Decimal("20.5")), "amount", "must be a whole number of cents"),
        (lambda r: r.update(processed_at="yesterday"), "processed_at", "must be a valid time"),
        (lambda r: r.update(amount=10**30), "amount", "is out of range"),
    ],
)
def test_invalid_drip_refund_names_its_field(
    change: Callable[[dict[str, Any]], object], field: str, reason: str
) -> None:
    refund = copy.deepcopy(SEED_REFUND)
    change(refund)

    with pytest.raises(TranslationError) as raised:
        translate.refund_from_drip(refund, "USD")

    assert raised.value.field == field
    assert raised.value.reason.startswith(reason)


def _without(key: str) -> dict[str, Any]:
    return {name: value for name, value in SEED_ORDER.items() if name != key}


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({}, "orders", "is required"),
        ({"orders": []}, "orders", "must have a length of at least 1"),
        ({"orders": SEED_ORDER}, "orders", "must be an array"),
        ({"orders": [SEED_ORDER, _without("amount")]}, "orders[1].amount", "is required"),
        ({"batches": []}, "batches", "must have a length of at least 1"),
        ({"batches": [{"orders": []}]}, "batches[0].orders", "must have a length of at least 1"),
        (
            {"batches": [{"orders": [SEED_ORDER] * 1001}]},
            "batches[0].orders",
            "must have a length of at most 1000",
        ),
        (
            {"batches": [{"orders": [SEED_ORDER]}, {"orders": [_without("email")]}]},
            "batches[1].orders[0].email",
            "is required",
        ),
    ],
)
def test_invalid_drip_orders_body_names_its_field(body: Any, field: str, reason: str) -> None:
    with pytest.raises(TranslationError) as raised:
        requests.orders_from_drip_body(body)

    assert raised.value.field == field
    assert raised.value.reason.startswith(reason)


def test_batch_of_exactly_1000_orders_is_accepted() -> None:
    orders = requests.orders_from_drip_body({"batches": [{"orders": [SEED_ORDER] * 1000}]})

    assert len(orders) == 1000


def test_empty_refunds_body_is_refused() -> None:
    with pytest.raises(TranslationError) as raised:
        requests.refunds_from_drip_body({"refunds": []})

    assert raised.value.field == "refunds"


@pytest.mark.parametrize("key", ["provider", "upstream_id"])
def test_upsert_needs_the_drip_key(key: str) -> None:
    with pytest.raises(TranslationError) as raised:
        requests.upsert_request_from_drip("tenants/acme", _without(key))

    assert (raised.value.field, raised.value.reason) == (key, "is required")


def test_batch_upsert_error_names_the_order_in_the_body() -> None:
    body = {"batches": [{"orders": [SEED_ORDER, _without("provider")]}]}

    with pytest.raises(TranslationError) as raised:
        requests.batch_upsert_request_from_drip("tenants/acme", body)

    assert raised.value.field == "batches[0].orders[1].provider"


def _canonical_order() -> order_pb2.Order:
    return order_pb2.Order(
        currency_code="USD",
        order_number="1001",
        customer=order_pb2.Customer(email="ann@example.com"),
        total=order_pb2.Money(currency_code="USD", units=10),
    )


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            lambda o: o.total.CopyFrom(
                order_pb2.Money(currency_code="USD", units=1, nanos=5_000_000)
            ),
            "amount",
            "1.005 USD is finer than its minor unit",
        ),
        (
            lambda o: o.line_items.add(
                name="Pen",
                quantity=1,
                unit_price=order_pb2.Money(currency_code="USD", nanos=1_000_000),
            ),
            "items[0].price",
            "0.001 USD is finer than its minor unit",
        ),
        (
            lambda o: o.tax_total.CopyFrom(order_pb2.Money(currency_code="EUR", units=1)),
            "tax",
            "is in EUR, the order is in USD",
        ),
        (lambda o: o.ClearField("customer"), "email", "is required"),
    ],
)
def test_canonical_order_drip_cannot_carry_names_the_drip_field(
    change: Callable[[order_pb2.Order], object], field: str, reason: str
) -> None:
    order = _canonical_order()
    change(order)

    with pytest.raises(TranslationError) as raised:
        translate.order_to_drip(order)

    assert raised.value.field == field
    assert raised.value.reason.startswith(reason)


def test_the_code_follows_the_kind_never_the_english_reason() -> None:
    # Was chosen by the reason's first words: a reworded message changed the code.
    worded_like_presence = TranslationError("amount", "is required to be cents", "format")
    assert errors.error_for(worded_like_presence)["code"] == "format_error"
    assert errors.error_for(TranslationError("amount", "absent", "presence"))["code"] == (
        "presence_error"
    )


def test_error_object_is_shaped_like_drips() -> None:
    error = TranslationError("email", "is required", "presence")

    assert errors.error_for(error) == {
        "code": "presence_error",
        "attribute": "email",
        "message": "Email is required",
    }


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            TranslationError("items[2].price", "must be a whole number of cents (minor units)"),
            {
                "code": "format_error",
                "attribute": "items[2].price",
                "message": "Items[2].price must be a whole number of cents (minor units)",
            },
        ),
        (
            TranslationError("orders", "must have a length of at least 1", "length"),
            {
                "code": "length_error",
                "attribute": "orders",
                "message": "Orders must have a length of at least 1",
            },
        ),
        (
            TranslationError("processed_at", "not an ISO 8601 date-time: 'x'", "time"),
            {
                "code": "time_error",
                "attribute": "processed_at",
                "message": "Processed_at not an ISO 8601 date-time: 'x'",
            },
        ),
        (
            TranslationError("", "must be an object"),
            {"code": "format_error", "message": "Must be an object"},
        ),
    ],
)
def test_error_codes_follow_drips_error_table(
    error: TranslationError, expected: dict[str, str]
) -> None:
    assert errors.error_for(error) == expected


@pytest.mark.parametrize("quantity", [2**63, -(2**63) - 1])
def test_an_item_quantity_beyond_64_bits_is_a_range_error(quantity: int) -> None:
    # Was ValueError from the proto's int64 field: the door answered 500.
    order = {
        "provider": "shop",
        "upstream_id": "u1",
        "email": "a@example.com",
        "amount": 100,
        "items": [{"name": "Pin", "amount": 100, "quantity": quantity}],
    }
    with pytest.raises(TranslationError) as raised:
        translate.order_from_drip(order)
    assert raised.value.field == "items[0].quantity"
    assert errors.error_for(raised.value)["code"] == "range_error"
