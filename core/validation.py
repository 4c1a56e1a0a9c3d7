"""Pure checks of requests: resource names and order contents; raises InvalidArgument, no I/O."""

import math
import re

from google.protobuf import field_mask_pb2, struct_pb2, timestamp_pb2
from google.protobuf.message import Message
from orderbridge.v1 import order_pb2

from core.errors import InvalidArgument

_PARENT = re.compile(r"^tenants/([A-Za-z0-9][A-Za-z0-9._~-]{0,127})$")
_ORDER_NAME = re.compile(r"^tenants/([A-Za-z0-9][A-Za-z0-9._~-]{0,127})/orders/([0-9a-f]{32})$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_REQUEST_ID = re.compile(r"^[\x21-\x7e]{1,128}$")
MAX_TOTAL_UNITS = (2**63 - 1) // 1_000_000_000 - 1
# timestamp.proto: a Timestamp's "Range is from 0001-01-01T00:00:00Z to
# 9999-12-31T23:59:59.999999999Z"; beyond it there is no datetime to store and no date any
# door writes (four-digit years, as RFC 3339 and RFC 2822 write them).
MIN_TIMESTAMP_SECONDS = -62_135_596_800
MAX_TIMESTAMP_SECONDS = 253_402_300_799

# Fields the server sets; a create or update ignores what a caller sends in them.
OUTPUT_ONLY_FIELDS = frozenset(
    {"name", "etag", "revision", "serial_number", "create_time", "update_time", "archive_time"}
)
WRITABLE_FIELDS = tuple(
    field.name
    for field in order_pb2.Order.DESCRIPTOR.fields
    if field.name not in OUTPUT_ONLY_FIELDS
)


def tenant_of_parent(parent: str, field: str = "parent") -> str:
    """The tenant of "tenants/{tenant}"."""
    match = _PARENT.match(parent)
    if not match:
        raise InvalidArgument(
            f"{field} must look like tenants/{{tenant}}", violations=[(field, "malformed")]
        )
    return match.group(1)


def parse_order_name(name: str, field: str = "name") -> tuple[str, str]:
    """(tenant, order id) of "tenants/{tenant}/orders/{id}"."""
    match = _ORDER_NAME.match(name)
    if not match:
        raise InvalidArgument(
            f"{field} must look like tenants/{{tenant}}/orders/{{id}}",
            violations=[(field, "malformed resource name")],
        )
    return match.group(1), match.group(2)


def check_request_id(request_id: str) -> None:
    """Request ids are optional; when present, 1–128 printable ASCII characters."""
    if request_id and not _REQUEST_ID.match(request_id):
        raise InvalidArgument(
            "request_id must be 1-128 printable ASCII characters",
            violations=[("request_id", "malformed")],
        )


def check_no_nul(field: str, text: str) -> None:
    """PostgreSQL text cannot hold NUL: refuse it up front rather than fail in SQL."""
    if "\x00" in text:
        raise InvalidArgument(
            f"{field} must not contain NUL characters", violations=[(field, "contains NUL")]
        )


def _amount_violations(money: order_pb2.Money, path: str) -> list[tuple[str, str]]:
    """money.proto's rules: nanos within ±999999999, with the sign of units."""
    if not -999_999_999 <= money.nanos <= 999_999_999:
        return [(f"{path}.nanos", "must be between -999999999 and 999999999")]
    if (money.units > 0 and money.nanos < 0) or (money.units < 0 and money.nanos > 0):
        return [(f"{path}.nanos", "must have the same sign as units")]
    return []


def _money_violations(message: Message, path: str, currency: str) -> list[tuple[str, str]]:
    violations: list[tuple[str, str]] = []
    if isinstance(message, order_pb2.Money):
        if message.currency_code and message.currency_code != currency:
            violations.append(
                (f"{path}.currency_code", f"must be the order's currency {currency or '(unset)'}")
            )
        return violations + _amount_violations(message, path)
    for field, value in message.ListFields():
        if field.message_type is None or field.message_type.full_name.startswith("google."):
            continue
        if field.is_repeated:
            if field.message_type.GetOptions().map_entry:
                continue
            for index, item in enumerate(value):
                violations += _money_violations(item, f"{path}.{field.name}[{index}]", currency)
        else:
            violations += _money_violations(value, f"{path}.{field.name}", currency)
    return violations


def _struct_value_violations(value: struct_pb2.Value, path: str) -> list[tuple[str, str]]:
    kind = value.WhichOneof("kind")
    if kind == "number_value" and not math.isfinite(value.number_value):
        # JSON has no NaN or Infinity (RFC 8259 §6): no door, nor the canonical JSON, writes one.
        return [(path, "must be a finite number")]
    if kind == "struct_value":
        return _time_and_number_violations(value.struct_value, path)
    if kind == "list_value":
        return [
            violation
            for index, item in enumerate(value.list_value.values)
            for violation in _struct_value_violations(item, f"{path}[{index}]")
        ]
    return []


def _time_and_number_violations(message: Message, path: str) -> list[tuple[str, str]]:
    """Timestamps outside a Timestamp's range, and Struct numbers JSON cannot write."""
    violations: list[tuple[str, str]] = []
    if isinstance(message, timestamp_pb2.Timestamp):
        if not MIN_TIMESTAMP_SECONDS <= message.seconds <= MAX_TIMESTAMP_SECONDS:
            violations.append((f"{path}.seconds", "must be from 0001-01-01 to 9999-12-31"))
        if not 0 <= message.nanos <= 999_999_999:
            violations.append((f"{path}.nanos", "must be between 0 and 999999999"))
        return violations
    if isinstance(message, struct_pb2.Value):
        return _struct_value_violations(message, path)
    if isinstance(message, struct_pb2.Struct):
        for key, value in message.fields.items():
            violations += _struct_value_violations(value, f"{path}.{key}")
        return violations
    is_order = isinstance(message, order_pb2.Order)
    for field, value in message.ListFields():
        if field.message_type is None or (is_order and field.name in OUTPUT_ONLY_FIELDS):
            continue  # the server sets the order's own times; what a caller sends is ignored
        if field.message_type.GetOptions().map_entry:
            if field.message_type.fields_by_name["value"].message_type is None:
                continue  # a map of scalars holds no timestamp or number of a Struct
            for key, item in value.items():
                violations += _time_and_number_violations(item, f"{path}.{field.name}.{key}")
        elif field.is_repeated:
            for index, item in enumerate(value):
                violations += _time_and_number_violations(item, f"{path}.{field.name}[{index}]")
        else:
            violations += _time_and_number_violations(value, f"{path}.{field.name}")
    return violations


def order_violations(order: order_pb2.Order, path: str = "order") -> list[tuple[str, str]]:
    """Everything wrong with an order's contents, as (field path, description) pairs."""
    violations: list[tuple[str, str]] = []
    if not _CURRENCY.match(order.currency_code):
        violations.append((f"{path}.currency_code", "required: a three-letter ISO 4217 code"))
    seen_sources: set[str] = set()
    for index, ref in enumerate(order.external_refs):
        ref_path = f"{path}.external_refs[{index}]"
        if not ref.source or len(ref.source) > 128 or "\x00" in ref.source:
            violations.append((f"{ref_path}.source", "required, at most 128 characters, no NUL"))
        if not ref.id or len(ref.id) > 256 or "\x00" in ref.id:
            violations.append((f"{ref_path}.id", "required, at most 256 characters, no NUL"))
        if ref.source in seen_sources:
            violations.append((f"{ref_path}.source", "one reference per source"))
        seen_sources.add(ref.source)
    for field, text, limit in (
        ("order_number", order.order_number, 256),
        ("cart_id", order.cart_id, 256),
        ("channel", order.channel, 256),
        ("customer.id", order.customer.id, 256),
        ("customer.email", order.customer.email, 320),
        ("payments[0].method", order.payments[0].method if order.payments else "", 256),
        ("native_status.source", order.native_status.source, 64),
        ("native_status.code", order.native_status.code, 128),
        ("native_status.label", order.native_status.label, 256),
    ):
        # These are indexed columns of bounded width (tables.py); PostgreSQL text holds no NUL.
        if len(text) > limit:
            violations.append((f"{path}.{field}", f"at most {limit} characters"))
        elif "\x00" in text:
            violations.append((f"{path}.{field}", "must not contain NUL characters"))
    if abs(order.total.units) > MAX_TOTAL_UNITS:
        # The total is also kept as one 64-bit count of nanos, for exact `total` filters.
        violations.append((f"{path}.total.units", f"at most {MAX_TOTAL_UNITS} in absolute value"))
    if _has_bad_value(order):
        # The walks that name the fields run only when the quick one found something.
        violations += _money_violations(order, path, order.currency_code)
        violations += _time_and_number_violations(order, path)
    return violations


def _bad_number(value: struct_pb2.Value) -> bool:
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        return not math.isfinite(value.number_value)
    if kind == "struct_value":
        return any(_bad_number(item) for item in value.struct_value.fields.values())
    if kind == "list_value":
        return any(_bad_number(item) for item in value.list_value.values)
    return False


def _has_bad_value(order: order_pb2.Order) -> bool:
    """Whether any Money, Timestamp or Struct number of the order is wrong (no paths built):
    one pass over the message tree instead of two that name every field they pass."""
    currency = order.currency_code
    pending: list[Message] = [
        value
        for field, value in order.ListFields()
        if field.message_type is not None and field.name not in OUTPUT_ONLY_FIELDS
        for value in (
            value.values()
            if field.message_type.GetOptions().map_entry
            else value
            if field.is_repeated
            else (value,)
        )
        if isinstance(value, Message)
    ]
    while pending:
        message = pending.pop()
        if isinstance(message, order_pb2.Money):
            units, nanos = message.units, message.nanos
            if (
                message.currency_code not in ("", currency)
                or not -999_999_999 <= nanos <= 999_999_999
                or (units > 0 and nanos < 0)
                or (units < 0 and nanos > 0)
            ):
                return True
        elif isinstance(message, timestamp_pb2.Timestamp):
            if not (
                MIN_TIMESTAMP_SECONDS <= message.seconds <= MAX_TIMESTAMP_SECONDS
                and 0 <= message.nanos <= 999_999_999
            ):
                return True
        elif isinstance(message, struct_pb2.Struct):
            if any(_bad_number(value) for value in message.fields.values()):
                return True
        elif isinstance(message, struct_pb2.Value):
            if _bad_number(message):
                return True
        else:
            for field, value in message.ListFields():
                if field.message_type is None:
                    continue
                if field.message_type.GetOptions().map_entry:
                    pending.extend(item for item in value.values() if isinstance(item, Message))
                elif field.is_repeated:
                    pending.extend(value)
                else:
                    pending.append(value)
    return False


def check_order(order: order_pb2.Order, path: str = "order") -> None:
    """Raises InvalidArgument listing every violation of the order."""
    violations = order_violations(order, path)
    if violations:
        raise InvalidArgument(
            f"invalid {path}: {violations[0][0]} {violations[0][1]}", violations=violations
        )


def _raise_first(path: str, violations: list[tuple[str, str]]) -> None:
    if violations:
        raise InvalidArgument(
            f"invalid {path}: {violations[0][0]} {violations[0][1]}", violations=violations
        )


def check_cancel_time(stamp: timestamp_pb2.Timestamp, path: str = "cancel_time") -> None:
    """A cancel time is stored in the order: one outside a Timestamp's range would make every
    later check of that order, and every door that writes it as a date, fail."""
    _raise_first(path, _time_and_number_violations(stamp, path))


def check_refund(refund: order_pb2.Refund, path: str = "refund") -> None:
    """The refund's amount and times, checked as an order's are (it is appended to one); its
    currency is checked against the order's by the rule that appends it."""
    _raise_first(
        path,
        _amount_violations(refund.amount, f"{path}.amount")
        + _time_and_number_violations(refund, path),
    )


def check_update_mask(mask: field_mask_pb2.FieldMask, field: str = "update_mask") -> list[str]:
    """The mask's paths, refusing unknown and output-only ones; all writable fields when empty."""
    if not mask.paths:
        return list(WRITABLE_FIELDS)
    violations = []
    for path in mask.paths:
        top, _, key = path.partition(".")
        if top == "vendor_data" and key:
            continue  # one vendor's entry (AIP-161 map key): replaced on its own
        if top in OUTPUT_ONLY_FIELDS:
            violations.append((field, f"{path} is output only"))
        elif not field_mask_pb2.FieldMask(paths=[path]).IsValidForDescriptor(
            order_pb2.Order.DESCRIPTOR  # type: ignore[arg-type]  # upb and pure descriptors differ only in stubs
        ):
            violations.append((field, f"{path} is not a field of Order"))
    if violations:
        raise InvalidArgument(f"invalid {field}: {violations[0][1]}", violations=violations)
    return list(mask.paths)
