"""Canonical → BigCommerce sub-objects (products, addresses, shipments, fees): pure; never reads
vendor JSON. The order object itself is _emit_order's."""

from decimal import Decimal
from typing import Any

from orderbridge.v1 import order_pb2

from adapters.bigcommerce._amounts import (
    FIXED_FORMAT,
    MONEY_FORMAT_KEY,
    amount_of,
    format_money,
)
from adapters.bigcommerce.catalogs import (
    MAX_ID,
    SHIPPING_PROVIDER_NAMES,
    VENDOR,
)
from adapters.times import format_rfc2822
from core.money import optional_amount, unit_prices
from core.numbering import line_numbers

# adapters.jsonvalues writes integers of 64 bits as JSON integers; a larger count (a sum of
# 64-bit quantities) is written from its exact Decimal text, as fabric's totalQuantity is.
_INT64 = range(-(2**63), 2**63)


def is_number(text: str) -> bool:
    """Whether a canonical string id is a BigCommerce integer id (ASCII digits, 64 bits)."""
    if not (text.isascii() and text.isdigit()):
        return False
    return len(text.lstrip("0")) <= len(str(MAX_ID)) and int(text) <= MAX_ID


def json_count(value: int) -> int | Decimal:
    """A count as a JSON number: beyond 64 bits, its exact Decimal (see _INT64)."""
    return value if value in _INT64 else Decimal(value)


def number_or(text: str, default: int) -> int:
    """An integer id from a canonical string id; `default` when it is not one."""
    return int(text) if is_number(text) else default


def first_and_last_name(name: order_pb2.PersonName) -> tuple[str, str]:
    """BigCommerce first_name/last_name: middle names join the first; a whole name is split."""
    first = " ".join(part for part in (name.given_name, name.middle_name) if part)
    if first or name.family_name:
        return first, name.family_name
    given, _, family = name.full_name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


def _money_format(order: order_pb2.Order) -> str:
    if VENDOR in order.vendor_data:
        fields = order.vendor_data[VENDOR].fields
        if MONEY_FORMAT_KEY in fields:
            return fields[MONEY_FORMAT_KEY].string_value
    return FIXED_FORMAT


def _order_id(order: order_pb2.Order) -> int:
    if order.serial_number:
        return order.serial_number
    for ref in order.external_refs:
        if ref.source == VENDOR and is_number(ref.id):
            return int(ref.id)
    return 0


class Emitter:
    """Shared context of one order's emission: its id, money format and id numbering."""

    def __init__(self, order: order_pb2.Order, api_base: str) -> None:
        self.order = order
        self.api_base = api_base
        self.order_id = _order_id(order)
        self.money_format = _money_format(order)
        self.customer_id = number_or(order.customer.id, 0)
        self.line_numbers = line_numbers([line.id for line in order.line_items])
        self.destination_numbers = line_numbers([d.id for d in order.shipping_destinations])
        self.number_of_line = dict(
            zip((line.id for line in order.line_items), self.line_numbers, strict=True)
        )
        self.number_of_destination = dict(
            zip((d.id for d in order.shipping_destinations), self.destination_numbers, strict=True)
        )

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.money_format)

    def field(self, message: Any, field: str) -> str:
        return self.money(amount_of(message, field))

    def destination_number(self, destination_id: str) -> int:
        if destination_id in self.number_of_destination:
            return self.number_of_destination[destination_id]
        if not destination_id and len(self.destination_numbers) == 1:
            return self.destination_numbers[0]
        return number_or(destination_id, 0)

    def link(self, path: str) -> dict[str, str]:
        return {"url": f"{self.api_base}{path}", "resource": path}


def _address_fields(address: order_pb2.Address) -> dict[str, Any]:
    first, last = first_and_last_name(address.name)
    return {
        "first_name": first,
        "last_name": last,
        "company": address.company,
        "street_1": address.line1,
        "street_2": address.line2,
        "city": address.city,
        "state": address.region,
        "zip": address.postal_code,
        "country": address.country,
        "country_iso2": address.country_code,
        "phone": address.phone.number,
        "email": address.email,
    }


def billing_address(order: order_pb2.Order) -> dict[str, Any]:
    """billing_address; else a payment's (fabric billToAddress); else the customer's name."""
    payment_addresses = [p.billing_address for p in order.payments if p.HasField("billing_address")]
    if order.HasField("billing_address"):
        fields = _address_fields(order.billing_address)
    elif payment_addresses:
        fields = _address_fields(payment_addresses[0])
    else:
        fields = _address_fields(order_pb2.Address(name=order.customer.name))
    fields["email"] = fields["email"] or order.customer.email
    return fields


def _line_name(line: order_pb2.LineItem, number: int) -> str:
    # orderProducts.name has minLength 1: fall back to what else names the line.
    return (
        line.name
        or line.product.name
        or line.sku
        or (f"Product {line.product.id}" if line.product.id else f"Item {number}")
    )


def product_object(emit: Emitter, line: order_pb2.LineItem, number: int) -> dict[str, Any]:
    quantity = Decimal(line.quantity)
    price_ex, price_inc = unit_prices(line)
    total_ex = price_ex * quantity
    total_inc = optional_amount(line, "total")
    if total_inc is None:
        total_inc = price_inc * quantity
    total_tax = optional_amount(line, "tax")
    if total_tax is None:
        total_tax = total_inc - total_ex
    discount = amount_of(line, "discount")
    name = _line_name(line, number)
    product: dict[str, Any] = {
        "id": number,
        "order_id": emit.order_id,
        "product_id": number_or(line.product.id, 0),
        "order_address_id": emit.destination_number(line.destination_id),
        "name": name,
        "name_customer": name,
        "name_merchant": line.product.name or name,
        "sku": line.sku,
        "upc": line.product.upc,
        "type": "digital" if emit.order.digital else "physical",
        "base_price": emit.money(price_ex),
        "price_ex_tax": emit.money(price_ex),
        "price_inc_tax": emit.money(price_inc),
        "price_tax": emit.money(price_inc - price_ex),
        "base_total": emit.money(total_ex),
        "total_ex_tax": emit.money(total_ex),
        "total_inc_tax": emit.money(total_inc),
        "total_tax": emit.money(total_tax),
        "weight": emit.money(Decimal(0)),
        "width": emit.money(Decimal(0)),
        "height": emit.money(Decimal(0)),
        "depth": emit.money(Decimal(0)),
        "quantity": line.quantity,
        "base_cost_price": emit.money(Decimal(0)),
        "cost_price_inc_tax": emit.money(Decimal(0)),
        "cost_price_ex_tax": emit.money(Decimal(0)),
        "cost_price_tax": emit.money(Decimal(0)),
        "is_refunded": line.quantity_refunded > 0,
        "quantity_refunded": line.quantity_refunded,
        # Deprecated in the spec: "always returns `0`".
        "refund_amount": emit.money(Decimal(0)),
        "return_id": 0,
        "wrapping_id": 0,
        "wrapping_name": "",
        "base_wrapping_cost": emit.money(Decimal(0)),
        "wrapping_cost_ex_tax": emit.money(Decimal(0)),
        "wrapping_cost_inc_tax": emit.money(Decimal(0)),
        "wrapping_cost_tax": emit.money(Decimal(0)),
        "wrapping_message": "",
        "quantity_shipped": line.quantity_shipped,
        "event_name": None,
        "event_date": None,
        "fixed_shipping_cost": emit.money(Decimal(0)),
        "ebay_item_id": "",
        "ebay_transaction_id": "",
        "option_set_id": None,
        "parent_order_product_id": None,
        "is_bundled_product": False,
        "bin_picking_number": "",
        "external_id": None,
        "brand": line.product.brand,
        "applied_discounts": (
            [
                {
                    "id": "discount",
                    "amount": emit.money(discount),
                    "name": "Discount",
                    "code": None,
                    "target": "product",
                }
            ]
            if discount
            else []
        ),
        "product_options": [],
        "configurable_fields": [],
        "gift_certificate_id": None,
        "discounted_total_inc_tax": emit.money(total_inc - discount),
    }
    if is_number(line.product.variant_id):
        product["variant_id"] = int(line.product.variant_id)
    return product


def shipping_address_object(
    emit: Emitter, destination: order_pb2.ShippingDestination, number: int
) -> dict[str, Any]:
    cost_ex = amount_of(destination, "shipping_cost")
    cost_inc = optional_amount(destination, "shipping_cost_including_tax")
    if cost_inc is None:
        cost_inc = cost_ex
    cost_tax = optional_amount(destination, "shipping_tax")
    if cost_tax is None:
        cost_tax = cost_inc - cost_ex
    fields = _address_fields(destination.address)
    quotes = f"/orders/{emit.order_id}/shippingaddresses/{number}/shippingquotes"
    return {
        "id": number,
        "order_id": emit.order_id,
        "first_name": fields["first_name"],
        "last_name": fields["last_name"],
        "company": fields["company"],
        "street_1": fields["street_1"],
        "street_2": fields["street_2"],
        "city": fields["city"],
        "zip": fields["zip"],
        "country": fields["country"],
        "country_iso2": fields["country_iso2"],
        "state": fields["state"],
        "email": fields["email"],
        "phone": fields["phone"],
        "items_total": destination.items_total,
        "items_shipped": destination.items_shipped,
        "shipping_method": destination.method,
        "base_cost": emit.money(cost_inc),
        "cost_ex_tax": emit.money(cost_ex),
        "cost_inc_tax": emit.money(cost_inc),
        "cost_tax": emit.money(cost_tax),
        "cost_tax_class_id": 0,
        "base_handling_cost": emit.money(Decimal(0)),
        "handling_cost_ex_tax": emit.money(Decimal(0)),
        "handling_cost_inc_tax": emit.money(Decimal(0)),
        "handling_cost_tax": emit.money(Decimal(0)),
        "handling_cost_tax_class_id": 0,
        "shipping_zone_id": 0,
        "shipping_zone_name": "",
        "shipping_quotes": emit.link(quotes),
        "form_fields": [],
    }


def shipment_object(emit: Emitter, shipment: order_pb2.Shipment, index: int) -> dict[str, Any]:
    """The orderShipment of the order's `index`-th shipment."""
    number = number_or(shipment.id, index + 1)
    destinations = {d.id: d for d in emit.order.shipping_destinations}
    destination = destinations.get(shipment.destination_id)
    billing = billing_address(emit.order)
    return {
        "id": number,
        "order_id": emit.order_id,
        "customer_id": emit.customer_id,
        "order_address_id": emit.destination_number(shipment.destination_id),
        "date_created": (
            format_rfc2822(shipment.create_time) if shipment.HasField("create_time") else ""
        ),
        "tracking_number": shipment.tracking_number,
        "merchant_shipping_cost": emit.field(shipment, "merchant_shipping_cost"),
        "shipping_method": shipment.shipping_method,
        "comments": shipment.comments,
        "shipping_provider": shipment.shipping_provider,
        "tracking_carrier": shipment.tracking_carrier,
        "tracking_link": shipment.tracking_link,
        "billing_address": billing,
        "shipping_address": _address_fields(
            destination.address if destination is not None else order_pb2.Address()
        ),
        "items": [
            {
                "order_product_id": emit.number_of_line.get(
                    item.line_item_id, number_or(item.line_item_id, 0)
                ),
                "product_id": number_or(item.product_id, 0),
                "quantity": item.quantity,
            }
            for item in shipment.items
        ],
        "shipping_provider_display_name": SHIPPING_PROVIDER_NAMES.get(
            shipment.shipping_provider, ""
        ),
        "generated_tracking_link": "",
    }


def fees_of(emit: Emitter) -> list[dict[str, Any]] | None:
    """One custom fee carrying the order's fee total (fee details have no canonical home);
    None (no `fees` key) when the order has no fee total."""
    if not (emit.order.HasField("fee_total") and amount_of(emit.order, "fee_total")):
        return None
    amount = emit.field(emit.order, "fee_total")
    return [
        {
            "id": 1,
            "type": "custom_fee",
            "display_name_customer": "Fees",
            "display_name_merchant": "Fees",
            "source": "orderbridge",
            "base_cost": amount,
            "cost_ex_tax": amount,
            "cost_inc_tax": amount,
            "cost_tax": emit.money(Decimal(0)),
            "tax_class_id": None,
        }
    ]
