"""Vendor JSON in and out: numbers parse to Decimal (exact), and Decimals write back as numbers."""

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
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


# A number is written back as its digits (format "f"): `1e999999999`, ten bytes of JSON, would
# be written as a billion. Beyond the digits CPython's int() reads from text (int_max_str_digits)
# on either side of the point, a number is refused as bad JSON; no vendor amount comes near.
_MAX_EXPONENT = 4300


def _exact_decimal(text: str) -> Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:  # an exponent past Decimal's own limits (1e9999999999999999999)
        raise ValueError(f"{text[:40]} is beyond the numbers this service reads") from None
    exponent = number.as_tuple().exponent  # "n" or "F" only for NaN and Infinity, never JSON
    if not isinstance(exponent, int) or not -_MAX_EXPONENT <= exponent <= _MAX_EXPONENT:
        raise ValueError(f"{text[:40]} is beyond the numbers this service reads")
    return number


def _refuse_constant(name: str) -> Any:
    # NaN, Infinity and -Infinity are not JSON (RFC 8259, section 6), and no Decimal writes back
    # as them: refused as the fast path refuses them.
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(
    parse_float=_exact_decimal, parse_int=_integer, parse_constant=_refuse_constant
)
# The fast path: msgspec parses in C and hands each non-integer's text to Decimal, exactly as the
# standard decoder above does, three times faster. It reads every integer as an int, so text
# with an integer of 19 digits or more (one that may pass 64 bits) takes the standard path, as does
# anything msgspec refuses (a byte-order mark, a lone surrogate "\ud800" escaped in bytes or
# raw in a str, NaN, bad JSON): the standard path then gives the same value or the same error.
_FAST_DECODER = msgspec.json.Decoder(float_hook=Decimal)
_CHECKED_DECODER = msgspec.json.Decoder(float_hook=_exact_decimal)
# An integer of 19 digits or more (-2^63 - 1 has 19) may not fit 64 bits. Digits are folded to
# "0" so that one C substring search finds any run of 19 (a regular expression scans 20 times
# slower); only a run with a colon, bracket or comma before it is a number token, while digits
# inside a string ("id: 0000000000000000000001") only cost the slow path.
_DIGITS_TO_ZERO = bytes.maketrans(b"0123456789", b"0000000000")
_DIGITS_TO_ZERO_TEXT = str.maketrans("0123456789", "0000000000")
_NINETEEN_ZEROS = "0" * 19
_NUMBER_OPENERS = frozenset(":[,")


def _folded(data: bytes | bytearray | str) -> str:
    """The text with every digit as "0" (one C pass), for the searches below."""
    if isinstance(data, bytes | bytearray):
        return data.translate(_DIGITS_TO_ZERO).decode("latin-1")
    return data.translate(_DIGITS_TO_ZERO_TEXT)


def _has_long_integer(folded: str) -> bool:
    start = folded.find(_NINETEEN_ZEROS)
    while start != -1:
        before = folded[max(0, start - 64) : start].rstrip().removesuffix("-").rstrip()
        if not before or before[-1] in _NUMBER_OPENERS:
            return True
        end = start + len(_NINETEEN_ZEROS)
        while end < len(folded) and folded[end] == "0":  # the rest of this run
            end += 1
        start = folded.find(_NINETEEN_ZEROS, end)
    return False


# With every digit, point and sign deleted, a number with an exponent (1e2, -1.5E+3) leaves its
# "e" right after the colon, bracket, comma or space before the number; ids such as "5e3598e3"
# leave theirs after a quote or a letter. One translation also folds those openers to ":" and
# "E" to "e", so that one substring search decides. Text like "a: e" in a string only costs the
# checked path.
_OPENERS_AND_E = bytes.maketrans(b"[, \n\t\rE", b"::::::e")
_OPENERS_AND_E_TEXT = str.maketrans("[, \n\t\rE", "::::::e", "0123456789.+-")
_NUMBER_CHARACTERS = b"0123456789.+-"


def _may_have_exponent(data: bytes | bytearray | str) -> bool:
    if isinstance(data, bytes | bytearray):
        text = data.translate(_OPENERS_AND_E, _NUMBER_CHARACTERS).decode("latin-1")
    else:
        text = data.translate(_OPENERS_AND_E_TEXT)
    return ":e" in text or text.lstrip(":").startswith("e")


def loads(data: bytes | str) -> Any:
    """Parses JSON keeping every non-integer (and every integer beyond 64 bits) as the exact
    Decimal of its text.

    Raises ValueError (json.JSONDecodeError or UnicodeDecodeError) for text that is not JSON.
    """
    folded = _folded(data)
    if not _has_long_integer(folded):
        # Without an exponent no number can be past _MAX_EXPONENT: Decimal itself, in C, reads
        # every fraction; with one, _exact_decimal checks it.
        decoder = _CHECKED_DECODER if _may_have_exponent(data) else _FAST_DECODER
        try:
            return decoder.decode(data)
        except ValueError:  # msgspec.DecodeError; UnicodeEncodeError for a str's lone surrogate
            pass
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


def _placeholder(value: Any) -> Any:
    if type(value) is Decimal and value.is_finite():
        return 0  # only whether it can be written matters here
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _refuse_float(text: str) -> Any:
    raise ValueError("a float has lost the exact number")


# Reads back a probe in which every Decimal was written as 0: any number left with a fraction or
# an exponent was a float.
_FLOAT_PROBE = msgspec.json.Decoder(float_hook=_refuse_float)
# datetime, date, dataclasses and subclasses of str, int, dict or list go to _placeholder (and are
# refused) instead of being written in orjson's own way.
_PROBE_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def exact_dumps(value: Any) -> bytes:
    """Like dumps, but raises ValueError for anything dumps could not write back exactly: a
    float (its text is already lost), an integer past 64 bits, a lone surrogate, a non-JSON
    value. Mostly C: a probe written with every Decimal as 0 (orjson) and read back refusing
    any float (msgspec); only a probe holding null is walked in Python, since orjson writes a
    NaN or infinite float as null. require_json_values names the culprit."""
    try:
        probe = orjson.dumps(value, default=_placeholder, option=_PROBE_OPTIONS)
    except TypeError as error:  # orjson.JSONEncodeError
        raise ValueError(str(error)) from None
    _FLOAT_PROBE.decode(probe)
    if b"null" in probe and not _writable(value):
        raise ValueError("not a JSON value that can be written back exactly")
    return dumps(value)


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
