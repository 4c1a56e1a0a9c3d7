"""Pydantic models of Jirafe Event API v2 order events in Jirafe's own field names; no logic.

Faithful to the JSON Schemas in tests/vendor_specs/jirafe (jsonschema/v2 master, 2015): what a
schema requires is required here, and what it leaves out is allowed (``extra="allow"``).
"""

from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# order-item.json bounds prices and quantities by 2^53, the integers a JavaScript number holds.
_JS_SAFE_LIMIT = 9007199254740992


# Dates repeat across the lines of an event and across events (a product's dates): each text is
# checked once (the function is pure).
@lru_cache(maxsize=4096)
def _iso8601(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("not an ISO 8601 date-time") from None
    # A date-time reads as a UTC Timestamp (years 1 to 9999); an offset can carry a schema-valid
    # one just past them ("0001-01-01T00:00:00+01:00" is in year 0). A naive one is taken as UTC.
    if moment.tzinfo is not None:
        try:
            moment.astimezone(UTC)
        except OverflowError:
            raise ValueError("outside the years 1 to 9999 in UTC") from None
    return value


_TOO_LARGE = Decimal(2**63)
# A decimal of at most 15 significant digits is exact as a double (DBL_DIG): so is any number
# whose text, without an exponent, is at most 15 characters long (the common case, no float).
_SURELY_DOUBLE_LENGTH = 15


def _json_number(value: object) -> Decimal:
    # Payloads are parsed with adapters.jsonvalues.loads: fractions arrive as Decimal, whole
    # numbers as int. Strings, booleans and floats are not JSON numbers (or not exact ones).
    if type(value) is Decimal or type(value) is int:  # the common case, first
        number: Decimal | int = value
    elif isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("expected a JSON number")
    else:
        number = value
    amount = number if type(number) is Decimal else Decimal(number)
    if not amount.is_finite():
        raise ValueError("expected a finite number")
    # Jirafe's senders and service are JavaScript: a number it cannot carry exactly as a double
    # would not survive the trip there (nor adapters.jsonvalues.dumps).
    if isinstance(number, Decimal):
        text = str(amount)
        if (len(text) > _SURELY_DOUBLE_LENGTH or "E" in text) and Decimal(
            repr(float(amount))
        ) != amount:
            raise ValueError("more digits than a JSON (double) number carries exactly")
    if abs(amount) >= _TOO_LARGE:
        raise ValueError("too large")
    return amount


_NO_AMOUNT = Decimal(0)
_JS_SAFE_AMOUNT = Decimal(_JS_SAFE_LIMIT)


def _json_price(value: object) -> Decimal:
    amount = _json_number(value)
    if not _NO_AMOUNT <= amount <= _JS_SAFE_AMOUNT:
        raise ValueError(f"must be between 0 and {_JS_SAFE_LIMIT}")
    return amount


def _safe_integer(quantity: int) -> int:
    if not -_JS_SAFE_LIMIT <= quantity <= _JS_SAFE_LIMIT:
        raise ValueError(f"must be between -{_JS_SAFE_LIMIT} and {_JS_SAFE_LIMIT}")
    return quantity


DateTime = Annotated[
    StrictStr, AfterValidator(_iso8601), WithJsonSchema({"type": "string", "format": "date-time"})
]
Number = Annotated[Decimal, PlainValidator(_json_number), WithJsonSchema({"type": "number"})]
Price = Annotated[
    Decimal,
    PlainValidator(_json_price),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": _JS_SAFE_LIMIT}),
]
Quantity = Annotated[
    StrictInt,
    AfterValidator(_safe_integer),
    WithJsonSchema({"type": "integer", "minimum": -_JS_SAFE_LIMIT, "maximum": _JS_SAFE_LIMIT}),
]


_T = TypeVar("_T")


class _NotNull:
    """An optional field: one that may be left out, not one that may be null (the schemas type
    every field, string, number…, and none allows null). pydantic-core refuses the null itself,
    with no Python call per field; the published JSON schema stays as pydantic writes an
    optional field (string or null)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        return schema["schema"] if schema["type"] == "nullable" else schema

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [handler(schema), {"type": "null"}]}  # as pydantic writes `X | None`


# A field the schema does not require: None when left out, refused when sent as null.
Omittable = Annotated[_T | None, _NotNull()]


class JirafeModel(BaseModel):
    """Base of every Jirafe model: unknown fields are kept, as the schemas allow them."""

    model_config = ConfigDict(extra="allow")


class Visit(JirafeModel):
    """The tracker cookies tying an order-placed event to a visit (order-placed.json visit)."""

    visit_id: StrictStr
    visitor_id: StrictStr
    pageview_id: StrictStr
    last_pageview_id: StrictStr


class Customer(JirafeModel):
    """customer.json."""

    id: StrictStr
    create_date: DateTime
    change_date: DateTime
    email: Omittable[StrictStr] = None
    name: Omittable[StrictStr] = None
    phone: Omittable[StrictStr] = None
    first_name: Omittable[StrictStr] = None
    last_name: Omittable[StrictStr] = None
    # The schema documents defaults (active true, opt-in false); None keeps "not sent" distinct.
    active_flag: Omittable[StrictBool] = None
    company: Omittable[StrictStr] = None
    department: Omittable[StrictStr] = None
    position: Omittable[StrictStr] = None
    marketing_opt_in: Omittable[StrictBool] = None
    cookies: Omittable[dict[str, Any]] = None


class Address(JirafeModel):
    """address.json: every field optional; `country` is the ISO 3166-1 alpha-2 code ("US")."""

    id: Omittable[StrictStr] = None
    address1: Omittable[StrictStr] = None
    address2: Omittable[StrictStr] = None
    city: Omittable[StrictStr] = None
    state: Omittable[StrictStr] = None
    postalcode: Omittable[StrictStr] = None
    country: Omittable[StrictStr] = None


class Catalog(JirafeModel):
    """product.json catalog."""

    id: StrictStr
    version_id: Omittable[StrictStr] = None
    name: Omittable[StrictStr] = None


class BaseProduct(JirafeModel):
    """product.json base_product: the parent of a variant."""

    id: Omittable[StrictStr] = None
    code: Omittable[StrictStr] = None
    name: Omittable[StrictStr] = None


class ProductVendor(JirafeModel):
    """product.json vendors[]."""

    id: Omittable[StrictStr] = None
    name: Omittable[StrictStr] = None


class ProductUrls(JirafeModel):
    """product.json urls."""

    admin: Omittable[StrictStr] = Field(default=None, json_schema_extra={"format": "uri"})
    store: Omittable[StrictStr] = Field(default=None, json_schema_extra={"format": "uri"})


class Image(JirafeModel):
    """product.json images[]."""

    url: StrictStr = Field(json_schema_extra={"format": "uri"})


class Category(JirafeModel):
    """product.json categories[]."""

    id: StrictStr
    name: StrictStr


class ProductAttribute(JirafeModel):
    """product.json attributes[]: what sets a SKU apart from its base product ("red")."""

    id: StrictStr
    name: StrictStr
    value: StrictStr


class Product(JirafeModel):
    """product.json."""

    id: StrictStr
    is_product: StrictBool
    is_sku: StrictBool
    code: StrictStr
    create_date: DateTime
    change_date: DateTime
    catalog: Omittable[Catalog] = None
    name: Omittable[StrictStr] = None
    ancestors: Omittable[list[StrictStr]] = None
    base_product: Omittable[BaseProduct] = None
    vendors: Omittable[list[ProductVendor]] = None
    brand: Omittable[StrictStr] = None
    rating: Omittable[Number] = None
    urls: Omittable[ProductUrls] = None
    images: Omittable[list[Image]] = None
    categories: Omittable[list[Category]] = None
    attributes: Omittable[list[ProductAttribute]] = None


class OrderItem(JirafeModel):
    """order-item.json."""

    id: StrictStr
    create_date: DateTime
    change_date: DateTime
    order_item_number: StrictStr
    quantity: Quantity
    status: Literal["accepted", "cancelled"]
    price: Price
    discount_price: Price
    product: Product


class OrderPlaced(JirafeModel):
    """order-placed.json: sent first, tying the order number to the visit cookies."""

    order_number: StrictStr
    customer: Customer
    status: Literal["placed"]
    order_date: DateTime
    cart_id: Omittable[StrictStr] = None
    visit: Omittable[Visit] = None


class OrderAccepted(JirafeModel):
    """order-accepted.json: the whole order once paid, re-sent whenever its items change."""

    order_number: StrictStr
    customer: Customer
    order_date: DateTime
    create_date: DateTime
    change_date: DateTime
    status: Literal["accepted"]
    subtotal: Number
    total: Number
    total_tax: Number
    total_shipping: Number
    total_payment_cost: Number
    total_discounts: Number
    currency: StrictStr
    # The schema's `"minimum": 1` on this array is a no-op (minItems was meant); not enforced.
    items: list[OrderItem]
    cart_id: Omittable[StrictStr] = None
    delivery_address: Omittable[Address] = None
    payment_address: Omittable[Address] = None
    previous_items: Omittable[list[OrderItem]] = None


class OrderCancelled(JirafeModel):
    """order-cancelled.json: the whole order was cancelled."""

    order_number: StrictStr
    cancel_date: DateTime
    status: Literal["cancelled"]


def _event_status(event: Any) -> str | None:
    status = event.get("status") if isinstance(event, dict) else getattr(event, "status", None)
    return status if isinstance(status, str) else None


# A callable discriminator: a field-named one refuses the null check above on `status`.
OrderEvent = Annotated[
    Annotated[OrderPlaced, Tag("placed")]
    | Annotated[OrderAccepted, Tag("accepted")]
    | Annotated[OrderCancelled, Tag("cancelled")],
    Discriminator(_event_status),
]
"""Any event of the order endpoint (POST/PUT /v2/{site_id}/order), told apart by `status`."""
