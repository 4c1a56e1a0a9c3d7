"""Pure parsing of List filters, order_by and page tokens (AIP-160 subset); no SQL, no I/O."""

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from orderbridge.v1 import order_pb2

from core.errors import InvalidArgument
from core.validation import check_no_nul

_TOKEN = re.compile(
    r'\s*(?:(?P<op><=|>=|!=|=|<|>)|"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<word>[^\s=<>!"]+))'
)
_ORDERINGS = {"create_time", "update_time", "serial_number"}
_ENUMS = {
    "lifecycle_state": order_pb2.LifecycleState,
    "payment_state": order_pb2.PaymentState,
    "fulfillment_state": order_pb2.FulfillmentState,
}
_TIMES = {"create_time", "update_time", "place_time"}
_STRINGS = {
    "order_number",
    "cart_id",
    "customer.id",
    "customer.email",
    "native_status.code",
    "native_status.source",
    "payment_method",
    "external_ref",
    "external_ref.source",
}
_EQUALITY = ("=", "!=")


@dataclass(frozen=True)
class Condition:
    """One `field op value` term with its value parsed to the column's type."""

    field: str
    op: str
    value: Any


def _enum_value(field: str, text: str) -> int:
    enum = _ENUMS[field]
    prefix = field.upper() + "_"
    name = text.upper()
    name = name if name.startswith(prefix) else prefix + name
    try:
        return int(enum.Value(name))
    except ValueError:
        raise InvalidArgument(
            f"filter: {text!r} is not a {field}", violations=[("filter", f"unknown {field} {text}")]
        ) from None


def _time_value(field: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidArgument(
            f"filter: {field} needs an RFC 3339 time, got {text!r}",
            violations=[("filter", f"{field} needs an RFC 3339 time")],
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _int64(field: str, value: int) -> int:
    # Both columns are 64-bit; a value beyond them could never match and would fail in SQL.
    if not -(2**63) <= value < 2**63:
        raise InvalidArgument(
            f"filter: {field} is out of range", violations=[("filter", f"{field} out of range")]
        )
    return value


def _parse_value(field: str, op: str, text: str) -> Any:
    check_no_nul("filter", text)
    if field in _ENUMS or field in _STRINGS:
        if op not in _EQUALITY:
            raise InvalidArgument(
                f"filter: {field} supports only = and !=",
                violations=[("filter", f"{field} supports only = and !=")],
            )
        if field in _ENUMS:
            return _enum_value(field, text)
        if field == "external_ref":
            source, slash, ref_id = text.partition("/")
            if not slash or not source or not ref_id:
                raise InvalidArgument(
                    "filter: external_ref needs source/id",
                    violations=[("filter", "external_ref needs source/id")],
                )
            if op != "=":
                raise InvalidArgument(
                    "filter: external_ref supports only =",
                    violations=[("filter", "external_ref supports only =")],
                )
            return (source, ref_id)
        return text.lower() if field == "customer.email" else text
    if field in _TIMES:
        return _time_value(field, text)
    if field == "serial_number":
        if not re.fullmatch(r"-?\d+", text):
            raise InvalidArgument(
                "filter: serial_number needs an integer",
                violations=[("filter", "serial_number needs an integer")],
            )
        return _int64(field, int(text))
    if field == "total":
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InvalidArgument(
                "filter: total needs a decimal", violations=[("filter", "total needs a decimal")]
            ) from None
        return _int64(field, int(amount * 1_000_000_000))
    raise InvalidArgument(
        f"filter: unknown field {field!r}", violations=[("filter", f"unknown field {field}")]
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise InvalidArgument(
                f"filter: cannot read {text[position:]!r}",
                violations=[("filter", f"unexpected text at {position}")],
            )
        position = match.end()
        if match.group("op"):
            tokens.append(("op", match.group("op")))
        elif match.group("quoted") is not None:
            tokens.append(("value", re.sub(r"\\(.)", r"\1", match.group("quoted"))))
        else:
            tokens.append(("word", match.group("word")))
    return tokens


def parse_filter(text: str) -> list[Condition]:
    """The conditions of `field op value [AND field op value …]`."""
    tokens = _tokens(text)
    conditions: list[Condition] = []
    index = 0
    while index < len(tokens):
        if conditions:
            if tokens[index] != ("word", "AND"):
                raise InvalidArgument(
                    "filter: terms must be joined by AND",
                    violations=[("filter", "terms must be joined by AND")],
                )
            index += 1
        term = tokens[index : index + 3]
        if len(term) != 3 or term[0][0] != "word" or term[1][0] != "op" or term[2][0] == "op":
            raise InvalidArgument(
                "filter: each term is `field op value`",
                violations=[("filter", "each term is `field op value`")],
            )
        field, op, value = term[0][1], term[1][1], term[2][1]
        conditions.append(Condition(field, op, _parse_value(field, op, value)))
        index += 3
    return conditions


@dataclass(frozen=True)
class Ordering:
    """The column lists are sorted by, and its direction."""

    field: str
    descending: bool


def parse_order_by(text: str) -> Ordering:
    """ "create_time desc" when empty; one of create_time, update_time, serial_number."""
    words = text.split()
    if not words:
        return Ordering("create_time", True)
    if words[0] not in _ORDERINGS or len(words) > 2 or words[1:] not in ([], ["asc"], ["desc"]):
        raise InvalidArgument(
            f"order_by {text!r}: use create_time, update_time or serial_number, with desc",
            violations=[("order_by", "unsupported ordering")],
        )
    return Ordering(words[0], words[1:] == ["desc"])


def query_fingerprint(filter_text: str, order_by: str, show_deleted: bool) -> str:
    """Ties a page token to the query it came from."""
    text = f"{filter_text}\x00{order_by}\x00{show_deleted}"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def encode_page_token(fingerprint: str, sort_value: Any, order_id: str) -> str:
    """An opaque token holding the last row's sort key."""
    if isinstance(sort_value, datetime):
        sort_value = sort_value.astimezone(UTC).isoformat()
    raw = json.dumps([fingerprint, sort_value, order_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_page_token(token: str, fingerprint: str, ordering: Ordering) -> tuple[Any, str]:
    """(sort value, order id) of the last row of the previous page."""
    try:
        padded = token + "=" * (-len(token) % 4)
        found, sort_value, order_id = json.loads(base64.urlsafe_b64decode(padded))
        if ordering.field != "serial_number":
            sort_value = datetime.fromisoformat(sort_value)
        elif not isinstance(sort_value, int):
            raise TypeError("serial")
    except (ValueError, TypeError):
        raise InvalidArgument(
            "page_token is not valid", violations=[("page_token", "malformed")]
        ) from None
    if found != fingerprint:
        raise InvalidArgument(
            "page_token belongs to a different query",
            violations=[("page_token", "filter, order_by or show_deleted changed")],
        )
    return sort_value, str(order_id)
