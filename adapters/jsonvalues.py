"""Vendor JSON in and out: numbers parse to Decimal (exact), and Decimals write back as numbers."""

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson

from adapters.errors import TranslationError


def _integer(text: str) -> int | Decimal:
    if len(text) > 4000:
        # int() refuses more than 4300 digits (CPython's int_max_str_digits); Decimal does not.
        return Decimal(text)
    value = int(text)
    # orjson writes integers of at most 64 bits; a larger one stays exact as a Decimal, which is
    # written back as the same digits.
    return value if -(2**63) <= value < 2**64 else Decimal(text)


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_int=_integer)


def loads(data: bytes | str) -> Any:
    """Parses JSON keeping every non-integer (and every integer beyond 64 bits) as the exact
    Decimal of its text.

    Raises ValueError (json.JSONDecodeError or UnicodeDecodeError) for text that is not JSON.
    """
    if isinstance(data, bytes | bytearray):
        data = data.decode("utf-8-sig")  # JSON on the wire is UTF-8 (RFC 8259), BOM tolerated
    return _DECODER.decode(data)


def _number_from_decimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TypeError(f"{value} is not a JSON number")
        # Written as its exact decimal text: 4.50 stays 4.50, 0.0 stays 0.0, 10 stays 10.
        return orjson.Fragment(format(value, "f").encode())
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    """Writes JSON; a Decimal becomes the number its text spells (Decimal("0.0") → 0.0)."""
    return orjson.dumps(value, default=_number_from_decimal)


def canonical_text(value: Any) -> str:
    """A stable JSON text of a value, used to compare values by type and format, not just ==."""
    return orjson.dumps(value, default=_number_from_decimal, option=orjson.OPT_SORT_KEYS).decode()


def dumps_pretty(value: Any) -> bytes:
    """Like dumps, indented for people."""
    return orjson.dumps(value, default=_number_from_decimal, option=orjson.OPT_INDENT_2)


_INT_RANGE = (-(2**63), 2**64)


def _is_utf8(text: str) -> bool:
    # JSON text may spell a lone surrogate ("\\ud800"), which UTF-8 output cannot carry.
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _writable(value: Any) -> bool:
    kind = type(value)
    if kind is str:
        return value.isascii() or _is_utf8(value)
    if kind is bool or value is None:
        return True
    if kind is int:
        return bool(_INT_RANGE[0] <= value < _INT_RANGE[1])
    if kind is Decimal:
        return bool(value.is_finite())
    if kind is dict:
        return all(type(key) is str and _writable(item) for key, item in value.items())
    if kind is list:
        return all(_writable(item) for item in value)
    return False


def _first_unwritable(value: Any, path: str) -> tuple[str, str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return path, "object keys must be strings"
            if not _writable(item):
                return _first_unwritable(item, f"{path}.{key}" if path else key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not _writable(item):
                return _first_unwritable(item, f"{path}[{index}]")
    if isinstance(value, float):
        return path, "a float has lost the exact number; parse JSON with jsonvalues.loads"
    if isinstance(value, int):
        # Named by its size: str() of an int past 4300 digits raises (int_max_str_digits).
        return path, "an integer beyond the 64-bit range JSON numbers are written in"
    if isinstance(value, str):
        return path, "a lone surrogate cannot be written as UTF-8"
    return path, f"not a JSON value: {value!r}"


def require_json_values(value: Any) -> None:
    """Raises TranslationError naming the first value `dumps` could not write back exactly.

    Payloads from `loads` always pass; this guards callers that build payloads by hand.
    """
    if not _writable(value):
        raise TranslationError(*_first_unwritable(value, ""))


def plain_json(value: Any) -> Any:
    """A deep copy of a JSON value made of dicts and lists (a Mapping may be read-only)."""
    if isinstance(value, Mapping):
        return {str(key): plain_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_json(item) for item in value]
    return value
