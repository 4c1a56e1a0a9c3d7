"""Jirafe order events ↔ orderbridge.v1.Order entry points; pure: no I/O, no float, no diffing."""

# Raises only TranslationError, naming the Jirafe field ("items[0].price"). Sources: the JSON
# Schemas in tests/vendor_specs/jirafe, order_endpoint.md (seed 000) and README.md, "Vendor
# mappings". The work is done by role: _read (Jirafe → canonical and the residue of what it did
# not map), _emit (canonical → Jirafe), _formats (amounts and dates as Jirafe writes them),
# adapters.codec (the residue kept and put back); the static data is in catalogs. An event
# becomes an UpsertOrderRequest in requests.

from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.codec import Residue, restore, store, stored
from adapters.errors import TranslationError
from adapters.jirafe._emit import event_from_order
from adapters.jirafe._formats import timestamp_of
from adapters.jirafe._read import order_from_event, validated
from adapters.jirafe.catalogs import (
    DEFAULT_STATUS,
    EVENT_KINDS,
    LABEL_BY_STATUS,
    NO_CURRENCY,
    STATE_BY_STATUS,
    STATUS_BY_LIFECYCLE,
    VENDOR,
)
from adapters.jsonvalues import require_json_values
from adapters.residue import apply_residue, residue_from_struct
from adapters.states import code_or_closest

__all__ = [
    "LABEL_BY_STATUS",
    "NO_CURRENCY",
    "STATE_BY_STATUS",
    "STATUS_BY_LIFECYCLE",
    "VENDOR",
    "cancellation_from_jirafe",
    "event_kind",
    "jirafe_status",
    "order_from_jirafe",
    "order_to_jirafe",
]

# The vendor_data field naming the kind of event the residue was read from.
EVENT_FIELD = "event"
_NO_KIND = struct_pb2.Value()


def event_kind(event: Mapping[str, Any]) -> str:
    """ "placed", "accepted" or "cancelled": the `status` field decides which event this is."""
    if not isinstance(event, Mapping):
        raise TranslationError("", "expected a JSON object")
    status = event.get("status")
    if not isinstance(status, str) or status not in EVENT_KINDS:
        raise TranslationError("status", f"expected placed, accepted or cancelled, got {status!r}")
    return status


def order_from_jirafe(event: Mapping[str, Any]) -> order_pb2.Order:
    """The canonical order an order-placed, order-accepted or order-cancelled event describes.

    What the mapping does not consume, and consumed values spelled otherwise than
    order_to_jirafe writes them, are kept as the residue in vendor_data["jirafe"].
    Raises TranslationError naming the Jirafe field (``items[0].price``) for anything invalid.
    """
    kind = event_kind(event)
    model = validated(kind, event)
    residue = Residue()
    try:
        order = order_from_event(kind, model, event, residue)
        # The residue repairs this kind of event only: an accepted event's extra fields do not
        # belong on the cancelled event the same order later becomes.
        order.vendor_data[VENDOR].fields[EVENT_FIELD].string_value = kind
        store(order.vendor_data, VENDOR, residue)
    except (ValueError, UnicodeEncodeError):
        # Something the JSON writer cannot write back (a lone surrogate, a float, an integer
        # past 64 bits): named by its path. Only a payload built by hand gets here.
        require_json_values(event)
        raise
    return order


def order_to_jirafe(order: order_pb2.Order) -> dict[str, Any]:
    """The Jirafe event for the order's state (placed, accepted or cancelled), for any order."""
    kind = jirafe_status(order)
    event = event_from_order(order, kind)
    data = order.vendor_data.get(VENDOR)
    if data is not None and data.fields.get(EVENT_FIELD, _NO_KIND).string_value in ("", kind):
        if "residue" in data.fields:
            # Orders stored before the residue engine carry a list of edits instead.
            event = apply_residue(event, residue_from_struct(data))
        event = restore(event, stored(order.vendor_data, VENDOR))
    return event


def jirafe_status(order: order_pb2.Order) -> str:
    """The event to emit: the native Jirafe status while it still matches the order's state."""
    return code_or_closest(
        order,
        VENDOR,
        STATE_BY_STATUS,
        lambda states: STATUS_BY_LIFECYCLE.get(states[0], DEFAULT_STATUS),
    )


def cancellation_from_jirafe(
    event: Mapping[str, Any],
) -> tuple[order_pb2.ExternalRef, timestamp_pb2.Timestamp]:
    """The order an order-cancelled event cancels, and when it was cancelled."""
    kind = event_kind(event)
    if kind != "cancelled":
        raise TranslationError("status", f"expected cancelled, got {kind!r}")
    require_json_values(event)  # refused as order_from_jirafe refuses it
    cancelled = validated(kind, event)
    if not cancelled.order_number:
        raise TranslationError("order_number", "must not be empty: it identifies the order")
    return (
        order_pb2.ExternalRef(source=VENDOR, id=cancelled.order_number),
        timestamp_of(cancelled.cancel_date, "cancel_date"),
    )
