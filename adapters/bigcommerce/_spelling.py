"""BigCommerce spelling rules: for each key a read consumes, the value the writer writes for it,
from the canonical part just mapped; pure, never renders an object nor reads vendor JSON."""

# One table per object kind (order_Resp, billingAddress_Resp, orderProducts,
# orderShippingAddress, orderShipment): key → rule. A rule spells one value with _emit's leaves
# (money text in the order's format, "49.0000"; RFC 2822 dates; integer ids; booleans; "" or
# null where the order has nothing) or gives what the writer always writes there (a default, a
# derived total or count from a small pure function, a `{url, resource}` link); ABSENT where
# the writer writes no key. _notes compares each with the payload's value and spells the
# differences in the residue; keys without a rule are kept as they came.

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from adapters.bigcommerce._amounts import SHOWN_AMOUNTS, amounts_of
from adapters.bigcommerce._emit import (
    PRODUCT_AMOUNTS,
    SHIPPING_ADDRESS_AMOUNTS,
    Emitter,
    address_fields,
    applied_discounts,
    billing_address,
    date_text,
    destination_costs,
    fees_of,
    line_amounts,
    line_name,
    number_or,
    product_type,
    provider_display_name,
    shipment_address,
    shipment_items,
    shipping_quotes,
    variant_id,
)
from adapters.bigcommerce._emit_order import (
    coupons_link,
    date_modified_fields,
    first_payment,
    ip_addresses,
    item_counts,
    time_text,
    unit_rate,
)
from adapters.bigcommerce._states import payment_status_of
from adapters.bigcommerce.catalogs import (
    ADDRESS_FIELD_PATHS,
    ORDER_DEFAULTS,
    ORDER_UNIT_RATES,
    PRODUCT_DEFAULTS,
    PRODUCT_EMPTY_ARRAYS,
    PRODUCT_ZERO_AMOUNTS,
    SHIPPING_ADDRESS_DEFAULTS,
    SHIPPING_ADDRESS_ZERO_AMOUNTS,
)
from adapters.codec import ABSENT

PartT = TypeVar("PartT")
Rules = Mapping[str, Callable[[PartT], Any]]
# The keys of an address as _emit.address_fields writes them.
ADDRESS_TEXT_KEYS = tuple(ADDRESS_FIELD_PATHS)


class OrderPart:
    """The order just mapped, as the writer sees it: its context, status and derived figures."""

    def __init__(self, emit: Emitter, status_id: int, status: str) -> None:
        self.emit = emit
        self.order = order = emit.order
        self.status_id = status_id
        self.status = status
        self.amounts = amounts_of(order)
        self.counts = item_counts(order)
        self.billing = billing_address(order)
        self.ip_addresses = ip_addresses(order.ip_address)


class LinePart:
    """A line item just mapped from a product, with the number the writer gives it."""

    def __init__(self, emit: Emitter, index: int) -> None:
        self.emit = emit
        self.line = line = emit.order.line_items[index]
        self.number = number = emit.line_numbers[index]
        self.amounts = line_amounts(line)
        self.name = line_name(line, number)


class DestinationPart:
    """A shipping destination just mapped from a shipping address, with its number."""

    def __init__(self, emit: Emitter, index: int) -> None:
        self.emit = emit
        self.destination = destination = emit.order.shipping_destinations[index]
        self.number = emit.destination_numbers[index]
        self.costs = destination_costs(destination)
        self.address = address_fields(destination.address)


class ShipmentPart:
    """A shipment just mapped, with its place in the order."""

    def __init__(self, emit: Emitter, index: int) -> None:
        self.emit = emit
        self.shipment = emit.order.shipments[index]
        self.index = index


def _constant(value: Any) -> Callable[[Any], Any]:
    return lambda part: value


def _zero(part: OrderPart | LinePart | DestinationPart) -> str:
    return part.emit.zero


def _empty_array(part: Any) -> list[Any]:
    return []


def _or_absent(value: Any) -> Any:
    return ABSENT if value is None else value


def _order_amount(key: str) -> Callable[[OrderPart], str]:
    return lambda part: part.emit.money(part.amounts[key])


def _order_count(key: str) -> Callable[[OrderPart], int | Decimal]:
    return lambda part: part.counts[key]


def _ip_address(key: str) -> Callable[[OrderPart], str]:
    return lambda part: part.ip_addresses[key]


def _billing(key: str) -> Callable[[OrderPart], str]:
    return lambda part: part.billing[key]


def _line_amount(figure: str) -> Callable[[LinePart], str]:
    return lambda part: part.emit.money(getattr(part.amounts, figure))


def _cost(figure: str) -> Callable[[DestinationPart], str]:
    return lambda part: part.emit.money(getattr(part.costs, figure))


def _address(key: str) -> Callable[[DestinationPart], str]:
    return lambda part: part.address[key]


def _shipment_text(key: str) -> Callable[[ShipmentPart], str]:
    return lambda part: getattr(part.shipment, key)


def _unit_rate(part: OrderPart) -> str:
    return unit_rate(part.emit)


_MODIFIED = date_modified_fields(keep_vendor_date_modified=True)  # a read keeps its own

ORDER_RULES: Rules[OrderPart] = {
    "id": lambda part: part.emit.order_id,
    "customer_id": lambda part: part.emit.customer_id,
    "date_created": lambda part: time_text(part.order, "place_time", "create_time"),
    "date_modified": lambda part: time_text(part.order, *_MODIFIED),
    "date_shipped": lambda part: time_text(part.order, "close_time"),
    "status_id": lambda part: part.status_id,
    "status": lambda part: part.status,
    "custom_status": lambda part: part.status,
    **{key: _order_amount(key) for key in SHOWN_AMOUNTS},
    **{key: _constant(value) for key, value in ORDER_DEFAULTS.items()},
    **dict.fromkeys(ORDER_UNIT_RATES, _unit_rate),
    "items_total": _order_count("items_total"),
    "items_shipped": _order_count("items_shipped"),
    "payment_method": lambda part: first_payment(part.order).method,
    "payment_provider_id": lambda part: first_payment(part.order).provider_transaction_id,
    "payment_status": lambda part: payment_status_of(part.order),
    "order_is_digital": lambda part: part.order.digital,
    "ip_address": _ip_address("ip_address"),
    "ip_address_v6": _ip_address("ip_address_v6"),
    "geoip_country": lambda part: part.order.geoip_country,
    "geoip_country_iso2": lambda part: part.order.geoip_country_code,
    "currency_code": lambda part: part.order.currency_code,
    "default_currency_code": lambda part: part.order.currency_code,
    "staff_notes": lambda part: part.order.staff_notes,
    "customer_message": lambda part: part.order.customer_message,
    "shipping_address_count": lambda part: len(part.order.shipping_destinations),
    "cart_id": lambda part: part.order.cart_id,
    "is_email_opt_in": lambda part: part.order.customer.email_opt_in,
    "order_source": lambda part: part.order.source or "external",
    "channel_id": lambda part: number_or(part.order.channel, 1),
    "external_source": lambda part: part.order.external_source or None,
    "coupons": lambda part: coupons_link(part.emit),
    "customer_locale": lambda part: part.order.customer.locale,
    "is_deleted": lambda part: True if part.order.HasField("archive_time") else ABSENT,
    # The fee details have no canonical home: one custom fee carrying fee_total is written.
    "fees": lambda part: _or_absent(fees_of(part.emit)),
}
BILLING_RULES: Rules[OrderPart] = {
    **{key: _billing(key) for key in ADDRESS_TEXT_KEYS},
    "form_fields": _empty_array,
}
PRODUCT_RULES: Rules[LinePart] = {
    "id": lambda part: part.number,
    "order_id": lambda part: part.emit.order_id,
    "product_id": lambda part: number_or(part.line.product.id, 0),
    "order_address_id": lambda part: part.emit.destination_number(part.line.destination_id),
    "name": lambda part: part.name,
    "name_customer": lambda part: part.name,
    "name_merchant": lambda part: part.line.product.name or part.name,
    "sku": lambda part: part.line.sku,
    "upc": lambda part: part.line.product.upc,
    "brand": lambda part: part.line.product.brand,
    "type": lambda part: product_type(part.emit.order),
    **{key: _line_amount(figure) for key, figure in PRODUCT_AMOUNTS.items()},
    **dict.fromkeys(PRODUCT_ZERO_AMOUNTS, _zero),
    "quantity": lambda part: part.line.quantity,
    "is_refunded": lambda part: part.line.quantity_refunded > 0,
    "quantity_refunded": lambda part: part.line.quantity_refunded,
    "quantity_shipped": lambda part: part.line.quantity_shipped,
    **{key: _constant(value) for key, value in PRODUCT_DEFAULTS.items()},
    **dict.fromkeys(PRODUCT_EMPTY_ARRAYS, _empty_array),
    "applied_discounts": lambda part: applied_discounts(part.emit, part.amounts.discount),
    "variant_id": lambda part: _or_absent(variant_id(part.line)),
}
SHIPPING_ADDRESS_RULES: Rules[DestinationPart] = {
    "id": lambda part: part.number,
    "order_id": lambda part: part.emit.order_id,
    **{key: _address(key) for key in ADDRESS_TEXT_KEYS},
    "items_total": lambda part: part.destination.items_total,
    "items_shipped": lambda part: part.destination.items_shipped,
    "shipping_method": lambda part: part.destination.method,
    **{key: _cost(figure) for key, figure in SHIPPING_ADDRESS_AMOUNTS.items()},
    **dict.fromkeys(SHIPPING_ADDRESS_ZERO_AMOUNTS, _zero),
    **{key: _constant(value) for key, value in SHIPPING_ADDRESS_DEFAULTS.items()},
    "shipping_quotes": lambda part: shipping_quotes(part.emit, part.number),
    "form_fields": _empty_array,
}
_SHIPMENT_TEXTS = (
    "tracking_number", "shipping_method", "comments", "shipping_provider", "tracking_carrier",
    "tracking_link",
)  # fmt: skip
# A shipment's addresses and items are spelled whole.
SHIPMENT_RULES: Rules[ShipmentPart] = {
    "id": lambda part: number_or(part.shipment.id, part.index + 1),
    "order_id": lambda part: part.emit.order_id,
    "customer_id": lambda part: part.emit.customer_id,
    "order_address_id": lambda part: part.emit.destination_number(part.shipment.destination_id),
    "date_created": lambda part: date_text(part.shipment, "create_time"),
    **{key: _shipment_text(key) for key in _SHIPMENT_TEXTS},
    "merchant_shipping_cost": lambda part: part.emit.field(part.shipment, "merchant_shipping_cost"),
    "billing_address": lambda part: billing_address(part.emit.order),
    "shipping_address": lambda part: shipment_address(part.emit, part.shipment),
    "items": lambda part: shipment_items(part.emit, part.shipment),
    "shipping_provider_display_name": lambda part: provider_display_name(part.shipment),
    "generated_tracking_link": _constant(""),
}
