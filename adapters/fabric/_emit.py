"""Canonical → fabric order JSON (the 200 response shape); pure, never reads fabric JSON."""

from collections.abc import Iterable
from typing import Any

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.fabric._numbers import id_value, json_amount, json_integer, json_number
from adapters.fabric.catalogs import (
    DEFAULT_SHIP_TO_TYPE,
    DOCUMENT_ID_SOURCE,
    NO_CURRENCY,
    ORDER_ID_SOURCE,
)
from adapters.times import format_iso8601


def payload_from_order(order: order_pb2.Order, status: str) -> dict[str, Any]:
    """The fabric order object for the order, its `status` chosen by the caller (translate)."""
    currency = order.currency_code or order.total.currency_code or NO_CURRENCY
    refs = {ref.source: ref.id for ref in reversed(order.external_refs)}
    payload: dict[str, Any] = {}
    if order.tags:
        payload["tags"] = list(order.tags)
    if refs.get(DOCUMENT_ID_SOURCE):
        payload["_id"] = refs[DOCUMENT_ID_SOURCE]
    channel = json_number(order.channel)
    if channel is not None:
        payload["channel"] = channel
    # orderTotal and taxTotal are required by fabric's request rules; an order without them
    # has nothing to pay, so 0 is their value.
    payload["orderTotal"] = json_amount(order.total) if order.HasField("total") else 0
    payload["taxTotal"] = json_amount(order.tax_total) if order.HasField("tax_total") else 0
    payload["orderCurrency"] = currency
    payload["status"] = status
    if order.status_message:
        payload["statusLog"] = order.status_message
    payload.update(_customer_fields(order.customer))
    order_id = refs.get(ORDER_ID_SOURCE) or order.order_number
    if order_id:
        payload["orderId"] = order_id
    payload["shipTo"] = [
        _ship_to_from_destination(destination, currency)
        for destination in order.shipping_destinations
    ]
    payload["items"] = [_item_from_line_item(line, currency) for line in order.line_items]
    # fabric keeps the bill-to on each payment. When no payment has one (an order from another
    # door), the order's billing address stands for all of them.
    shared_bill_to = (
        order.billing_address
        if not any(payment.HasField("billing_address") for payment in order.payments)
        else order_pb2.Address()
    )
    payload["payments"] = [
        _payment_to_fabric(payment, shared_bill_to, currency) for payment in order.payments
    ]
    if not order.payments and _address_to_fabric(order.billing_address):
        # seed 003: payments[].billToAddress is fabric's only bill-to. An order with a billing
        # address and no payment yet (from another door) answers a payment holding just that.
        payload["payments"] = [_payment_to_fabric(order_pb2.Payment(), shared_bill_to, currency)]
    payload["revision"] = order.revision
    payload["totalQuantity"] = json_integer(sum(line.quantity for line in order.line_items))
    _put_time(payload, "createdAt", _first_time(order, "place_time", "create_time"))
    _put_time(payload, "updatedAt", _first_time(order, "vendor_update_time", "update_time"))
    if order.cart_id:
        payload["cartId"] = order.cart_id
    if order.staff_notes:
        payload["notes"] = order.staff_notes
    return payload


def _first_time(order: order_pb2.Order, *fields: str) -> timestamp_pb2.Timestamp | None:
    """The vendor's own time when set (fabric createdAt/updatedAt), else Orderbridge's."""
    for field in fields:
        if order.HasField(field):
            stamp: timestamp_pb2.Timestamp = getattr(order, field)
            return stamp
    return None


def _customer_fields(customer: order_pb2.Customer) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if customer.id:
        fields["customerUserId"] = customer.id
    if customer.account_id:
        fields["customerAccountId"] = customer.account_id
    if customer.email:
        fields["customerEmail"] = customer.email
    phone = _phone_to_fabric(customer.phone)
    if phone:
        fields["customerPhone"] = phone
    return fields


def _ship_to_from_destination(
    destination: order_pb2.ShippingDestination, order_currency: str
) -> dict[str, Any]:
    ship_to: dict[str, Any] = {}
    address = _address_to_fabric(destination.address)
    if address:
        ship_to["address"] = address
    if destination.address.id:
        ship_to["_id"] = destination.address.id
    if destination.id:
        ship_to["shipToId"] = id_value(destination.id)
    ship_to["shipToType"] = DEFAULT_SHIP_TO_TYPE
    _put_amount(ship_to, "price", destination, "shipping_cost")
    ship_to["currency"] = _currency_of(
        (destination.shipping_cost, destination.shipping_tax, destination.total), order_currency
    )
    _put_amount(ship_to, "estimatedTax", destination, "shipping_tax")
    _put_amount(ship_to, "total", destination, "total")
    _put_text(ship_to, "taxCode", destination.tax_code)
    _put_text(ship_to, "shipmentCarrier", destination.carrier)
    _put_text(ship_to, "shipmentMethod", destination.method)
    if destination.method_id:
        ship_to["shipmentMethodId"] = id_value(destination.method_id)
    if destination.HasField("promised_delivery_time"):
        _put_time(ship_to, "promisedDeliveryDate", destination.promised_delivery_time)
    _put_text(ship_to, "shipmentInstructions", destination.instructions)
    _put_text(ship_to, "shipmentStatus", destination.shipment_status)
    return ship_to


def _item_from_line_item(line: order_pb2.LineItem, order_currency: str) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put_text(item, "_id", line.id)
    if line.line_number:
        item["lineItemId"] = id_value(line.line_number)
    if line.product.id:
        item["itemId"] = id_value(line.product.id)
    if line.sku:
        item["sku"] = id_value(line.sku)
    _put_text(item, "title", line.name or line.product.name)
    item["quantity"] = line.quantity
    _put_amount(item, "price", line, "unit_price")
    _put_amount(item, "discount", line, "discount")
    item["currency"] = _currency_of((line.unit_price, line.tax, line.total), order_currency)
    if line.destination_id:
        item["shipToId"] = id_value(line.destination_id)
    _put_amount(item, "estimatedTax", line, "tax")
    _put_amount(item, "total", line, "total")
    _put_text(item, "taxCode", line.tax_code)
    return item


def _payment_to_fabric(
    payment: order_pb2.Payment, shared_bill_to: order_pb2.Address, order_currency: str
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    address = _address_to_fabric(
        payment.billing_address if payment.HasField("billing_address") else shared_bill_to
    )
    if address:
        result["billToAddress"] = address
    if payment.destination_ids:
        result["shipToId"] = [id_value(text) for text in payment.destination_ids]
    _put_text(result, "_id", payment.id)
    if payment.billing_address_id:
        result["billToId"] = id_value(payment.billing_address_id)
    if payment.card_last4:
        result["paymentIdentifier"] = {"cardIdentifier": id_value(payment.card_last4)}
    _put_text(result, "paymentMethod", payment.method)
    _put_text(result, "paymentKind", payment.kind)
    _put_amount(result, "amount", payment, "amount")
    result["currency"] = _currency_of((payment.amount,), order_currency)
    conversion = json_number(payment.conversion_rate)
    if conversion is not None:
        result["conversion"] = conversion
    _put_text(result, "paymentStatus", payment.status)
    return result


def _address_to_fabric(address: order_pb2.Address) -> dict[str, Any]:
    result: dict[str, Any] = {}
    name = _name_to_fabric(address.name)
    if name:
        result["name"] = name
    phone = _phone_to_fabric(address.phone)
    if phone:
        result["phone"] = phone
    _put_text(result, "email", address.email)
    _put_text(result, "street1", address.line1)
    _put_text(result, "street2", address.line2)
    _put_text(result, "city", address.city)
    _put_text(result, "state", address.region)
    _put_text(result, "country", address.country or address.country_code)
    if address.postal_code:
        result["zipCode"] = id_value(address.postal_code)
    _put_text(result, "kind", address.kind)
    return result


def _name_to_fabric(name: order_pb2.PersonName) -> dict[str, str]:
    first, middle, last = name.given_name, name.middle_name, name.family_name
    if not (first or middle or last):
        first, middle, last = _split_full_name(name.full_name)
    parts = {"first": first, "middle": middle, "last": last}
    return {key: value for key, value in parts.items() if value}


def _split_full_name(full_name: str) -> tuple[str, str, str]:
    """ "Mark P Styler" → first "Mark", middle "P", last "Styler"; one word is a first name."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    return words[0], " ".join(words[1:-1]), words[-1]


def _phone_to_fabric(phone: order_pb2.Phone) -> dict[str, str]:
    result: dict[str, str] = {}
    _put_text(result, "number", phone.number)
    _put_text(result, "kind", phone.kind)
    return result


def _currency_of(amounts: Iterable[order_pb2.Money], order_currency: str) -> str:
    for amount in amounts:
        if amount.currency_code:
            return amount.currency_code
    return order_currency


def _put_amount(target: dict[str, Any], key: str, message: Any, field: str) -> None:
    if message.HasField(field):
        target[key] = json_amount(getattr(message, field))


def _put_text(target: dict[str, Any], key: str, value: str) -> None:
    if value:
        target[key] = value


def _put_time(target: dict[str, Any], key: str, stamp: timestamp_pb2.Timestamp | None) -> None:
    if stamp is None:
        return
    try:
        # fabric writes "2021-06-01T04:33:52.118Z" (seed 003: createdAt, promisedDeliveryDate).
        target[key] = format_iso8601(stamp, milliseconds=True)
    except (ValueError, OverflowError):  # a Timestamp outside years 1–9999 has no ISO form
        return
