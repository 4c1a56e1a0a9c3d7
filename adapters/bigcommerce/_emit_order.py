"""Canonical → BigCommerce order object: its own fields and the whole GET order; pure, never
reads vendor JSON (the sub-objects are _emit's)."""

# Field by field as order_Resp in tests/vendor_specs/bigcommerce/orders.v2.oas2.yml (order_Shared
# + order_RespOnly); the quotes are the spec's.

from decimal import Decimal
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.bigcommerce._amounts import amounts_of, format_rate
from adapters.bigcommerce._emit import (
    Emitter,
    billing_address,
    date_text,
    fees_of,
    json_count,
    number_or,
    product_object,
    shipment_object,
    shipping_address_object,
)
from adapters.bigcommerce._states import payment_status_of
from adapters.bigcommerce.catalogs import ORDER_DEFAULTS, ORDER_UNIT_RATES


def time_text(order: order_pb2.Order, *fields: str) -> str:
    """The RFC 2822 date of the first of `fields` the order has, else ""."""
    for field in fields:
        if order.HasField(field):
            return date_text(order, field)
    return ""


def date_modified_fields(*, keep_vendor_date_modified: bool) -> tuple[str, str]:
    """date_modified: when the order last changed in this service, whichever door changed it.

    A poller asking for `min_date_modified` must see every order changed since (the spec's
    GET /v2/orders filter), so the door writes `update_time`. BigCommerce's own date_modified
    (`vendor_update_time`) is kept only when asked: BigCommerce reading its own order back
    offline. An order never stored (offline translation) has only the vendor's time.
    """
    if keep_vendor_date_modified:
        return ("vendor_update_time", "update_time")
    return ("update_time", "vendor_update_time")


def ip_addresses(ip_address: str) -> dict[str, str]:
    """ip_address and ip_address_v6 of the order's one IP address."""
    # Only one of the two is set: "Setting the `ip_address` value will reset the
    # `ip_address_v6` value and vice versa" (order_Shared).
    if ":" in ip_address:
        return {"ip_address": "", "ip_address_v6": ip_address}
    return {"ip_address": ip_address, "ip_address_v6": ""}


def item_counts(order: order_pb2.Order) -> dict[str, int | Decimal]:
    """items_total and items_shipped: the lines' quantities, else the destinations' counts."""
    if order.line_items:
        items_total = sum(line.quantity for line in order.line_items)
        items_shipped = sum(line.quantity_shipped for line in order.line_items)
    else:
        items_total = sum(d.items_total for d in order.shipping_destinations)
        items_shipped = sum(d.items_shipped for d in order.shipping_destinations)
    return {"items_total": json_count(items_total), "items_shipped": json_count(items_shipped)}


def first_payment(order: order_pb2.Order) -> order_pb2.Payment:
    """The payment whose fields the order object shows (a blank one when it has none)."""
    return order.payments[0] if order.payments else order_pb2.Payment()


def unit_rate(emit: Emitter) -> str:
    """An exchange rate of 1 in the order's money format (catalogs.ORDER_UNIT_RATES)."""
    return format_rate(Decimal(1), emit.money_format)


def coupons_link(emit: Emitter) -> dict[str, str]:
    """The `{url, resource}` link of the order's coupons."""
    return emit.link(f"/orders/{emit.order_id}/coupons")


def order_fields(
    emit: Emitter, status_id: int, status: str, *, keep_vendor_date_modified: bool
) -> dict[str, Any]:
    """The order object's own fields: `products` and `shipping_addresses` are empty (filled by
    emitted_order), `fees` and `shipments` left out; run in the EXACT decimal context."""
    order = emit.order
    payment = first_payment(order)
    billing = billing_address(order)
    billing["form_fields"] = []
    modified = date_modified_fields(keep_vendor_date_modified=keep_vendor_date_modified)
    fields: dict[str, Any] = {
        "id": emit.order_id,
        "customer_id": emit.customer_id,
        "date_created": time_text(order, "place_time", "create_time"),
        "date_modified": time_text(order, *modified),
        "date_shipped": time_text(order, "close_time"),
        "status_id": status_id,
        "status": status,
        **{key: emit.money(value) for key, value in amounts_of(order).items()},
        **ORDER_DEFAULTS,
        **dict.fromkeys(ORDER_UNIT_RATES, unit_rate(emit)),
        **item_counts(order),
        "payment_method": payment.method,
        "payment_provider_id": payment.provider_transaction_id,
        "payment_status": payment_status_of(order),
        "order_is_digital": order.digital,
        **ip_addresses(order.ip_address),
        "geoip_country": order.geoip_country,
        "geoip_country_iso2": order.geoip_country_code,
        "currency_code": order.currency_code,
        "default_currency_code": order.currency_code,
        "staff_notes": order.staff_notes,
        "customer_message": order.customer_message,
        "shipping_address_count": len(order.shipping_destinations),
        "cart_id": order.cart_id,
        "billing_address": billing,
        "is_email_opt_in": order.customer.email_opt_in,
        # Orders created through the API have order_source "external" (the orders guide).
        "order_source": order.source or "external",
        # "The channel_id defaults to 1" (order_Shared).
        "channel_id": number_or(order.channel, 1),
        "external_source": order.external_source or None,
        "products": [],
        "shipping_addresses": [],
        "coupons": coupons_link(emit),
        "custom_status": status,
        "customer_locale": order.customer.locale,
    }
    if order.HasField("archive_time"):
        fields["is_deleted"] = True
    return fields


def emitted_order(
    order: order_pb2.Order,
    api_base: str,
    status_id: int,
    status: str,
    *,
    keep_vendor_date_modified: bool,
) -> dict[str, Any]:
    """The order object of translate.order_to_bigcommerce, showing the order's status
    (translate.status_of); run in the EXACT decimal context."""
    emit = Emitter(order, api_base)
    emitted = order_fields(
        emit, status_id, status, keep_vendor_date_modified=keep_vendor_date_modified
    )
    emitted["products"] = [
        product_object(emit, line, number)
        for line, number in zip(order.line_items, emit.line_numbers, strict=True)
    ]
    emitted["shipping_addresses"] = [
        shipping_address_object(emit, destination, number)
        for destination, number in zip(
            order.shipping_destinations, emit.destination_numbers, strict=True
        )
    ]
    fees = fees_of(emit)
    if fees is not None:
        emitted["fees"] = fees
    if order.shipments:
        emitted["shipments"] = [
            shipment_object(emit, shipment, index) for index, shipment in enumerate(order.shipments)
        ]
    return emitted
