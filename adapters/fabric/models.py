# ruff: noqa: N815  # the models speak fabric's camelCase field names verbatim (STYLE.md)
"""fabric OMS v1 order JSON in fabric's own field names (pydantic v2); validates, never maps."""

# Source: the fabric reference page "Create subscriptions orders" (POST
# /api-order/subscriptions/orders, Orders v1 / OMS v1), copied in tests/seeds/003_*.txt: its
# example order object, its request body rules and its 200 response field list.

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, WithJsonSchema

FabricStatus = Literal[
    "ORDER_CREATED",
    "ORDER_CONFIRMED",
    "ORDER_CANCELLED",
    "ORDER_PARTIALLY_SHIPPED",
    "ORDER_SHIPPED",
    "ORDER_PARTIALLY_DELIVERED",
    "ORDER_DELIVERED",
    "ORDER_RETURNED",
    "ORDER_PARTIALLY_RETURNED",
    "ORDER_PAYMENT_AUTHORIZED",
    "ORDER_PAYMENT_INVALID",
    "ORDER_FULFILLED",
    "ORDER_PARTIALLY_FULFILLED",
    "ORDER_REFUNDED",
]


def _exact_number(value: Any) -> Any:
    """Accepts the exact numbers `adapters.jsonvalues.loads` produces (int, Decimal), no other."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("expected a JSON number")
    return value


# fabric writes money and other quantities as JSON numbers (orderTotal 125.33, estimatedTax 10).
FabricNumber = Annotated[
    Decimal, BeforeValidator(_exact_number), WithJsonSchema({"type": "number"})
]

# "Required range: x > 0" (orderTotal, taxTotal in the request body rules).
FabricPositiveNumber = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    Field(gt=0),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0}),
]

# Ids the example writes as numbers (shipToId 1000001, sku 1538910, zipCode 98004); text is
# accepted too because nothing in the docs promises a number.
FabricNumericId = StrictInt | str

# Counts and revisions land in int64 canonical fields.
Int64 = Annotated[StrictInt, Field(ge=-(2**63), le=2**63 - 1)]

# "Required string length: 3" (orderCurrency in the request body rules).
CurrencyCode = Annotated[str, Field(min_length=3, max_length=3)]


class FabricModel(BaseModel):
    """Base of every fabric shape: unknown fields are kept, never rejected."""

    model_config = ConfigDict(extra="allow")


class FabricName(FabricModel):
    """A person's name, split (address.name)."""

    first: str | None = None
    middle: str | None = None
    last: str | None = None


class FabricPhone(FabricModel):
    """A telephone number and its kind ("mobile")."""

    number: str | None = None
    kind: str | None = None


class FabricAddress(FabricModel):
    """A postal address with its contact (shipTo[].address, payments[].billToAddress)."""

    name: FabricName | None = None
    phone: FabricPhone | None = None
    email: str | None = None
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    zipCode: FabricNumericId | None = None
    kind: str | None = None


class FabricShipTo(FabricModel):
    """One ship-to of the order: address, shipping charge and shipment details (shipTo[])."""

    address: FabricAddress | None = None
    promosApplied: list[Any] | None = None
    id: str | None = Field(default=None, alias="_id")
    shipToId: FabricNumericId | None = None
    shipToType: str | None = None
    price: FabricNumber | None = None
    currency: CurrencyCode | None = None
    estimatedTax: FabricNumber | None = None
    committedTax: FabricNumber | None = None
    total: FabricNumber | None = None
    taxCode: str | None = None
    shipmentCarrier: str | None = None
    shipmentMethod: str | None = None
    shipmentMethodId: FabricNumericId | None = None
    promisedDeliveryDate: str | None = None
    shipmentInstructions: str | None = None
    shipmentStatus: str | None = None


class FabricItem(FabricModel):
    """One line item (items[])."""

    group: list[Any] | None = None
    promosApplied: list[Any] | None = None
    id: str | None = Field(default=None, alias="_id")
    lineItemId: FabricNumericId | None = None
    itemId: FabricNumericId | None = None
    priceListId: FabricNumericId | None = None
    sku: FabricNumericId | None = None
    title: str | None = None
    quantity: Int64 | None = None
    price: FabricNumber | None = None
    discount: FabricNumber | None = None
    currency: CurrencyCode | None = None
    shipToId: FabricNumericId | None = None
    estimatedTax: FabricNumber | None = None
    committedTax: FabricNumber | None = None
    total: FabricNumber | None = None
    taxCode: str | None = None
    weight: FabricNumber | None = None
    weightUnit: str | None = None
    reservedLocation: list[Any] | None = None
    attributes: list[Any] | None = None


class FabricPaymentIdentifier(FabricModel):
    """What identifies the card; only its last four digits are ever kept."""

    cardIdentifier: FabricNumericId | None = None


class FabricPaymentToken(FabricModel):
    """The payment token: accepted on input, never stored or emitted."""

    token: FabricNumericId | None = None


class FabricPayment(FabricModel):
    """One payment (payments[])."""

    billToAddress: FabricAddress | None = None
    shipToId: list[FabricNumericId] | None = None
    id: str | None = Field(default=None, alias="_id")
    billToId: FabricNumericId | None = None
    paymentIdentifier: FabricPaymentIdentifier | None = None
    paymentMethod: str | None = None
    paymentToken: FabricPaymentToken | None = None
    paymentKind: str | None = None
    amount: FabricNumber | None = None
    currency: CurrencyCode | None = None
    conversion: FabricNumber | None = None
    paymentStatus: str | None = None


class FabricOrder(FabricModel):
    """The order object as the 200 response returns it; lenient: only currency and status required.

    `cartId`, `notes` and `orderReference` are request-body fields a stored order carries back.
    """

    tags: list[str] | None = None
    id: str | None = Field(default=None, alias="_id")
    channel: FabricNumber | None = None
    orderTotal: FabricNumber | None = None
    taxTotal: FabricNumber | None = None
    orderCurrency: CurrencyCode
    status: FabricStatus
    statusLog: str | None = None
    customerUserId: str | None = None
    customerAccountId: str | None = None
    customerEmail: str | None = None
    customerPhone: FabricPhone | None = None
    orderId: str | None = None
    shipTo: list[FabricShipTo] | None = None
    items: list[FabricItem] | None = None
    shipments: list[Any] | None = None
    payments: list[FabricPayment] | None = None
    revision: Int64 | None = None
    totalQuantity: Int64 | None = None
    statusDescriptions: list[Any] | None = None
    events: list[Any] | None = None
    attributes: list[Any] | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    cartId: str | None = None
    notes: str | None = None
    orderReference: str | None = None


class FabricOrderRequest(FabricModel):
    """The POST /api-order/subscriptions/orders body, validated by the documented rules.

    The rules list no `items`, `payments` or `orderId`, but the page's own example sends them, so
    they are accepted (and checked) when present.
    """

    cartId: str = Field(min_length=24, max_length=24)
    channel: FabricNumber
    customerUserId: str = Field(min_length=24, max_length=24)
    orderCurrency: CurrencyCode
    orderTotal: FabricPositiveNumber
    shipTo: list[FabricShipTo]
    status: FabricStatus
    taxTotal: FabricPositiveNumber
    customerAccountId: str | None = Field(default=None, min_length=3)
    customerEmail: str | None = Field(default=None, min_length=3)
    customerPhone: FabricPhone | None = None
    events: list[dict[str, Any]] | None = None
    notes: str | None = Field(default=None, min_length=1)
    orderReference: str | None = None
    statusLog: str | None = None
    tags: list[str] | None = None
    orderId: str | None = None
    items: list[FabricItem] | None = None
    payments: list[FabricPayment] | None = None
