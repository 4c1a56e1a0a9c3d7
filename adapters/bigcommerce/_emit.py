"""Canonical → BigCommerce sub-objects (products, addresses, shipments, fees): pure; never reads
vendor JSON. The order object itself is _emit_order's."""

from decimal import Decimal
from typing import Any, NamedTuple

from orderbridge.v1 import order_pb2

from adapters.bigcommerce._amounts import (
    FIXED_FORMAT,
    MONEY_FORMAT_KEY,
    amount_of,
    format_money,
)
from adapters.bigcommerce.catalogs import (
    MAX_ID,
    PRODUCT_DEFAULTS,
    PRODUCT_EMPTY_ARRAYS,
    PRODUCT_ZERO_AMOUNTS,
    SHIPPING_ADDRESS_DEFAULTS,
    SHIPPING_ADDRESS_ZERO_AMOUNTS,
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
        self.zero = format_money(Decimal(0), self.money_format)
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

    def zeros(self, keys: tuple[str, ...]) -> dict[str, str]:
        """Each of `keys` with the amount 0 in the order's money format."""
        return dict.fromkeys(keys, self.zero)


def address_fields(address: order_pb2.Address) -> dict[str, Any]:
    """The contact and postal fields of an address (billingAddress_Resp without form_fields)."""
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
        fields = address_fields(order.billing_address)
    elif payment_addresses:
        fields = address_fields(payment_addresses[0])
    else:
        fields = address_fields(order_pb2.Address(name=order.customer.name))
    fields["email"] = fields["email"] or order.customer.email
    return fields


def date_text(message: Any, field: str) -> str:
    """An RFC 2822 date (BigCommerce's), "" when the message has none."""
    return format_rfc2822(getattr(message, field)) if message.HasField(field) else ""


def line_name(line: order_pb2.LineItem, number: int) -> str:
    """orderProducts.name has minLength 1: else what else names the line."""
    return (
        line.name
        or line.product.name
        or line.sku
        or (f"Product {line.product.id}" if line.product.id else f"Item {number}")
    )


class LineAmounts(NamedTuple):
    """A line's amounts as orderProducts shows them (price_tax = price_inc_tax - price_ex_tax)."""

    price_ex: Decimal
    price_inc: Decimal
    price_tax: Decimal
    total_ex: Decimal
    total_inc: Decimal
    total_tax: Decimal
    discount: Decimal
    discounted_total: Decimal


def line_amounts(line: order_pb2.LineItem) -> LineAmounts:
    """The line's amounts: its own total and tax, else computed from the unit prices."""
    quantity = Decimal(line.quantity)
    price_ex, price_inc = unit_prices(line)
    total_inc = optional_amount(line, "total")
    if total_inc is None:
        total_inc = price_inc * quantity
    total_tax = optional_amount(line, "tax")
    if total_tax is None:
        total_tax = total_inc - price_ex * quantity
    discount = amount_of(line, "discount")
    return LineAmounts(
        price_ex,
        price_inc,
        price_inc - price_ex,
        price_ex * quantity,
        total_inc,
        total_tax,
        discount,
        total_inc - discount,
    )


# Each orderProducts amount and the LineAmounts figure it shows.
PRODUCT_AMOUNTS = {
    "base_price": "price_ex",
    "price_ex_tax": "price_ex",
    "price_inc_tax": "price_inc",
    "price_tax": "price_tax",
    "base_total": "total_ex",
    "total_ex_tax": "total_ex",
    "total_inc_tax": "total_inc",
    "total_tax": "total_tax",
    "discounted_total_inc_tax": "discounted_total",
}


def applied_discounts(emit: Emitter, discount: Decimal) -> list[dict[str, Any]]:
    """A line's discount as one applied discount (none when it has none)."""
    if not discount:
        return []
    return [
        {
            "id": "discount",
            "amount": emit.money(discount),
            "name": "Discount",
            "code": None,
            "target": "product",
        }
    ]


def product_type(order: order_pb2.Order) -> str:
    """orderProducts.type: every line of a digital order is digital."""
    return "digital" if order.digital else "physical"


def variant_id(line: order_pb2.LineItem) -> int | None:
    """variant_id: an integer, or None where the line has no BigCommerce variant (not written)."""
    return int(line.product.variant_id) if is_number(line.product.variant_id) else None


def product_object(emit: Emitter, line: order_pb2.LineItem, number: int) -> dict[str, Any]:
    """The orderProducts object of a line, numbered `number`."""
    amounts = line_amounts(line)
    name = line_name(line, number)
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
        "type": product_type(emit.order),
        **{key: emit.money(getattr(amounts, figure)) for key, figure in PRODUCT_AMOUNTS.items()},
        **emit.zeros(PRODUCT_ZERO_AMOUNTS),
        "quantity": line.quantity,
        "is_refunded": line.quantity_refunded > 0,
        "quantity_refunded": line.quantity_refunded,
        "quantity_shipped": line.quantity_shipped,
        **PRODUCT_DEFAULTS,
        **{key: [] for key in PRODUCT_EMPTY_ARRAYS},
        "brand": line.product.brand,
        "applied_discounts": applied_discounts(emit, amounts.discount),
    }
    variant = variant_id(line)
    if variant is not None:
        product["variant_id"] = variant
    return product


class DestinationCosts(NamedTuple):
    """A destination's shipping cost as orderShippingAddress shows it."""

    cost_ex: Decimal
    cost_inc: Decimal
    cost_tax: Decimal


def destination_costs(destination: order_pb2.ShippingDestination) -> DestinationCosts:
    """Each figure the destination has, else computed from the others."""
    cost_ex = amount_of(destination, "shipping_cost")
    cost_inc = optional_amount(destination, "shipping_cost_including_tax")
    if cost_inc is None:
        cost_inc = cost_ex
    cost_tax = optional_amount(destination, "shipping_tax")
    if cost_tax is None:
        cost_tax = cost_inc - cost_ex
    return DestinationCosts(cost_ex, cost_inc, cost_tax)


# Each orderShippingAddress amount and the DestinationCosts figure it shows.
SHIPPING_ADDRESS_AMOUNTS = {
    "base_cost": "cost_inc",
    "cost_ex_tax": "cost_ex",
    "cost_inc_tax": "cost_inc",
    "cost_tax": "cost_tax",
}


def shipping_quotes(emit: Emitter, number: int) -> dict[str, str]:
    """The `{url, resource}` link of a shipping address's quotes."""
    return emit.link(f"/orders/{emit.order_id}/shippingaddresses/{number}/shippingquotes")


def shipping_address_object(
    emit: Emitter, destination: order_pb2.ShippingDestination, number: int
) -> dict[str, Any]:
    """The orderShippingAddress object of a destination, numbered `number`."""
    costs = destination_costs(destination)
    return {
        "id": number,
        "order_id": emit.order_id,
        **address_fields(destination.address),
        "items_total": destination.items_total,
        "items_shipped": destination.items_shipped,
        "shipping_method": destination.method,
        **{
            key: emit.money(getattr(costs, figure))
            for key, figure in SHIPPING_ADDRESS_AMOUNTS.items()
        },
        **emit.zeros(SHIPPING_ADDRESS_ZERO_AMOUNTS),
        **SHIPPING_ADDRESS_DEFAULTS,
        "shipping_quotes": shipping_quotes(emit, number),
        "form_fields": [],
    }


def shipment_address(emit: Emitter, shipment: order_pb2.Shipment) -> dict[str, Any]:
    """A shipment's shipping_address: its destination's address (blank when it has none)."""
    destinations = {d.id: d for d in emit.order.shipping_destinations}  # the last of an id
    destination = destinations.get(shipment.destination_id)
    return address_fields(destination.address if destination is not None else order_pb2.Address())


def shipment_items(emit: Emitter, shipment: order_pb2.Shipment) -> list[dict[str, Any]]:
    """A shipment's items, each naming its product line by the line's number."""
    return [
        {
            "order_product_id": emit.number_of_line.get(
                item.line_item_id, number_or(item.line_item_id, 0)
            ),
            "product_id": number_or(item.product_id, 0),
            "quantity": item.quantity,
        }
        for item in shipment.items
    ]


def provider_display_name(shipment: order_pb2.Shipment) -> str:
    """shipping_provider_display_name (read-only): the standard provider's name, else ""."""
    return SHIPPING_PROVIDER_NAMES.get(shipment.shipping_provider, "")


def shipment_object(emit: Emitter, shipment: order_pb2.Shipment, index: int) -> dict[str, Any]:
    """The orderShipment of the order's `index`-th shipment."""
    return {
        "id": number_or(shipment.id, index + 1),
        "order_id": emit.order_id,
        "customer_id": emit.customer_id,
        "order_address_id": emit.destination_number(shipment.destination_id),
        "date_created": date_text(shipment, "create_time"),
        "tracking_number": shipment.tracking_number,
        "merchant_shipping_cost": emit.field(shipment, "merchant_shipping_cost"),
        "shipping_method": shipment.shipping_method,
        "comments": shipment.comments,
        "shipping_provider": shipment.shipping_provider,
        "tracking_carrier": shipment.tracking_carrier,
        "tracking_link": shipment.tracking_link,
        "billing_address": billing_address(emit.order),
        "shipping_address": shipment_address(emit, shipment),
        "items": shipment_items(emit, shipment),
        "shipping_provider_display_name": provider_display_name(shipment),
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
            "cost_tax": emit.zero,
            "tax_class_id": None,
        }
    ]
