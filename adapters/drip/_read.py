"""Drip models → canonical: the order's and refund's parts and the residue of what they do not
map; pure, never renders a Drip payload (it spells single values as _emit's leaf functions do)."""

# Raises only TranslationError, naming the Drip field ("items[2].amount"). Validation is
# errors.validated; the states are chosen by translate.states_from_drip.

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from google.protobuf import struct_pb2
from orderbridge.v1 import order_pb2

from adapters.codec import ABSENT, Path, Residue
from adapters.drip._emit import (
    drip_address,
    drip_time,
    json_cents,
    json_from_struct,
    snake_case,
)
from adapters.drip.catalogs import (
    DEFAULT_CURRENCY,
    DEFAULT_PROVIDER,
    REF_SOURCE_PREFIX,
    SERVER_ASSIGNED_FIELDS,
)
from adapters.drip.models import DripAddress, DripItem, DripOrder, DripRefund
from adapters.errors import TranslationError
from adapters.money import money_from_minor_units
from adapters.times import parse_iso8601

# (lifecycle, payment, fulfillment, native status), as translate.states_from_drip gives them.
DripStates = tuple[Any, Any, Any, order_pb2.NativeStatus]


# ---------------------------------------------------------------------------------------------
# Values: money, names, free-form properties


def _money(cents: int, currency_code: str, field: str) -> order_pb2.Money:
    """The Money of an amount in cents, or a range_error on `field` when Money cannot hold it."""
    try:
        return money_from_minor_units(cents, currency_code)
    except TranslationError as error:
        # Money units are 64-bit (google.type.Money); _errors.md: "range_error: A numeric value
        # is out of range".
        raise TranslationError(field, f"is out of range: {error.reason}", "range") from None


def _person_name(
    full: str | None, first: str | None, last: str | None
) -> order_pb2.PersonName | None:
    if not (full or first or last):
        return None
    name = order_pb2.PersonName(
        full_name=full or "", given_name=first or "", family_name=last or ""
    )
    if full and not (first or last):
        # Only the whole name was sent: the first word is the given name, the rest the family
        # name ("Ludwig van Beethoven" → "Ludwig" / "van Beethoven").
        given, _, family = full.strip().partition(" ")
        name.given_name, name.family_name = given, family.strip()
    return name


def _set_struct_value(target: struct_pb2.Value, value: Any) -> None:
    if value is None:
        target.null_value = struct_pb2.NULL_VALUE
    elif isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, int | Decimal):
        _set_struct_number(target, value)
    elif isinstance(value, str):
        target.string_value = value
    elif isinstance(value, Mapping):
        target.struct_value.SetInParent()
        for key, item in value.items():
            _set_struct_value(target.struct_value.fields[str(key)], item)
    elif isinstance(value, list):
        target.list_value.SetInParent()
        for item in value:
            _set_struct_value(target.list_value.values.add(), item)
    else:
        target.string_value = str(value)


def _set_struct_number(target: struct_pb2.Value, value: int | Decimal) -> None:
    # A Struct number is a double; the exact JSON text, where a double cannot carry it, rides in
    # the residue. Numbers a double cannot hold at all are kept as their text.
    try:
        as_double = float(value)
    except OverflowError:
        target.string_value = str(value)
        return
    if as_double in {float("inf"), float("-inf")}:
        target.string_value = str(value)
    else:
        target.number_value = as_double


def _struct_from_json(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    for key, value in properties.items():
        _set_struct_value(struct.fields[key], value)
    return struct


def _text(value: str | int | None) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# The order's parts


def _address_from_drip(address: DripAddress) -> order_pb2.Address:
    result = order_pb2.Address(
        company=_text(address.company),
        line1=_text(address.address_1),
        line2=_text(address.address_2),
        city=_text(address.city),
        region=_text(address.state),
        postal_code=_text(address.zip),
        country=_text(address.country),
        email=_text(address.email),
    )
    name = _person_name(address.name, address.first_name, address.last_name)
    if name is not None:
        result.name.CopyFrom(name)
    if address.phone:
        result.phone.number = address.phone
    return result


def _product_from_drip(item: DripItem) -> order_pb2.Product | None:
    product = order_pb2.Product(
        id=_text(item.product_id),
        upstream_id=_text(item.upstream_product_id),
        upstream_variant_id=_text(item.upstream_product_variant_id),
        variant_id=_text(item.product_variant_id),
        url=_text(item.product_url),
        brand=_text(item.brand),
    )
    for category in item.categories or []:
        product.categories.add(name=category)
    if item.image_url:
        product.image_urls.append(item.image_url)
    return product if product.ByteSize() else None


def _line_item_from_drip(item: DripItem, currency_code: str) -> order_pb2.LineItem:
    line = order_pb2.LineItem(
        id=_text(item.id),
        sku=_text(item.sku),
        name=item.name,
        # _orders.md: quantity "if omitted, defaults to 1".
        quantity=1 if item.quantity is None else item.quantity,
        upstream_id=_text(item.upstream_id),
        taxable=bool(item.taxable),
    )
    line.total.CopyFrom(_money(item.amount, currency_code, "amount"))
    optional_amounts = {
        "unit_price": ("price", item.price),
        "tax": ("tax", item.tax),
        "fees": ("fees", item.fees),
        "discount": ("discount", item.discount),
    }
    for field, (drip_field, cents) in optional_amounts.items():
        if cents is not None:
            getattr(line, field).CopyFrom(_money(cents, currency_code, drip_field))
    product = _product_from_drip(item)
    if product is not None:
        line.product.CopyFrom(product)
    if item.properties is not None:
        line.properties.CopyFrom(_struct_from_json(item.properties))
    return line


def _subscriber_id(drip_order: DripOrder) -> str:
    if drip_order.links is not None:
        # The order object: `id` is the order record's own id; the subscriber is linked.
        return _text(drip_order.links.subscriber)
    return _text(drip_order.id)  # a request element: `id` is the subscriber's Drip id


# ---------------------------------------------------------------------------------------------
# Orders and refunds


def canonical_order(drip_order: DripOrder, states: DripStates) -> order_pb2.Order:
    """The canonical order of a validated Drip order in the given states (no residue)."""
    currency = (drip_order.currency_code or DEFAULT_CURRENCY).upper()
    order = order_pb2.Order(
        currency_code=currency,
        source=_text(drip_order.provider),
        order_number=_text(drip_order.identifier),
        permalink=_text(drip_order.permalink),
    )
    if drip_order.provider and drip_order.upstream_id is not None:
        order.external_refs.add(
            source=REF_SOURCE_PREFIX + drip_order.provider, id=str(drip_order.upstream_id)
        )
    order.total.CopyFrom(_money(drip_order.amount, currency, "amount"))
    optional_totals = {
        "tax_total": ("tax", drip_order.tax),
        "fee_total": ("fees", drip_order.fees),
        "discount_total": ("discount", drip_order.discount),
    }
    for field, (drip_field, cents) in optional_totals.items():
        if cents is not None:
            getattr(order, field).CopyFrom(_money(cents, currency, drip_field))
    times = {
        "place_time": ("occurred_at", drip_order.occurred_at),
        "close_time": ("closed_at", drip_order.closed_at),
        "cancel_time": ("cancelled_at", drip_order.cancelled_at),
    }
    for field, (drip_field, text) in times.items():
        if text is not None:
            getattr(order, field).CopyFrom(parse_iso8601(text, drip_field))
    lifecycle, payment, fulfillment, native = states
    order.lifecycle_state, order.payment_state, order.fulfillment_state = (
        lifecycle,
        payment,
        fulfillment,
    )
    order.native_status.CopyFrom(native)
    if drip_order.email:
        order.customer.email = drip_order.email
    subscriber_id = _subscriber_id(drip_order)
    if subscriber_id:
        order.customer.subscriber_id = subscriber_id
    if drip_order.billing_address is not None:
        order.billing_address.CopyFrom(_address_from_drip(drip_order.billing_address))
    if drip_order.shipping_address is not None:
        order.shipping_destinations.add().address.CopyFrom(
            _address_from_drip(drip_order.shipping_address)
        )
    for index, item in enumerate(drip_order.items or []):
        try:
            order.line_items.append(_line_item_from_drip(item, currency))
        except TranslationError as error:
            raise error.under(f"items[{index}]") from None
    if drip_order.properties is not None:
        order.properties.CopyFrom(_struct_from_json(drip_order.properties))
    return order


def canonical_refund(
    drip_refund: DripRefund, currency_code: str
) -> tuple[order_pb2.ExternalRef, order_pb2.Refund]:
    """The refunded order's reference and the canonical refund of a validated Drip refund."""
    order_ref = order_pb2.ExternalRef(
        source=REF_SOURCE_PREFIX + drip_refund.provider, id=str(drip_refund.order_upstream_id)
    )
    result = order_pb2.Refund(
        upstream_id=_text(drip_refund.upstream_id),
        note=_text(drip_refund.note),
        processed_by=_text(drip_refund.processed_by),
    )
    currency = (currency_code or DEFAULT_CURRENCY).upper()
    result.amount.CopyFrom(_money(drip_refund.amount, currency, "amount"))
    if drip_refund.processed_at is not None:
        result.refund_time.CopyFrom(parse_iso8601(drip_refund.processed_at, "processed_at"))
    return order_ref, result


# ---------------------------------------------------------------------------------------------
# The residue: what the mapping did not consume, and Drip's spelling where _emit writes otherwise

# The keys each object's mapping consumes; anything else in the object is kept as it came. The
# order object's `id` (the record's) and `links` are server-assigned: consumed and never kept.
ORDER_KEYS = frozenset(DripOrder.model_fields)
ITEM_KEYS = frozenset(DripItem.model_fields)
ADDRESS_KEYS = frozenset(DripAddress.model_fields)
_ORDER_CENTS = ("amount", "tax", "fees", "discount")
_ORDER_DERIVED = frozenset({"id", "provider", "upstream_id", "currency_code"})
_ITEM_CENTS = ("amount", "price", "tax", "fees", "discount")
_ITEM_IDS = (
    "id", "product_id", "sku", "upstream_id", "upstream_product_id",
    "upstream_product_variant_id", "product_variant_id",
)  # fmt: skip
# Whole seconds in UTC with a Z, as _emit writes times ("2013-06-21T10:31:58Z", _orders.md).
_WRITTEN_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def note_order(
    drip_order: DripOrder, raw: Mapping[str, Any], order: order_pb2.Order, residue: Residue
) -> None:
    """Tells `residue` what of the order (`raw`, as validated) the mapping did not consume and
    how Drip spelled what it did, where _emit writes it otherwise."""
    residue.keep_unconsumed(raw, ORDER_KEYS, ())
    view = as_request_element(raw)
    # Noted below: what _emit writes for these depends on more than their own value.
    residue.note_empties(view, (), skip=_ORDER_DERIVED)
    subscriber = order.customer.subscriber_id
    residue.note(view, "id", subscriber or ABSENT, ())
    provider, upstream_id = _written_provider_and_upstream_id(drip_order, order)
    residue.note(view, "provider", provider, ())
    residue.note(view, "upstream_id", upstream_id, ())
    if drip_order.identifier is not None:
        residue.note(view, "identifier", order.order_number or ABSENT, ())
    for key in _ORDER_CENTS:
        _note_cents(residue, view, key, ())
    residue.note(view, "currency_code", order.currency_code, ())
    if drip_order.properties is not None:
        residue.note(view, "properties", json_from_struct(order.properties), ())
    for key, field in (
        ("occurred_at", "place_time"),
        ("closed_at", "close_time"),
        ("cancelled_at", "cancel_time"),
    ):
        _note_time(residue, view, key, getattr(order, field), ())
    for key, address in (
        ("billing_address", order.billing_address),
        (
            "shipping_address",
            order.shipping_destinations[0].address if order.shipping_destinations else None,
        ),
    ):
        if isinstance(view.get(key), dict) and address is not None:
            _note_address(residue, view[key], address, (key,))
    raw_items = view.get("items") or []
    if "items" in view and view["items"] == []:
        residue.spell(("items",), ABSENT, [])
    for index, line in enumerate(order.line_items):
        _note_item(residue, raw_items[index], line, ("items", index))


def as_request_element(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """The order as a request element, which _emit writes: the order object's read-only `id`
    (Drip's record id) and `links` are server-assigned, and a request's `id` is the subscriber's."""
    links = raw.get("links")
    if not isinstance(links, dict):
        return raw
    request = {key: value for key, value in raw.items() if key not in SERVER_ASSIGNED_FIELDS}
    if links.get("subscriber") is not None:
        request["id"] = links["subscriber"]
    return request


def _written_provider_and_upstream_id(
    drip_order: DripOrder, order: order_pb2.Order
) -> tuple[str, Any]:
    # As _emit._provider_and_upstream_id: the Drip reference when the order has one, else the
    # snake-cased source (or the default provider) and the order number.
    if drip_order.provider and drip_order.upstream_id is not None:
        return drip_order.provider, str(drip_order.upstream_id) or ABSENT
    provider = snake_case(order.source) or DEFAULT_PROVIDER
    return provider, order.order_number or ABSENT


def _note_cents(residue: Residue, raw: Mapping[str, Any], key: str, path: Path) -> None:
    value = raw.get(key)
    if value is not None and type(value) is not int:  # 4900.0: written as the integer 4900
        residue.note(raw, key, json_cents(int(value)), path)


def _note_time(residue: Residue, raw: Mapping[str, Any], key: str, stamp: Any, path: Path) -> None:
    value = raw.get(key)
    if value is None or _WRITTEN_TIME.fullmatch(value):
        return  # empties are noted on their own; the rest is already in _emit's form
    residue.note(raw, key, drip_time(stamp), path)


def _note_address(
    residue: Residue, raw: Mapping[str, Any], address: order_pb2.Address, path: Path
) -> None:
    residue.keep_unconsumed(raw, ADDRESS_KEYS, path)
    # _emit writes all twelve keys, each its text or null; the name from whichever parts came.
    for key, written in drip_address(address).items():
        residue.note(raw, key, written, path)


def _note_item(
    residue: Residue, raw: Mapping[str, Any], line: order_pb2.LineItem, path: Path
) -> None:
    residue.keep_unconsumed(raw, ITEM_KEYS, path)
    residue.note_empties(raw, path, skip=frozenset({"quantity"}))
    for key in _ITEM_IDS:
        value = raw.get(key)
        if value is not None and type(value) is not str:
            residue.note(raw, key, str(value), path)
    for key in _ITEM_CENTS:
        _note_cents(residue, raw, key, path)
    if type(raw.get("quantity")) is not int:  # absent or null: 1 (_orders.md); 2.0: 2
        residue.note(raw, "quantity", int(line.quantity), path)
    if raw.get("taxable") is False:  # proto3 cannot tell false from unset: _emit writes nothing
        residue.spell((*path, "taxable"), ABSENT, False)
    if raw.get("properties") is not None:
        residue.note(raw, "properties", json_from_struct(line.properties), path)
    if raw.get("categories") == []:
        residue.spell((*path, "categories"), ABSENT, [])
