"""BigCommerce Orders v2 JSON ↔ orderbridge.v1.Order: pure translation; no I/O, no floats."""

# Raises only TranslationError, naming the BigCommerce field ("products[2].price_ex_tax").
# Sources: tests/vendor_specs/bigcommerce/orders.v2.oas2.yml ("the spec"), seed 002 (the Orders
# reference) and BigCommerce's V2 Orders API overview ("the orders guide"). The mapping and the
# state tables are documented in README.md, "Vendor mappings".

import copy
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from typing import Any, TypeVar, get_args

from google.protobuf import field_mask_pb2, struct_pb2
from orderbridge.v1 import order_pb2, order_service_pb2
from pydantic import BaseModel, ValidationError

from adapters.bigcommerce import models
from adapters.errors import TranslationError
from adapters.money import decimal_from_money, money_from_decimal
from adapters.residue import apply_residue, residue_between, residue_from_struct, residue_to_value
from adapters.secrets import without_payment_field_secrets
from adapters.times import format_rfc2822, parse_rfc2822
from core.numbering import line_numbers

VENDOR = "bigcommerce"
# The API root the spec's examples use; the facade passes the store's real one.
DEFAULT_API_BASE = "https://api.bigcommerce.com/stores/{store_hash}/v2"
# A store without multi-currency answers in its default currency, which the API does not name.
DEFAULT_CURRENCY = "USD"
# vendor_data["bigcommerce"] key telling how the order's money strings were written.
MONEY_FORMAT_KEY = "money_format"
# "336.3200": the four places BigCommerce writes; "plain": "924.47", "8" (the spec's
# "Multiple Items" example writes every amount that way).
FIXED_FORMAT = "fixed"
PLAIN_FORMAT = "plain"
_FOUR_PLACES = Decimal("0.0001")
_TEN_PLACES = Decimal("0.0000000001")
# A canonical amount has up to 28 significant digits (64-bit units, nine places) and a quantity
# up to 19: a line's price × quantity, and sums of many of them, need more than the default
# context's 28 digits. With these, every amount an order can hold is shown exactly (then
# rounded to four places), never rounded early nor refused by quantize.
_EXACT = Context(prec=120)
# Integer ids BigCommerce writes as JSON numbers; a longer run of digits is not one of its ids
# (and Python reads at most 4300 digits as an int).
_MAX_ID = 2**63 - 1
# adapters.jsonvalues writes integers of 64 bits as JSON integers; a larger count (a sum of
# 64-bit quantities) is written from its exact Decimal text, as fabric's totalQuantity is.
_INT64 = range(-(2**63), 2**63)

L = order_pb2.LifecycleState
P = order_pb2.PaymentState
F = order_pb2.FulfillmentState
# (lifecycle_state, payment_state, fulfillment_state).
StateTriple = tuple[order_pb2.LifecycleState, order_pb2.PaymentState, order_pb2.FulfillmentState]

# ---------------------------------------------------------------------------------------------
# Statuses: GET /order_statuses as the spec's orderStatusCollection_Resp example shows it (the
# example's "- Testing" custom labels are that store's renames; an unrenamed store repeats the
# system label).
# ---------------------------------------------------------------------------------------------
_STATUS_DESCRIPTIONS: dict[int, str] = {
    0: (
        "An incomplete order happens when a shopper reached the payment page,"
        " but did not complete the transaction."
    ),
    1: "Customer started the checkout process, but did not complete it.",
    2: (
        "Order has been shipped, but receipt has not been confirmed;"
        " seller has used the Ship Items action."
    ),
    3: (
        "Only some items in the order have been shipped,"
        " due to some products being pre-order only or other reasons."
    ),
    4: "Seller has used the Refund action.",
    5: "Seller has cancelled an order, due to a stock inconsistency or other reasons.",
    6: "Seller has marked the order as declined for lack of manual payment, or other reasons.",
    7: "Customer has completed checkout process, but payment has yet to be confirmed.",
    8: ("Order has been pulled, and is awaiting customer pickup from a seller-specified location."),
    9: ("Order has been pulled and packaged, and is awaiting collection from a shipping provider."),
    10: ("Client has paid for their digital product and their file(s) are available for download."),
    11: "Customer has completed the checkout process and payment has been confirmed.",
    12: "Order is on hold while some aspect needs to be manually confirmed.",
    13: (
        "Customer has initiated a dispute resolution process"
        " for the PayPal transaction that paid for the order."
    ),
    14: "Seller has partially refunded the order.",
}
# (id, name, sort order in the control panel).
_STATUS_NAMES_AND_ORDER: list[tuple[int, str, int]] = [
    (0, "Incomplete", 0),
    (1, "Pending", 1),
    (2, "Shipped", 8),
    (3, "Partially Shipped", 6),
    (4, "Refunded", 11),
    (5, "Cancelled", 9),
    (6, "Declined", 10),
    (7, "Awaiting Payment", 2),
    (8, "Awaiting Pickup", 5),
    (9, "Awaiting Shipment", 4),
    (10, "Completed", 7),
    (11, "Awaiting Fulfillment", 3),
    (12, "Manual Verification Required", 13),
    (13, "Disputed", 12),
    (14, "Partially Refunded", 14),
]
ORDER_STATUSES: list[dict[str, Any]] = [
    {
        "id": status_id,
        "name": name,
        "system_label": name,
        "custom_label": name,
        "system_description": _STATUS_DESCRIPTIONS[status_id],
        "order": sort_order,
    }
    for status_id, name, sort_order in _STATUS_NAMES_AND_ORDER
]
STATUS_LABELS: dict[int, str] = {status["id"]: status["name"] for status in ORDER_STATUSES}
# The orders guide: "When status_id is not specified, the automatic value is 1 (Pending)".
DEFAULT_STATUS_ID = 1

# Each BigCommerce status as exactly one canonical (lifecycle, payment, fulfillment) triple.
# UNSPECIFIED fulfillment: BigCommerce's refund and dispute statuses say nothing about shipping.
STATES_BY_STATUS: dict[int, StateTriple] = {
    0: (L.LIFECYCLE_STATE_DRAFT, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    1: (L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    2: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_SHIPPED),
    3: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_PARTIALLY_SHIPPED),
    4: (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_REFUNDED, F.FULFILLMENT_STATE_UNSPECIFIED),
    5: (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_VOIDED, F.FULFILLMENT_STATE_UNFULFILLED),
    6: (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_DECLINED, F.FULFILLMENT_STATE_UNFULFILLED),
    7: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    8: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_AWAITING_PICKUP),
    9: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_AWAITING_SHIPMENT),
    10: (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_FULFILLED),
    11: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_UNFULFILLED),
    12: (L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    13: (L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_DISPUTED, F.FULFILLMENT_STATE_UNSPECIFIED),
    14: (
        L.LIFECYCLE_STATE_CONFIRMED,
        P.PAYMENT_STATE_PARTIALLY_REFUNDED,
        F.FULFILLMENT_STATE_UNSPECIFIED,
    ),
}
STATUS_BY_STATES: dict[StateTriple, int] = {
    states: status_id for status_id, states in STATES_BY_STATUS.items()
}
# The closest status for a triple no BigCommerce status has; the rules apply in this order.
# 1. A cancelled order: Declined or Refunded when the payment says so, else Cancelled.
STATUS_OF_CANCELLED_BY_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_DECLINED: 6,
    P.PAYMENT_STATE_REFUNDED: 4,
}
CANCELLED_STATUS = 5
# 2. A draft is Incomplete whatever else it says.
DRAFT_STATUS = 0
# 3. A payment state BigCommerce has its own status for.
STATUS_BY_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_REFUNDED: 4,
    P.PAYMENT_STATE_PARTIALLY_REFUNDED: 14,
    P.PAYMENT_STATE_DISPUTED: 13,
    P.PAYMENT_STATE_DECLINED: 6,
    P.PAYMENT_STATE_VOIDED: 6,
}
# 4. A lifecycle BigCommerce has its own status for.
STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, int] = {
    L.LIFECYCLE_STATE_ON_HOLD: 12,
    L.LIFECYCLE_STATE_COMPLETED: 10,
}
# 5. How far fulfillment got (returns happen after shipping).
STATUS_BY_FULFILLMENT: dict[order_pb2.FulfillmentState, int] = {
    F.FULFILLMENT_STATE_AWAITING_PICKUP: 8,
    F.FULFILLMENT_STATE_AWAITING_SHIPMENT: 9,
    F.FULFILLMENT_STATE_PARTIALLY_FULFILLED: 3,
    F.FULFILLMENT_STATE_PARTIALLY_SHIPPED: 3,
    F.FULFILLMENT_STATE_PARTIALLY_DELIVERED: 3,
    F.FULFILLMENT_STATE_FULFILLED: 2,
    F.FULFILLMENT_STATE_SHIPPED: 2,
    F.FULFILLMENT_STATE_DELIVERED: 10,
    F.FULFILLMENT_STATE_PARTIALLY_RETURNED: 2,
    F.FULFILLMENT_STATE_RETURNED: 2,
}
# 6. Nothing shipped yet: paid orders await fulfillment, authorized ones await payment (the
# spec's order 218 is Awaiting Payment with payment_status "authorized").
STATUS_BY_OPEN_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_PAID: 11,
    P.PAYMENT_STATE_AUTHORIZED: 7,
    P.PAYMENT_STATE_PARTIALLY_PAID: 7,
}
# 7. Otherwise: a confirmed order awaits payment when payment is pending and fulfillment when
# nothing is known about payment (Jirafe "accepted"); anything else is Pending.
STATUS_OF_CONFIRMED_BY_PAYMENT: dict[order_pb2.PaymentState, int] = {
    P.PAYMENT_STATE_PENDING: 7,
    P.PAYMENT_STATE_UNSPECIFIED: 11,
}

# payment_status (read-only, an enum in order_RespOnly) for an order whose payment carries no
# BigCommerce value.
PAYMENT_STATUS_BY_STATE: dict[order_pb2.PaymentState, str] = {
    P.PAYMENT_STATE_UNSPECIFIED: "",
    P.PAYMENT_STATE_PENDING: "pending",
    P.PAYMENT_STATE_AUTHORIZED: "authorized",
    P.PAYMENT_STATE_PARTIALLY_PAID: "capture pending",
    P.PAYMENT_STATE_PAID: "captured",
    P.PAYMENT_STATE_PARTIALLY_REFUNDED: "partially refunded",
    P.PAYMENT_STATE_REFUNDED: "refunded",
    P.PAYMENT_STATE_VOIDED: "void",
    P.PAYMENT_STATE_DECLINED: "declined",
    P.PAYMENT_STATE_DISPUTED: "held for review",
}
# shipping_provider_display_name (read-only) for the spec's standard providers.
SHIPPING_PROVIDER_NAMES: dict[str, str] = {
    "auspost": "Australia Post",
    "canadapost": "Canada Post",
    "endicia": "Endicia",
    "usps": "USPS",
    "fedex": "FedEx",
    "ups": "UPS",
    "upsready": "UPS",
    "upsonline": "UPS",
    "shipperhq": "ShipperHQ",
    "royalmail": "Royal Mail",
}

# Order money fields and their canonical homes (the proto comments name these BigCommerce
# fields). The *_tax amounts next to them are derived: inc minus ex.
ORDER_MONEY_FIELDS: dict[str, str] = {
    "subtotal_ex_tax": "subtotal",
    "subtotal_inc_tax": "subtotal_including_tax",
    "base_shipping_cost": "base_shipping_cost",
    "shipping_cost_ex_tax": "shipping_total",
    "shipping_cost_inc_tax": "shipping_total_including_tax",
    "base_handling_cost": "base_handling_cost",
    "handling_cost_ex_tax": "handling_total",
    "handling_cost_inc_tax": "handling_total_including_tax",
    "base_wrapping_cost": "base_wrapping_cost",
    "wrapping_cost_ex_tax": "wrapping_total",
    "wrapping_cost_inc_tax": "wrapping_total_including_tax",
    "total_ex_tax": "total_excluding_tax",
    "total_inc_tax": "total",
    "total_tax": "tax_total",
    "refunded_amount": "refunded_total",
    "store_credit_amount": "store_credit_total",
    "gift_certificate_amount": "gift_certificate_total",
    "discount_amount": "discount_total",
    "coupon_discount": "coupon_discount_total",
}
# The order's payment, carried as top-level order fields (order_Full in the spec): card numbers
# in them are masked and payment tokens dropped before anything is read or kept
# (adapters.secrets). payment_provider_id is the provider's transaction id ("The external
# Transaction ID/Payment ID"): it stays as sent unless it is a Luhn-valid card number.
PAYMENT_FIELDS = frozenset(
    {"payment_method", "payment_provider_id", "payment_status", "credit_card_type"}
)
# Fields with no canonical home: they travel in the residue (and, for a POST, are the only
# residue kept). Listed in README.md, "Vendor mappings".
ORDER_FIELDS_WITHOUT_HOME = frozenset(
    {
        "shipping_cost_tax_class_id",
        "handling_cost_tax_class_id",
        "wrapping_cost_tax_class_id",
        "is_tax_inclusive_pricing",
        "currency_id",
        "currency_exchange_rate",
        "default_currency_id",
        "store_default_currency_code",
        "store_default_to_transactional_exchange_rate",
        "ebay_order_id",
        "external_id",
        "external_merchant_id",
        "external_order_id",
        "tax_provider_id",
        "credit_card_type",
        "consignments",
        "fees",
        "form_fields",
    }
)
PRODUCT_FIELDS_WITHOUT_HOME = frozenset(
    {
        "order_pickup_method_id",
        "type",
        "base_price",
        "base_total",
        "weight",
        "width",
        "height",
        "depth",
        "base_cost_price",
        "cost_price_inc_tax",
        "cost_price_ex_tax",
        "cost_price_tax",
        "refund_amount",
        "return_id",
        "wrapping_id",
        "wrapping_name",
        "base_wrapping_cost",
        "wrapping_cost_ex_tax",
        "wrapping_cost_inc_tax",
        "wrapping_cost_tax",
        "wrapping_message",
        "event_name",
        "event_date",
        "fixed_shipping_cost",
        "ebay_item_id",
        "ebay_transaction_id",
        "option_set_id",
        "parent_order_product_id",
        "is_bundled_product",
        "bin_picking_number",
        "external_id",
        "applied_discounts",
        "product_options",
        "configurable_fields",
        "gift_certificate_id",
    }
)
SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME = frozenset(
    {
        "base_cost",
        "cost_tax_class_id",
        "base_handling_cost",
        "handling_cost_ex_tax",
        "handling_cost_inc_tax",
        "handling_cost_tax",
        "handling_cost_tax_class_id",
        "shipping_zone_id",
        "shipping_zone_name",
        "shipping_quotes",
        "form_fields",
    }
)
SHIPMENT_FIELDS_WITHOUT_HOME = frozenset(
    {"generated_tracking_link", "shipping_provider_display_name", "billing_address"}
)
# Money strings whose writing (four places or plain) the order keeps as its money format.
_MONEY_KEYS = frozenset(
    {
        *ORDER_MONEY_FIELDS,
        "subtotal_tax",
        "shipping_cost_tax",
        "handling_cost_tax",
        "wrapping_cost_tax",
        "base_price",
        "price_ex_tax",
        "price_inc_tax",
        "price_tax",
        "base_total",
        "total_ex_tax",
        "total_inc_tax",
        "total_tax",
        "base_cost_price",
        "cost_price_inc_tax",
        "cost_price_ex_tax",
        "cost_price_tax",
        "refund_amount",
        "wrapping_cost_ex_tax",
        "wrapping_cost_inc_tax",
        "fixed_shipping_cost",
        "discounted_total_inc_tax",
        "base_cost",
        "cost_ex_tax",
        "cost_inc_tax",
        "cost_tax",
        "handling_cost_ex_tax",
        "handling_cost_inc_tax",
        "merchant_shipping_cost",
    }
)
# Read-only order fields a PUT must not carry (order_RespOnly and the readOnly properties of
# order_Put); BigCommerce answers 400 "The field '…' cannot be written to." for them.
PUT_READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "date_modified",
        "date_shipped",
        "cart_id",
        "status",
        "custom_status",
        "subtotal_tax",
        "shipping_cost_tax",
        "shipping_cost_tax_class_id",
        "handling_cost_tax",
        "handling_cost_tax_class_id",
        "wrapping_cost_tax",
        "wrapping_cost_tax_class_id",
        "payment_status",
        "store_credit_amount",
        "gift_certificate_amount",
        "currency_id",
        "currency_code",
        "currency_exchange_rate",
        "default_currency_id",
        "default_currency_code",
        "store_default_currency_code",
        "store_default_to_transactional_exchange_rate",
        "coupon_discount",
        "shipping_address_count",
        "total_tax",
        "is_tax_inclusive_pricing",
        "is_email_opt_in",
        "coupons",
        "external_id",
        "tax_provider_id",
        # order_Shared: "a PUT request to update the order will return a 400 error".
        "external_merchant_id",
    }
)
# Overrides that come in pairs ("If specified, the field `…` is also required").
_PAIRED_OVERRIDES: tuple[tuple[str, str], ...] = (
    ("subtotal_ex_tax", "subtotal_inc_tax"),
    ("total_ex_tax", "total_inc_tax"),
    ("shipping_cost_ex_tax", "shipping_cost_inc_tax"),
)
_LINK_FIELDS = ("products", "shipping_addresses", "fees")

ModelT = TypeVar("ModelT", bound=BaseModel)


# ---------------------------------------------------------------------------------------------
# Validation and small conversions
# ---------------------------------------------------------------------------------------------
def _vendor_path(loc: Sequence[int | str], data: Any) -> str:
    """The vendor field path of a pydantic error location, skipping union member tags."""
    path = ""
    node = data
    for index, step in enumerate(loc):
        is_last = index == len(loc) - 1
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            path += f"[{step}]"
            node = node[step]
        elif isinstance(step, str) and isinstance(node, Mapping) and (step in node or is_last):
            path += f".{step}" if path else step
            node = node.get(step)
    return path


def _validated(model: type[ModelT], payload: Any, path: str = "") -> ModelT:
    """`payload` as `model`; the error names the vendor field under `path`."""
    if not isinstance(payload, Mapping):
        raise TranslationError(path, "expected a JSON object")
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        first = error.errors()[0]
        field = _vendor_path(first["loc"], payload)
        raise TranslationError(field, first["msg"]).under(path) from None


def _money(amount: Decimal, currency_code: str, field: str) -> order_pb2.Money:
    try:
        return money_from_decimal(amount, currency_code)
    except TranslationError as error:
        raise error.under(field) from None


def _amount(message: Any, field: str) -> Decimal:
    """The amount of a Money field, zero when unset."""
    if message.HasField(field):
        return decimal_from_money(getattr(message, field))
    return Decimal(0)


def _optional_amount(message: Any, field: str) -> Decimal | None:
    return decimal_from_money(getattr(message, field)) if message.HasField(field) else None


def _text(value: str | None) -> str:
    return value or ""


def _is_number(text: str) -> bool:
    """Whether a canonical string id is a BigCommerce integer id (ASCII digits, 64 bits)."""
    if not (text.isascii() and text.isdigit()):
        return False
    return len(text.lstrip("0")) <= len(str(_MAX_ID)) and int(text) <= _MAX_ID


def _json_count(value: int) -> int | Decimal:
    """A count as a JSON number: beyond 64 bits, its exact Decimal (see _INT64)."""
    return value if value in _INT64 else Decimal(value)


def _number_or(text: str, default: int) -> int:
    """An integer id from a canonical string id; `default` when it is not one."""
    return int(text) if _is_number(text) else default


def _format_money(amount: Decimal, money_format: str) -> str:
    """BigCommerce money text: four places ("336.3200") or plain ("924.47", "8")."""
    # Four places is all BigCommerce keeps; finer canonical amounts round half-even.
    fixed = amount.quantize(_FOUR_PLACES, rounding=ROUND_HALF_EVEN)
    if money_format == PLAIN_FORMAT:
        return f"{fixed.normalize():f}"
    return f"{fixed:f}"


def _format_rate(amount: Decimal, money_format: str) -> str:
    """An exchange rate: ten places ("1.0000000000") or plain ("1")."""
    if money_format == PLAIN_FORMAT:
        return f"{amount.normalize():f}"
    return f"{amount.quantize(_TEN_PLACES):f}"


def _is_fixed(text: str) -> bool:
    _, dot, fraction = text.partition(".")
    return bool(dot) and len(fraction) == 4 and fraction.isdigit()


def _is_plain(text: str) -> bool:
    try:
        return f"{Decimal(text).normalize():f}" == text
    except ArithmeticError:
        return False


def _money_texts(node: Any) -> Iterable[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in _MONEY_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _money_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _money_texts(item)


def money_format_of(payload: Mapping[str, Any]) -> str:
    """ "plain" when every money string is written plain and some not with four places."""
    texts = list(_money_texts(payload))
    if all(_is_fixed(text) for text in texts) or not all(_is_plain(text) for text in texts):
        return FIXED_FORMAT
    return PLAIN_FORMAT


def _person_name(first: str | None, last: str | None) -> order_pb2.PersonName:
    return order_pb2.PersonName(given_name=_text(first), family_name=_text(last))


def first_and_last_name(name: order_pb2.PersonName) -> tuple[str, str]:
    """BigCommerce first_name/last_name: middle names join the first; a whole name is split."""
    first = " ".join(part for part in (name.given_name, name.middle_name) if part)
    if first or name.family_name:
        return first, name.family_name
    given, _, family = name.full_name.strip().rpartition(" ")
    return (given, family) if given else (family, "")


# ---------------------------------------------------------------------------------------------
# Statuses
# ---------------------------------------------------------------------------------------------
def _states(order: order_pb2.Order) -> StateTriple:
    return (order.lifecycle_state, order.payment_state, order.fulfillment_state)


def _closest_status(states: StateTriple) -> int:
    lifecycle, payment, fulfillment = states
    if states in STATUS_BY_STATES:
        return STATUS_BY_STATES[states]
    if lifecycle == L.LIFECYCLE_STATE_CANCELLED:
        return STATUS_OF_CANCELLED_BY_PAYMENT.get(payment, CANCELLED_STATUS)
    if lifecycle == L.LIFECYCLE_STATE_DRAFT:
        return DRAFT_STATUS
    if payment in STATUS_BY_PAYMENT:
        return STATUS_BY_PAYMENT[payment]
    if lifecycle in STATUS_BY_LIFECYCLE:
        return STATUS_BY_LIFECYCLE[lifecycle]
    if fulfillment in STATUS_BY_FULFILLMENT:
        return STATUS_BY_FULFILLMENT[fulfillment]
    if payment in STATUS_BY_OPEN_PAYMENT:
        return STATUS_BY_OPEN_PAYMENT[payment]
    if lifecycle == L.LIFECYCLE_STATE_CONFIRMED:
        return STATUS_OF_CONFIRMED_BY_PAYMENT.get(payment, DEFAULT_STATUS_ID)
    return DEFAULT_STATUS_ID


def status_of(order: order_pb2.Order) -> tuple[int, str]:
    """The BigCommerce (status_id, status label) of an order.

    The native status when BigCommerce set it and it still matches the order's states, else
    the closest status for the states (the tables above, in their order).
    """
    native = order.native_status
    if native.source == VENDOR and _is_number(native.code):
        code = int(native.code)
        if STATES_BY_STATUS.get(code) == _states(order):
            return code, STATUS_LABELS[code]
    status_id = _closest_status(_states(order))
    return status_id, STATUS_LABELS[status_id]


def _set_status(order: order_pb2.Order, status_id: int, label: str | None) -> None:
    lifecycle, payment, fulfillment = STATES_BY_STATUS[status_id]
    order.lifecycle_state = lifecycle
    order.payment_state = payment
    order.fulfillment_state = fulfillment
    order.native_status.CopyFrom(
        order_pb2.NativeStatus(
            source=VENDOR, code=str(status_id), label=label or STATUS_LABELS[status_id]
        )
    )


# ---------------------------------------------------------------------------------------------
# BigCommerce → canonical
# ---------------------------------------------------------------------------------------------
def _address_from_bigcommerce(
    address: models.AddressFields,
) -> order_pb2.Address:
    result = order_pb2.Address(
        name=_person_name(address.first_name, address.last_name),
        company=_text(address.company),
        line1=_text(address.street_1),
        line2=_text(address.street_2),
        city=_text(address.city),
        region=_text(address.state),
        postal_code=_text(address.zip),
        country=_text(address.country),
        country_code=_text(address.country_iso2),
        email=_text(address.email),
    )
    if address.phone:
        result.phone.number = address.phone
    return result


def _line_item_from_bigcommerce(
    product: models.Product, currency: str, path: str
) -> order_pb2.LineItem:
    line = order_pb2.LineItem(
        sku=_text(product.sku),
        name=_text(product.name or product.name_customer),
        # The spec's POST example "Multiple Products" leaves quantity out of a catalog product.
        quantity=1 if product.quantity is None else product.quantity,
        quantity_shipped=product.quantity_shipped or 0,
        quantity_refunded=product.quantity_refunded or 0,
    )
    if product.id is not None:
        line.id = str(product.id)
    if product.order_address_id is not None:
        line.destination_id = str(product.order_address_id)
    # Custom products carry product_id 0: no catalog product.
    if product.product_id:
        line.product.id = str(product.product_id)
    if product.variant_id is not None:
        line.product.variant_id = str(product.variant_id)
    # Set only what was sent: a touched sub-message becomes present in the proto.
    if product.name_merchant:
        line.product.name = product.name_merchant
    if product.brand:
        line.product.brand = product.brand
    if product.upc:
        line.product.upc = product.upc
    money_fields = {
        "price_ex_tax": ("unit_price", product.price_ex_tax),
        "price_inc_tax": ("unit_price_including_tax", product.price_inc_tax),
        "total_tax": ("tax", product.total_tax),
        "total_inc_tax": ("total", product.total_inc_tax),
    }
    for vendor_field, (field, amount) in money_fields.items():
        if amount is not None:
            getattr(line, field).CopyFrom(_money(amount, currency, f"{path}.{vendor_field}"))
    if product.applied_discounts:
        discount = sum((d.amount or Decimal(0) for d in product.applied_discounts), Decimal(0))
        line.discount.CopyFrom(_money(discount, currency, f"{path}.applied_discounts"))
    return line


def _destination_from_bigcommerce(
    address: models.ShippingAddress, currency: str, path: str
) -> order_pb2.ShippingDestination:
    destination = order_pb2.ShippingDestination(
        address=_address_from_bigcommerce(address),
        method=_text(address.shipping_method),
        items_total=address.items_total or 0,
        items_shipped=address.items_shipped or 0,
    )
    if address.id is not None:
        destination.id = str(address.id)
        destination.address.id = str(address.id)
    money_fields = {
        "cost_ex_tax": ("shipping_cost", address.cost_ex_tax),
        "cost_inc_tax": ("shipping_cost_including_tax", address.cost_inc_tax),
        "cost_tax": ("shipping_tax", address.cost_tax),
    }
    for vendor_field, (field, amount) in money_fields.items():
        if amount is not None:
            getattr(destination, field).CopyFrom(_money(amount, currency, f"{path}.{vendor_field}"))
    return destination


def _shipment_from_bigcommerce(
    shipment: models.Shipment, currency: str, path: str
) -> order_pb2.Shipment:
    result = order_pb2.Shipment(
        tracking_number=_text(shipment.tracking_number),
        tracking_carrier=_text(shipment.tracking_carrier),
        tracking_link=_text(shipment.tracking_link),
        shipping_method=_text(shipment.shipping_method),
        shipping_provider=_text(shipment.shipping_provider),
        comments=_text(shipment.comments),
    )
    if shipment.id is not None:
        result.id = str(shipment.id)
    if shipment.order_address_id is not None:
        result.destination_id = str(shipment.order_address_id)
    if shipment.date_created:
        result.create_time.CopyFrom(parse_rfc2822(shipment.date_created, f"{path}.date_created"))
    if shipment.merchant_shipping_cost is not None:
        result.merchant_shipping_cost.CopyFrom(
            _money(shipment.merchant_shipping_cost, currency, f"{path}.merchant_shipping_cost")
        )
    for item in shipment.items or []:
        result.items.append(
            order_pb2.ShipmentItem(
                line_item_id="" if item.order_product_id is None else str(item.order_product_id),
                product_id=str(item.product_id) if item.product_id else "",
                quantity=item.quantity or 0,
            )
        )
    return result


def _fee_amount(fee: models.Fee) -> Decimal:
    """What a fee costs the shopper: cost_inc_tax, else cost_ex_tax plus cost_tax."""
    if fee.cost_inc_tax is not None:
        return fee.cost_inc_tax
    return (fee.cost_ex_tax or Decimal(0)) + (fee.cost_tax or Decimal(0))


def _fee_amount_excluding_tax(fee: models.Fee) -> Decimal:
    if fee.cost_ex_tax is not None:
        return fee.cost_ex_tax
    return _fee_amount(fee) - (fee.cost_tax or Decimal(0))


def _set_time(order: order_pb2.Order, field: str, text: str | None, path: str) -> None:
    # BigCommerce writes "" for a date it does not have (date_shipped of an unshipped order).
    if text:
        getattr(order, field).CopyFrom(parse_rfc2822(text, path))


def _canonical_order(source: models.Order) -> order_pb2.Order:
    """The canonical order for a validated BigCommerce order, without any residue."""
    currency = source.default_currency_code or source.currency_code or DEFAULT_CURRENCY
    order = order_pb2.Order(
        currency_code=currency,
        cart_id=_text(source.cart_id),
        source=_text(source.order_source),
        external_source=_text(source.external_source),
        staff_notes=_text(source.staff_notes),
        customer_message=_text(source.customer_message),
        ip_address=source.ip_address or source.ip_address_v6 or "",
        geoip_country=_text(source.geoip_country),
        geoip_country_code=_text(source.geoip_country_iso2),
        digital=bool(source.order_is_digital),
    )
    if source.id is not None:
        order.order_number = str(source.id)
        order.external_refs.append(order_pb2.ExternalRef(source=VENDOR, id=str(source.id)))
    if source.channel_id is not None:
        order.channel = str(source.channel_id)
    _set_time(order, "place_time", source.date_created, "date_created")
    _set_time(order, "vendor_update_time", source.date_modified, "date_modified")
    _set_time(order, "close_time", source.date_shipped, "date_shipped")
    _set_status(
        order,
        DEFAULT_STATUS_ID if source.status_id is None else source.status_id,
        source.status,
    )
    for vendor_field, field in ORDER_MONEY_FIELDS.items():
        amount = getattr(source, vendor_field)
        if amount is not None:
            getattr(order, field).CopyFrom(_money(amount, currency, vendor_field))
    if isinstance(source.fees, list) and source.fees:
        fees = sum((_fee_amount(fee) for fee in source.fees), Decimal(0))
        order.fee_total.CopyFrom(_money(fees, currency, "fees"))

    customer = order.customer
    if source.customer_id is not None:
        customer.id = str(source.customer_id)
    customer.locale = _text(source.customer_locale)
    customer.email_opt_in = bool(source.is_email_opt_in)
    if source.billing_address is not None:
        order.billing_address.CopyFrom(_address_from_bigcommerce(source.billing_address))
        customer.email = order.billing_address.email
        customer.name.CopyFrom(order.billing_address.name)

    payment_fields = (source.payment_method, source.payment_provider_id, source.payment_status)
    if any(value is not None for value in payment_fields):
        order.payments.append(
            order_pb2.Payment(
                method=_text(source.payment_method),
                provider_transaction_id=(
                    "" if source.payment_provider_id is None else str(source.payment_provider_id)
                ),
                status=_text(source.payment_status),
            )
        )
    if isinstance(source.products, list):
        for index, product in enumerate(source.products):
            order.line_items.append(
                _line_item_from_bigcommerce(product, currency, f"products[{index}]")
            )
    if isinstance(source.shipping_addresses, list):
        for index, address in enumerate(source.shipping_addresses):
            order.shipping_destinations.append(
                _destination_from_bigcommerce(address, currency, f"shipping_addresses[{index}]")
            )
    for index, shipment in enumerate(source.shipments or []):
        order.shipments.append(
            _shipment_from_bigcommerce(shipment, currency, f"shipments[{index}]")
        )
    return order


def _vendor_struct(order: order_pb2.Order) -> struct_pb2.Struct:
    return order.vendor_data[VENDOR]


def _without_residue(order: order_pb2.Order) -> order_pb2.Order:
    bare = order_pb2.Order()
    bare.CopyFrom(order)
    if VENDOR in bare.vendor_data and "residue" in bare.vendor_data[VENDOR].fields:
        del bare.vendor_data[VENDOR].fields["residue"]
    return bare


def _without_links(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload without the `{url, resource}` references GET puts for sub-resources."""
    return {
        key: value
        for key, value in payload.items()
        if not (key in _LINK_FIELDS and isinstance(value, Mapping))
    }


def _attach_residue(
    order: order_pb2.Order,
    original: Mapping[str, Any],
    keep: Callable[[dict[str, str | None]], bool] = lambda edit: True,
) -> order_pb2.Order:
    """Records what re-emitting `order` would get wrong about `original`."""
    sent = copy.deepcopy(_without_links(original))
    # The residue repairs what BigCommerce reading its own order back would get wrong.
    emitted = order_to_bigcommerce(_without_residue(order), keep_vendor_date_modified=True)
    for key in _LINK_FIELDS:
        if key not in sent and isinstance(original.get(key), Mapping):
            emitted.pop(key, None)
    residue = [edit for edit in residue_between(sent, emitted) if keep(edit)]
    if residue:
        _vendor_struct(order).fields["residue"].CopyFrom(residue_to_value(residue))
    return order


def order_from_bigcommerce(payload: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order for a BigCommerce order object (GET /v2/orders/{id}).

    `products`, `shipping_addresses` and `fees` may be GET's `{url, resource}` references or
    arrays of the sub-resource objects; `shipments` may be an array of shipments.
    """
    payload = without_payment_field_secrets(payload, PAYMENT_FIELDS)
    source = _validated(models.Order, payload)
    order = _canonical_order(source)
    money_format = money_format_of(payload)
    if money_format != FIXED_FORMAT:
        _vendor_struct(order).fields[MONEY_FORMAT_KEY].string_value = money_format
    return _attach_residue(order, payload)


# ---------------------------------------------------------------------------------------------
# Canonical → BigCommerce
# ---------------------------------------------------------------------------------------------
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
        if ref.source == VENDOR and _is_number(ref.id):
            return int(ref.id)
    return 0


class _Emitter:
    """Shared context of one order's emission: its id, money format and id numbering."""

    def __init__(self, order: order_pb2.Order, api_base: str) -> None:
        self.order = order
        self.api_base = api_base
        self.order_id = _order_id(order)
        self.money_format = _money_format(order)
        self.customer_id = _number_or(order.customer.id, 0)
        self.line_numbers = line_numbers([line.id for line in order.line_items])
        self.destination_numbers = line_numbers([d.id for d in order.shipping_destinations])
        self.number_of_line = dict(
            zip((line.id for line in order.line_items), self.line_numbers, strict=True)
        )
        self.number_of_destination = dict(
            zip((d.id for d in order.shipping_destinations), self.destination_numbers, strict=True)
        )

    def money(self, amount: Decimal) -> str:
        return _format_money(amount, self.money_format)

    def field(self, message: Any, field: str) -> str:
        return self.money(_amount(message, field))

    def destination_number(self, destination_id: str) -> int:
        if destination_id in self.number_of_destination:
            return self.number_of_destination[destination_id]
        if not destination_id and len(self.destination_numbers) == 1:
            return self.destination_numbers[0]
        return _number_or(destination_id, 0)

    def link(self, path: str) -> dict[str, str]:
        return {"url": f"{self.api_base}{path}", "resource": path}


def _address_fields(address: order_pb2.Address) -> dict[str, Any]:
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


def _billing_address(order: order_pb2.Order) -> dict[str, Any]:
    """billing_address; else a payment's (fabric billToAddress); else the customer's name."""
    payment_addresses = [p.billing_address for p in order.payments if p.HasField("billing_address")]
    if order.HasField("billing_address"):
        fields = _address_fields(order.billing_address)
    elif payment_addresses:
        fields = _address_fields(payment_addresses[0])
    else:
        fields = _address_fields(order_pb2.Address(name=order.customer.name))
    fields["email"] = fields["email"] or order.customer.email
    return fields


def _line_name(line: order_pb2.LineItem, number: int) -> str:
    # orderProducts.name has minLength 1: fall back to what else names the line.
    return (
        line.name
        or line.product.name
        or line.sku
        or (f"Product {line.product.id}" if line.product.id else f"Item {number}")
    )


def _product(emit: _Emitter, line: order_pb2.LineItem, number: int) -> dict[str, Any]:
    quantity = Decimal(line.quantity)
    price_ex, price_inc = _shown_prices(line)
    total_ex = price_ex * quantity
    total_inc = _optional_amount(line, "total")
    if total_inc is None:
        total_inc = price_inc * quantity
    total_tax = _optional_amount(line, "tax")
    if total_tax is None:
        total_tax = total_inc - total_ex
    discount = _amount(line, "discount")
    name = _line_name(line, number)
    product: dict[str, Any] = {
        "id": number,
        "order_id": emit.order_id,
        "product_id": _number_or(line.product.id, 0),
        "order_address_id": emit.destination_number(line.destination_id),
        "name": name,
        "name_customer": name,
        "name_merchant": line.product.name or name,
        "sku": line.sku,
        "upc": line.product.upc,
        "type": "digital" if emit.order.digital else "physical",
        "base_price": emit.money(price_ex),
        "price_ex_tax": emit.money(price_ex),
        "price_inc_tax": emit.money(price_inc),
        "price_tax": emit.money(price_inc - price_ex),
        "base_total": emit.money(total_ex),
        "total_ex_tax": emit.money(total_ex),
        "total_inc_tax": emit.money(total_inc),
        "total_tax": emit.money(total_tax),
        "weight": emit.money(Decimal(0)),
        "width": emit.money(Decimal(0)),
        "height": emit.money(Decimal(0)),
        "depth": emit.money(Decimal(0)),
        "quantity": line.quantity,
        "base_cost_price": emit.money(Decimal(0)),
        "cost_price_inc_tax": emit.money(Decimal(0)),
        "cost_price_ex_tax": emit.money(Decimal(0)),
        "cost_price_tax": emit.money(Decimal(0)),
        "is_refunded": line.quantity_refunded > 0,
        "quantity_refunded": line.quantity_refunded,
        # Deprecated in the spec: "always returns `0`".
        "refund_amount": emit.money(Decimal(0)),
        "return_id": 0,
        "wrapping_id": 0,
        "wrapping_name": "",
        "base_wrapping_cost": emit.money(Decimal(0)),
        "wrapping_cost_ex_tax": emit.money(Decimal(0)),
        "wrapping_cost_inc_tax": emit.money(Decimal(0)),
        "wrapping_cost_tax": emit.money(Decimal(0)),
        "wrapping_message": "",
        "quantity_shipped": line.quantity_shipped,
        "event_name": None,
        "event_date": None,
        "fixed_shipping_cost": emit.money(Decimal(0)),
        "ebay_item_id": "",
        "ebay_transaction_id": "",
        "option_set_id": None,
        "parent_order_product_id": None,
        "is_bundled_product": False,
        "bin_picking_number": "",
        "external_id": None,
        "brand": line.product.brand,
        "applied_discounts": (
            [
                {
                    "id": "discount",
                    "amount": emit.money(discount),
                    "name": "Discount",
                    "code": None,
                    "target": "product",
                }
            ]
            if discount
            else []
        ),
        "product_options": [],
        "configurable_fields": [],
        "gift_certificate_id": None,
        "discounted_total_inc_tax": emit.money(total_inc - discount),
    }
    if _is_number(line.product.variant_id):
        product["variant_id"] = int(line.product.variant_id)
    return product


def _shipping_address(
    emit: _Emitter, destination: order_pb2.ShippingDestination, number: int
) -> dict[str, Any]:
    cost_ex = _amount(destination, "shipping_cost")
    cost_inc = _optional_amount(destination, "shipping_cost_including_tax")
    if cost_inc is None:
        cost_inc = cost_ex
    cost_tax = _optional_amount(destination, "shipping_tax")
    if cost_tax is None:
        cost_tax = cost_inc - cost_ex
    fields = _address_fields(destination.address)
    quotes = f"/orders/{emit.order_id}/shippingaddresses/{number}/shippingquotes"
    return {
        "id": number,
        "order_id": emit.order_id,
        "first_name": fields["first_name"],
        "last_name": fields["last_name"],
        "company": fields["company"],
        "street_1": fields["street_1"],
        "street_2": fields["street_2"],
        "city": fields["city"],
        "zip": fields["zip"],
        "country": fields["country"],
        "country_iso2": fields["country_iso2"],
        "state": fields["state"],
        "email": fields["email"],
        "phone": fields["phone"],
        "items_total": destination.items_total,
        "items_shipped": destination.items_shipped,
        "shipping_method": destination.method,
        "base_cost": emit.money(cost_inc),
        "cost_ex_tax": emit.money(cost_ex),
        "cost_inc_tax": emit.money(cost_inc),
        "cost_tax": emit.money(cost_tax),
        "cost_tax_class_id": 0,
        "base_handling_cost": emit.money(Decimal(0)),
        "handling_cost_ex_tax": emit.money(Decimal(0)),
        "handling_cost_inc_tax": emit.money(Decimal(0)),
        "handling_cost_tax": emit.money(Decimal(0)),
        "handling_cost_tax_class_id": 0,
        "shipping_zone_id": 0,
        "shipping_zone_name": "",
        "shipping_quotes": emit.link(quotes),
        "form_fields": [],
    }


def _shipment(emit: _Emitter, shipment: order_pb2.Shipment, number: int) -> dict[str, Any]:
    destinations = {d.id: d for d in emit.order.shipping_destinations}
    destination = destinations.get(shipment.destination_id)
    billing = _billing_address(emit.order)
    return {
        "id": number,
        "order_id": emit.order_id,
        "customer_id": emit.customer_id,
        "order_address_id": emit.destination_number(shipment.destination_id),
        "date_created": (
            format_rfc2822(shipment.create_time) if shipment.HasField("create_time") else ""
        ),
        "tracking_number": shipment.tracking_number,
        "merchant_shipping_cost": emit.field(shipment, "merchant_shipping_cost"),
        "shipping_method": shipment.shipping_method,
        "comments": shipment.comments,
        "shipping_provider": shipment.shipping_provider,
        "tracking_carrier": shipment.tracking_carrier,
        "tracking_link": shipment.tracking_link,
        "billing_address": billing,
        "shipping_address": _address_fields(
            destination.address if destination is not None else order_pb2.Address()
        ),
        "items": [
            {
                "order_product_id": emit.number_of_line.get(
                    item.line_item_id, _number_or(item.line_item_id, 0)
                ),
                "product_id": _number_or(item.product_id, 0),
                "quantity": item.quantity,
            }
            for item in shipment.items
        ],
        "shipping_provider_display_name": SHIPPING_PROVIDER_NAMES.get(
            shipment.shipping_provider, ""
        ),
        "generated_tracking_link": "",
    }


def _apply_vendor_residue(order: order_pb2.Order, emitted: dict[str, Any]) -> dict[str, Any]:
    if VENDOR not in order.vendor_data:
        return emitted
    residue = residue_from_struct(order.vendor_data[VENDOR])
    result: dict[str, Any] = apply_residue(emitted, residue)
    return result


def _sub_resource(emitted: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = emitted.get(key)
    return value if isinstance(value, list) else []


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


def _fees(emit: _Emitter) -> list[dict[str, Any]]:
    """One custom fee carrying the order's fee total (fee details have no canonical home)."""
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
            "cost_tax": emit.money(Decimal(0)),
            "tax_class_id": None,
        }
    ]


def _payment_status(order: order_pb2.Order) -> str:
    # A BigCommerce payment_status is kept as sent ("" too, when BigCommerce set the order's
    # status); other vendors' wording is not one of BigCommerce's values.
    status = order.payments[0].status if order.payments else ""
    from_bigcommerce = order.native_status.source == VENDOR and bool(order.payments)
    if status in get_args(models.PaymentStatus) and (status or from_bigcommerce):
        return status
    return PAYMENT_STATUS_BY_STATE.get(order.payment_state, "")


def _time_text(order: order_pb2.Order, *fields: str) -> str:
    for field in fields:
        if order.HasField(field):
            return format_rfc2822(getattr(order, field))
    return ""


def _date_modified(order: order_pb2.Order, *, keep_vendor_date_modified: bool) -> str:
    """date_modified: when the order last changed in this service, whichever door changed it.

    A poller asking for `min_date_modified` must see every order changed since (the spec's
    GET /v2/orders filter), so the door writes `update_time`. BigCommerce's own date_modified
    (`vendor_update_time`) is kept only when asked: BigCommerce reading its own order back
    offline. An order never stored (offline translation) has only the vendor's time.
    """
    if keep_vendor_date_modified:
        return _time_text(order, "vendor_update_time", "update_time")
    return _time_text(order, "update_time", "vendor_update_time")


_COST_PARTS = ("subtotal", "shipping_cost", "handling_cost", "wrapping_cost")


def _shown_prices(line: order_pb2.LineItem) -> tuple[Decimal, Decimal]:
    """(price_ex_tax, price_inc_tax) as a product shows them: each falls back to the other."""
    price_ex = _optional_amount(line, "unit_price")
    price_inc = _optional_amount(line, "unit_price_including_tax")
    if price_ex is None:
        price_ex = price_inc if price_inc is not None else Decimal(0)
    return price_ex, price_ex if price_inc is None else price_inc


def _amounts_of(order: order_pb2.Order) -> dict[str, Decimal]:
    """The order's money fields as shown, filling what a non-BigCommerce order leaves out."""
    given = {vendor: _optional_amount(order, field) for vendor, field in ORDER_MONEY_FIELDS.items()}
    amounts = {vendor: amount or Decimal(0) for vendor, amount in given.items()}
    if given["subtotal_ex_tax"] is None:
        amounts["subtotal_ex_tax"] = sum(
            (_amount(line, "unit_price") * line.quantity for line in order.line_items), Decimal(0)
        )
    for part in _COST_PARTS:
        if given[f"{part}_inc_tax"] is None:
            amounts[f"{part}_inc_tax"] = amounts[f"{part}_ex_tax"]
    if given["total_inc_tax"] is None:
        # As a POST computes it (_post_totals): both discounts come off.
        amounts["total_inc_tax"] = (
            sum((amounts[f"{part}_inc_tax"] for part in _COST_PARTS), Decimal(0))
            - amounts["discount_amount"]
            - amounts["coupon_discount"]
        )
    if given["total_ex_tax"] is None:
        amounts["total_ex_tax"] = amounts["total_inc_tax"] - amounts["total_tax"]
    if given["total_tax"] is None:
        amounts["total_tax"] = amounts["total_inc_tax"] - amounts["total_ex_tax"]
    for part in _COST_PARTS:
        amounts[f"{part}_tax"] = amounts[f"{part}_inc_tax"] - amounts[f"{part}_ex_tax"]
    return amounts


def _order_amounts(emit: _Emitter) -> dict[str, str]:
    """The order's money fields as BigCommerce strings."""
    return {key: emit.money(value) for key, value in _amounts_of(emit.order).items()}


def _ip_addresses(ip_address: str) -> dict[str, str]:
    # Only one of the two is set: "Setting the `ip_address` value will reset the
    # `ip_address_v6` value and vice versa" (order_Shared).
    if ":" in ip_address:
        return {"ip_address": "", "ip_address_v6": ip_address}
    return {"ip_address": ip_address, "ip_address_v6": ""}


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
    with localcontext(_EXACT):
        return _emitted_order(order, api_base, keep_vendor_date_modified=keep_vendor_date_modified)


def _emitted_order(
    order: order_pb2.Order, api_base: str, *, keep_vendor_date_modified: bool
) -> dict[str, Any]:
    emit = _Emitter(order, api_base)
    status_id, status = status_of(order)
    payment = order.payments[0] if order.payments else order_pb2.Payment()
    products = [
        _product(emit, line, number)
        for line, number in zip(order.line_items, emit.line_numbers, strict=True)
    ]
    addresses = [
        _shipping_address(emit, destination, number)
        for destination, number in zip(
            order.shipping_destinations, emit.destination_numbers, strict=True
        )
    ]
    if order.line_items:
        items_total = sum(line.quantity for line in order.line_items)
        items_shipped = sum(line.quantity_shipped for line in order.line_items)
    else:
        items_total = sum(d.items_total for d in order.shipping_destinations)
        items_shipped = sum(d.items_shipped for d in order.shipping_destinations)
    amounts = _order_amounts(emit)
    billing = _billing_address(order)
    billing["form_fields"] = []
    one = Decimal(1)
    emitted: dict[str, Any] = {
        "id": emit.order_id,
        "customer_id": emit.customer_id,
        "date_created": _time_text(order, "place_time", "create_time"),
        "date_modified": _date_modified(order, keep_vendor_date_modified=keep_vendor_date_modified),
        "date_shipped": _time_text(order, "close_time"),
        "status_id": status_id,
        "status": status,
        "subtotal_ex_tax": amounts["subtotal_ex_tax"],
        "subtotal_inc_tax": amounts["subtotal_inc_tax"],
        "subtotal_tax": amounts["subtotal_tax"],
        "base_shipping_cost": amounts["base_shipping_cost"],
        "shipping_cost_ex_tax": amounts["shipping_cost_ex_tax"],
        "shipping_cost_inc_tax": amounts["shipping_cost_inc_tax"],
        "shipping_cost_tax": amounts["shipping_cost_tax"],
        "shipping_cost_tax_class_id": 0,
        "base_handling_cost": amounts["base_handling_cost"],
        "handling_cost_ex_tax": amounts["handling_cost_ex_tax"],
        "handling_cost_inc_tax": amounts["handling_cost_inc_tax"],
        "handling_cost_tax": amounts["handling_cost_tax"],
        "handling_cost_tax_class_id": 0,
        "base_wrapping_cost": amounts["base_wrapping_cost"],
        "wrapping_cost_ex_tax": amounts["wrapping_cost_ex_tax"],
        "wrapping_cost_inc_tax": amounts["wrapping_cost_inc_tax"],
        "wrapping_cost_tax": amounts["wrapping_cost_tax"],
        "wrapping_cost_tax_class_id": 0,
        "total_ex_tax": amounts["total_ex_tax"],
        "total_inc_tax": amounts["total_inc_tax"],
        "total_tax": amounts["total_tax"],
        "is_tax_inclusive_pricing": False,
        "items_total": _json_count(items_total),
        "items_shipped": _json_count(items_shipped),
        "payment_method": payment.method,
        "payment_provider_id": payment.provider_transaction_id,
        "payment_status": _payment_status(order),
        "refunded_amount": amounts["refunded_amount"],
        "order_is_digital": order.digital,
        "store_credit_amount": amounts["store_credit_amount"],
        "gift_certificate_amount": amounts["gift_certificate_amount"],
        **_ip_addresses(order.ip_address),
        "geoip_country": order.geoip_country,
        "geoip_country_iso2": order.geoip_country_code,
        "currency_id": 1,
        "currency_code": order.currency_code,
        # "For orders created using the V2 endpoints, this value is always 1" (order_RespOnly).
        "currency_exchange_rate": _format_rate(one, emit.money_format),
        "default_currency_id": 1,
        "default_currency_code": order.currency_code,
        "staff_notes": order.staff_notes,
        "customer_message": order.customer_message,
        "discount_amount": amounts["discount_amount"],
        "coupon_discount": amounts["coupon_discount"],
        "shipping_address_count": len(order.shipping_destinations),
        # "Otherwise, the value will be `0`" (order_Shared.ebay_order_id).
        "ebay_order_id": "0",
        "cart_id": order.cart_id,
        "billing_address": billing,
        "is_email_opt_in": order.customer.email_opt_in,
        "credit_card_type": None,
        # Orders created through the API have order_source "external" (the orders guide).
        "order_source": order.source or "external",
        # "The channel_id defaults to 1" (order_Shared).
        "channel_id": _number_or(order.channel, 1),
        "external_source": order.external_source or None,
        "products": products,
        "shipping_addresses": addresses,
        "coupons": emit.link(f"/orders/{emit.order_id}/coupons"),
        "external_id": None,
        "external_merchant_id": None,
        "tax_provider_id": "",
        "store_default_currency_code": "",
        "store_default_to_transactional_exchange_rate": _format_rate(one, emit.money_format),
        "custom_status": status,
        "customer_locale": order.customer.locale,
        "external_order_id": "",
    }
    if order.HasField("fee_total") and _amount(order, "fee_total"):
        emitted["fees"] = _fees(emit)
    if order.shipments:
        emitted["shipments"] = [
            _shipment(emit, shipment, _number_or(shipment.id, index + 1))
            for index, shipment in enumerate(order.shipments)
        ]
    if order.HasField("archive_time"):
        emitted["is_deleted"] = True
    return _apply_vendor_residue(order, emitted)


# ---------------------------------------------------------------------------------------------
# Request builders: POST /v2/orders and PUT /v2/orders/{id}
# ---------------------------------------------------------------------------------------------
def _require_pairs(body: Mapping[str, Any], prefix: str = "") -> None:
    for first, second in _PAIRED_OVERRIDES:
        for given, missing in ((first, second), (second, first)):
            if given in body and missing not in body:
                raise TranslationError(f"{prefix}{missing}", f"required when {given} is given")


def _check_new_product(product: models.Product, path: str) -> None:
    if product.product_id is None:
        # orderCustomProduct_Post: name, quantity, price_inc_tax and price_ex_tax required.
        for field in ("name", "quantity", "price_inc_tax", "price_ex_tax"):
            if getattr(product, field) is None:
                raise TranslationError(f"{path}.{field}", "required for a custom product")
        if len(product.name or "") > 250:
            raise TranslationError(f"{path}.name", "at most 250 characters")
    # The orders guide: "If you set price_ex_tax or price_inc_tax, then you need to specify
    # them both."
    if (product.price_ex_tax is None) != (product.price_inc_tax is None):
        missing = "price_ex_tax" if product.price_ex_tax is None else "price_inc_tax"
        raise TranslationError(f"{path}.{missing}", "price_ex_tax and price_inc_tax go together")


def _reject_consignments(consignments: Any) -> None:
    if consignments is not None:
        raise TranslationError(
            "consignments", "pickup consignments are not supported; send shipping_addresses"
        )


def _priced_product(product: models.Product) -> dict[str, Any]:
    """A POST product with the line totals BigCommerce computes (catalog prices unknown: 0)."""
    quantity = Decimal(1 if product.quantity is None else product.quantity)
    price_ex = product.price_ex_tax or Decimal(0)
    price_inc = product.price_inc_tax or Decimal(0)
    priced = product.model_dump(exclude_none=True)
    priced.update(
        quantity=int(quantity),
        price_ex_tax=price_ex,
        price_inc_tax=price_inc,
        total_ex_tax=price_ex * quantity,
        total_inc_tax=price_inc * quantity,
        total_tax=(price_inc - price_ex) * quantity,
    )
    return priced


def _pair(body: models.OrderShared, ex_field: str, inc_field: str) -> tuple[Decimal, Decimal]:
    ex, inc = getattr(body, ex_field), getattr(body, inc_field)
    if ex is None and inc is None:
        return Decimal(0), Decimal(0)
    return (inc if ex is None else ex), (ex if inc is None else inc)


def _post_totals(post: models.OrderPost, products: Sequence[dict[str, Any]]) -> dict[str, Decimal]:
    """Subtotal and total as BigCommerce computes them for a POST, where not overridden.

    subtotal = Σ line totals (price × quantity), ex and inc tax; total = subtotal + shipping +
    handling + wrapping + fees − discount_amount − coupon_discount; total_tax = inc − ex.
    order_Shared: subtotal_* and total_* are "Override value[s]" and come in ex/inc pairs
    (_require_pairs), so an override replaces both figures of its pair and nothing else: a
    subtotal override still feeds the computed total.
    """
    subtotal_ex = sum((p["total_ex_tax"] for p in products), Decimal(0))
    subtotal_inc = sum((p["total_inc_tax"] for p in products), Decimal(0))
    if post.subtotal_ex_tax is not None and post.subtotal_inc_tax is not None:
        subtotal_ex, subtotal_inc = post.subtotal_ex_tax, post.subtotal_inc_tax
    shipping = _pair(post, "shipping_cost_ex_tax", "shipping_cost_inc_tax")
    handling = _pair(post, "handling_cost_ex_tax", "handling_cost_inc_tax")
    wrapping = _pair(post, "wrapping_cost_ex_tax", "wrapping_cost_inc_tax")
    fees = post.fees or []
    fees_ex = sum((_fee_amount_excluding_tax(fee) for fee in fees), Decimal(0))
    fees_inc = sum((_fee_amount(fee) for fee in fees), Decimal(0))
    # Both discounts come off, ex and inc tax alike: the spec's order 218 has total_inc_tax
    # 69.8400 = 67.8400 + 12.0000 shipping - 5.0000 discount_amount - 5.0000 coupon_discount.
    # order_Post has no coupon field (coupon_discount is order_RespOnly); it counts only when
    # a client sends one anyway, since the order then keeps it as its coupon discount.
    discount = post.discount_amount or Decimal(0)
    discounts = discount + (post.coupon_discount or Decimal(0))
    total_ex = subtotal_ex + shipping[0] + handling[0] + wrapping[0] + fees_ex - discounts
    total_inc = subtotal_inc + shipping[1] + handling[1] + wrapping[1] + fees_inc - discounts
    if post.total_ex_tax is not None and post.total_inc_tax is not None:
        total_ex, total_inc = post.total_ex_tax, post.total_inc_tax
    return {
        "subtotal_ex_tax": subtotal_ex,
        "subtotal_inc_tax": subtotal_inc,
        "shipping_cost_ex_tax": shipping[0],
        "shipping_cost_inc_tax": shipping[1],
        "handling_cost_ex_tax": handling[0],
        "handling_cost_inc_tax": handling[1],
        "wrapping_cost_ex_tax": wrapping[0],
        "wrapping_cost_inc_tax": wrapping[1],
        "discount_amount": discount,
        "total_ex_tax": total_ex,
        "total_inc_tax": total_inc,
        "total_tax": total_inc - total_ex,
    }


def _is_unmapped_edit(edit: Mapping[str, str | None]) -> bool:
    """A residue edit restoring something the client sent that has no canonical home."""
    if edit["original"] is None:
        return False
    unmapped = (
        ORDER_FIELDS_WITHOUT_HOME
        | PRODUCT_FIELDS_WITHOUT_HOME
        | SHIPPING_ADDRESS_FIELDS_WITHOUT_HOME
    )
    path = edit["path"] or "[]"
    return any(f'"{key}"' in path for key in unmapped)


def order_from_bigcommerce_post(body: Mapping[str, Any]) -> order_pb2.Order:
    """The order to create for POST /v2/orders, completed as BigCommerce completes it.

    status_id defaults to 1 (Pending); order_source is "external"; with no shipping address
    the billing address is used (the orders guide); line, subtotal and total amounts are
    computed from the products unless overridden (overrides come in ex/inc pairs). There is no
    catalog here: a catalog product sent without prices is priced 0. Only what the client sent
    without a canonical home (product_options, fees, form_fields, …) is kept as residue.
    """
    body = without_payment_field_secrets(body, PAYMENT_FIELDS)
    post = _validated(models.OrderPost, body)
    _reject_consignments(post.consignments)
    _require_pairs(body)
    for index, product in enumerate(post.products):
        _check_new_product(product, f"products[{index}]")
    products = [_priced_product(product) for product in post.products]
    totals = _post_totals(post, products)
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
    order = _canonical_order(_validated(models.Order, completed))
    return _attach_residue(order, body, keep=_is_unmapped_edit)


# PUT body fields and the canonical fields they replace (FieldMask paths). Writable fields with
# no canonical home (items_total, items_shipped, ebay_order_id, external_order_id) are ignored;
# `is_deleted: true` archives the order, which the facade does with DeleteOrder.
PUT_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "customer_id": ("customer.id",),
    "customer_message": ("customer_message",),
    "customer_locale": ("customer.locale",),
    "date_created": ("place_time",),
    "channel_id": ("channel",),
    "external_source": ("external_source",),
    "order_source": ("source",),
    "geoip_country": ("geoip_country",),
    "geoip_country_iso2": ("geoip_country_code",),
    "ip_address": ("ip_address",),
    "ip_address_v6": ("ip_address",),
    "order_is_digital": ("digital",),
    "staff_notes": ("staff_notes",),
    "status_id": ("lifecycle_state", "payment_state", "fulfillment_state", "native_status"),
    "billing_address": ("billing_address", "customer.email", "customer.name"),
    "payment_method": ("payments",),
    "payment_provider_id": ("payments",),
    "fees": ("fee_total",),
    "shipping_addresses": ("shipping_destinations",),
    "products": ("line_items",),
    **{
        vendor: (field,)
        for vendor, field in ORDER_MONEY_FIELDS.items()
        if vendor not in PUT_READ_ONLY_FIELDS
    },
}
# Shipping address fields and the Address fields they set.
ADDRESS_FIELD_PATHS: dict[str, str] = {
    "first_name": "name.given_name",
    "last_name": "name.family_name",
    "company": "company",
    "street_1": "line1",
    "street_2": "line2",
    "city": "city",
    "state": "region",
    "zip": "postal_code",
    "country": "country",
    "country_iso2": "country_code",
    "email": "email",
    "phone": "phone.number",
}
# PUT product fields and the LineItem fields they set.
PRODUCT_FIELD_PATHS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "name_customer": ("name",),
    "name_merchant": ("product.name",),
    "sku": ("sku",),
    "upc": ("product.upc",),
    "product_id": ("product.id",),
    "variant_id": ("product.variant_id",),
    "quantity": ("quantity",),
    "price_ex_tax": ("unit_price", "tax", "total"),
    "price_inc_tax": ("unit_price_including_tax", "tax", "total"),
}


def _copy_path(target: Any, source: Any, path: str) -> None:
    """Copies one dotted field path from `source` to `target` (messages of the same type)."""
    head, _, rest = path.partition(".")
    if rest:
        _copy_path(getattr(target, head), getattr(source, head), rest)
        return
    field = target.DESCRIPTOR.fields_by_name[head]
    if field.is_repeated:
        del getattr(target, head)[:]
        getattr(target, head).extend(getattr(source, head))
    elif field.message_type is not None:
        if source.HasField(head):
            getattr(target, head).CopyFrom(getattr(source, head))
        else:
            target.ClearField(head)
    else:
        setattr(target, head, getattr(source, head))


def _line_for_put(product: Mapping[str, Any], currency: str, path: str) -> order_pb2.LineItem:
    model = _validated(models.Product, product, path)
    return _line_item_from_bigcommerce(
        models.Product.model_validate(_priced_product(model)), currency, path
    )


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


# ---------------------------------------------------------------------------------------------
# PUT /v2/orders/{id} as one UpdateOrderRequest: the service merges it under its row lock
# ---------------------------------------------------------------------------------------------
# Product fields whose change moves a line's totals. GET shows a product without stored totals
# with total_inc_tax = price_inc_tax × quantity and total_tax = total_inc_tax − total_ex_tax
# (_product), as BigCommerce recalculates a changed product: the change clears them.
_LINE_TOTAL_KEYS = frozenset({"quantity", "price_ex_tax", "price_inc_tax"})
# Overrides that stop subtotal and total following the products (order_Shared: "Override value").
_TOTAL_OVERRIDES = ("subtotal_ex_tax", "total_ex_tax")
ProtoT = TypeVar("ProtoT", order_pb2.LineItem, order_pb2.ShippingDestination)
_CHANGE_FIELDS = {
    "line_item_changes": ("products", "no such product in the order"),
    "shipping_destination_changes": ("shipping_addresses", "no such shipping address in the order"),
}


def _refuse_read_only(body: Mapping[str, Any]) -> None:
    for key in body:
        if key in PUT_READ_ONLY_FIELDS:
            raise TranslationError(
                key,
                f"The field '{key}' cannot be written to. "
                "Please remove it from your request before trying again.",
            )


def _held(path: str, make: Callable[..., ProtoT], *args: Any) -> ProtoT:
    """`make(*args)`, naming `path` when a value does not fit its proto field (an int past 64
    bits)."""
    try:
        return make(*args)
    except TranslationError:
        raise
    except ValueError as error:
        raise TranslationError(path, str(error)) from None


def _shown_number(value: int | None, path: str, missing: str) -> int:
    """The product or address number a client sent: the id it was shown (_numbering)."""
    if value is None or not 0 <= value <= _MAX_ID:
        raise TranslationError(path, missing)
    return value


def _without_currency(message: Any) -> None:
    """Clears the currency of every amount: the service gives them the order's."""
    if isinstance(message, order_pb2.Money):
        message.currency_code = ""
        return
    for field, value in message.ListFields():
        if field.message_type is None or field.message_type.full_name.startswith("google."):
            continue
        for item in value if field.is_repeated else [value]:
            _without_currency(item)


def _line_item_change(sent: Mapping[str, Any], path: str) -> order_service_pb2.LineItemChange:
    """One PUT product: `id` updates the line shown with it (quantity 0 removes it), no `id`
    adds one (the spec's PUT /v2/orders/{id} description)."""
    product = _validated(models.Product, sent, path)
    if "id" not in sent:
        _check_new_product(product, path)
        line = _held(path, _line_for_put, sent, "", path)
        return order_service_pb2.LineItemChange(line_item=line)
    number = _shown_number(product.id, f"{path}.id", _CHANGE_FIELDS["line_item_changes"][1])
    if product.quantity == 0:
        return order_service_pb2.LineItemChange(number=number, remove=True)
    line = _held(path, _line_item_from_bigcommerce, product, "", path)
    # The spec (PUT order): a changed product loses its discounts.
    paths = {"discount"}
    for key in sent:
        paths.update(PRODUCT_FIELD_PATHS.get(key, ()))
    if _LINE_TOTAL_KEYS & set(sent):
        paths |= {"tax", "total"}
    for field in ("discount", "tax", "total"):
        line.ClearField(field)
    return order_service_pb2.LineItemChange(
        number=number, line_item=line, update_mask=field_mask_pb2.FieldMask(paths=sorted(paths))
    )


def _address_paths(sent: Mapping[str, Any]) -> list[str]:
    """The ShippingDestination fields a PUT shipping address sets (its costs are not
    recalculated, so they are not written)."""
    paths = [f"address.{ADDRESS_FIELD_PATHS[key]}" for key in sent if key in ADDRESS_FIELD_PATHS]
    if "shipping_method" in sent:
        paths.append("method")
    return sorted(paths)


def _address_indices(body: Mapping[str, Any]) -> list[int]:
    """The shipping addresses of a PUT that become a change, in order: an address with an
    `id` and nothing to set changes nothing."""
    addresses = body.get("shipping_addresses") or []
    return [
        index
        for index, sent in enumerate(addresses)
        if sent.get("id") is None or _address_paths(sent)
    ]


def update_request_from_bigcommerce_put(
    name: str, body: Mapping[str, Any], *, payments: Sequence[order_pb2.Payment] = ()
) -> order_service_pb2.UpdateOrderRequest:
    """The UpdateOrderRequest of PUT /v2/orders/{id} for the order named `name`.

    Read-only fields are refused as BigCommerce refuses them; the fields sent replace the
    order's (update_mask). Products and shipping addresses become keyed changes, by the `id`
    the client was shown; subtotal and total follow changed products unless the body overrides
    them. Amounts carry no currency: the service gives them the order's. `payments` are the
    order's as read: payment_method and payment_provider_id edit the first (a mask can only
    replace the whole list).
    """
    body = without_payment_field_secrets(body, PAYMENT_FIELDS)
    _refuse_read_only(body)
    put = _validated(models.OrderPut, body)
    _reject_consignments(put.consignments)
    _require_pairs(body)
    as_order = {
        key: value
        for key, value in put.model_dump(exclude_none=True).items()
        if key in body and key not in ("products", "shipping_addresses")
    }
    translated = _canonical_order(_validated(models.Order, as_order))
    order = order_pb2.Order(name=name)
    paths = {path for key in body for path in PUT_FIELD_PATHS.get(key, ())}
    paths -= {"line_items", "shipping_destinations"}
    for path in sorted(paths - {"payments"}):
        _copy_path(order, translated, path)
    _without_currency(order)
    if "payments" in paths:
        order.payments.extend(payments)
        if not order.payments:
            order.payments.add()
        for key, field in (
            ("payment_method", "method"),
            ("payment_provider_id", "provider_transaction_id"),
        ):
            if key in body:
                setattr(order.payments[0], field, "" if body[key] is None else str(body[key]))
    request = order_service_pb2.UpdateOrderRequest(
        order=order, update_mask=field_mask_pb2.FieldMask(paths=sorted(paths))
    )
    for index, sent in enumerate(body.get("products") or []):
        request.line_item_changes.append(_line_item_change(sent, f"products[{index}]"))
    addresses = put.shipping_addresses or []
    for index in _address_indices(body):
        path = f"shipping_addresses[{index}]"
        address = addresses[index]
        destination = _held(path, _destination_from_bigcommerce, address, "", path)
        if address.id is None:
            request.shipping_destination_changes.add(shipping_destination=destination)
            continue
        number = _shown_number(
            address.id, f"{path}.id", _CHANGE_FIELDS["shipping_destination_changes"][1]
        )
        request.shipping_destination_changes.add(
            number=number,
            shipping_destination=destination,
            update_mask=field_mask_pb2.FieldMask(
                paths=_address_paths(body["shipping_addresses"][index])
            ),
        )
    request.keep_totals_in_step = bool(request.line_item_changes) and not any(
        key in body for key in _TOTAL_OVERRIDES
    )
    return request


def put_error_of(body: Mapping[str, Any], field: str, description: str) -> TranslationError | None:
    """The PUT body field a service violation of one keyed change names, in BigCommerce's
    words ("line_item_changes[2]" → "products[2].id"); None for any other field."""
    for change_field, (vendor_field, missing) in _CHANGE_FIELDS.items():
        index = field.removeprefix(f"{change_field}[").removesuffix("]")
        if index == field or not index.isascii() or not index.isdigit():
            continue
        sent_index = int(index)
        if vendor_field == "shipping_addresses":
            indices = _address_indices(body)
            if sent_index >= len(indices):
                return None
            sent_index = indices[sent_index]
        reason = missing if description.startswith("no such") else description
        return TranslationError(f"{vendor_field}[{sent_index}].id", reason)
    return None
