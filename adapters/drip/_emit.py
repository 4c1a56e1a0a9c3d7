"""Canonical → Drip JSON: order and refund elements; pure, never reads Drip JSON or residue."""

# Raises only TranslationError, naming the Drip field ("items[2].price"). The states are chosen
# by translate.drip_states_for; the residue and the final validation are translate's.

import re
from decimal import Decimal
from typing import Any

from google.protobuf import struct_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.drip.catalogs import DEFAULT_CURRENCY, DEFAULT_PROVIDER, REF_SOURCE_PREFIX
from adapters.drip.models import is_drip_email, is_drip_url
from adapters.errors import TranslationError
from adapters.money import minor_units_from_money
from adapters.times import format_iso8601

_NOT_SNAKE_CASE = re.compile(r"[^a-z0-9]+")
# adapters.jsonvalues (orjson) writes integers of 64 bits as JSON integers; a larger count of
# cents (a 64-bit unit price in fils, a line's price × quantity) is written from its exact
# Decimal text, still a JSON integer, which Drip's "in cents" integers (_orders.md) allow.
_INT64 = range(-(2**63), 2**63)


# ---------------------------------------------------------------------------------------------
# Values: money, times, names, free-form properties


def _cents(money: order_pb2.Money, currency_code: str, field: str) -> int:
    """Minor units of an amount in the order's currency; finer amounts cannot go to Drip."""
    money_currency = str(money.currency_code).upper()
    if money_currency and money_currency != currency_code:
        raise TranslationError(field, f"is in {money_currency}, the order is in {currency_code}")
    in_order_currency = order_pb2.Money(
        currency_code=currency_code, units=money.units, nanos=money.nanos
    )
    return minor_units_from_money(in_order_currency, field)


def json_cents(cents: int) -> int | Decimal:
    """A number of cents as a JSON integer; beyond 64 bits from its exact Decimal (see _INT64)."""
    return cents if cents in _INT64 else Decimal(cents)


def drip_time(stamp: timestamp_pb2.Timestamp) -> str:
    # Drip's examples write whole seconds in UTC with a Z: "2013-06-21T10:31:58Z".
    return format_iso8601(stamp, milliseconds=False)


def _whole_name(name: order_pb2.PersonName) -> str:
    if name.full_name:
        return str(name.full_name)
    parts = (name.given_name, name.middle_name, name.family_name)
    return " ".join(str(part) for part in parts if part)


def _json_from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        number = float(value.number_value)
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return Decimal(repr(number))  # the shortest text that reads back as the same double
    if kind == "string_value":
        return str(value.string_value)
    if kind == "bool_value":
        return bool(value.bool_value)
    if kind == "struct_value":
        return json_from_struct(value.struct_value)
    if kind == "list_value":
        return [_json_from_value(item) for item in value.list_value.values]
    return None


def json_from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return {str(key): _json_from_value(struct.fields[key]) for key in struct.fields}


def snake_case(text: str) -> str:
    # _orders.md: provider is "in lower snake cased form. For example, shopify or my_store".
    return _NOT_SNAKE_CASE.sub("_", text.lower()).strip("_")


# ---------------------------------------------------------------------------------------------
# The order's parts


def _cancelled_at(order: order_pb2.Order) -> str | None:
    cancelled = order.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED or (
        order.lifecycle_state == order_pb2.LIFECYCLE_STATE_UNSPECIFIED
        and order.HasField("cancel_time")
    )
    if not cancelled:
        return None
    # Drip says "cancelled" only with a time; without a cancel time the latest known one is
    # the closest.
    for field in ("cancel_time", "vendor_update_time", "update_time", "place_time"):
        if order.HasField(field):
            return drip_time(getattr(order, field))
    return None


def _provider_and_upstream_id(order: order_pb2.Order) -> tuple[str, str | None]:
    drip_refs = [
        ref
        for ref in order.external_refs
        if ref.source.startswith(REF_SOURCE_PREFIX) and len(ref.source) > len(REF_SOURCE_PREFIX)
    ]
    own = [ref for ref in drip_refs if ref.source == REF_SOURCE_PREFIX + order.source]
    for ref in own or drip_refs:
        return str(ref.source)[len(REF_SOURCE_PREFIX) :], str(ref.id)
    provider = snake_case(str(order.source)) or DEFAULT_PROVIDER
    order_id = str(order.name).rsplit("/", 1)[-1]
    return provider, str(order.order_number) or order_id or None


def _subscriber_email(order: order_pb2.Order) -> str | None:
    candidates = [order.customer.email]
    if not order.customer.subscriber_id:
        # Drip needs "either email or id"; the addressee's e-mail is the closest stand-in.
        candidates += [order.billing_address.email]
        candidates += [destination.address.email for destination in order.shipping_destinations]
    for candidate in candidates:
        if is_drip_email(str(candidate)):
            return str(candidate)
    return None


def drip_address(address: order_pb2.Address) -> dict[str, Any]:
    fields = {
        "name": _whole_name(address.name),
        "first_name": address.name.given_name,
        "last_name": address.name.family_name,
        "company": address.company,
        "address_1": address.line1,
        "address_2": address.line2,
        "city": address.city,
        "state": address.region,
        "zip": address.postal_code,
        "country": address.country or address.country_code,
        "phone": address.phone.number,
        "email": address.email,
    }
    # Drip's examples send every key; an empty one is null (the docs' "address_2": "null").
    return {key: (str(value) if value else None) for key, value in fields.items()}


def _item_amount(line: order_pb2.LineItem, currency_code: str, field: str) -> int:
    if line.HasField("total"):
        return _cents(line.total, currency_code, f"{field}.amount")
    # No line total (some vendors leave it out): price × quantity less the discount.
    price = _cents(line.unit_price, currency_code, f"{field}.price")
    discount = _cents(line.discount, currency_code, f"{field}.discount")
    return price * int(line.quantity) - discount


def _item_name(line: order_pb2.LineItem, index: int) -> str:
    for candidate in (line.name, line.product.name, line.sku, line.product.id):
        if str(candidate).strip():
            return str(candidate)
    return f"Item {index + 1}"  # _orders.md: an item's name is required


def _drip_item(line: order_pb2.LineItem, index: int, currency_code: str) -> dict[str, Any]:
    field = f"items[{index}]"
    product = line.product
    item: dict[str, Any] = {}
    if line.id:
        item["id"] = str(line.id)
    if product.id:
        item["product_id"] = str(product.id)
    if line.sku:
        item["sku"] = str(line.sku)
    item["amount"] = json_cents(_item_amount(line, currency_code, field))
    item["name"] = _item_name(line, index)
    item["quantity"] = int(line.quantity)
    for key, value in (
        ("upstream_id", line.upstream_id),
        ("upstream_product_id", product.upstream_id),
        ("upstream_product_variant_id", product.upstream_variant_id),
    ):
        if value:
            item[key] = str(value)
    for key, money_field in (
        ("price", "unit_price"),
        ("tax", "tax"),
        ("fees", "fees"),
        ("discount", "discount"),
    ):
        if line.HasField(money_field):
            item[key] = json_cents(
                _cents(getattr(line, money_field), currency_code, f"{field}.{key}")
            )
    if line.taxable:
        item["taxable"] = True  # unset and false look alike in proto3; false rides in the residue
    if line.HasField("properties"):
        item["properties"] = json_from_struct(line.properties)
    if product.variant_id:
        item["product_variant_id"] = str(product.variant_id)
    if product.categories:
        item["categories"] = [str(entry.name or entry.id) for entry in product.categories]
    if is_drip_url(str(product.url)):
        item["product_url"] = str(product.url)
    images = [str(url) for url in product.image_urls if is_drip_url(str(url))]
    if images:
        item["image_url"] = images[0]  # Drip keeps one image per item
    if product.brand:
        item["brand"] = str(product.brand)
    return item


def _order_amount(order: order_pb2.Order, currency: str, items: list[dict[str, Any]]) -> int:
    if order.HasField("total"):
        return _cents(order.total, currency, "amount")
    # _orders.md: amount is required; without a grand total the items are the closest.
    return sum(int(item["amount"]) for item in items)


# ---------------------------------------------------------------------------------------------
# Orders and refunds


def emitted_order(
    order: order_pb2.Order, financial_state: str | None, fulfillment_state: str | None
) -> dict[str, Any]:
    """The Drip order element for the canonical fields alone (no residue applied)."""
    currency = str(order.currency_code or order.total.currency_code or DEFAULT_CURRENCY).upper()
    items = [_drip_item(line, index, currency) for index, line in enumerate(order.line_items)]
    provider, upstream_id = _provider_and_upstream_id(order)
    payload: dict[str, Any] = {}
    email = _subscriber_email(order)
    if email is not None:
        payload["email"] = email
    if order.customer.subscriber_id:
        payload["id"] = str(order.customer.subscriber_id)
    payload["provider"] = provider
    if upstream_id:
        payload["upstream_id"] = upstream_id
    if order.order_number:
        payload["identifier"] = str(order.order_number)
    payload["amount"] = json_cents(_order_amount(order, currency, items))
    for key, field in (("tax", "tax_total"), ("fees", "fee_total"), ("discount", "discount_total")):
        if order.HasField(field):
            payload[key] = json_cents(_cents(getattr(order, field), currency, key))
    if is_drip_url(str(order.permalink)):
        payload["permalink"] = str(order.permalink)
    payload["currency_code"] = currency
    if order.HasField("properties"):
        payload["properties"] = json_from_struct(order.properties)
    if order.HasField("place_time"):
        payload["occurred_at"] = drip_time(order.place_time)
    if order.HasField("close_time"):
        payload["closed_at"] = drip_time(order.close_time)
    cancelled_at = _cancelled_at(order)
    if cancelled_at is not None:
        payload["cancelled_at"] = cancelled_at
    if financial_state is not None:
        payload["financial_state"] = financial_state
    if fulfillment_state is not None:
        payload["fulfillment_state"] = fulfillment_state
    if order.HasField("billing_address"):
        payload["billing_address"] = drip_address(order.billing_address)
    shipping = [dest.address for dest in order.shipping_destinations if dest.HasField("address")]
    if shipping:
        payload["shipping_address"] = drip_address(shipping[0])  # Drip ships to one address
    if items:
        payload["items"] = items
    return payload


def emitted_refund(order_ref: order_pb2.ExternalRef, refund: order_pb2.Refund) -> dict[str, Any]:
    """The Drip refund element for a canonical refund of the order `order_ref` names."""
    source = str(order_ref.source)
    if source.startswith(REF_SOURCE_PREFIX) and len(source) > len(REF_SOURCE_PREFIX):
        provider = source[len(REF_SOURCE_PREFIX) :]
    else:
        provider = snake_case(source) or DEFAULT_PROVIDER
    currency = str(refund.amount.currency_code or DEFAULT_CURRENCY).upper()
    payload: dict[str, Any] = {"provider": provider, "order_upstream_id": str(order_ref.id)}
    if refund.upstream_id:
        payload["upstream_id"] = str(refund.upstream_id)
    payload["amount"] = json_cents(_cents(refund.amount, currency, "amount"))
    if refund.note:
        payload["note"] = str(refund.note)
    if refund.processed_by:
        payload["processed_by"] = str(refund.processed_by)
    if refund.HasField("refund_time"):
        payload["processed_at"] = drip_time(refund.refund_time)
    return payload
