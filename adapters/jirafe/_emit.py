"""Canonical → Jirafe order events (placed, accepted, cancelled); pure, never reads an event."""

# Sources: order_endpoint.md (seed 000) and the JSON Schemas in tests/vendor_specs/jirafe
# (order-placed.json, order-accepted.json, order-cancelled.json, customer.json, order-item.json,
# product.json, address.json). Every field a schema requires is written, from canonical data or
# a documented default, so that any order (from any door) gives a valid event.

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.jirafe._formats import ZERO, written_date, written_money
from adapters.jirafe.catalogs import (
    DEFAULT_LINE_STATUS,
    EPOCH_TEXT,
    LINE_STATUSES,
    NO_CURRENCY,
    VENDOR,
)


def event_from_order(order: order_pb2.Order, kind: str) -> dict[str, Any]:
    """The Jirafe event of `kind` ("placed", "accepted", "cancelled", chosen by translate)."""
    return _EVENT_WRITERS[kind](order)


def _date_text(message: Any, *fields: str) -> str | None:
    """The first of the message's Timestamp fields that is set, as Jirafe writes dates."""
    for name in fields:
        if message.HasField(name):
            stamp: timestamp_pb2.Timestamp = getattr(message, name)
            return written_date(stamp.seconds, stamp.nanos)
    return None


def _order_date(order: order_pb2.Order) -> str:
    # Also Jirafe's create_date: Order.create_time is assigned by the server, so preferring
    # place_time keeps a Jirafe round trip through the service exact.
    date = _date_text(order, "place_time", "create_time", "vendor_update_time", "update_time")
    return date or EPOCH_TEXT


def _order_number(order: order_pb2.Order) -> str:
    if order.order_number:
        return str(order.order_number)
    for ref in order.external_refs:
        if ref.source == VENDOR and ref.id:
            return str(ref.id)
    if order.serial_number:
        return str(order.serial_number)
    return str(order.name).rsplit("/", 1)[-1]


def _amount(message: Any, name: str) -> Decimal:
    """A Money field as a Jirafe JSON number; 0.0 when unset (order-accepted.json requires
    every total, order-item.json both prices)."""
    if message.HasField(name):
        money: order_pb2.Money = getattr(message, name)
        return written_money(money.units, money.nanos)
    return ZERO


def _customer_to_jirafe(order: order_pb2.Order) -> dict[str, Any]:
    customer = order.customer
    create_date = _date_or(customer, "create_time", "") or _order_date(order)
    emitted: dict[str, Any] = {
        # A guest has no id at most vendors; the e-mail is what identifies the shopper then.
        "id": customer.id or customer.email,
        "create_date": create_date,
        "change_date": _date_or(customer, "update_time", create_date),
    }
    # customer.json: every other field is optional, written only when known.
    if customer.email:
        emitted["email"] = customer.email
    name = customer.name
    if name.given_name:
        emitted["first_name"] = name.given_name
    if name.family_name:
        emitted["last_name"] = name.family_name
    if name.full_name:
        emitted["name"] = name.full_name
    if customer.phone.number:
        emitted["phone"] = customer.phone.number
    if customer.email_opt_in:
        emitted["marketing_opt_in"] = True
    return emitted


def _address_to_jirafe(address: order_pb2.Address, fallback_id: str = "") -> dict[str, Any]:
    # address.json: every field optional, written only when known.
    fields = (
        ("id", address.id or fallback_id),
        ("address1", address.line1),
        ("address2", address.line2),
        ("city", address.city),
        ("state", address.region),
        ("postalcode", address.postal_code),
        # order_endpoint.md examples send "US": the ISO 3166-1 alpha-2 code when known.
        ("country", address.country_code or address.country),
    )
    return {key: value for key, value in fields if value}


def _date_or(message: Any, name: str, default: str) -> str:
    """The message's Timestamp field `name` as Jirafe writes dates, else `default`."""
    if message.HasField(name):
        stamp: timestamp_pb2.Timestamp = getattr(message, name)
        return written_date(stamp.seconds, stamp.nanos)
    return default


def _product_to_jirafe(line: order_pb2.LineItem, fallback_id: str, date: str) -> dict[str, Any]:
    product = line.product
    product_id = product.id or line.sku or fallback_id
    create_date = _date_or(product, "create_time", date)
    # product_endpoint.md: a simple product is both is_product and is_sku; no Jirafe product is
    # neither, so a product that never said is taken as a simple one.
    is_product, is_sku = product.is_product, product.is_sku
    if not (is_product or is_sku):
        is_product = is_sku = True
    emitted: dict[str, Any] = {
        "id": product_id,
        "is_product": is_product,
        "is_sku": is_sku,
        "code": product.code or line.sku or product_id,
        "create_date": create_date,
        "change_date": _date_or(product, "update_time", create_date),
    }
    name = product.name or line.name
    if name:
        emitted["name"] = name
    if product.brand:
        emitted["brand"] = product.brand
    if product.HasField("catalog"):
        catalog = product.catalog
        catalog_name = catalog.name
        emitted["catalog"] = (
            {"id": catalog.id, "name": catalog_name} if catalog_name else {"id": catalog.id}
        )
    categories = product.categories
    if categories:
        emitted["categories"] = [
            {"id": category.id, "name": category.name} for category in categories
        ]
    image_urls = product.image_urls
    if image_urls:
        emitted["images"] = [{"url": url} for url in image_urls]
    url = product.url
    if url:
        emitted["urls"] = {"store": url}
    return emitted


def _item_to_jirafe(line: order_pb2.LineItem, index: int, date: str) -> dict[str, Any]:
    # order-item.json requires an id and a number; a line without them is numbered by position.
    position = line.line_number or str(index + 1)
    line_id = line.id or position
    create_date = _date_or(line, "create_time", date)
    status = line.status
    return {
        "id": line_id,
        "create_date": create_date,
        "change_date": _date_or(line, "update_time", create_date),
        "order_item_number": position,
        "quantity": line.quantity,
        "status": status if status in LINE_STATUSES else DEFAULT_LINE_STATUS,
        "price": _amount(line, "unit_price"),
        "discount_price": _amount(line, "discounted_unit_price"),
        "product": _product_to_jirafe(line, line_id, create_date),
    }


def _placed_to_jirafe(order: order_pb2.Order) -> dict[str, Any]:
    event: dict[str, Any] = {
        "order_number": _order_number(order),
        "status": "placed",
        "order_date": _order_date(order),
        "customer": _customer_to_jirafe(order),
    }
    if order.cart_id:
        event["cart_id"] = order.cart_id
    if order.HasField("attribution"):
        # order-placed.json visit: the tracker cookies, all four required.
        visit = order.attribution
        event["visit"] = {
            "visit_id": visit.visit_id,
            "visitor_id": visit.visitor_id,
            "pageview_id": visit.pageview_id,
            "last_pageview_id": visit.last_pageview_id,
        }
    return event


def _accepted_to_jirafe(order: order_pb2.Order) -> dict[str, Any]:
    order_date = _order_date(order)
    change_date = _date_text(order, "vendor_update_time", "update_time")
    event: dict[str, Any] = {
        "order_number": _order_number(order),
        "status": "accepted",
        "order_date": order_date,
        "create_date": order_date,
        "change_date": change_date or order_date,
        "subtotal": _amount(order, "subtotal"),
        "total": _amount(order, "total"),
        "total_tax": _amount(order, "tax_total"),
        "total_shipping": _amount(order, "shipping_total"),
        "total_payment_cost": _amount(order, "payment_cost_total"),
        "total_discounts": _amount(order, "discount_total"),
        "currency": order.currency_code or NO_CURRENCY,
        "customer": _customer_to_jirafe(order),
        "items": [
            _item_to_jirafe(line, index, order_date) for index, line in enumerate(order.line_items)
        ],
        # order_endpoint.md asks for previous_items with every accepted event ([] when none).
        "previous_items": [
            _item_to_jirafe(line, index, order_date)
            for index, line in enumerate(order.previous_line_items)
        ],
    }
    if order.cart_id:
        event["cart_id"] = order.cart_id
    if order.shipping_destinations:
        destination = order.shipping_destinations[0]
        event["delivery_address"] = _address_to_jirafe(destination.address, destination.id)
    if order.HasField("billing_address"):
        event["payment_address"] = _address_to_jirafe(order.billing_address)
    return event


def _cancelled_to_jirafe(order: order_pb2.Order) -> dict[str, Any]:
    cancel_date = _date_text(order, "cancel_time", "vendor_update_time", "update_time")
    return {
        "order_number": _order_number(order),
        "cancel_date": cancel_date or _order_date(order),
        "status": "cancelled",
    }


_EVENT_WRITERS: dict[str, Callable[[order_pb2.Order], dict[str, Any]]] = {
    "placed": _placed_to_jirafe,
    "accepted": _accepted_to_jirafe,
    "cancelled": _cancelled_to_jirafe,
}
