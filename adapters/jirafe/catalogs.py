"""Jirafe static catalogs: the vendor name, defaults, status ↔ state tables; data only, no logic."""

# Sources: order_endpoint.md (seed 000, tests/vendor_specs/jirafe/docs-source) and the JSON
# Schemas beside it (order-placed.json, order-accepted.json, order-cancelled.json). _read sets
# states with these tables; translate.jirafe_status chooses the event with them.

from orderbridge.v1 import order_pb2

from adapters.states import States

VENDOR = "jirafe"
# The three order events, named by their `status` (order_endpoint.md).
EVENT_KINDS = ("placed", "accepted", "cancelled")

# ISO 4217 "no currency involved": an order-placed or order-cancelled event carries no money and
# no currency, yet every canonical order needs a currency. order-accepted brings the real one.
NO_CURRENCY = "XXX"

# Jirafe is told a date for every required date field; with nothing known, the Unix epoch.
EPOCH_TEXT = "1970-01-01T00:00:00.000Z"

# order-item.json `status` knows only these two; a line another vendor sent is an accepted one.
LINE_STATUSES = frozenset({"accepted", "cancelled"})
DEFAULT_LINE_STATUS = "accepted"

_LIFECYCLE = order_pb2.LifecycleState
_PAYMENT = order_pb2.PaymentState
_FULFILLMENT = order_pb2.FulfillmentState

# Jirafe status → (lifecycle, payment, fulfillment). order_endpoint.md: "placed" is sent first,
# only tying the order number to the visit (nothing paid yet); "accepted" is sent "after it has
# been authorized and paid for by the customer"; "cancelled" when the whole order is cancelled,
# saying nothing about the money or the goods (CancelOrder leaves those as they were).
STATE_BY_STATUS: dict[str, States] = {
    "placed": (
        _LIFECYCLE.LIFECYCLE_STATE_PENDING,
        _PAYMENT.PAYMENT_STATE_PENDING,
        _FULFILLMENT.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "accepted": (
        _LIFECYCLE.LIFECYCLE_STATE_CONFIRMED,
        _PAYMENT.PAYMENT_STATE_PAID,
        _FULFILLMENT.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "cancelled": (
        _LIFECYCLE.LIFECYCLE_STATE_CANCELLED,
        _PAYMENT.PAYMENT_STATE_UNSPECIFIED,
        _FULFILLMENT.FULFILLMENT_STATE_UNSPECIFIED,
    ),
}

# Jirafe has no status labels; these are the titles of its schemas (order-placed.json …).
LABEL_BY_STATUS: dict[str, str] = {
    "placed": "Order Placed",
    "accepted": "Order Accepted",
    "cancelled": "Order Cancelled",
}

# The event emitted for an order whose native status is not a Jirafe one (or no longer matches
# its state): Jirafe only distinguishes placed, accepted and cancelled, so the lifecycle decides.
STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, str] = {
    _LIFECYCLE.LIFECYCLE_STATE_UNSPECIFIED: "placed",
    _LIFECYCLE.LIFECYCLE_STATE_DRAFT: "placed",
    _LIFECYCLE.LIFECYCLE_STATE_PENDING: "placed",
    _LIFECYCLE.LIFECYCLE_STATE_CONFIRMED: "accepted",
    _LIFECYCLE.LIFECYCLE_STATE_ON_HOLD: "accepted",
    _LIFECYCLE.LIFECYCLE_STATE_COMPLETED: "accepted",
    _LIFECYCLE.LIFECYCLE_STATE_CANCELLED: "cancelled",
}
DEFAULT_STATUS = "placed"
