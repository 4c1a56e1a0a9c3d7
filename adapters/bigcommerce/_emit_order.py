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
    fees_of,
    json_count,
    number_or,
    product_object,
    shipment_object,
    shipping_address_object,
)
from adapters.bigcommerce._states import payment_status_of
from adapters.times import format_rfc2822


def _time_text(order: order_pb2.Order, *fields: str) -> str:
    for field in fields:
        if order.HasField(field):
            return format_rfc2822(getattr(order, field))
    return ""


def _date_modified(order: order_pb2.Order, *, keep_vendor_date_modified: bool) -> str:
    """date_modified: when the order last changed in this service, whichever door changed it.

    A poller asking for `min_date_modified` must see every order changed since (the spec's
    GET /v2/orders filter), so the door writes `update_time`. BigCommerce's own date_modified
    (`vendor_update_time`) is kept only when asked: BigCommerce reading its own order back
    offline. An order never stored (offline translation) has only the vendor's time.
    """
    if keep_vendor_date_modified:
        return _time_text(order, "vendor_update_time", "update_time")
    return _time_text(order, "update_time", "vendor_update_time")


def _order_amounts(emit: Emitter) -> dict[str, str]:
    """The order's money fields as BigCommerce strings."""
    return {key: emit.money(value) for key, value in amounts_of(emit.order).items()}


def _ip_addresses(ip_address: str) -> dict[str, str]:
    # Only one of the two is set: "Setting the `ip_address` value will reset the
    # `ip_address_v6` value and vice versa" (order_Shared).
    if ":" in ip_address:
        return {"ip_address": "", "ip_address_v6": ip_address}
    return {"ip_address": ip_address, "ip_address_v6": ""}


def order_fields(
    emit: Emitter, status_id: int, status: str, *, keep_vendor_date_modified: bool
) -> dict[str, Any]:
    """The order object's own fields: `products` and `shipping_addresses` are empty (filled by
    emitted_order), `fees` and `shipments` left out; run in the EXACT decimal context."""
    order = emit.order
    payment = order.payments[0] if order.payments else order_pb2.Payment()
    if order.line_items:
        items_total = sum(line.quantity for line in order.line_items)
        items_shipped = sum(line.quantity_shipped for line in order.line_items)
    else:
        items_total = sum(d.items_total for d in order.shipping_destinations)
        items_shipped = sum(d.items_shipped for d in order.shipping_destinations)
    amounts = _order_amounts(emit)
    billing = billing_address(order)
    billing["form_fields"] = []
    one = Decimal(1)
    fields: dict[str, Any] = {
        "id": emit.order_id,
        "customer_id": emit.customer_id,
        "date_created": _time_text(order, "place_time", "create_time"),
        "date_modified": _date_modified(order, keep_vendor_date_modified=keep_vendor_date_modified),
        "date_shipped": _time_text(order, "close_time"),
        "status_id": status_id,
        "status": status,
        "subtotal_ex_tax": amounts["subtotal_ex_tax"],
        "subtotal_inc_tax": amounts["subtotal_inc_tax"],
        "subtotal_tax": amounts["subtotal_tax"],
        "base_shipping_cost": amounts["base_shipping_cost"],
        "shipping_cost_ex_tax": amounts["shipping_cost_ex_tax"],
        "shipping_cost_inc_tax": amounts["shipping_cost_inc_tax"],
        "shipping_cost_tax": amounts["shipping_cost_tax"],
        "shipping_cost_tax_class_id": 0,
        "base_handling_cost": amounts["base_handling_cost"],
        "handling_cost_ex_tax": amounts["handling_cost_ex_tax"],
        "handling_cost_inc_tax": amounts["handling_cost_inc_tax"],
        "handling_cost_tax": amounts["handling_cost_tax"],
        "handling_cost_tax_class_id": 0,
        "base_wrapping_cost": amounts["base_wrapping_cost"],
        "wrapping_cost_ex_tax": amounts["wrapping_cost_ex_tax"],
        "wrapping_cost_inc_tax": amounts["wrapping_cost_inc_tax"],
        "wrapping_cost_tax": amounts["wrapping_cost_tax"],
        "wrapping_cost_tax_class_id": 0,
        "total_ex_tax": amounts["total_ex_tax"],
        "total_inc_tax": amounts["total_inc_tax"],
        "total_tax": amounts["total_tax"],
        "is_tax_inclusive_pricing": False,
        "items_total": json_count(items_total),
        "items_shipped": json_count(items_shipped),
        "payment_method": payment.method,
        "payment_provider_id": payment.provider_transaction_id,
        "payment_status": payment_status_of(order),
        "refunded_amount": amounts["refunded_amount"],
        "order_is_digital": order.digital,
        "store_credit_amount": amounts["store_credit_amount"],
        "gift_certificate_amount": amounts["gift_certificate_amount"],
        **_ip_addresses(order.ip_address),
        "geoip_country": order.geoip_country,
        "geoip_country_iso2": order.geoip_country_code,
        "currency_id": 1,
        "currency_code": order.currency_code,
        # "For orders created using the V2 endpoints, this value is always 1" (order_RespOnly).
        "currency_exchange_rate": format_rate(one, emit.money_format),
        "default_currency_id": 1,
        "default_currency_code": order.currency_code,
        "staff_notes": order.staff_notes,
        "customer_message": order.customer_message,
        "discount_amount": amounts["discount_amount"],
        "coupon_discount": amounts["coupon_discount"],
        "shipping_address_count": len(order.shipping_destinations),
        # "Otherwise, the value will be `0`" (order_Shared.ebay_order_id).
        "ebay_order_id": "0",
        "cart_id": order.cart_id,
        "billing_address": billing,
        "is_email_opt_in": order.customer.email_opt_in,
        "credit_card_type": None,
        # Orders created through the API have order_source "external" (the orders guide).
        "order_source": order.source or "external",
        # "The channel_id defaults to 1" (order_Shared).
        "channel_id": number_or(order.channel, 1),
        "external_source": order.external_source or None,
        "products": [],
        "shipping_addresses": [],
        "coupons": emit.link(f"/orders/{emit.order_id}/coupons"),
        "external_id": None,
        "external_merchant_id": None,
        "tax_provider_id": "",
        "store_default_currency_code": "",
        "store_default_to_transactional_exchange_rate": format_rate(one, emit.money_format),
        "custom_status": status,
        "customer_locale": order.customer.locale,
        "external_order_id": "",
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
