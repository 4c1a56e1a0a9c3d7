"""Drip models → canonical: the order's and refund's parts; pure, never writes Drip JSON."""

# Raises only TranslationError, naming the Drip field ("items[2].amount"). Validation is
# errors.validated; the states are chosen by translate.states_from_drip.

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from google.protobuf import struct_pb2
from orderbridge.v1 import order_pb2

from adapters.drip.catalogs import DEFAULT_CURRENCY, REF_SOURCE_PREFIX
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
