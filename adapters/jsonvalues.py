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
