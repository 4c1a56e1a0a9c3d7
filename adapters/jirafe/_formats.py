"""Jirafe's written forms of amounts and dates, one value at a time; never walks a whole event."""

# _emit writes these forms and _read notes a payload spelled otherwise. order_endpoint.md writes
# amounts as JavaScript numbers ("total": 99.85, "total_shipping": 0.0) and dates as ISO 8601 in
# UTC with milliseconds ("order_date": "2013-06-17T15:16:10.000Z").
# Amounts and dates repeat across the lines of an event and across events (the same product's
# dates, 0.0), so the conversions are cached by their exact input: an int pair or a text.

from decimal import Decimal
from functools import lru_cache

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.errors import TranslationError
from adapters.money import decimal_from_money
from adapters.times import format_iso8601, parse_iso8601

_ONE_PLACE = Decimal("0.0")
ZERO = Decimal("0.0")
_CACHED = 4096


def written_amount(amount: Decimal) -> Decimal:
    """An amount as Jirafe writes it: 99.85, whole amounts with one decimal (0.0, 12.0) as its
    examples do (order_endpoint.md: "total_shipping": 0.0); never -0.0."""
    if amount == amount.to_integral_value():
        return amount.quantize(_ONE_PLACE) if amount else ZERO
    return amount.normalize()


@lru_cache(maxsize=_CACHED)
def written_money(units: int, nanos: int) -> Decimal:
    """The JSON number _emit writes for a Money of these units and nanos."""
    return written_amount(decimal_from_money(order_pb2.Money(units=units, nanos=nanos)))


@lru_cache(maxsize=_CACHED)
def written_date(seconds: int, nanos: int) -> str:
    """The date text _emit writes for a moment given as Timestamp seconds and nanos."""
    return format_iso8601(timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos), milliseconds=True)


@lru_cache(maxsize=_CACHED)
def read_date(text: str) -> tuple[int, int, str]:
    """(seconds, nanos) of an ISO 8601 date and the text _emit writes for that moment (`text`
    itself when sent in Jirafe's form); TranslationError without a field when it is no date
    (the caller names it)."""
    stamp = parse_iso8601(text, "")
    seconds, nanos = stamp.seconds, stamp.nanos
    return seconds, nanos, written_date(seconds, nanos)


def timestamp_of(text: str, field: str) -> timestamp_pb2.Timestamp:
    """The Timestamp of an ISO 8601 date; TranslationError naming `field` when it has none."""
    try:
        seconds, nanos, _ = read_date(text)
    except TranslationError as error:
        raise error.under(field) from None
    return timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos)
