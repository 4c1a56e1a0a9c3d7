"""Drip v2 orders and refunds ↔ orderbridge.v1; pure (no I/O), raises only TranslationError.

Every Drip field with a canonical home is mapped to it (README.md, "Vendor mappings"); what
is left travels in ``Order.vendor_data["drip"]["residue"]`` so a same-vendor round trip is exact.
"""

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from google.protobuf import struct_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2
from pydantic import ValidationError

from adapters.drip.models import (
    DripAddress,
    DripItem,
    DripModel,
    DripOrder,
    DripRefund,
    is_drip_email,
    is_drip_url,
)
from adapters.errors import ErrorKind, TranslationError, path_of
from adapters.jsonvalues import plain_json
from adapters.money import minor_units_from_money, money_from_minor_units
from adapters.residue import apply_residue, residue_between, residue_from_struct, residue_to_value
from adapters.states import native_status_code
from adapters.times import format_iso8601, parse_iso8601

VENDOR = "drip"
REF_SOURCE_PREFIX = "drip:"
# _orders.md prices everything "in cents (e.g. if the order was $49.99 …)" and makes
# currency_code optional: an order without one is in US dollars.
DEFAULT_CURRENCY = "USD"
# The provider written for orders that never came from a Drip provider.
DEFAULT_PROVIDER = "orderbridge"
# The order object's read-only fields (_orders.md: "A read-only Drip generated unique id"; the
# REST links of the account and subscriber), assigned by the server that stores the order.
SERVER_ASSIGNED_FIELDS = ("id", "links")

# Drip financial_state → payment state (one to one; the seven values of _orders.md).
PAYMENT_STATE_BY_FINANCIAL_STATE: dict[str, Any] = {
    "pending": order_pb2.PAYMENT_STATE_PENDING,
    "authorized": order_pb2.PAYMENT_STATE_AUTHORIZED,
    "partially_paid": order_pb2.PAYMENT_STATE_PARTIALLY_PAID,
    "paid": order_pb2.PAYMENT_STATE_PAID,
    "partially_refunded": order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED,
    "refunded": order_pb2.PAYMENT_STATE_REFUNDED,
    "voided": order_pb2.PAYMENT_STATE_VOIDED,
}
# Drip fulfillment_state → fulfillment state (one to one).
FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE: dict[str, Any] = {
    "not_fulfilled": order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    "partially_fulfilled": order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED,
    "fulfilled": order_pb2.FULFILLMENT_STATE_FULFILLED,
}
# cancelled_at set → CANCELLED; otherwise the order was placed and recorded by the store.
LIFECYCLE_STATE_BY_CANCELLED: dict[bool, Any] = {
    True: order_pb2.LIFECYCLE_STATE_CANCELLED,
    False: order_pb2.LIFECYCLE_STATE_CONFIRMED,
}

# Reverse: payment state → the closest Drip financial_state (UNSPECIFIED → no financial_state).
FINANCIAL_STATE_BY_PAYMENT_STATE: dict[Any, str] = {
    **{state: name for name, state in PAYMENT_STATE_BY_FINANCIAL_STATE.items()},
    # Drip has no "declined": no money was or will be collected, as with a voided authorization.
    order_pb2.PAYMENT_STATE_DECLINED: "voided",
    # A disputed payment was taken; Drip has no dispute state.
    order_pb2.PAYMENT_STATE_DISPUTED: "paid",
}
# Reverse: fulfillment state → the closest Drip fulfillment_state (UNSPECIFIED → none).
DRIP_FULFILLMENT_STATE_BY_FULFILLMENT_STATE: dict[Any, str] = {
    **{state: name for name, state in FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE.items()},
    order_pb2.FULFILLMENT_STATE_AWAITING_PICKUP: "not_fulfilled",
    order_pb2.FULFILLMENT_STATE_AWAITING_SHIPMENT: "not_fulfilled",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED: "partially_fulfilled",
    order_pb2.FULFILLMENT_STATE_SHIPPED: "fulfilled",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED: "partially_fulfilled",
    order_pb2.FULFILLMENT_STATE_DELIVERED: "fulfilled",
    # Returns happen after fulfillment; Drip records them as refunds, not as a state.
    order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED: "fulfilled",
    order_pb2.FULFILLMENT_STATE_RETURNED: "fulfilled",
}

_FINANCIAL_LABELS = {
    "pending": "Payment pending",
    "authorized": "Authorized",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "partially_refunded": "Partially refunded",
    "refunded": "Refunded",
    "voided": "Voided",
}
_FULFILLMENT_LABELS = {
    "not_fulfilled": "not fulfilled",
    "partially_fulfilled": "partially fulfilled",
    "fulfilled": "fulfilled",
}

# Drip's validation error codes (_errors.md), chosen by the start of a TranslationError reason.
# _errors.md: Drip's error code for each kind of translation error.
DRIP_ERROR_CODE_BY_KIND: dict[ErrorKind, str] = {
    "presence": "presence_error",
    "length": "length_error",
    "uniqueness": "uniqueness_error",
    "email": "email_error",
    "url": "url_error",
    "time": "time_error",
    "range": "range_error",
    "format": "format_error",
}
# Kinds of the custom errors our models raise (models.py names them by Drip's codes) and of
# pydantic's own error types.
_KIND_BY_ERROR_TYPE: dict[str, ErrorKind] = {
    **{code: kind for kind, code in DRIP_ERROR_CODE_BY_KIND.items()},
    "missing": "presence",
    "too_short": "length",
    "too_long": "length",
}

# Reasons for pydantic's own error types, phrased to follow the attribute ("Amount is required").
_REASON_BY_PYDANTIC_TYPE = {
    "missing": "is required",
    "string_type": "must be a string",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "list_type": "must be an array",
    "string_pattern_mismatch": "has an invalid format",
}

_NOT_SNAKE_CASE = re.compile(r"[^a-z0-9]+")
# adapters.jsonvalues (orjson) writes integers of 64 bits as JSON integers; a larger count of
# cents (a 64-bit unit price in fils, a line's price × quantity) is written from its exact
# Decimal text, still a JSON integer, which Drip's "in cents" integers (_orders.md) allow.
_INT64 = range(-(2**63), 2**63)
_Model = TypeVar("_Model", bound=DripModel)


# ---------------------------------------------------------------------------------------------
# Validation


def _reason_from_pydantic(error_type: str, message: str, context: Mapping[str, Any]) -> str:
    if error_type in DRIP_ERROR_CODE_BY_KIND.values():
        return message  # one of ours (models.py): already phrased as a Drip reason
    if error_type == "literal_error":
        return f"must be one of {context.get('expected', '')}"
    if error_type in {"too_short", "too_long"}:
        low, high = context.get("min_length"), context.get("max_length")
        if error_type == "too_short":
            return f"must have a length of at least {low}"
        return f"must have a length of at most {high}"
    return _REASON_BY_PYDANTIC_TYPE.get(error_type, f"is invalid: {message}")


def translation_error_from(error: ValidationError) -> TranslationError:
    """The first pydantic error as a TranslationError on the Drip field path."""
    first = error.errors(include_url=False)[0]
    context: Mapping[str, Any] = first.get("ctx") or {}
    location = tuple(first["loc"])
    if "attribute" in context:  # a whole-object rule that names its field (models.py)
        location = (*location, str(context["attribute"]))
    reason = _reason_from_pydantic(first["type"], first["msg"], context)
    kind = _KIND_BY_ERROR_TYPE.get(first["type"], "format")
    return TranslationError(path_of(location), reason, kind)


def validated(model: type[_Model], payload: Any) -> _Model:
    """The payload as a Drip model, or the TranslationError naming the Drip field."""
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise translation_error_from(error) from None


# ---------------------------------------------------------------------------------------------
# Values: money, times, names, free-form properties


def _money(cents: int, currency_code: str, field: str) -> order_pb2.Money:
    """The Money of an amount in cents, or a range_error on `field` when Money cannot hold it."""
    try:
        return money_from_minor_units(cents, currency_code)
    except TranslationError as error:
        # Money units are 64-bit (google.type.Money); _errors.md: "range_error: A numeric value
        # is out of range".
        raise TranslationError(field, f"is out of range: {error.reason}", "range") from None


def _cents(money: order_pb2.Money, currency_code: str, field: str) -> int:
    """Minor units of an amount in the order's currency; finer amounts cannot go to Drip."""
    money_currency = str(money.currency_code).upper()
    if money_currency and money_currency != currency_code:
        raise TranslationError(field, f"is in {money_currency}, the order is in {currency_code}")
    in_order_currency = order_pb2.Money(
        currency_code=currency_code, units=money.units, nanos=money.nanos
    )
    return minor_units_from_money(in_order_currency, field)


def _json_cents(cents: int) -> int | Decimal:
    """A number of cents as a JSON integer; beyond 64 bits from its exact Decimal (see _INT64)."""
    return cents if cents in _INT64 else Decimal(cents)


def _time(stamp: timestamp_pb2.Timestamp) -> str:
    # Drip's examples write whole seconds in UTC with a Z: "2013-06-21T10:31:58Z".
    return format_iso8601(stamp, milliseconds=False)


def _person_name(
    full: str | None, first: str | None, last: str | None
) -> order_pb2.PersonName | None:
    if not (full or first or last):
        return None
    name = order_pb2.PersonName(
        full_name=full or "", given_name=first or "", family_name=last or ""
    )
    if full and not (first or last):
        # Only the whole name was sent: the first word is the given name, the rest the family
        # name ("Ludwig van Beethoven" → "Ludwig" / "van Beethoven").
        given, _, family = full.strip().partition(" ")
        name.given_name, name.family_name = given, family.strip()
    return name


def _whole_name(name: order_pb2.PersonName) -> str:
    if name.full_name:
        return str(name.full_name)
    parts = (name.given_name, name.middle_name, name.family_name)
    return " ".join(str(part) for part in parts if part)


def _set_struct_value(target: struct_pb2.Value, value: Any) -> None:
    if value is None:
        target.null_value = struct_pb2.NULL_VALUE
    elif isinstance(value, bool):
        target.bool_value = value
    elif isinstance(value, int | Decimal):
        _set_struct_number(target, value)
    elif isinstance(value, str):
        target.string_value = value
    elif isinstance(value, Mapping):
        target.struct_value.SetInParent()
        for key, item in value.items():
            _set_struct_value(target.struct_value.fields[str(key)], item)
    elif isinstance(value, list):
        target.list_value.SetInParent()
        for item in value:
            _set_struct_value(target.list_value.values.add(), item)
    else:
        target.string_value = str(value)


def _set_struct_number(target: struct_pb2.Value, value: int | Decimal) -> None:
    # A Struct number is a double; the exact JSON text, where a double cannot carry it, rides in
    # the residue. Numbers a double cannot hold at all are kept as their text.
    try:
        as_double = float(value)
    except OverflowError:
        target.string_value = str(value)
        return
    if as_double in {float("inf"), float("-inf")}:
        target.string_value = str(value)
    else:
        target.number_value = as_double


def _struct_from_json(properties: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    for key, value in properties.items():
        _set_struct_value(struct.fields[key], value)
    return struct


def _json_from_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        number = float(value.number_value)
        if number.is_integer() and abs(number) < 2**53:
            return int(number)
        return Decimal(repr(number))  # the shortest text that reads back as the same double
    if kind == "string_value":
        return str(value.string_value)
    if kind == "bool_value":
        return bool(value.bool_value)
    if kind == "struct_value":
        return _json_from_struct(value.struct_value)
    if kind == "list_value":
        return [_json_from_value(item) for item in value.list_value.values]
    return None


def _json_from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return {str(key): _json_from_value(struct.fields[key]) for key in struct.fields}


def _text(value: str | int | None) -> str:
    return "" if value is None else str(value)


def _snake_case(text: str) -> str:
    # _orders.md: provider is "in lower snake cased form. For example, shopify or my_store".
    return _NOT_SNAKE_CASE.sub("_", text.lower()).strip("_")


# ---------------------------------------------------------------------------------------------
# Drip → canonical


def states_from_drip(
    financial_state: str | None, fulfillment_state: str | None, cancelled: bool
) -> tuple[Any, Any, Any, order_pb2.NativeStatus]:
    """The (lifecycle, payment, fulfillment) triple and native status of a Drip order status."""
    payment = PAYMENT_STATE_BY_FINANCIAL_STATE.get(
        financial_state or "", order_pb2.PAYMENT_STATE_UNSPECIFIED
    )
    fulfillment = FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE.get(
        fulfillment_state or "", order_pb2.FULFILLMENT_STATE_UNSPECIFIED
    )
    label_parts = [
        _FINANCIAL_LABELS.get(financial_state or "", "No financial state"),
        _FULFILLMENT_LABELS.get(fulfillment_state or "", "no fulfillment state"),
    ]
    if cancelled:
        label_parts.append("cancelled")
    native = order_pb2.NativeStatus(
        source=VENDOR,
        code=f"{financial_state or ''}/{fulfillment_state or ''}",
        label=", ".join(label_parts),
    )
    return LIFECYCLE_STATE_BY_CANCELLED[cancelled], payment, fulfillment, native


def _address_from_drip(address: DripAddress) -> order_pb2.Address:
    result = order_pb2.Address(
        company=_text(address.company),
        line1=_text(address.address_1),
        line2=_text(address.address_2),
        city=_text(address.city),
        region=_text(address.state),
        postal_code=_text(address.zip),
        country=_text(address.country),
        email=_text(address.email),
    )
    name = _person_name(address.name, address.first_name, address.last_name)
    if name is not None:
        result.name.CopyFrom(name)
    if address.phone:
        result.phone.number = address.phone
    return result


def _product_from_drip(item: DripItem) -> order_pb2.Product | None:
    product = order_pb2.Product(
        id=_text(item.product_id),
        upstream_id=_text(item.upstream_product_id),
        upstream_variant_id=_text(item.upstream_product_variant_id),
        variant_id=_text(item.product_variant_id),
        url=_text(item.product_url),
        brand=_text(item.brand),
    )
    for category in item.categories or []:
        product.categories.add(name=category)
    if item.image_url:
        product.image_urls.append(item.image_url)
    return product if product.ByteSize() else None


def _line_item_from_drip(item: DripItem, currency_code: str) -> order_pb2.LineItem:
    line = order_pb2.LineItem(
        id=_text(item.id),
        sku=_text(item.sku),
        name=item.name,
        # _orders.md: quantity "if omitted, defaults to 1".
        quantity=1 if item.quantity is None else item.quantity,
        upstream_id=_text(item.upstream_id),
        taxable=bool(item.taxable),
    )
    line.total.CopyFrom(_money(item.amount, currency_code, "amount"))
    optional_amounts = {
        "unit_price": ("price", item.price),
        "tax": ("tax", item.tax),
        "fees": ("fees", item.fees),
        "discount": ("discount", item.discount),
    }
    for field, (drip_field, cents) in optional_amounts.items():
        if cents is not None:
            getattr(line, field).CopyFrom(_money(cents, currency_code, drip_field))
    product = _product_from_drip(item)
    if product is not None:
        line.product.CopyFrom(product)
    if item.properties is not None:
        line.properties.CopyFrom(_struct_from_json(item.properties))
    return line


def _subscriber_id(drip_order: DripOrder) -> str:
    if drip_order.links is not None:
        # The order object: `id` is the order record's own id; the subscriber is linked.
        return _text(drip_order.links.subscriber)
    return _text(drip_order.id)  # a request element: `id` is the subscriber's Drip id


def _order_from_model(drip_order: DripOrder) -> order_pb2.Order:
    currency = (drip_order.currency_code or DEFAULT_CURRENCY).upper()
    order = order_pb2.Order(
        currency_code=currency,
        source=_text(drip_order.provider),
        order_number=_text(drip_order.identifier),
        permalink=_text(drip_order.permalink),
    )
    if drip_order.provider and drip_order.upstream_id is not None:
        order.external_refs.add(
            source=REF_SOURCE_PREFIX + drip_order.provider, id=str(drip_order.upstream_id)
        )
    order.total.CopyFrom(_money(drip_order.amount, currency, "amount"))
    optional_totals = {
        "tax_total": ("tax", drip_order.tax),
        "fee_total": ("fees", drip_order.fees),
        "discount_total": ("discount", drip_order.discount),
    }
    for field, (drip_field, cents) in optional_totals.items():
        if cents is not None:
            getattr(order, field).CopyFrom(_money(cents, currency, drip_field))
    times = {
        "place_time": ("occurred_at", drip_order.occurred_at),
        "close_time": ("closed_at", drip_order.closed_at),
        "cancel_time": ("cancelled_at", drip_order.cancelled_at),
    }
    for field, (drip_field, text) in times.items():
        if text is not None:
            getattr(order, field).CopyFrom(parse_iso8601(text, drip_field))
    lifecycle, payment, fulfillment, native = states_from_drip(
        drip_order.financial_state,
        drip_order.fulfillment_state,
        cancelled=drip_order.cancelled_at is not None,
    )
    order.lifecycle_state, order.payment_state, order.fulfillment_state = (
        lifecycle,
        payment,
        fulfillment,
    )
    order.native_status.CopyFrom(native)
    if drip_order.email:
        order.customer.email = drip_order.email
    subscriber_id = _subscriber_id(drip_order)
    if subscriber_id:
        order.customer.subscriber_id = subscriber_id
    if drip_order.billing_address is not None:
        order.billing_address.CopyFrom(_address_from_drip(drip_order.billing_address))
    if drip_order.shipping_address is not None:
        order.shipping_destinations.add().address.CopyFrom(
            _address_from_drip(drip_order.shipping_address)
        )
    for index, item in enumerate(drip_order.items or []):
        try:
            order.line_items.append(_line_item_from_drip(item, currency))
        except TranslationError as error:
            raise error.under(f"items[{index}]") from None
    if drip_order.properties is not None:
        order.properties.CopyFrom(_struct_from_json(drip_order.properties))
    return order


def _request_fields(original: dict[str, Any]) -> dict[str, Any]:
    """The order as a request element: the order object's read-only `id` (Drip's record id)
    and `links` are server-assigned, and `order_to_drip` writes request elements, whose `id`
    is the subscriber's."""
    links = original.get("links")
    if not isinstance(links, dict):
        return original
    request = {key: value for key, value in original.items() if key not in SERVER_ASSIGNED_FIELDS}
    if links.get("subscriber") is not None:
        request["id"] = links["subscriber"]
    return request


def order_from_drip(payload: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order for one Drip order (a request element or the order object)."""
    original = plain_json(payload)
    order = _order_from_model(validated(DripOrder, original))
    # Drip carries no secrets (no payment tokens or card numbers), so nothing is stripped for
    # that; the order object's server-assigned fields are not kept (see _request_fields).
    residue = residue_between(_request_fields(original), _payload_from_order(order))
    if residue:
        order.vendor_data[VENDOR].fields["residue"].CopyFrom(residue_to_value(residue))
    return order


def refund_from_drip(
    refund: Mapping[str, Any], currency_code: str
) -> tuple[order_pb2.ExternalRef, order_pb2.Refund]:
    """The refunded order's reference and the canonical refund, in the order's currency."""
    drip_refund = validated(DripRefund, plain_json(refund))
    order_ref = order_pb2.ExternalRef(
        source=REF_SOURCE_PREFIX + drip_refund.provider, id=str(drip_refund.order_upstream_id)
    )
    result = order_pb2.Refund(
        upstream_id=_text(drip_refund.upstream_id),
        note=_text(drip_refund.note),
        processed_by=_text(drip_refund.processed_by),
    )
    currency = (currency_code or DEFAULT_CURRENCY).upper()
    result.amount.CopyFrom(_money(drip_refund.amount, currency, "amount"))
    if drip_refund.processed_at is not None:
        result.refund_time.CopyFrom(parse_iso8601(drip_refund.processed_at, "processed_at"))
    return order_ref, result


# ---------------------------------------------------------------------------------------------
# Canonical → Drip


def _describes(code: str, order: order_pb2.Order) -> bool:
    """Whether a "financial/fulfillment" code still maps to the order's payment and fulfillment
    states (a cancellation is Drip's cancelled_at, not part of the code)."""
    if code.count("/") != 1:
        return False
    financial, fulfillment = (part or None for part in code.split("/"))
    if financial is not None and financial not in PAYMENT_STATE_BY_FINANCIAL_STATE:
        return False
    if fulfillment is not None and fulfillment not in FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE:
        return False
    _, payment, fulfilled, _ = states_from_drip(financial, fulfillment, cancelled=False)
    return bool(payment == order.payment_state and fulfilled == order.fulfillment_state)


def drip_states_for(order: order_pb2.Order) -> tuple[str | None, str | None]:
    """Drip's (financial_state, fulfillment_state) for an order: its own Drip status when that
    still describes the order, else the closest values from the state tables."""
    code = native_status_code(order, VENDOR, lambda code: _describes(code, order))
    if code is not None:
        financial, fulfillment = (part or None for part in code.split("/"))
        return financial, fulfillment
    return (
        FINANCIAL_STATE_BY_PAYMENT_STATE.get(order.payment_state),
        DRIP_FULFILLMENT_STATE_BY_FULFILLMENT_STATE.get(order.fulfillment_state),
    )


def _cancelled_at(order: order_pb2.Order) -> str | None:
    cancelled = order.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED or (
        order.lifecycle_state == order_pb2.LIFECYCLE_STATE_UNSPECIFIED
        and order.HasField("cancel_time")
    )
    if not cancelled:
        return None
    # Drip says "cancelled" only with a time; without a cancel time the latest known one is
    # the closest.
    for field in ("cancel_time", "vendor_update_time", "update_time", "place_time"):
        if order.HasField(field):
            return _time(getattr(order, field))
    return None


def _provider_and_upstream_id(order: order_pb2.Order) -> tuple[str, str | None]:
    drip_refs = [
        ref
        for ref in order.external_refs
        if ref.source.startswith(REF_SOURCE_PREFIX) and len(ref.source) > len(REF_SOURCE_PREFIX)
    ]
    own = [ref for ref in drip_refs if ref.source == REF_SOURCE_PREFIX + order.source]
    for ref in own or drip_refs:
        return str(ref.source)[len(REF_SOURCE_PREFIX) :], str(ref.id)
    provider = _snake_case(str(order.source)) or DEFAULT_PROVIDER
    order_id = str(order.name).rsplit("/", 1)[-1]
    return provider, str(order.order_number) or order_id or None


def _subscriber_email(order: order_pb2.Order) -> str | None:
    candidates = [order.customer.email]
    if not order.customer.subscriber_id:
        # Drip needs "either email or id"; the addressee's e-mail is the closest stand-in.
        candidates += [order.billing_address.email]
        candidates += [destination.address.email for destination in order.shipping_destinations]
    for candidate in candidates:
        if is_drip_email(str(candidate)):
            return str(candidate)
    return None


def _drip_address(address: order_pb2.Address) -> dict[str, Any]:
    fields = {
        "name": _whole_name(address.name),
        "first_name": address.name.given_name,
        "last_name": address.name.family_name,
        "company": address.company,
        "address_1": address.line1,
        "address_2": address.line2,
        "city": address.city,
        "state": address.region,
        "zip": address.postal_code,
        "country": address.country or address.country_code,
        "phone": address.phone.number,
        "email": address.email,
    }
    # Drip's examples send every key; an empty one is null (the docs' "address_2": "null").
    return {key: (str(value) if value else None) for key, value in fields.items()}


def _item_amount(line: order_pb2.LineItem, currency_code: str, field: str) -> int:
    if line.HasField("total"):
        return _cents(line.total, currency_code, f"{field}.amount")
    # No line total (some vendors leave it out): price × quantity less the discount.
    price = _cents(line.unit_price, currency_code, f"{field}.price")
    discount = _cents(line.discount, currency_code, f"{field}.discount")
    return price * int(line.quantity) - discount


def _item_name(line: order_pb2.LineItem, index: int) -> str:
    for candidate in (line.name, line.product.name, line.sku, line.product.id):
        if str(candidate).strip():
            return str(candidate)
    return f"Item {index + 1}"  # _orders.md: an item's name is required


def _drip_item(line: order_pb2.LineItem, index: int, currency_code: str) -> dict[str, Any]:
    field = f"items[{index}]"
    product = line.product
    item: dict[str, Any] = {}
    if line.id:
        item["id"] = str(line.id)
    if product.id:
        item["product_id"] = str(product.id)
    if line.sku:
        item["sku"] = str(line.sku)
    item["amount"] = _json_cents(_item_amount(line, currency_code, field))
    item["name"] = _item_name(line, index)
    item["quantity"] = int(line.quantity)
    for key, value in (
        ("upstream_id", line.upstream_id),
        ("upstream_product_id", product.upstream_id),
        ("upstream_product_variant_id", product.upstream_variant_id),
    ):
        if value:
            item[key] = str(value)
    for key, money_field in (
        ("price", "unit_price"),
        ("tax", "tax"),
        ("fees", "fees"),
        ("discount", "discount"),
    ):
        if line.HasField(money_field):
            item[key] = _json_cents(
                _cents(getattr(line, money_field), currency_code, f"{field}.{key}")
            )
    if line.taxable:
        item["taxable"] = True  # unset and false look alike in proto3; false rides in the residue
    if line.HasField("properties"):
        item["properties"] = _json_from_struct(line.properties)
    if product.variant_id:
        item["product_variant_id"] = str(product.variant_id)
    if product.categories:
        item["categories"] = [str(entry.name or entry.id) for entry in product.categories]
    if is_drip_url(str(product.url)):
        item["product_url"] = str(product.url)
    images = [str(url) for url in product.image_urls if is_drip_url(str(url))]
    if images:
        item["image_url"] = images[0]  # Drip keeps one image per item
    if product.brand:
        item["brand"] = str(product.brand)
    return item


def _order_amount(order: order_pb2.Order, currency: str, items: list[dict[str, Any]]) -> int:
    if order.HasField("total"):
        return _cents(order.total, currency, "amount")
    # _orders.md: amount is required; without a grand total the items are the closest.
    return sum(int(item["amount"]) for item in items)


def _payload_from_order(order: order_pb2.Order) -> dict[str, Any]:
    """The Drip order element for the canonical fields alone (no residue applied)."""
    currency = str(order.currency_code or order.total.currency_code or DEFAULT_CURRENCY).upper()
    items = [_drip_item(line, index, currency) for index, line in enumerate(order.line_items)]
    provider, upstream_id = _provider_and_upstream_id(order)
    payload: dict[str, Any] = {}
    email = _subscriber_email(order)
    if email is not None:
        payload["email"] = email
    if order.customer.subscriber_id:
        payload["id"] = str(order.customer.subscriber_id)
    payload["provider"] = provider
    if upstream_id:
        payload["upstream_id"] = upstream_id
    if order.order_number:
        payload["identifier"] = str(order.order_number)
    payload["amount"] = _json_cents(_order_amount(order, currency, items))
    for key, field in (("tax", "tax_total"), ("fees", "fee_total"), ("discount", "discount_total")):
        if order.HasField(field):
            payload[key] = _json_cents(_cents(getattr(order, field), currency, key))
    if is_drip_url(str(order.permalink)):
        payload["permalink"] = str(order.permalink)
    payload["currency_code"] = currency
    if order.HasField("properties"):
        payload["properties"] = _json_from_struct(order.properties)
    if order.HasField("place_time"):
        payload["occurred_at"] = _time(order.place_time)
    if order.HasField("close_time"):
        payload["closed_at"] = _time(order.close_time)
    cancelled_at = _cancelled_at(order)
    if cancelled_at is not None:
        payload["cancelled_at"] = cancelled_at
    financial_state, fulfillment_state = drip_states_for(order)
    if financial_state is not None:
        payload["financial_state"] = financial_state
    if fulfillment_state is not None:
        payload["fulfillment_state"] = fulfillment_state
    if order.HasField("billing_address"):
        payload["billing_address"] = _drip_address(order.billing_address)
    shipping = [dest.address for dest in order.shipping_destinations if dest.HasField("address")]
    if shipping:
        payload["shipping_address"] = _drip_address(shipping[0])  # Drip ships to one address
    if items:
        payload["items"] = items
    return payload


def order_to_drip(order: order_pb2.Order) -> dict[str, Any]:
    """One Drip order element for any canonical order; exact for orders that came from Drip."""
    payload = _payload_from_order(order)
    if VENDOR in order.vendor_data:
        payload = apply_residue(payload, residue_from_struct(order.vendor_data[VENDOR]))
    validated(DripOrder, payload)  # what goes out must be a valid Drip order
    return payload


def refund_to_drip(order_ref: order_pb2.ExternalRef, refund: order_pb2.Refund) -> dict[str, Any]:
    """The Drip refund element for a canonical refund of the order `order_ref` names."""
    source = str(order_ref.source)
    if source.startswith(REF_SOURCE_PREFIX) and len(source) > len(REF_SOURCE_PREFIX):
        provider = source[len(REF_SOURCE_PREFIX) :]
    else:
        provider = _snake_case(source) or DEFAULT_PROVIDER
    currency = str(refund.amount.currency_code or DEFAULT_CURRENCY).upper()
    payload: dict[str, Any] = {"provider": provider, "order_upstream_id": str(order_ref.id)}
    if refund.upstream_id:
        payload["upstream_id"] = str(refund.upstream_id)
    payload["amount"] = _json_cents(_cents(refund.amount, currency, "amount"))
    if refund.note:
        payload["note"] = str(refund.note)
    if refund.processed_by:
        payload["processed_by"] = str(refund.processed_by)
    if refund.HasField("refund_time"):
        payload["processed_at"] = _time(refund.refund_time)
    validated(DripRefund, payload)
    return payload


# ---------------------------------------------------------------------------------------------
# Drip error objects


def error_for(error: TranslationError) -> dict[str, Any]:
    """Drip's error object for a translation error (_errors.md): code, attribute, message."""
    code = DRIP_ERROR_CODE_BY_KIND[error.kind]
    message = f"{error.field} {error.reason}" if error.field else error.reason
    result: dict[str, Any] = {"code": code}
    if error.field:
        result["attribute"] = error.field
    result["message"] = message[:1].upper() + message[1:]
    return result
