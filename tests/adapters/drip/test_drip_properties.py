"""Property tests: any Drip order within the documented shape round-trips exactly and keeps every
amount to the minor unit; any canonical order becomes a valid Drip order with the same amounts."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from orderbridge.v1 import order_pb2

from adapters.drip import models, translate
from adapters.jsonvalues import canonical_text, dumps, loads
from tests.conftest import scaled_examples

# ISO 4217 minor units, written out here rather than taken from the code under test.
EXPONENTS = {"USD": 2, "EUR": 2, "JPY": 0, "KWD": 3}
# In-process translation at a few milliseconds an example over generators with many optional
# fields: half as many again as the profile's budget, scaled with it (tests/conftest.py).
PROPERTY_SETTINGS = settings(max_examples=scaled_examples(150), deadline=None)

cents = st.integers(min_value=-(10**6), max_value=10**13)
identifiers = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12),
    st.integers(min_value=0, max_value=10**15),
)
texts = st.text(max_size=16)
names = st.text(min_size=1, max_size=16).filter(str.strip)
emails = st.from_regex(r"[a-z0-9._]{1,10}@[a-z]{1,10}\.(com|org|co\.uk)", fullmatch=True)
urls = st.from_regex(r"https?://[a-z]{1,10}\.[a-z]{2,3}(/[a-z0-9_-]{0,8}){0,3}", fullmatch=True)
currencies = st.sampled_from(["USD", "EUR", "JPY", "KWD", "usd", "jpy"])
moments = st.datetimes(
    min_value=datetime(1970, 1, 2),  # noqa: DTZ001  # hypothesis bounds are naive by design
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001  # hypothesis bounds are naive
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5))]),
)


def _iso8601(moment: datetime, style: int) -> str:
    # Drip documents ISO 8601; clients write it in more than one way.
    if style == 0:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return moment.isoformat(timespec="seconds")
    if style == 2:
        return moment.isoformat(timespec="milliseconds")
    return moment.replace(tzinfo=None).isoformat(timespec="seconds")


times = st.builds(_iso8601, moments, st.integers(min_value=0, max_value=3))
# JSON numbers as adapters.jsonvalues.loads gives them: ints, and Decimals for fractions.
json_numbers = st.one_of(
    st.integers(min_value=-(2**60), max_value=2**60),
    st.decimals(min_value=-(10**6), max_value=10**6, places=3, allow_nan=False),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), json_numbers, texts),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
json_objects = st.dictionaries(texts, json_values, max_size=4)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


ADDRESS_KEYS = "name first_name last_name company address_1 address_2 city state zip country"
addresses = st.fixed_dictionaries(
    {},
    optional={
        **{key: _optional(texts) for key in ADDRESS_KEYS.split()},
        "phone": _optional(texts),
        "email": _optional(emails | texts),
    },
)
items = st.fixed_dictionaries(
    {"amount": cents, "name": names},
    optional={
        "id": identifiers,
        "product_id": identifiers,
        "sku": identifiers,
        "quantity": _optional(st.integers(min_value=-5, max_value=10**6)),
        "upstream_id": identifiers,
        "upstream_product_id": identifiers,
        "upstream_product_variant_id": identifiers,
        "price": _optional(cents),
        "tax": _optional(cents),
        "fees": _optional(cents),
        "discount": _optional(cents),
        "taxable": _optional(st.booleans()),
        "properties": _optional(json_objects),
        "product_variant_id": identifiers,
        "categories": st.lists(texts, max_size=3),
        "product_url": _optional(urls),
        "image_url": _optional(urls),
        "brand": _optional(texts),
        "x_custom": json_values,  # unknown fields are kept too
    },
)
providers = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True) | texts
order_fields = st.fixed_dictionaries(
    {"amount": cents},
    optional={
        "provider": providers,
        "upstream_id": identifiers,
        "identifier": identifiers,
        "tax": _optional(cents),
        "fees": _optional(cents),
        "discount": _optional(cents),
        "permalink": _optional(urls),
        "currency_code": _optional(currencies),
        "properties": _optional(json_objects),
        "occurred_at": _optional(times),
        "closed_at": _optional(times),
        "cancelled_at": _optional(times),
        "financial_state": _optional(
            st.sampled_from(
                [
                    "pending",
                    "authorized",
                    "partially_paid",
                    "paid",
                    "partially_refunded",
                    "refunded",
                    "voided",
                ]
            )
        ),
        "fulfillment_state": _optional(
            st.sampled_from(["not_fulfilled", "partially_fulfilled", "fulfilled"])
        ),
        "billing_address": _optional(addresses),
        "shipping_address": _optional(addresses),
        "items": _optional(st.lists(items, max_size=4)),
        "x_custom": json_values,
    },
)
subscribers = st.one_of(
    st.fixed_dictionaries({"email": emails}),
    st.fixed_dictionaries({"id": identifiers}),
    st.fixed_dictionaries({"email": emails, "id": identifiers}),
    # The order object: its own read-only id and links.
    st.fixed_dictionaries(
        {"id": identifiers, "links": st.fixed_dictionaries({"subscriber": identifiers})},
        optional={"email": emails},
    ),
)
drip_orders = st.builds(
    lambda fields, subscriber: {**fields, **subscriber}, order_fields, subscribers
)


def _as_request_element(order: dict[str, Any]) -> dict[str, Any]:
    """The order object's read-only `id` and `links` are server-assigned; written back as a
    request element, the subscriber is named by `id`."""
    if "links" not in order:
        return order
    request = {key: value for key, value in order.items() if key not in {"id", "links"}}
    return {**request, "id": order["links"]["subscriber"]}


def _amount(money: order_pb2.Money) -> Decimal:
    return Decimal(money.units) + Decimal(money.nanos) / Decimal(10**9)


def _in_major_units(minor_units: int, currency: str) -> Decimal:
    return Decimal(minor_units).scaleb(-EXPONENTS[currency])


@PROPERTY_SETTINGS
@given(drip_orders)
def test_any_drip_order_round_trips_exactly(original: dict[str, Any]) -> None:
    wire = loads(dumps(original))  # what a client actually sends

    order = translate.order_from_drip(wire)
    stored = order_pb2.Order.FromString(order.SerializeToString())

    assert canonical_text(translate.order_to_drip(stored)) == canonical_text(
        _as_request_element(wire)
    )


@PROPERTY_SETTINGS
@given(drip_orders)
def test_any_drip_order_keeps_its_money_to_the_minor_unit(original: dict[str, Any]) -> None:
    currency = str(original.get("currency_code") or "USD").upper()

    order = translate.order_from_drip(original)

    assert order.currency_code == currency
    assert _amount(order.total) == _in_major_units(original["amount"], currency)
    drip_items = original.get("items") or []
    for line, item in zip(order.line_items, drip_items, strict=True):
        assert _amount(line.total) == _in_major_units(item["amount"], currency)
        if item.get("price") is not None:
            assert _amount(line.unit_price) == _in_major_units(item["price"], currency)
        assert line.total.currency_code == currency
    # Without the residue, the canonical fields alone give every amount back.
    order.vendor_data.pop("drip", None)
    emitted = translate.order_to_drip(order)
    for key in ("amount", "tax", "fees", "discount"):
        assert emitted.get(key) == original.get(key)
    for emitted_item, item in zip(emitted.get("items", []), drip_items, strict=True):
        for key in ("amount", "price", "tax", "fees", "discount"):
            assert emitted_item.get(key) == item.get(key)


def _money(minor_units: int, currency: str) -> order_pb2.Money:
    amount = _in_major_units(minor_units, currency)
    units = int(amount)
    return order_pb2.Money(currency_code=currency, units=units, nanos=int((amount - units) * 10**9))


@st.composite
def canonical_orders(draw: st.DrawFn) -> tuple[order_pb2.Order, dict[str, Any]]:
    """A canonical order from anywhere, with the minor units it was built from."""
    currency = draw(st.sampled_from(sorted(EXPONENTS)))
    total = draw(cents)
    line_totals = draw(st.lists(st.one_of(st.none(), cents), max_size=4))
    order = order_pb2.Order(
        currency_code=currency,
        order_number=draw(texts),
        source=draw(texts),
        lifecycle_state=draw(st.sampled_from(order_pb2.LifecycleState.keys())),
        payment_state=draw(st.sampled_from(order_pb2.PaymentState.keys())),
        fulfillment_state=draw(st.sampled_from(order_pb2.FulfillmentState.keys())),
        permalink=draw(texts | urls),
        customer=order_pb2.Customer(email=draw(emails)),
    )
    order.total.CopyFrom(_money(total, currency))
    if draw(st.booleans()):
        order.cancel_time.FromDatetime(draw(moments).astimezone(UTC).replace(tzinfo=None))
    if draw(st.booleans()):
        order.billing_address.name.given_name = draw(texts)
        order.billing_address.name.family_name = draw(texts)
        order.billing_address.country_code = draw(texts)
    for line_total in line_totals:
        line = order.line_items.add(quantity=draw(st.integers(0, 100)), name=draw(texts))
        line.product.image_urls.extend(draw(st.lists(texts | urls, max_size=2)))
        if line_total is None:
            line.unit_price.CopyFrom(_money(draw(cents), currency))
        else:
            line.total.CopyFrom(_money(line_total, currency))
    return order, {"amount": total, "line_totals": line_totals}


@PROPERTY_SETTINGS
@given(canonical_orders())
def test_any_canonical_order_becomes_a_valid_drip_order_with_the_same_money(
    built: tuple[order_pb2.Order, dict[str, Any]],
) -> None:
    order, minor_units = built

    payload = translate.order_to_drip(order)

    models.DripOrder.model_validate(payload)
    assert payload["amount"] == minor_units["amount"]
    assert payload["currency_code"] == order.currency_code
    for item, line_total in zip(payload.get("items", []), minor_units["line_totals"], strict=True):
        if line_total is not None:
            assert item["amount"] == line_total
    # What Drip was told reads back and is written again unchanged.
    assert translate.order_to_drip(translate.order_from_drip(payload)) == payload


refunds = st.fixed_dictionaries(
    {
        "provider": st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
        "order_upstream_id": st.text(
            alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12
        ),
        "amount": cents,
    },
    optional={
        "upstream_id": st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1),
        "note": st.text(min_size=1, max_size=20),
        "processed_by": st.text(min_size=1, max_size=20),
        # Refunds have no residue (orderbridge.v1 Refund has no vendor data): their times are
        # exact in Drip's own form, whole UTC seconds with a Z.
        "processed_at": st.builds(_iso8601, moments, st.just(0)),
    },
)


@PROPERTY_SETTINGS
@given(refunds, st.sampled_from(sorted(EXPONENTS)))
def test_any_drip_refund_round_trips_with_its_money(
    original: dict[str, Any], currency: str
) -> None:
    order_ref, refund = translate.refund_from_drip(original, currency)

    assert _amount(refund.amount) == _in_major_units(original["amount"], currency)
    assert refund.amount.currency_code == currency
    assert translate.refund_to_drip(order_ref, refund) == original
