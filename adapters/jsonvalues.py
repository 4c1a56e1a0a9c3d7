"""Vendor JSON in and out: numbers parse to Decimal (exact), and Decimals write back as numbers."""

import json
from decimal import Decimal
from typing import Any

import orjson


def loads(data: bytes | str) -> Any:
    """Parses JSON keeping every non-integer number as the exact Decimal of its text.

    Raises ValueError (json.JSONDecodeError or UnicodeDecodeError) for text that is not JSON.
    """
    return json.loads(data, parse_float=Decimal)


def _number_from_decimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= 0:
            return int(value)
        as_float = float(value)
        # The vendors' wire format is a JSON number; refuse one a double cannot carry exactly.
        if Decimal(repr(as_float)) != value:
            raise TypeError(f"{value} cannot be written as an exact JSON number")
        return as_float
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    """Writes JSON; a Decimal becomes an integer when it has no fractional digits, else a number
    with its fraction (Decimal("0.0") → 0.0, Decimal("10") → 10)."""
    return orjson.dumps(value, default=_number_from_decimal)


def canonical_text(value: Any) -> str:
    """A stable JSON text of a value, used to compare values by type and format, not just ==."""
    return orjson.dumps(value, default=_number_from_decimal, option=orjson.OPT_SORT_KEYS).decode()
