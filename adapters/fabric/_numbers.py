"""fabric JSON numbers and ids ↔ canonical text: exact ints and Decimals; never a float."""

# fabric writes money, ids and counts as JSON numbers (seed 003: orderTotal 125.33, shipToId
# 1000001, zipCode 98004); the canonical order keeps ids as text and money as Money.

import re
from decimal import Decimal

from orderbridge.v1 import order_pb2

from adapters.money import decimal_from_money

_INTEGER_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL_TEXT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
# The integers adapters.jsonvalues (orjson) writes as JSON integers; a larger one is emitted
# from its exact Decimal text instead.
_INT64 = range(-(2**63), 2**63)
# The longest integer text that can be in _INT64 ("-9223372036854775808"); longer digit runs
# (an id of 5000 digits: Python reads at most 4300 as an int) are never converted to int.
_INT64_TEXT_LENGTH = len(str(-(2**63)))


def text_of(value: int | str | Decimal | None) -> str:
    """Ids and numbers fabric writes as JSON numbers, kept as their digits."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def json_amount(money: order_pb2.Money) -> int | Decimal:
    """An amount as fabric writes it: a JSON integer when whole (10), else a decimal (4.5)."""
    if not money.nanos:
        return money.units
    return decimal_from_money(money).normalize()


def json_number(text: str) -> int | Decimal | None:
    """Numeric text as a JSON number (channel "13" → 13, conversion "1.25"); None if not numeric."""
    if _INTEGER_TEXT.fullmatch(text):
        return json_integer(int(text)) if len(text) <= _INT64_TEXT_LENGTH else Decimal(text)
    if _DECIMAL_TEXT.fullmatch(text):
        return Decimal(text)
    return None


def id_value(text: str) -> int | str:
    """An id as fabric writes it: a JSON number when it is plain digits (shipToId 1000001), else
    text, so that "02134" keeps its leading zero."""
    digits = text[1:] if text[:1] == "-" else text
    if not (digits.isascii() and digits.isdigit()) or len(text) > _INT64_TEXT_LENGTH:
        return text  # (isdigit alone takes "²" and other scripts' digits)
    if digits[0] == "0" and digits != "0":
        return text  # "02134" keeps its leading zero
    value = int(text)
    return value if value in _INT64 else text


def json_integer(value: int) -> int | Decimal:
    """An integer as a JSON number: beyond 64 bits (a sum of int64 quantities, a 30-digit
    channel) it is written from its exact Decimal text, which adapters.jsonvalues can write."""
    return value if value in _INT64 else Decimal(value)
