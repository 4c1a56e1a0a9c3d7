"""UTC timestamps: vendor date strings (ISO 8601, RFC 2822) ↔ google.protobuf.Timestamp."""

from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from google.protobuf import timestamp_pb2

from adapters.errors import TranslationError


def _timestamp_from_datetime(moment: datetime, field: str) -> timestamp_pb2.Timestamp:
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        # "0001-01-01T00:00:00+01:00" is in year 0 in UTC: no Timestamp holds it.
        raise TranslationError(field, "is outside the years 1 to 9999 in UTC", "time") from None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(utc)
    return stamp


def parse_iso8601(value: object, field: str) -> timestamp_pb2.Timestamp:
    """A Timestamp from an ISO 8601 string; a string without an offset is taken as UTC."""
    if not isinstance(value, str) or not value:
        raise TranslationError(field, "expected an ISO 8601 date-time string", "time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise TranslationError(field, f"not an ISO 8601 date-time: {value!r}", "time") from None
    if moment.tzinfo is None:
        # Jirafe and Drip document every date as UTC even when the offset is left off.
        moment = moment.replace(tzinfo=UTC)
    return _timestamp_from_datetime(moment, field)


def parse_rfc2822(value: object, field: str) -> timestamp_pb2.Timestamp:
    """A Timestamp from an RFC 2822 string ("Tue, 20 Nov 2012 00:00:00 +0000", BigCommerce)."""
    if not isinstance(value, str) or not value:
        raise TranslationError(field, "expected an RFC 2822 date string")
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        raise TranslationError(field, f"not an RFC 2822 date: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _timestamp_from_datetime(moment, field)


def format_iso8601(stamp: timestamp_pb2.Timestamp, *, milliseconds: bool) -> str:
    """UTC with a ``Z``: "2013-06-17T15:16:10.000Z" with milliseconds, else "…T15:16:10Z"."""
    moment = stamp.ToDatetime(tzinfo=UTC)
    # Four-digit years always (ISO 8601): strftime's %Y writes year 1 as "1" on glibc.
    text = f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S")
    if milliseconds:
        return f"{text}.{moment.microsecond // 1000:03d}Z"
    return f"{text}Z"


def format_rfc2822(stamp: timestamp_pb2.Timestamp) -> str:
    """RFC 2822 in UTC with a numeric offset, as BigCommerce writes it."""
    return format_datetime(stamp.ToDatetime(tzinfo=UTC))
