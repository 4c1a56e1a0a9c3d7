"""BigCommerce residue notes: what a read's mapping did not consume and how BigCommerce spelled
what it did; pure, never renders the whole order (it compares with _emit's per-object leaves)."""

# What each object kind consumes is declared below: every key _emit / _emit_order may write for
# it (the GET shapes order_Resp, orderProducts, orderShippingAddress, orderShipment of
# tests/vendor_specs/bigcommerce/orders.v2.oas2.yml). A GET order's consumed key is spelled
# wherever the writer writes it otherwise (money text, RFC 2822 dates, null / "" / absent, the
# defaults and derived totals it always writes, the `{url, resource}` links); a POST body keeps
# only what has no canonical home (catalogs' *_WITHOUT_HOME: BigCommerce computes the rest).

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from adapters.bigcommerce import models
from adapters.bigcommerce._emit import (
    Emitter,
    fees_of,
    product_object,
    shipment_object,
    shipping_address_object,
)
from adapters.bigcommerce.catalogs import (
    ORDER_FIELDS_WITHOUT_HOME,
    PRODUCT_FIELDS_WITHOUT_HOME,
    SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME,
)
from adapters.codec import ABSENT, Path, Residue, same

# The keys of the address objects (billingAddress_Resp and a shipment's two copies).
ADDRESS_KEYS = frozenset(
    {
        "first_name", "last_name", "company", "street_1", "street_2", "city", "state", "zip",
        "country", "country_iso2", "phone", "email", "form_fields",
    }
)  # fmt: skip
# order_Resp as _emit_order writes it (with fees, shipments and is_deleted when it has them).
ORDER_KEYS = frozenset(
    {
        "base_handling_cost", "base_shipping_cost", "base_wrapping_cost", "billing_address",
        "cart_id", "channel_id", "coupon_discount", "coupons", "credit_card_type",
        "currency_code", "currency_exchange_rate", "currency_id", "custom_status", "customer_id",
        "customer_locale", "customer_message", "date_created", "date_modified", "date_shipped",
        "default_currency_code", "default_currency_id", "discount_amount", "ebay_order_id",
        "external_id", "external_merchant_id", "external_order_id", "external_source", "fees",
        "geoip_country", "geoip_country_iso2", "gift_certificate_amount",
        "handling_cost_ex_tax", "handling_cost_inc_tax", "handling_cost_tax",
        "handling_cost_tax_class_id", "id", "ip_address", "ip_address_v6", "is_deleted",
        "is_email_opt_in", "is_tax_inclusive_pricing", "items_shipped", "items_total",
        "order_is_digital", "order_source", "payment_method", "payment_provider_id",
        "payment_status", "products", "refunded_amount", "shipments", "shipping_address_count",
        "shipping_addresses", "shipping_cost_ex_tax", "shipping_cost_inc_tax",
        "shipping_cost_tax", "shipping_cost_tax_class_id", "staff_notes", "status", "status_id",
        "store_credit_amount", "store_default_currency_code",
        "store_default_to_transactional_exchange_rate", "subtotal_ex_tax", "subtotal_inc_tax",
        "subtotal_tax", "tax_provider_id", "total_ex_tax", "total_inc_tax", "total_tax",
        "wrapping_cost_ex_tax", "wrapping_cost_inc_tax", "wrapping_cost_tax",
        "wrapping_cost_tax_class_id",
    }
)  # fmt: skip
# orderProducts as _emit.product_object writes it (variant_id when the variant id is a number).
PRODUCT_KEYS = frozenset(
    {
        "applied_discounts", "base_cost_price", "base_price", "base_total", "base_wrapping_cost",
        "bin_picking_number", "brand", "configurable_fields", "cost_price_ex_tax",
        "cost_price_inc_tax", "cost_price_tax", "depth", "discounted_total_inc_tax",
        "ebay_item_id", "ebay_transaction_id", "event_date", "event_name", "external_id",
        "fixed_shipping_cost", "gift_certificate_id", "height", "id", "is_bundled_product",
        "is_refunded", "name", "name_customer", "name_merchant", "option_set_id",
        "order_address_id", "order_id", "parent_order_product_id", "price_ex_tax",
        "price_inc_tax", "price_tax", "product_id", "product_options", "quantity",
        "quantity_refunded", "quantity_shipped", "refund_amount", "return_id", "sku",
        "total_ex_tax", "total_inc_tax", "total_tax", "type", "upc", "variant_id", "weight",
        "width", "wrapping_cost_ex_tax", "wrapping_cost_inc_tax", "wrapping_cost_tax",
        "wrapping_id", "wrapping_message", "wrapping_name",
    }
)  # fmt: skip
# orderShippingAddress as _emit.shipping_address_object writes it.
SHIPPING_ADDRESS_KEYS = ADDRESS_KEYS | {
    "base_cost", "base_handling_cost", "cost_ex_tax", "cost_inc_tax", "cost_tax",
    "cost_tax_class_id", "handling_cost_ex_tax", "handling_cost_inc_tax", "handling_cost_tax",
    "handling_cost_tax_class_id", "id", "items_shipped", "items_total", "order_id",
    "shipping_method", "shipping_quotes", "shipping_zone_id", "shipping_zone_name",
}  # fmt: skip
# orderShipment as _emit.shipment_object writes it; its addresses and items are compared whole.
SHIPMENT_KEYS = frozenset(
    {
        "billing_address", "comments", "customer_id", "date_created", "generated_tracking_link",
        "id", "items", "merchant_shipping_cost", "order_address_id", "order_id",
        "shipping_address", "shipping_method", "shipping_provider",
        "shipping_provider_display_name", "tracking_carrier", "tracking_link", "tracking_number",
    }
)  # fmt: skip
# A POST body's objects: what the mapping (or BigCommerce's completion) consumes.
POST_ORDER_KEYS = frozenset(models.OrderPost.model_fields) - ORDER_FIELDS_WITHOUT_HOME
POST_BILLING_KEYS = frozenset(models.BillingAddress.model_fields) - {"form_fields"}
POST_PRODUCT_KEYS = frozenset(models.Product.model_fields) - PRODUCT_FIELDS_WITHOUT_HOME
POST_SHIPPING_ADDRESS_KEYS = (
    frozenset(models.ShippingAddress.model_fields) - SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME
)
# The order's parts, noted object by object rather than as order-level values.
_PARTS = frozenset({"billing_address", "products", "shipping_addresses", "shipments", "fees"})
Written = Callable[[], Mapping[str, Any]]


def _note_object(
    residue: Residue,
    raw: Mapping[str, Any],
    written: Mapping[str, Any],
    consumed: frozenset[str],
    path: Path,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Keeps `raw`'s unconsumed keys and spells each consumed one the writer writes otherwise."""
    residue.keep_unconsumed(raw, consumed, path)
    for key, value in written.items():
        if key not in skip:
            residue.note(raw, key, value, path)
    if raw.keys() <= written.keys():
        return
    for key, value in raw.items():
        if key in consumed and key not in written and key not in skip:
            residue.spell((*path, key), ABSENT, value)  # a key the writer leaves out here


def _fees(emit: Emitter) -> Any:
    fees = fees_of(emit)
    return ABSENT if fees is None else fees


def note_order(raw: Mapping[str, Any], residue: Residue, emit: Emitter, fields: Any) -> None:
    """Tells `residue` what of a GET order (`raw`, validated) its mapping left out and how
    BigCommerce spelled the rest where the writer writes otherwise; `fields` are the order's
    own fields as _emit_order.order_fields writes them."""
    order = emit.order
    _note_object(residue, raw, fields, ORDER_KEYS, (), _PARTS)
    billing = raw.get("billing_address")
    if isinstance(billing, dict):
        path: Path = ("billing_address",)
        _note_object(residue, billing, fields["billing_address"], ADDRESS_KEYS, path)
    else:
        residue.note(raw, "billing_address", fields["billing_address"], ())
    # A GET order's `{url, resource}` links (products, shipping_addresses, fees) are spelled
    # over the empty arrays written while the order has none of what they point at.
    products = raw.get("products")
    if isinstance(products, list):
        for index, (line, number) in enumerate(
            zip(order.line_items, emit.line_numbers, strict=True)
        ):
            written = product_object(emit, line, number)
            _note_object(residue, products[index], written, PRODUCT_KEYS, ("products", index))
    else:
        residue.note(raw, "products", [], ())
    addresses = raw.get("shipping_addresses")
    if isinstance(addresses, list):
        for index, (destination, number) in enumerate(
            zip(order.shipping_destinations, emit.destination_numbers, strict=True)
        ):
            written = shipping_address_object(emit, destination, number)
            path = ("shipping_addresses", index)
            _note_object(residue, addresses[index], written, SHIPPING_ADDRESS_KEYS, path)
    else:
        residue.note(raw, "shipping_addresses", [], ())
    shipments = raw.get("shipments")
    if isinstance(shipments, list) and shipments:
        for index, shipment in enumerate(order.shipments):
            written = shipment_object(emit, shipment, index)
            _note_object(residue, shipments[index], written, SHIPMENT_KEYS, ("shipments", index))
    else:
        residue.note(raw, "shipments", ABSENT, ())
    # The fee details have no canonical home: one custom fee carrying fee_total is written.
    residue.note(raw, "fees", _fees(emit), ())


def _keep_sent(
    residue: Residue,
    raw: Mapping[str, Any],
    consumed: frozenset[str],
    written: Written,
    path: Path,
) -> None:
    """Keeps what a POST object sent without a canonical home (a null is not kept); a key the
    writer writes anyway (a default, product_options' []) is spelled over the written value."""
    if raw.keys() <= consumed:  # the common case, tested in C
        return
    shown: Mapping[str, Any] | None = None
    extra: dict[str, Any] = {}
    for key, value in raw.items():
        if key in consumed or value is None:
            continue
        if shown is None:
            shown = written()
        if key in shown:
            if not same(shown[key], value):
                residue.spell((*path, key), shown[key], value)
        else:
            extra[key] = value
    residue.keep(path, extra)


def _product_at(emitter: Callable[[], Emitter], index: int) -> Mapping[str, Any]:
    emit = emitter()
    return product_object(emit, emit.order.line_items[index], emit.line_numbers[index])


def _shipping_address_at(emitter: Callable[[], Emitter], index: int) -> Mapping[str, Any]:
    emit = emitter()
    destination = emit.order.shipping_destinations[index]
    return shipping_address_object(emit, destination, emit.destination_numbers[index])


def note_post(
    body: Mapping[str, Any], residue: Residue, emitter: Callable[[], Emitter], fields: Written
) -> None:
    """Tells `residue` what a POST body (validated) sent without a canonical home, object by
    object. `emitter` gives the order's Emitter and `fields` its own fields as
    _emit_order.order_fields writes them, called only when a kept key is one the writer writes."""

    def order_level() -> Mapping[str, Any]:
        fees = fees_of(emitter())
        return {**fields(), "fees": fees} if fees is not None else fields()

    _keep_sent(residue, body, POST_ORDER_KEYS, order_level, ())
    billing = body["billing_address"]
    path: Path = ("billing_address",)
    _keep_sent(residue, billing, POST_BILLING_KEYS, lambda: {"form_fields": []}, path)
    for index, raw in enumerate(body["products"]):
        written = partial(_product_at, emitter, index)
        _keep_sent(residue, raw, POST_PRODUCT_KEYS, written, ("products", index))
    for index, raw in enumerate(body.get("shipping_addresses") or ()):
        written = partial(_shipping_address_at, emitter, index)
        path = ("shipping_addresses", index)
        _keep_sent(residue, raw, POST_SHIPPING_ADDRESS_KEYS, written, path)
