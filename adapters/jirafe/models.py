"""Pydantic models of Jirafe Event API v2 order events in Jirafe's own field names; no logic.

Faithful to the JSON Schemas in tests/vendor_specs/jirafe (jsonschema/v2 master, 2015): what a
schema requires is required here, and what it leaves out is allowed (``extra="allow"``).
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    WithJsonSchema,
    field_validator,
)

# order-item.json bounds prices and quantities by 2^53, the integers a JavaScript number holds.
_JS_SAFE_LIMIT = 9007199254740992


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


def _json_number(value: object) -> Decimal:
    # Payloads are parsed with adapters.jsonvalues.loads: fractions arrive as Decimal, whole
    # numbers as int. Strings, booleans and floats are not JSON numbers (or not exact ones).
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("expected a JSON number")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError("expected a finite number")
    # Jirafe's senders and service are JavaScript: a number it cannot carry exactly as a double
    # would not survive the trip there (nor adapters.jsonvalues.dumps).
    if isinstance(value, Decimal) and Decimal(repr(float(amount))) != amount:
        raise ValueError("more digits than a JSON (double) number carries exactly")
    if abs(amount) >= 2**63:
        raise ValueError("too large")
    return amount


def _non_negative_safe(amount: Decimal) -> Decimal:
    if not 0 <= amount <= _JS_SAFE_LIMIT:
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
    PlainValidator(_json_number),
    AfterValidator(_non_negative_safe),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": _JS_SAFE_LIMIT}),
]
Quantity = Annotated[
    StrictInt,
    AfterValidator(_safe_integer),
    WithJsonSchema({"type": "integer", "minimum": -_JS_SAFE_LIMIT, "maximum": _JS_SAFE_LIMIT}),
]


class JirafeModel(BaseModel):
    """Base of every Jirafe model: unknown fields are kept, as the schemas allow them."""

    model_config = ConfigDict(extra="allow")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any) -> Any:
        # The schemas type every field (string, number…) and none allows null; an optional field
        # is one that may be left out, not one that may be null.
        if value is None:
            raise ValueError("null is not allowed")
        return value


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
    email: StrictStr | None = None
    name: StrictStr | None = None
    phone: StrictStr | None = None
    first_name: StrictStr | None = None
    last_name: StrictStr | None = None
    # The schema documents defaults (active true, opt-in false); None keeps "not sent" distinct.
    active_flag: StrictBool | None = None
    company: StrictStr | None = None
    department: StrictStr | None = None
    position: StrictStr | None = None
    marketing_opt_in: StrictBool | None = None
    cookies: dict[str, Any] | None = None


class Address(JirafeModel):
    """address.json: every field optional; `country` is the ISO 3166-1 alpha-2 code ("US")."""

    id: StrictStr | None = None
    address1: StrictStr | None = None
    address2: StrictStr | None = None
    city: StrictStr | None = None
    state: StrictStr | None = None
    postalcode: StrictStr | None = None
    country: StrictStr | None = None


class Catalog(JirafeModel):
    """product.json catalog."""

    id: StrictStr
    version_id: StrictStr | None = None
    name: StrictStr | None = None


class BaseProduct(JirafeModel):
    """product.json base_product: the parent of a variant."""

    id: StrictStr | None = None
    code: StrictStr | None = None
    name: StrictStr | None = None


class ProductVendor(JirafeModel):
    """product.json vendors[]."""

    id: StrictStr | None = None
    name: StrictStr | None = None


class ProductUrls(JirafeModel):
    """product.json urls."""

    admin: StrictStr | None = Field(default=None, json_schema_extra={"format": "uri"})
    store: StrictStr | None = Field(default=None, json_schema_extra={"format": "uri"})


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
    catalog: Catalog | None = None
    name: StrictStr | None = None
    ancestors: list[StrictStr] | None = None
    base_product: BaseProduct | None = None
    vendors: list[ProductVendor] | None = None
    brand: StrictStr | None = None
    rating: Number | None = None
    urls: ProductUrls | None = None
    images: list[Image] | None = None
    categories: list[Category] | None = None
    attributes: list[ProductAttribute] | None = None


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
    cart_id: StrictStr | None = None
    visit: Visit | None = None


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
    cart_id: StrictStr | None = None
    delivery_address: Address | None = None
    payment_address: Address | None = None
    previous_items: list[OrderItem] | None = None


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
