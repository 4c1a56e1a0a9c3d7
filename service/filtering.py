r"""Pure parsing of AIP-160 filters, AIP-132 order_by and signed page tokens; no SQL, no I/O.

The filter language is the AIP-160 subset below, parsed by lark (LALR) from a declared grammar:

    filter      = [expression]
    expression  = sequence {"AND" sequence}
    sequence    = factor {factor}                 (juxtaposition is AND too)
    factor      = term {"OR" term}                (OR binds tighter than AND)
    term        = ["NOT" | "-"] simple
    simple      = restriction | "(" expression ")"
    restriction = field comparator value
                | field ":" value                 (has: equal to, or "*" = present)
                | field ":" "(" value {"OR" value} ")"   (membership: equal to any)
    comparator  = "=" | "!=" | "<" | "<=" | ">" | ">="
    value       = "double" or 'single' quoted string (\\ \" \' \n \r \t escapes)
                | bare word (numbers, enum names, RFC 3339 times, …)

Membership follows Google's list-filter syntax, where a value may be a parenthesized
expression and `:` is the has-operator (developers.google.com/authorized-buyers/apis/guides/
list-filters; gcloud's `key:(v1 OR v2)`): `lifecycle_state:(CONFIRMED OR COMPLETED)` is
`lifecycle_state = CONFIRMED OR lifecycle_state = COMPLETED`. `field = (a OR b)` is refused
rather than read a second way. Literals without a field (AIP-160's global search), functions
and string wildcards are not supported; strings compare exactly, with = and != only, because
PostgreSQL's collation and SQLite's byte order would disagree on < and >.
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from lark import Lark, Token, Transformer_NonRecursive, Tree
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)
from orderbridge.v1 import order_pb2

from core.errors import InvalidArgument
from core.validation import check_no_nul

# Bounds that keep one filter cheap to parse and compile (AIP-160 "Limitations": a service may
# limit queries, and must refuse what is beyond them with INVALID_ARGUMENT).
MAX_FILTER_BYTES = 8 * 1024
MAX_FILTER_DEPTH = 64
# A page token carries at most 8 sort values of bounded columns; anything longer is not ours.
MAX_PAGE_TOKEN_CHARS = 16 * 1024

_GRAMMAR = r"""
start: expression
expression: sequence (_AND sequence)*
sequence: factor+
factor: term (_OR term)*
?term: simple
     | (_NOT | _MINUS) simple -> negation
?simple: restriction
       | "(" expression ")" -> composite
restriction: FIELD COMPARATOR value
           | FIELD _HAS value -> has
           | FIELD _HAS "(" value (_OR value)* ")" -> membership
value: STRING | TEXT

FIELD: /[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/
COMPARATOR: "<=" | ">=" | "!=" | "=" | "<" | ">"
STRING: /"(?:[^"\\]|\\[\s\S])*"/ | /'(?:[^'\\]|\\[\s\S])*'/
// Bare values may hold ":" after their first character: RFC 3339 times need no quotes.
TEXT: /[^\s()"'\\,=<>!:][^\s()"'\\,=<>!]*/
_HAS: ":"
_AND: "AND"
_OR: "OR"
_NOT: "NOT"
_MINUS: "-"
%ignore /\s+/
"""
# The contextual lexer only offers the tokens the parser can take next, so `-5` after a
# comparator is a value while `-` before a field is negation, and `OR` inside a value is text.
_PARSER = Lark(_GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=False)

_ENUMS = {
    "lifecycle_state": order_pb2.LifecycleState,
    "payment_state": order_pb2.PaymentState,
    "fulfillment_state": order_pb2.FulfillmentState,
}
_TIMES = {"create_time", "update_time", "place_time", "archive_time"}
_STRINGS = {
    "order_number",
    "cart_id",
    "channel",
    "customer.id",
    "customer.email",
    "native_status.code",
    "native_status.source",
    "payment_method",
}
_REFS = {"external_ref", "external_ref.source"}
_INTEGERS = {"serial_number", "total"}
_FIELDS = set(_ENUMS) | _TIMES | _STRINGS | _REFS | _INTEGERS
_EQUALITY = ("=", "!=")
# Fields where "has a value" means something: a non-empty string, a set enum, any reference.
# archive_time:* is "archived" (BigCommerce's is_deleted=true, with show_deleted).
_PRESENCE = set(_ENUMS) | _STRINGS | _REFS | {"archive_time"}
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}


@dataclass(frozen=True)
class ExternalRefValue:
    """An `external_ref` value, "source/id"."""

    source: str
    id: str


FilterValue: TypeAlias = int | str | datetime | ExternalRefValue


@dataclass(frozen=True)
class Comparison:
    """`field op value`, the value parsed to the field's type (enum number, nanos, UTC time…)."""

    field: str
    op: str
    value: FilterValue


@dataclass(frozen=True)
class Membership:
    """`field:(a OR b …)`: the field equals one of the values."""

    field: str
    values: tuple[FilterValue, ...]


@dataclass(frozen=True)
class Presence:
    """`field:*`: the field has a value (non-empty, not UNSPECIFIED, any reference)."""

    field: str


@dataclass(frozen=True)
class Not:
    """`NOT x` or `-x`."""

    operand: "Expression"


@dataclass(frozen=True)
class And:
    """Every operand holds (nested Ands are flattened)."""

    operands: tuple["Expression", ...]


@dataclass(frozen=True)
class Or:
    """Some operand holds (nested Ors are flattened)."""

    operands: tuple["Expression", ...]


Expression: TypeAlias = Comparison | Membership | Presence | Not | And | Or


def _invalid(message: str, violation: str) -> InvalidArgument:
    return InvalidArgument(f"filter: {message}", violations=[("filter", violation)])


@dataclass(frozen=True)
class _Literal:
    """A value as written: its text (unescaped) and whether it was quoted."""

    text: str
    quoted: bool


def _unquoted(token: str) -> str:
    body = token[1:-1]
    characters: list[str] = []
    escaped = False
    for character in body:
        if escaped:
            characters.append(_ESCAPES.get(character, character))
            escaped = False
        elif character == "\\":
            escaped = True
        else:
            characters.append(character)
    return "".join(characters)


def _enum_value(field: str, text: str) -> int:
    enum = _ENUMS[field]
    prefix = field.upper() + "_"
    name = text.upper()
    name = name if name.startswith(prefix) else prefix + name
    try:
        return int(enum.Value(name))
    except ValueError:
        raise _invalid(f"{text!r} is not a {field}", f"unknown {field} {text}") from None


def _time_value(field: str, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(
            f"{field} needs an RFC 3339 time, got {text!r}", f"{field} needs an RFC 3339 time"
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        # 0001-01-01T00:00:00+05:00 has no UTC datetime: refuse it here, not in the driver.
        return moment.astimezone(UTC)
    except OverflowError:
        raise _invalid(f"{field} is out of range", f"{field} out of range") from None


def _int64(field: str, value: int) -> int:
    # Both columns are 64-bit; a value beyond them could never match and would fail in SQL.
    if not -(2**63) <= value < 2**63:
        raise _invalid(f"{field} is out of range", f"{field} out of range")
    return value


def _serial_value(field: str, text: str) -> int:
    digits = text.removeprefix("-")
    # isascii: int() would also read "٣" and "1_0"; the length check keeps int() far from
    # Python's 4300-digit conversion limit.
    if not (digits.isascii() and digits.isdigit()):
        raise _invalid(f"{field} needs an integer", f"{field} needs an integer")
    if len(digits) > 20:
        raise _invalid(f"{field} is out of range", f"{field} out of range")
    return _int64(field, int(text))


def _nanos_value(field: str, text: str) -> int:
    """An exact decimal amount as nanos of its currency unit, with no rounding anywhere."""
    try:
        amount = Decimal(text) if text.isascii() and "_" not in text else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise _invalid(f"{field} needs a decimal", f"{field} needs a decimal")
    # Integer arithmetic on the digits: Decimal's context would round 30 digits, or overflow on
    # 1e999999, where a filter needs an exact answer or a refusal.
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)
    significant = list(digits)
    while len(significant) > 1 and significant[-1] == 0:
        significant.pop()
        exponent += 1
    if significant == [0]:
        return 0
    if exponent < -9:
        raise _invalid(f"{field} has at most 9 decimal places", f"{field} too precise")
    if exponent + len(significant) > 20:
        raise _invalid(f"{field} is out of range", f"{field} out of range")
    coefficient = int("".join(str(digit) for digit in significant))
    nanos = coefficient * 10 ** (exponent + 9)
    return _int64(field, -nanos if sign else nanos)


def _ref_value(text: str) -> ExternalRefValue:
    source, slash, ref_id = text.partition("/")
    if not slash or not source or not ref_id:
        raise _invalid("external_ref needs source/id", "external_ref needs source/id")
    return ExternalRefValue(source, ref_id)


def _typed(field: str, literal: _Literal) -> FilterValue:
    text = literal.text
    check_no_nul("filter", text)
    if field in _ENUMS:
        return _enum_value(field, text)
    if field in _TIMES:
        return _time_value(field, text)
    if field == "serial_number":
        return _serial_value(field, text)
    if field == "total":
        return _nanos_value(field, text)
    if field == "external_ref":
        return _ref_value(text)
    return text.lower() if field == "customer.email" else text


def _known(field: str) -> str:
    if field not in _FIELDS:
        raise _invalid(f"unknown field {field!r}", f"unknown field {field}")
    return field


def _comparison(field: str, op: str, literal: _Literal) -> Comparison:
    _known(field)
    if field == "external_ref" and op != "=":
        raise _invalid("external_ref supports only =", "external_ref supports only =")
    if (field in _ENUMS or field in _STRINGS or field in _REFS) and op not in _EQUALITY:
        raise _invalid(f"{field} supports only = and !=", f"{field} supports only = and !=")
    return Comparison(field, op, _typed(field, literal))


def _has(field: str, literal: _Literal) -> Comparison | Presence:
    _known(field)
    if literal.text == "*" and not literal.quoted:
        if field not in _PRESENCE:
            raise _invalid(f"{field} does not support :*", f"{field} does not support :*")
        return Presence(field)
    # On a single-valued field AIP-160's `m.foo:42` means "m.foo is 42".
    return Comparison(field, "=", _typed(field, literal))


def _membership(field: str, literals: list[_Literal]) -> Membership:
    _known(field)
    values: list[FilterValue] = []
    for literal in literals:
        if literal.text == "*" and not literal.quoted:
            raise _invalid(f"{field}:(…) lists values, not *", f"{field} membership lists values")
        values.append(_typed(field, literal))
    return Membership(field, tuple(dict.fromkeys(values)))


def _joined(kind: type[And] | type[Or], operands: list[Expression]) -> Expression:
    if len(operands) == 1:
        return operands[0]
    flat: list[Expression] = []
    for operand in operands:
        flat.extend(operand.operands if isinstance(operand, kind) else [operand])
    return kind(tuple(flat))


class _Builder(Transformer_NonRecursive[Token, Expression]):
    """Parse tree → Expression, typing each value by its field (non-recursive: deep input)."""

    def start(self, children: list[Expression]) -> Expression:
        return children[0]

    def expression(self, children: list[Expression]) -> Expression:
        return _joined(And, children)

    def sequence(self, children: list[Expression]) -> Expression:
        return _joined(And, children)

    def factor(self, children: list[Expression]) -> Expression:
        return _joined(Or, children)

    def negation(self, children: list[Expression]) -> Expression:
        return Not(children[0])

    def composite(self, children: list[Expression]) -> Expression:
        return children[0]

    def value(self, children: list[Token]) -> _Literal:
        token = children[0]
        if token.type == "STRING":
            return _Literal(_unquoted(str(token)), quoted=True)
        if token in ("AND", "OR", "NOT"):
            # `cart_id = OR cart_id = b` lost a value: refuse it rather than match "OR".
            raise _invalid(f"quote {token} to use it as a value", f"bare {token} as a value")
        return _Literal(str(token), quoted=False)

    def restriction(self, children: list[Any]) -> Expression:
        field, op, literal = children
        return _comparison(str(field), str(op), literal)

    def has(self, children: list[Any]) -> Expression:
        field, literal = children
        return _has(str(field), literal)

    def membership(self, children: list[Any]) -> Expression:
        field, *literals = children
        return _membership(str(field), literals)


def _depth(tree: Tree[Token]) -> int:
    """The deepest nesting of parentheses and negations, counted without recursion."""
    deepest = 0
    stack: list[tuple[Tree[Token], int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if node.data in ("composite", "negation"):
            depth += 1
            deepest = max(deepest, depth)
        stack.extend((child, depth) for child in node.children if isinstance(child, Tree))
    return deepest


def _syntax_error(error: UnexpectedInput, text: str) -> InvalidArgument:
    ended = isinstance(error, UnexpectedToken) and error.token.type == "$END"
    position = error.pos_in_stream
    if ended or isinstance(error, UnexpectedEOF) or position is None or position < 0:
        return _invalid("ends early; each term is `field op value`", "unexpected end")
    if isinstance(error, UnexpectedCharacters):
        return _invalid(
            f"cannot read {text[position : position + 20]!r}", f"unexpected text at {position}"
        )
    return _invalid(
        f"unexpected {text[position : position + 20]!r}; each term is `field op value`"
        " (membership is `field:(a OR b)`)",
        f"unexpected text at {position}",
    )


def parse_filter(text: str) -> Expression | None:
    """The expression of an AIP-160 filter (see the module docstring); None when blank."""
    check_no_nul("filter", text)
    if len(text.encode()) > MAX_FILTER_BYTES:
        raise _invalid(f"is longer than {MAX_FILTER_BYTES} bytes", "too long")
    if not text.strip():
        return None
    try:
        tree = _PARSER.parse(text)
    except UnexpectedInput as error:
        raise _syntax_error(error, text) from None
    if _depth(tree) > MAX_FILTER_DEPTH:
        raise _invalid(f"nests deeper than {MAX_FILTER_DEPTH} parentheses or negations", "too deep")
    try:
        expression: Expression = _Builder().transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, InvalidArgument):
            raise error.orig_exc from None
        raise
    return expression


# order_by (AIP-132): the column each field sorts by, and how a page token carries its value.
ORDER_FIELDS = {
    "serial_number": int,
    "create_time": datetime,
    "update_time": datetime,
    "place_time": datetime,
    "customer.id": str,
    "channel": str,
    "order_number": str,
    "total": int,
}


@dataclass(frozen=True)
class SortKey:
    """One `field [asc|desc]` of order_by."""

    field: str
    descending: bool


@dataclass(frozen=True)
class Ordering:
    """The keys lists are sorted by, in order; the order id always breaks the last tie."""

    keys: tuple[SortKey, ...]

    @property
    def canonical(self) -> str:
        """The order_by text with spacing and defaults normalized."""
        return ",".join(f"{key.field} {'desc' if key.descending else 'asc'}" for key in self.keys)


DEFAULT_ORDERING = Ordering((SortKey("create_time", True),))


def _bad_order_by(text: str, violation: str) -> InvalidArgument:
    return InvalidArgument(
        f"order_by {text!r}: use a comma-separated list of `field [asc|desc]`, fields "
        + ", ".join(ORDER_FIELDS),
        violations=[("order_by", violation)],
    )


def parse_order_by(text: str) -> Ordering:
    """ "create_time desc" when empty; else `field [asc|desc], …` over ORDER_FIELDS."""
    check_no_nul("order_by", text)
    if not text.strip():
        return DEFAULT_ORDERING
    keys: list[SortKey] = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or words[0] not in ORDER_FIELDS:
            raise _bad_order_by(text, "unsupported ordering")
        direction = words[1].lower() if len(words) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise _bad_order_by(text, "direction must be asc or desc")
        if any(key.field == words[0] for key in keys):
            raise _bad_order_by(text, f"{words[0]} appears twice")
        keys.append(SortKey(words[0], direction == "desc"))
    return Ordering(tuple(keys))


def query_fingerprint(filter_text: str, ordering: Ordering, show_deleted: bool) -> str:
    """Ties a page token to the query it came from."""
    text = f"{filter_text}\x00{ordering.canonical}\x00{show_deleted}"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


SortValue: TypeAlias = int | str | datetime
# The last row of a page: its value of every ordering key, then its id.
PageKey: TypeAlias = tuple[tuple[SortValue, ...], str]


# HMAC-SHA256 cut to 128 bits (RFC 2104 §5 allows truncation to half the output or more): a
# forger must guess 2^128 tags, and the token stays short. The label keeps these tags from ever
# being valid for another use of the same key.
_TAG_BYTES = 16
_TAG_LABEL = b"orderbridge.v1 page token\x00"


def _tag(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, _TAG_LABEL + payload, hashlib.sha256).digest()[:_TAG_BYTES]


def encode_page_token(fingerprint: str, key: PageKey, *, secret: bytes) -> str:
    """An opaque token holding the last row's sort values and id, signed with `secret`."""
    values, order_id = key
    plain = [
        value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value
        for value in values
    ]
    payload = json.dumps([fingerprint, plain, order_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(_tag(secret, payload) + payload).decode().rstrip("=")


def _sort_value(kind: type, value: Any) -> SortValue:
    if kind is int:
        if type(value) is not int or not -(2**63) <= value < 2**63:
            raise TypeError("not a 64-bit integer")
        return value
    if not isinstance(value, str) or "\x00" in value or len(value) > 1024:
        raise TypeError("not a column string")
    if kind is datetime:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("naive time")
        return moment.astimezone(UTC)
    return value


def _signed_payload(token: str, secret: bytes) -> bytes:
    """The payload of a token this service signed with `secret`; ValueError for anything else."""
    if len(token) > MAX_PAGE_TOKEN_CHARS or not token.isascii():
        raise ValueError("not a token")
    padded = token + "=" * (-len(token) % 4)
    # validate: urlsafe_b64decode would skip stray characters, so two texts would be one token.
    raw = base64.b64decode(padded, altchars=b"-_", validate=True)
    # Only the one spelling the service writes: the last character's spare bits and stray
    # padding would otherwise give one signed token many texts.
    if base64.urlsafe_b64encode(raw).decode().rstrip("=") != token:
        raise ValueError("not the canonical spelling")
    tag, payload = raw[:_TAG_BYTES], raw[_TAG_BYTES:]
    # Checked before a byte of the payload is parsed; compare_digest takes the same time
    # however much of the tag is right.
    if not payload or not hmac.compare_digest(tag, _tag(secret, payload)):
        raise ValueError("not signed with this database's key")
    return payload


def decode_page_token(
    token: str, fingerprint: str, ordering: Ordering, *, secret: bytes
) -> PageKey:
    """The last row's (sort values, id) of the page before; INVALID_ARGUMENT when the token is
    not one this database's service signed (tampered, truncated, foreign) or not well formed."""
    try:
        payload = _signed_payload(token, secret)
        found, plain, order_id = json.loads(payload)
        if not isinstance(found, str) or not isinstance(plain, list):
            raise TypeError("shape")
        if found == fingerprint:
            # The tag proves this service wrote the token; the checks below still hold if a
            # key ever leaks, and cost nothing.
            if len(plain) != len(ordering.keys):
                raise TypeError("key count")
            values = tuple(
                _sort_value(ORDER_FIELDS[key.field], value)
                for key, value in zip(ordering.keys, plain, strict=True)
            )
            if not isinstance(order_id, str) or not order_id.isalnum() or len(order_id) > 32:
                raise TypeError("order id")
    except (ValueError, TypeError, RecursionError, OverflowError):
        # RecursionError: json.loads of "[[[[…"; OverflowError: a time beyond year 9999 in UTC;
        # binascii.Error and UnicodeDecodeError are ValueErrors.
        raise InvalidArgument(
            "page_token is not valid", violations=[("page_token", "malformed")]
        ) from None
    if found != fingerprint:
        raise InvalidArgument(
            "page_token belongs to a different query",
            violations=[("page_token", "filter, order_by or show_deleted changed")],
        )
    return values, order_id
