"""Drip REST API v2 order and refund JSON in Drip's own field names; validation only, no mapping.

Sources: Drip's developer docs (tests/vendor_specs/drip/docs-source/_orders.md, _batch_api.md,
_errors.md; seed 004). Drip publishes no machine-readable schema, so these models are it.
Custom errors use Drip's own error codes (_errors.md) as their pydantic error type.
"""

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

# _batch_api.md: "An Array with between 1 and 1000 objects containing order data."
MAX_ORDERS_PER_BATCH = 1000

FinancialState = Literal[
    "pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided"
]
FulfillmentState = Literal["not_fulfilled", "partially_fulfilled", "fulfilled"]

# Loose on purpose: Drip only documents "a valid email address" (_errors.md email_error).
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)


# A whole number of more digits than CPython's int() reads from text (int_max_str_digits) is
# refused before it is expanded: `1e999999999` is ten bytes of JSON and a billion digits. It is
# far beyond any Money, so _errors.md's range_error, "A numeric value is out of range"; the
# emitter's own cents beyond Money (a 64-bit price × a 64-bit quantity, about 42 digits) pass.
_MAX_CENTS_DIGITS = 4300


def _cents(value: object) -> int:
    # _orders.md: every amount is "in cents" (the currency's minor unit), so a whole number.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        if value.adjusted() >= _MAX_CENTS_DIGITS:  # no arithmetic: abs() would overflow
            raise PydanticCustomError("range_error", "is out of range")
        return int(value)  # 4900.0 is still 4900 cents; the residue keeps the ".0"
    raise PydanticCustomError("format_error", "must be a whole number of cents (minor units)")


def _count(value: object) -> int:
    # _orders.md's quantity is a JSON integer (the example's 1), and 2.0 is that integer too (JSON
    # Schema: a number with a zero fractional part), as 4900.0 is for amounts; the residue keeps
    # the ".0". A quantity is a 64-bit integer in the canonical order: beyond it Drip's
    # range_error ("A numeric value is out of range", _errors.md), checked before int() so that
    # 1e999999999 is not expanded.
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        if not -(2**63) <= value < 2**63:
            raise PydanticCustomError("range_error", "is out of range")
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise PydanticCustomError("format_error", "must be an integer")
    if not -(2**63) <= value < 2**63:
        raise PydanticCustomError("range_error", "is out of range")
    return value


def _identifier(value: object) -> str | int:
    # Ids are strings in every doc example; integration clients also send integer ids.
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise PydanticCustomError("format_error", "must be a string or an integer")


def _iso8601(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("time_error", "must be a valid time in ISO-8601 format") from None
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("email_error", "must be a valid email address")
    return value


def _url(value: str) -> str:
    if not _URL.match(value):
        raise PydanticCustomError("url_error", "must be a valid URL")
    return value


def _present(value: str | int) -> str | int:
    # Drip's presence_error treats a blank string like a missing one (_errors.md).
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("presence_error", "is required")
    return value


def is_drip_email(value: str) -> bool:
    """Whether Drip would take `value` as an e-mail address."""
    return bool(_EMAIL.match(value))


def is_drip_url(value: str) -> bool:
    """Whether Drip would take `value` as a URL."""
    return bool(_URL.match(value))


Cents = Annotated[int, PlainValidator(_cents), WithJsonSchema({"type": "integer"})]
Count = Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer"})]
DripId = Annotated[
    str | int,
    PlainValidator(_identifier),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
]
DripTime = Annotated[str, AfterValidator(_iso8601), WithJsonSchema({"type": "string"})]
DripEmail = Annotated[str, AfterValidator(_email), WithJsonSchema({"type": "string"})]
DripUrl = Annotated[str, AfterValidator(_url), WithJsonSchema({"type": "string"})]
RequiredText = Annotated[str, AfterValidator(_present)]
RequiredId = Annotated[DripId, AfterValidator(_present)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]


class DripModel(BaseModel):
    """Base of the Drip models: unknown fields are kept (they travel in the residue)."""

    model_config = ConfigDict(extra="allow")


class DripAddress(DripModel):
    """An order's billing_address or shipping_address (every key optional)."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address_1: str | None = None
    address_2: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None


class DripItem(DripModel):
    """One element of an order's items; name and amount are required (_orders.md arguments)."""

    id: DripId | None = None
    product_id: DripId | None = None
    sku: DripId | None = None
    amount: Cents
    name: RequiredText
    # _orders.md: "if omitted, defaults to 1".
    quantity: Count | None = None
    upstream_id: DripId | None = None
    upstream_product_id: DripId | None = None
    upstream_product_variant_id: DripId | None = None
    price: Cents | None = None
    tax: Cents | None = None
    fees: Cents | None = None
    discount: Cents | None = None
    taxable: StrictBool | None = None
    properties: dict[str, Any] | None = None
    # Not in the v2 item table; the v3 order activity items carry them (_order_activity.md).
    product_variant_id: DripId | None = None
    categories: list[str] | None = None
    product_url: DripUrl | None = None
    image_url: DripUrl | None = None
    brand: str | None = None


class DripLinks(DripModel):
    """The read-only links of the order object."""

    account: DripId | None = None
    subscriber: DripId | None = None


class DripOrder(DripModel):
    """One order: an element of the create/update request's `orders`, or the order object.

    `id` means two things in the docs: in a request it is the subscriber's Drip id ("Either
    email or id must be included"); in the order object (the one with `links`) it is the
    read-only Drip id of the order record.
    """

    email: DripEmail | None = None
    id: DripId | None = None
    provider: str | None = None
    upstream_id: DripId | None = None
    identifier: DripId | None = None
    amount: Cents
    tax: Cents | None = None
    fees: Cents | None = None
    discount: Cents | None = None
    permalink: DripUrl | None = None
    currency_code: CurrencyCode | None = None
    properties: dict[str, Any] | None = None
    occurred_at: DripTime | None = None
    closed_at: DripTime | None = None
    # _orders.md: "For an order that was not cancelled, this will be nil."
    cancelled_at: DripTime | None = None
    financial_state: FinancialState | None = None
    fulfillment_state: FulfillmentState | None = None
    billing_address: DripAddress | None = None
    shipping_address: DripAddress | None = None
    items: list[DripItem] | None = None
    links: DripLinks | None = None

    @model_validator(mode="after")
    def _names_its_subscriber(self) -> Self:
        # _orders.md: "Either email or id must be included"; the order object names its
        # subscriber in links.subscriber instead, its `id` being the order record's. An empty id
        # names no one: the canonical subscriber_id cannot hold "" (proto3 leaves it unset), so
        # such an order would be read without a subscriber and could not be written back.
        subscriber = self.links.subscriber if self.links is not None else self.id
        if self.email is None and subscriber in (None, ""):
            raise PydanticCustomError(
                "presence_error", "is required (or the subscriber's id)", {"attribute": "email"}
            )
        return self


class DripRefund(DripModel):
    """One element of the refunds request's `refunds`."""

    provider: RequiredText
    order_upstream_id: RequiredId
    upstream_id: DripId | None = None
    amount: Cents
    note: str | None = None
    processed_by: DripId | None = None
    processed_at: DripTime | None = None


class DripOrdersBody(DripModel):
    """The body of POST /v2/:account_id/orders."""

    orders: Annotated[list[DripOrder], Field(min_length=1)]


class DripOrderBatch(DripModel):
    """One batch of POST /v2/:account_id/orders/batches."""

    orders: Annotated[list[DripOrder], Field(min_length=1, max_length=MAX_ORDERS_PER_BATCH)]


class DripOrderBatchesBody(DripModel):
    """The body of POST /v2/:account_id/orders/batches."""

    batches: Annotated[list[DripOrderBatch], Field(min_length=1)]


class DripRefundsBody(DripModel):
    """The body of POST /v2/:account_id/refunds."""

    refunds: Annotated[list[DripRefund], Field(min_length=1)]


class DripError(BaseModel):
    """One entry of Drip's error response (_errors.md)."""

    code: str
    attribute: str | None = None
    message: str


class DripErrors(BaseModel):
    """Drip's error response body: `{"errors": [...]}`."""

    errors: list[DripError]
