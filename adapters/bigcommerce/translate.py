"""BigCommerce Orders v2 JSON ↔ orderbridge.v1.Order entry points: pure; no I/O, no floats."""

# Raises only TranslationError, naming the BigCommerce field ("products[2].price_ex_tax").
# Sources: tests/vendor_specs/bigcommerce/orders.v2.oas2.yml ("the spec"), seed 002 (the Orders
# reference) and BigCommerce's V2 Orders API overview ("the orders guide"). The mapping and the
# state tables are documented in README.md, "Vendor mappings".
# The work is done by role: _read (BigCommerce → canonical), _notes (what a read leaves to the
# residue, adapters.codec, stored in vendor_data["bigcommerce"]["residue_json"]) with
# _spelling (each consumed key's rule: what the writer writes for it), _emit and _emit_order
# (canonical → BigCommerce), _amounts (money text and totals), _states (status choice); the
# static data is in catalogs. A PUT body becomes an UpdateOrderRequest in requests.

from collections.abc import Callable, Mapping
from decimal import localcontext
from functools import cache, partial
from typing import Any

from google.protobuf import struct_pb2
from orderbridge.v1 import order_pb2

from adapters.bigcommerce import models
from adapters.bigcommerce._amounts import (
    EXACT,
    FIXED_FORMAT,
    MONEY_FORMAT_KEY,
    money_format_of,
    post_totals,
    priced_product,
)
from adapters.bigcommerce._emit import Emitter, is_number
from adapters.bigcommerce._emit_order import emitted_order
from adapters.bigcommerce._notes import note_order, note_post
from adapters.bigcommerce._read import (
    canonical_order,
    check_new_product,
    reject_consignments,
    require_pairs,
    validated,
)
from adapters.bigcommerce._spelling import OrderPart
from adapters.bigcommerce._states import closest_status
from adapters.bigcommerce.catalogs import (
    DEFAULT_STATUS_ID,
    PAYMENT_FIELDS,
    STATES_BY_STATUS,
    STATUS_LABELS,
    VENDOR,
)
from adapters.codec import Residue, restore, store, stored
from adapters.jsonvalues import require_json_values
from adapters.residue import apply_residue, residue_from_struct
from adapters.secrets import without_payment_field_secrets
from adapters.states import native_status_code, states_of
from core.numbering import line_numbers

# The API root the spec's examples use; the facade passes the store's real one.
DEFAULT_API_BASE = "https://api.bigcommerce.com/stores/{store_hash}/v2"


def order_from_bigcommerce(payload: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order for a BigCommerce order object (GET /v2/orders/{id}).

    `products`, `shipping_addresses` and `fees` may be GET's `{url, resource}` references or
    arrays of the sub-resource objects; `shipments` may be an array of shipments.
    """
    payload = without_payment_field_secrets(payload, PAYMENT_FIELDS)
    source = validated(models.Order, payload)
    order = canonical_order(source)
    money_format = money_format_of(payload)
    if money_format != FIXED_FORMAT:
        _vendor_struct(order).fields[MONEY_FORMAT_KEY].string_value = money_format

    def note(residue: Residue) -> None:
        # The residue repairs what BigCommerce reading its own order back would get wrong (its
        # own date_modified included); _notes spells key by key by _spelling's rules.
        note_order(payload, residue, _order_part(order))

    return _with_residue(order, payload, note)


def order_from_bigcommerce_post(body: Mapping[str, Any]) -> order_pb2.Order:
    """The order to create for POST /v2/orders, completed as BigCommerce completes it.

    status_id defaults to 1 (Pending); order_source is "external"; with no shipping address
    the billing address is used (the orders guide); line, subtotal and total amounts are
    computed from the products unless overridden (overrides come in ex/inc pairs). There is no
    catalog here: a catalog product sent without prices is priced 0. Only what the client sent
    without a canonical home (product_options, fees, form_fields, …) is kept as residue.
    """
    body = without_payment_field_secrets(body, PAYMENT_FIELDS)
    post = validated(models.OrderPost, body)
    reject_consignments(post.consignments)
    require_pairs(body)
    for index, product in enumerate(post.products):
        check_new_product(product, f"products[{index}]")
    products = [priced_product(product) for product in post.products]
    totals = post_totals(post, products)
    shipping = post.shipping_addresses or [
        models.ShippingAddress.model_validate(
            post.billing_address.model_dump(exclude_none=True, exclude={"form_fields"})
        )
    ]
    addresses = [address.model_dump(exclude_none=True) for address in shipping]
    addresses[0].setdefault("cost_ex_tax", totals["shipping_cost_ex_tax"])
    addresses[0].setdefault("cost_inc_tax", totals["shipping_cost_inc_tax"])
    addresses[0].setdefault("items_total", sum(p["quantity"] for p in products))
    completed = {
        **post.model_dump(exclude_none=True),
        **totals,
        "status_id": DEFAULT_STATUS_ID if post.status_id is None else post.status_id,
        "order_source": "external",
        "products": products,
        "shipping_addresses": addresses,
    }
    order = canonical_order(validated(models.Order, completed))

    def note(residue: Residue) -> None:
        # The order's part is built only for a kept key the writer writes too (product_options,
        # fees, …).
        note_post(body, residue, cache(partial(_order_part, order)))

    return _with_residue(order, body, note)


def order_to_bigcommerce(
    order: order_pb2.Order,
    *,
    api_base: str = DEFAULT_API_BASE,
    keep_vendor_date_modified: bool = False,
) -> dict[str, Any]:
    """The BigCommerce order object for any canonical order, as GET /v2/orders/{id} shows it.

    `products` and `shipping_addresses` are arrays of the sub-resource objects (the facade puts
    `resource_links` in their place for a top-level GET); `shipments` is there when the order
    has shipments, `fees` when it has a fee total. `date_modified` is the order's
    `update_time` (when it last changed here); `keep_vendor_date_modified=True` writes the
    date_modified BigCommerce sent instead (offline translation of BigCommerce's own order).
    """
    with localcontext(EXACT):
        payload = emitted_order(
            order, api_base, *status_of(order), keep_vendor_date_modified=keep_vendor_date_modified
        )
    if VENDOR not in order.vendor_data:
        return payload
    fields = order.vendor_data[VENDOR].fields
    if "residue" in fields:
        # Orders stored before the residue engine carry a list of edits instead.
        payload = apply_residue(payload, residue_from_struct(order.vendor_data[VENDOR]))
    return restore(payload, stored(order.vendor_data, VENDOR))


def products_to_bigcommerce(order: order_pb2.Order) -> list[dict[str, Any]]:
    """GET /v2/orders/{id}/products: the order's line items as orderProducts."""
    return _sub_resource(order_to_bigcommerce(order), "products")


def shipping_addresses_to_bigcommerce(
    order: order_pb2.Order, *, api_base: str = DEFAULT_API_BASE
) -> list[dict[str, Any]]:
    """GET /v2/orders/{id}/shipping_addresses: the destinations as orderShippingAddress."""
    return _sub_resource(order_to_bigcommerce(order, api_base=api_base), "shipping_addresses")


def shipments_to_bigcommerce(order: order_pb2.Order) -> list[dict[str, Any]]:
    """GET /v2/orders/{id}/shipments: the order's shipments as orderShipment."""
    return _sub_resource(order_to_bigcommerce(order), "shipments")


def resource_links(order_id: int, *, api_base: str = DEFAULT_API_BASE) -> dict[str, Any]:
    """The `{url, resource}` references a top-level GET order carries for its sub-resources."""
    return {
        key: {
            "url": f"{api_base}/orders/{order_id}/{name}",
            "resource": f"/orders/{order_id}/{name}",
        }
        for key, name in (("products", "products"), ("shipping_addresses", "shippingaddresses"))
    }


def status_of(order: order_pb2.Order) -> tuple[int, str]:
    """The BigCommerce (status_id, status label) of an order.

    The native status when BigCommerce set it and it still matches the order's states, else
    the closest status for the states (catalogs' tables, in _states.closest_status's order).
    """
    states = states_of(order)
    code = native_status_code(
        order,
        VENDOR,
        # BigCommerce status ids are integers written as text ("007" is 7).
        lambda code: is_number(code) and STATES_BY_STATUS.get(int(code)) == states,
    )
    status_id = closest_status(states) if code is None else int(code)
    return status_id, STATUS_LABELS[status_id]


def with_bigcommerce_ids(order: order_pb2.Order) -> order_pb2.Order:
    """The order with each id-less line and destination given the number BigCommerce shows.

    BigCommerce assigns product and shipping address ids when it creates an order; storing
    them keeps them stable when a PUT later adds or removes lines.
    """
    numbered = order_pb2.Order()
    numbered.CopyFrom(order)
    for line, number in zip(
        numbered.line_items, line_numbers([line.id for line in numbered.line_items]), strict=True
    ):
        line.id = line.id or str(number)
    destinations = numbered.shipping_destinations
    for destination, number in zip(
        destinations, line_numbers([d.id for d in destinations]), strict=True
    ):
        if not destination.id:
            destination.id = str(number)
            destination.address.id = destination.address.id or str(number)
    return numbered


def _sub_resource(emitted: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = emitted.get(key)
    return value if isinstance(value, list) else []


def _vendor_struct(order: order_pb2.Order) -> struct_pb2.Struct:
    return order.vendor_data[VENDOR]


def _order_part(order: order_pb2.Order) -> OrderPart:
    return OrderPart(Emitter(order, DEFAULT_API_BASE), *status_of(order))


def _with_residue(
    order: order_pb2.Order, payload: Mapping[str, Any], note: Callable[[Residue], None]
) -> order_pb2.Order:
    """The order with the residue `note` gathers from `payload` stored in its vendor data."""
    residue = Residue()
    try:
        with localcontext(EXACT):
            note(residue)
        store(order.vendor_data, VENDOR, residue)
    except (ValueError, UnicodeEncodeError):
        _name_unwritable(payload)
        raise
    return order


def _name_unwritable(payload: Mapping[str, Any]) -> None:
    """Raises TranslationError naming what the residue cannot write back exactly (a lone
    surrogate, a float, an integer past 64 bits). Only a payload built by hand gets here."""
    require_json_values(payload)
