"""Drip static catalogs: names, state tables, labels and field lists; data only, no logic."""

# Sources: Drip's developer docs (tests/vendor_specs/drip/docs-source/_orders.md, _errors.md;
# seed 004). The state tables are documented in README.md, "Vendor mappings"; translate.py
# chooses states with them.

from typing import Any

from orderbridge.v1 import order_pb2

VENDOR = "drip"
REF_SOURCE_PREFIX = "drip:"
# _orders.md prices everything "in cents (e.g. if the order was $49.99 …)" and makes
# currency_code optional: an order without one is in US dollars.
DEFAULT_CURRENCY = "USD"
# The provider written for orders that never came from a Drip provider.
DEFAULT_PROVIDER = "orderbridge"
# The order object's read-only fields (_orders.md: "A read-only Drip generated unique id"; the
# REST links of the account and subscriber), assigned by the server that stores the order.
SERVER_ASSIGNED_FIELDS = ("id", "links")

# Drip financial_state → payment state (one to one; the seven values of _orders.md).
PAYMENT_STATE_BY_FINANCIAL_STATE: dict[str, Any] = {
    "pending": order_pb2.PAYMENT_STATE_PENDING,
    "authorized": order_pb2.PAYMENT_STATE_AUTHORIZED,
    "partially_paid": order_pb2.PAYMENT_STATE_PARTIALLY_PAID,
    "paid": order_pb2.PAYMENT_STATE_PAID,
    "partially_refunded": order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED,
    "refunded": order_pb2.PAYMENT_STATE_REFUNDED,
    "voided": order_pb2.PAYMENT_STATE_VOIDED,
}
# Drip fulfillment_state → fulfillment state (one to one).
FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE: dict[str, Any] = {
    "not_fulfilled": order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    "partially_fulfilled": order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED,
    "fulfilled": order_pb2.FULFILLMENT_STATE_FULFILLED,
}
# cancelled_at set → CANCELLED; otherwise the order was placed and recorded by the store.
LIFECYCLE_STATE_BY_CANCELLED: dict[bool, Any] = {
    True: order_pb2.LIFECYCLE_STATE_CANCELLED,
    False: order_pb2.LIFECYCLE_STATE_CONFIRMED,
}

# Reverse: payment state → the closest Drip financial_state (UNSPECIFIED → no financial_state).
FINANCIAL_STATE_BY_PAYMENT_STATE: dict[Any, str] = {
    **{state: name for name, state in PAYMENT_STATE_BY_FINANCIAL_STATE.items()},
    # Drip has no "declined": no money was or will be collected, as with a voided authorization.
    order_pb2.PAYMENT_STATE_DECLINED: "voided",
    # A disputed payment was taken; Drip has no dispute state.
    order_pb2.PAYMENT_STATE_DISPUTED: "paid",
}
# Reverse: fulfillment state → the closest Drip fulfillment_state (UNSPECIFIED → none).
DRIP_FULFILLMENT_STATE_BY_FULFILLMENT_STATE: dict[Any, str] = {
    **{state: name for name, state in FULFILLMENT_STATE_BY_DRIP_FULFILLMENT_STATE.items()},
    order_pb2.FULFILLMENT_STATE_AWAITING_PICKUP: "not_fulfilled",
    order_pb2.FULFILLMENT_STATE_AWAITING_SHIPMENT: "not_fulfilled",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED: "partially_fulfilled",
    order_pb2.FULFILLMENT_STATE_SHIPPED: "fulfilled",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED: "partially_fulfilled",
    order_pb2.FULFILLMENT_STATE_DELIVERED: "fulfilled",
    # Returns happen after fulfillment; Drip records them as refunds, not as a state.
    order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED: "fulfilled",
    order_pb2.FULFILLMENT_STATE_RETURNED: "fulfilled",
}

# The native status label of a Drip order: "Paid, not fulfilled[, cancelled]".
FINANCIAL_LABELS = {
    "pending": "Payment pending",
    "authorized": "Authorized",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "partially_refunded": "Partially refunded",
    "refunded": "Refunded",
    "voided": "Voided",
}
FULFILLMENT_LABELS = {
    "not_fulfilled": "not fulfilled",
    "partially_fulfilled": "partially fulfilled",
    "fulfilled": "fulfilled",
}

# Where the service's field violations live in a Drip element (the rest keep their element path).
DRIP_FIELD_BY_CANONICAL_FIELD = {
    "order.total": "amount",
    "order.tax_total": "tax",
    "order.fee_total": "fees",
    "order.discount_total": "discount",
    "order.currency_code": "currency_code",
    "order.customer.email": "email",
    "order.external_refs": "upstream_id",
    "refund.amount": "amount",
    "refund.upstream_id": "upstream_id",
    "refund.note": "note",
    "refund.processed_by": "processed_by",
    "refund.refund_time": "processed_at",
}
