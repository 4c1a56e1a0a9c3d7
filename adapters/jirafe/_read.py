"""Jirafe events → canonical order and the residue of what it did not map; never writes an event."""

# Raises only TranslationError, naming the Jirafe field ("items[0].price"). Sources: the JSON
# Schemas in tests/vendor_specs/jirafe (order-placed.json, order-accepted.json,
# order-cancelled.json and the customer, address, order-item and product schemas they $ref) and
# order_endpoint.md (seed 000). Each object's mapping declares the keys it consumes (the *_KEYS
# sets below); the rest of the object is kept in the residue as it came (adapters.codec), and a
# consumed value Jirafe spelled otherwise than _emit writes it (4.50 or 12 for 4.5 or 12.0, ""
# for nothing, a date without milliseconds, a value _emit derives differently) is noted with its
# spelling. Jirafe events carry no secrets (no payment object), so nothing is cleaned.

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2
from pydantic import BaseModel, ValidationError

from adapters.codec import ABSENT, Path, Residue, same
from adapters.errors import TranslationError, path_of
from adapters.jirafe import models
from adapters.jirafe._formats import read_date, written_amount
from adapters.jirafe.catalogs import LABEL_BY_STATUS, NO_CURRENCY, STATE_BY_STATUS, VENDOR
from adapters.money import money_from_decimal

_EVENT_MODELS: dict[str, type[BaseModel]] = {
    "placed": models.OrderPlaced,
    "accepted": models.OrderAccepted,
    "cancelled": models.OrderCancelled,
}

# The keys each object's mapping consumes; anything else in the object is kept as it came
# (order-placed.json, order-accepted.json, order-cancelled.json and the schemas they $ref).
PLACED_KEYS = frozenset({"order_number", "status", "order_date", "customer", "cart_id", "visit"})
ACCEPTED_KEYS = frozenset(
    {
        "order_number", "status", "order_date", "create_date", "change_date", "customer",
        "cart_id", "subtotal", "total", "total_tax", "total_shipping", "total_payment_cost",
        "total_discounts", "currency", "delivery_address", "payment_address", "items",
        "previous_items",
    }
)  # fmt: skip
CANCELLED_KEYS = frozenset({"order_number", "cancel_date", "status"})
VISIT_KEYS = frozenset({"visit_id", "visitor_id", "pageview_id", "last_pageview_id"})
# customer.json: active_flag, company, department, position and cookies have no canonical home.
CUSTOMER_KEYS = frozenset(
    {
        "id", "create_date", "change_date", "email", "name", "phone", "first_name", "last_name",
        "marketing_opt_in",
    }
)  # fmt: skip
ADDRESS_KEYS = frozenset({"id", "address1", "address2", "city", "state", "postalcode", "country"})
ITEM_KEYS = frozenset(
    {
        "id", "create_date", "change_date", "order_item_number", "quantity", "status", "price",
        "discount_price", "product",
    }
)  # fmt: skip
# product.json: ancestors, base_product, vendors, rating and attributes have no canonical home.
PRODUCT_KEYS = frozenset(
    {
        "id", "is_product", "is_sku", "code", "create_date", "change_date", "catalog", "name",
        "brand", "urls", "images", "categories",
    }
)  # fmt: skip
CATALOG_KEYS = frozenset({"id", "name"})  # catalog.version_id has no canonical home
CATEGORY_KEYS = frozenset({"id", "name"})
IMAGE_KEYS = frozenset({"url"})
URLS_KEYS = frozenset({"store"})  # urls.admin has no canonical home

_NULL_REASON = "Value error, null is not allowed"

# Optional text _emit writes only when not empty: an empty one sent is noted.
_CUSTOMER_TEXTS = ("email", "name", "phone", "first_name", "last_name")
_PRODUCT_TEXTS = ("name", "brand")
_ADDRESS_TEXTS = ("id", "address1", "address2", "city", "state", "postalcode", "country")


# Validation.


def validated(kind: str, event: Mapping[str, Any]) -> Any:
    """The event as the model of its kind; TranslationError naming the first invalid field."""
    try:
        return _EVENT_MODELS[kind].model_validate(dict(event))
    except ValidationError as error:
        first = error.errors()[0]
        location = first["loc"]
        reason = first["msg"]
        if first["input"] is None and location and isinstance(location[-1], str):
            # A field sent as null (a list element's null keeps pydantic's reason): no schema
            # allows null, the field may only be left out (models.Omittable).
            reason = _NULL_REASON
        raise TranslationError(path_of(location), reason) from None


def order_from_event(
    kind: str, model: Any, raw: Mapping[str, Any], residue: Residue
) -> order_pb2.Order:
    """The canonical order of a validated event of `kind` (`raw`: the JSON it was validated from),
    telling `residue` what the mapping did not consume."""
    return _ORDER_READERS[kind](model, raw, residue)


# Spellings: how Jirafe wrote a consumed value, where _emit would write it otherwise.


def _note_empty_texts(
    residue: Residue, raw: Mapping[str, Any], keys: Iterable[str], path: Path
) -> None:
    """Notes each empty text ("") sent where _emit writes the key only when not empty."""
    if "" not in raw.values():  # the common case, tested in C
        return
    for key in keys:
        if raw.get(key) == "":
            residue.spell((*path, key), ABSENT, "")


def _read_amount(
    target: order_pb2.Money,
    raw: Mapping[str, Any],
    key: str,
    currency: str,
    path: Path,
    residue: Residue,
) -> None:
    """Sets `target` to the (validated) amount at raw[key], noting the payload's spelling when
    _emit writes it otherwise (4.50 or 12 for 4.5 or 12.0)."""
    value = raw[key]
    try:
        if type(value) is Decimal:
            units, nanos, written = _amount_reading(str(value))
        else:  # a JSON integer (validated): _emit writes 12.0 for 12
            amount = Decimal(value)
            units, nanos, _ = _amount_reading(str(amount))
            written = written_amount(amount)
    except TranslationError as error:
        raise error.under(path_of((*path, key))) from None
    target.currency_code = currency
    target.units = units
    target.nanos = nanos
    if written is not None:
        residue.spell((*path, key), written, value)


# Amounts repeat within an event (0.0, a price and the total) and across events: each spelling
# is read once. Keyed by the Decimal's text, which keeps its spelling (4.50 is not 4.5).
@lru_cache(maxsize=4096)
def _amount_reading(text: str) -> tuple[int, int, Decimal | None]:
    """The Money units and nanos of a JSON number's text, and what _emit writes for it when
    that is spelled otherwise (None: as sent)."""
    amount = Decimal(text)
    money = money_from_decimal(amount, "")
    written = written_amount(amount)
    return money.units, money.nanos, None if same(written, amount) else written


def _read_time(
    target: timestamp_pb2.Timestamp,
    raw: Mapping[str, Any],
    key: str,
    path: Path,
    residue: Residue,
) -> str:
    """Sets `target` to the date at raw[key]; returns the text _emit writes for it, noting the
    payload's own spelling when it differs (no milliseconds, an offset)."""
    text: str = raw[key]
    try:
        seconds, nanos, written = read_date(text)
    except TranslationError as error:
        raise error.under(path_of((*path, key))) from None
    target.seconds = seconds
    target.nanos = nanos
    if written != text:
        residue.spell((*path, key), written, text)
    return written


# The order's parts.


def _new_order(order_number: str, kind: str) -> order_pb2.Order:
    if not order_number:
        raise TranslationError("order_number", "must not be empty: it identifies the order")
    order = order_pb2.Order(
        order_number=order_number,
        external_refs=[order_pb2.ExternalRef(source=VENDOR, id=order_number)],
        native_status=order_pb2.NativeStatus(source=VENDOR, code=kind, label=LABEL_BY_STATUS[kind]),
    )
    order.lifecycle_state, order.payment_state, order.fulfillment_state = STATE_BY_STATUS[kind]
    return order


def _currency_code(currency: str) -> str:
    # order_endpoint.md: an ISO 4217 code ("USD"); the schema says only "string".
    if len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
        raise TranslationError("currency", f"expected an ISO 4217 code, got {currency!r}")
    return currency.upper()


def _read_customer(
    target: order_pb2.Customer, customer: models.Customer, raw: Mapping[str, Any], residue: Residue
) -> None:
    path: Path = ("customer",)
    target.id = customer.id
    if customer.email is not None:
        target.email = customer.email
    _read_time(target.create_time, raw, "create_date", path, residue)
    _read_time(target.update_time, raw, "change_date", path, residue)
    # customer.json marketing_opt_in: the shopper agreed to marketing (e-mail) messages.
    target.email_opt_in = bool(customer.marketing_opt_in)
    # customer.json takes the name's parts and the whole separately: the whole is not split.
    first, last, full = customer.first_name, customer.last_name, customer.name
    if first is not None or last is not None or full is not None:
        name = target.name
        name.SetInParent()
        name.given_name = first or ""
        name.family_name = last or ""
        name.full_name = full or ""
    if customer.phone is not None:
        target.phone.number = customer.phone
    residue.keep_unconsumed(raw, CUSTOMER_KEYS, path)
    _note_empty_texts(residue, raw, _CUSTOMER_TEXTS, path)
    if not customer.id and customer.email:
        # A guest has no id at most vendors: _emit writes the e-mail in its place.
        residue.spell((*path, "id"), customer.email, customer.id)
    if customer.marketing_opt_in is False:
        # The schema's default, which _emit leaves out.
        residue.spell((*path, "marketing_opt_in"), ABSENT, False)


def _read_address(
    target: order_pb2.Address,
    address: models.Address,
    raw: Mapping[str, Any],
    path: Path,
    residue: Residue,
) -> None:
    target.SetInParent()
    target.id = address.id or ""
    target.line1 = address.address1 or ""
    target.line2 = address.address2 or ""
    target.city = address.city or ""
    target.region = address.state or ""
    target.postal_code = address.postalcode or ""
    # order_endpoint.md examples send "US": an ISO 3166-1 alpha-2 code, not a country name.
    target.country_code = address.country or ""
    residue.keep_unconsumed(raw, ADDRESS_KEYS, path)
    _note_empty_texts(residue, raw, _ADDRESS_TEXTS, path)


def _read_product(
    target: order_pb2.Product,
    product: models.Product,
    raw: Mapping[str, Any],
    item_id: str,
    path: Path,
    residue: Residue,
) -> None:
    """The product of a line whose written id is `item_id` (_emit's fallback for the product's)."""
    target.id = product.id
    target.code = product.code
    if product.name:
        target.name = product.name
    if product.brand:
        target.brand = product.brand
    target.is_product = product.is_product
    target.is_sku = product.is_sku
    _read_time(target.create_time, raw, "create_date", path, residue)
    _read_time(target.update_time, raw, "change_date", path, residue)
    residue.keep_unconsumed(raw, PRODUCT_KEYS, path)
    _note_empty_texts(residue, raw, _PRODUCT_TEXTS, path)
    written_id = product.id or item_id
    if not product.id:
        residue.spell((*path, "id"), written_id, product.id)
    if not product.code:
        residue.spell((*path, "code"), written_id, product.code)
    if not (product.is_product or product.is_sku):
        # product_endpoint.md: no product is neither; _emit writes a simple product (both).
        residue.spell((*path, "is_product"), True, False)
        residue.spell((*path, "is_sku"), True, False)
    if product.catalog is not None:
        catalog = target.catalog
        catalog.SetInParent()
        catalog.id = product.catalog.id
        catalog.name = product.catalog.name or ""
        catalog_path = (*path, "catalog")
        residue.keep_unconsumed(raw["catalog"], CATALOG_KEYS, catalog_path)
        _note_empty_texts(residue, raw["catalog"], ("name",), catalog_path)
    categories = product.categories
    if categories is not None:
        categories_path = (*path, "categories")
        if not categories:  # _emit writes no categories for none
            residue.spell(categories_path, ABSENT, [])
        entries, raw_categories = target.categories, raw["categories"]
        for index, category in enumerate(categories):
            entries.add(id=category.id, name=category.name)
            residue.keep_unconsumed(raw_categories[index], CATEGORY_KEYS, (*categories_path, index))
    images = product.images
    if images is not None:
        images_path = (*path, "images")
        if not images:  # _emit writes no images for none
            residue.spell(images_path, ABSENT, [])
        target.image_urls.extend([image.url for image in images])
        raw_images = raw["images"]
        for index in range(len(images)):
            residue.keep_unconsumed(raw_images[index], IMAGE_KEYS, (*images_path, index))
    urls = product.urls
    if urls is not None:
        if urls.store:
            target.url = urls.store
            residue.keep_unconsumed(raw["urls"], URLS_KEYS, (*path, "urls"))
        else:  # _emit writes urls only for a store URL
            residue.spell((*path, "urls"), ABSENT, raw["urls"])


def _read_line_item(
    line: order_pb2.LineItem,
    item: models.OrderItem,
    raw: Mapping[str, Any],
    index: int,
    currency: str,
    path: Path,
    residue: Residue,
) -> None:
    line.id = item.id
    line.line_number = item.order_item_number
    line.quantity = item.quantity
    line.status = item.status
    _read_amount(line.unit_price, raw, "price", currency, path, residue)
    _read_amount(line.discounted_unit_price, raw, "discount_price", currency, path, residue)
    _read_time(line.create_time, raw, "create_date", path, residue)
    _read_time(line.update_time, raw, "change_date", path, residue)
    residue.keep_unconsumed(raw, ITEM_KEYS, path)
    # order-item.json requires both; _emit numbers a line without them by its position.
    position = item.order_item_number or str(index + 1)
    if not item.order_item_number:
        residue.spell((*path, "order_item_number"), position, item.order_item_number)
    item_id = item.id or position
    if not item.id:
        residue.spell((*path, "id"), item_id, item.id)
    _read_product(line.product, item.product, raw["product"], item_id, (*path, "product"), residue)


def _read_line_items(
    lines: Any,
    items: list[models.OrderItem],
    raw: list[Any],
    currency: str,
    key: str,
    residue: Residue,
) -> None:
    for index, item in enumerate(items):
        _read_line_item(lines.add(), item, raw[index], index, currency, (key, index), residue)


def _order_from_placed(
    event: models.OrderPlaced, raw: Mapping[str, Any], residue: Residue
) -> order_pb2.Order:
    order = _new_order(event.order_number, "placed")
    order.currency_code = NO_CURRENCY
    _read_time(order.place_time, raw, "order_date", (), residue)
    _read_customer(order.customer, event.customer, raw["customer"], residue)
    if event.cart_id is not None:
        order.cart_id = event.cart_id
    if event.visit is not None:
        visit = event.visit
        attribution = order.attribution
        attribution.SetInParent()
        attribution.visit_id = visit.visit_id
        attribution.visitor_id = visit.visitor_id
        attribution.pageview_id = visit.pageview_id
        attribution.last_pageview_id = visit.last_pageview_id
        residue.keep_unconsumed(raw["visit"], VISIT_KEYS, ("visit",))
    residue.keep_unconsumed(raw, PLACED_KEYS, ())
    _note_empty_texts(residue, raw, ("cart_id",), ())
    return order


def _order_from_accepted(
    event: models.OrderAccepted, raw: Mapping[str, Any], residue: Residue
) -> order_pb2.Order:
    order = _new_order(event.order_number, "accepted")
    currency = _currency_code(event.currency)
    order.currency_code = currency
    if currency != event.currency:  # "usd": _emit writes the code upper-cased
        residue.spell(("currency",), currency, event.currency)
    order_date = _read_time(order.place_time, raw, "order_date", (), residue)
    # create_date has no canonical home (Order.create_time is the server's): _emit writes the
    # order date there, so a create_date other than that text is noted as sent.
    create_date = event.create_date
    try:
        read_date(create_date)
    except TranslationError as error:
        raise error.under("create_date") from None
    if create_date != order_date:
        residue.spell(("create_date",), order_date, create_date)
    _read_time(order.vendor_update_time, raw, "change_date", (), residue)
    _read_customer(order.customer, event.customer, raw["customer"], residue)
    if event.cart_id is not None:
        order.cart_id = event.cart_id
    totals = (
        ("subtotal", order.subtotal),
        ("total", order.total),
        ("total_tax", order.tax_total),
        ("total_shipping", order.shipping_total),
        ("total_payment_cost", order.payment_cost_total),
        ("total_discounts", order.discount_total),
    )
    for key, target in totals:
        _read_amount(target, raw, key, currency, (), residue)
    if event.delivery_address is not None:
        destination = order.shipping_destinations.add()
        _read_address(
            destination.address,
            event.delivery_address,
            raw["delivery_address"],
            ("delivery_address",),
            residue,
        )
    if event.payment_address is not None:
        _read_address(
            order.billing_address,
            event.payment_address,
            raw["payment_address"],
            ("payment_address",),
            residue,
        )
    _read_line_items(order.line_items, event.items, raw["items"], currency, "items", residue)
    if event.previous_items is None:
        # order_endpoint.md asks for previous_items with every accepted event: _emit writes [].
        residue.spell(("previous_items",), [], ABSENT)
    else:
        _read_line_items(
            order.previous_line_items,
            event.previous_items,
            raw["previous_items"],
            currency,
            "previous_items",
            residue,
        )
    residue.keep_unconsumed(raw, ACCEPTED_KEYS, ())
    _note_empty_texts(residue, raw, ("cart_id",), ())
    return order


def _order_from_cancelled(
    event: models.OrderCancelled, raw: Mapping[str, Any], residue: Residue
) -> order_pb2.Order:
    order = _new_order(event.order_number, "cancelled")
    order.currency_code = NO_CURRENCY
    _read_time(order.cancel_time, raw, "cancel_date", (), residue)
    residue.keep_unconsumed(raw, CANCELLED_KEYS, ())
    return order


_ORDER_READERS: dict[str, Callable[[Any, Mapping[str, Any], Residue], order_pb2.Order]] = {
    "placed": _order_from_placed,
    "accepted": _order_from_accepted,
    "cancelled": _order_from_cancelled,
}
