"""BigCommerce residue notes: what a read's mapping did not consume and how BigCommerce spelled
what it did; pure, never renders an object (each key's written value is _spelling's rule)."""

# Each object kind consumes the keys its rules table in _spelling declares (the GET shapes
# order_Resp, billingAddress_Resp, orderProducts, orderShippingAddress, orderShipment of
# tests/vendor_specs/bigcommerce/orders.v2.oas2.yml); the rest of the object is kept as it came.
# A GET order's consumed key is spelled wherever its rule says the writer writes otherwise; a
# POST body keeps only what has no canonical home (catalogs' *_WITHOUT_HOME: BigCommerce
# computes the rest), spelled over what the writer writes for it when it writes that key too.

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from adapters.bigcommerce import models
from adapters.bigcommerce._spelling import (
    BILLING_RULES,
    ORDER_RULES,
    PRODUCT_RULES,
    SHIPMENT_RULES,
    SHIPPING_ADDRESS_RULES,
    DestinationPart,
    LinePart,
    OrderPart,
    Rules,
    ShipmentPart,
)
from adapters.bigcommerce.catalogs import (
    ORDER_FIELDS_WITHOUT_HOME,
    PRODUCT_FIELDS_WITHOUT_HOME,
    SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME,
)
from adapters.codec import ABSENT, Path, Residue, same

# The order's parts, noted object by object rather than as order-level values.
_PARTS = frozenset({"billing_address", "products", "shipping_addresses", "shipments"})
# The keys each GET object kind consumes: every key the writer may write for it.
ADDRESS_KEYS = frozenset(BILLING_RULES)
ORDER_KEYS = frozenset(ORDER_RULES) | _PARTS
PRODUCT_KEYS = frozenset(PRODUCT_RULES)
SHIPPING_ADDRESS_KEYS = frozenset(SHIPPING_ADDRESS_RULES)
SHIPMENT_KEYS = frozenset(SHIPMENT_RULES)
# A POST body's objects: what the mapping (or BigCommerce's completion) consumes.
POST_ORDER_KEYS = frozenset(models.OrderPost.model_fields) - ORDER_FIELDS_WITHOUT_HOME
POST_BILLING_KEYS = frozenset(models.BillingAddress.model_fields) - {"form_fields"}
POST_PRODUCT_KEYS = frozenset(models.Product.model_fields) - PRODUCT_FIELDS_WITHOUT_HOME
POST_SHIPPING_ADDRESS_KEYS = (
    frozenset(models.ShippingAddress.model_fields) - SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME
)
PartT = TypeVar("PartT")
# Values equal as JSON exactly when they are equal in Python and of one type (codec.same).
_SCALARS = frozenset({str, int, bool})


def _note_object(
    residue: Residue,
    raw: Mapping[str, Any],
    rules: Rules[PartT],
    consumed: frozenset[str],
    part: PartT,
    path: Path,
) -> None:
    """Keeps `raw`'s unconsumed keys and spells each ruled key the writer writes otherwise."""
    residue.keep_unconsumed(raw, consumed, path)
    get = raw.get
    for key, rule in rules.items():
        value = get(key, ABSENT)
        written = rule(part)
        kind = type(value)
        if value is written or (kind is type(written) and kind in _SCALARS and value == written):
            continue  # the common case: the payload spells it as the writer does
        if not same(written, value):
            residue.spell((*path, key), written, value)


def note_order(raw: Mapping[str, Any], residue: Residue, part: OrderPart) -> None:
    """Tells `residue` what of a GET order (`raw`, validated) its mapping left out and how
    BigCommerce spelled the rest where the writer writes otherwise; `part` is the order just
    mapped from it."""
    emit = part.emit
    order = part.order
    _note_object(residue, raw, ORDER_RULES, ORDER_KEYS, part, ())
    billing = raw.get("billing_address")
    if isinstance(billing, dict):
        path: Path = ("billing_address",)
        _note_object(residue, billing, BILLING_RULES, ADDRESS_KEYS, part, path)
    else:
        written = {key: rule(part) for key, rule in BILLING_RULES.items()}
        residue.note(raw, "billing_address", written, ())
    # A GET order's `{url, resource}` links (products, shipping_addresses) are spelled over the
    # empty arrays written while the order has none of what they point at.
    products = raw.get("products")
    if isinstance(products, list):
        for index in range(len(order.line_items)):
            path = ("products", index)
            line = LinePart(emit, index)
            _note_object(residue, products[index], PRODUCT_RULES, PRODUCT_KEYS, line, path)
    else:
        residue.note(raw, "products", [], ())
    addresses = raw.get("shipping_addresses")
    if isinstance(addresses, list):
        for index in range(len(order.shipping_destinations)):
            path = ("shipping_addresses", index)
            destination = DestinationPart(emit, index)
            rules = SHIPPING_ADDRESS_RULES
            _note_object(residue, addresses[index], rules, SHIPPING_ADDRESS_KEYS, destination, path)
    else:
        residue.note(raw, "shipping_addresses", [], ())
    shipments = raw.get("shipments")
    if isinstance(shipments, list) and shipments:
        for index in range(len(order.shipments)):
            path = ("shipments", index)
            shipment = ShipmentPart(emit, index)
            _note_object(residue, shipments[index], SHIPMENT_RULES, SHIPMENT_KEYS, shipment, path)
    else:
        residue.note(raw, "shipments", ABSENT, ())


def _keep_sent(
    residue: Residue,
    raw: Mapping[str, Any],
    consumed: frozenset[str],
    rules: Rules[PartT],
    part: Callable[[], PartT],
    path: Path,
) -> None:
    """Keeps what a POST object sent without a canonical home (a null is not kept); a key the
    writer writes anyway (a default, product_options' []) is spelled over its rule's value."""
    if raw.keys() <= consumed:  # the common case, tested in C
        return
    extra: dict[str, Any] = {}
    made: list[PartT] = []  # the part, built for the first ruled key
    for key, value in raw.items():
        if key in consumed or value is None:
            continue
        rule = rules.get(key)
        if rule is not None and not made:
            made.append(part())
        written = ABSENT if rule is None else rule(made[0])
        if written is ABSENT:  # a key the writer does not write (here): kept as sent
            extra[key] = value
        elif not same(written, value):
            residue.spell((*path, key), written, value)
    residue.keep(path, extra)


def _line_part(part: Callable[[], OrderPart], index: int) -> LinePart:
    return LinePart(part().emit, index)


def _destination_part(part: Callable[[], OrderPart], index: int) -> DestinationPart:
    return DestinationPart(part().emit, index)


def note_post(body: Mapping[str, Any], residue: Residue, part: Callable[[], OrderPart]) -> None:
    """Tells `residue` what a POST body (validated) sent without a canonical home, object by
    object. `part` gives the order just mapped, called only when a kept key has a rule."""
    _keep_sent(residue, body, POST_ORDER_KEYS, ORDER_RULES, part, ())
    billing = body["billing_address"]
    _keep_sent(residue, billing, POST_BILLING_KEYS, BILLING_RULES, part, ("billing_address",))
    for index, raw in enumerate(body["products"]):
        line = partial(_line_part, part, index)
        _keep_sent(residue, raw, POST_PRODUCT_KEYS, PRODUCT_RULES, line, ("products", index))
    for index, raw in enumerate(body.get("shipping_addresses") or ()):
        destination = partial(_destination_part, part, index)
        path: Path = ("shipping_addresses", index)
        rules = SHIPPING_ADDRESS_RULES
        _keep_sent(residue, raw, POST_SHIPPING_ADDRESS_KEYS, rules, destination, path)
