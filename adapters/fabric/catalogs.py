"""fabric static catalogs: ref sources, defaults, status ↔ state tables; data only, no logic."""

# Sources: the fabric reference page "Create subscriptions orders" (tests/seeds/003_*.txt, the
# `status` enum) and README.md, "Vendor mappings". _read sets states with these tables;
# translate.status_for_states chooses a status with them.

from orderbridge.v1 import order_pb2

from adapters.states import States

VENDOR = "fabric"
# ExternalRef sources: fabric's order number (orderId) and its document id (_id).
ORDER_ID_SOURCE = "fabric"
DOCUMENT_ID_SOURCE = "fabric:_id"
# ISO 4217 "no currency": emitted for an order that carries no currency and so no amounts.
NO_CURRENCY = "XXX"
# Every destination of a canonical order has a postal address; fabric's example names that
# kind of ship-to "SHIP_TO_ADDRESS" (other values survive a round trip through the residue).
DEFAULT_SHIP_TO_TYPE = "SHIP_TO_ADDRESS"

# (lifecycle_state, payment_state, fulfillment_state).

# Each of fabric's 14 statuses (seed 003, `status` enum) as exactly one canonical state triple.
STATES_BY_STATUS: dict[str, States] = {
    "ORDER_CREATED": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_PENDING,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_PAYMENT_AUTHORIZED": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_AUTHORIZED,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_PAYMENT_INVALID": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_DECLINED,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_CONFIRMED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PENDING,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_CANCELLED": (
        order_pb2.LIFECYCLE_STATE_CANCELLED,
        order_pb2.PAYMENT_STATE_VOIDED,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    ),
    "ORDER_PARTIALLY_FULFILLED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED,
    ),
    "ORDER_FULFILLED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_FULFILLED,
    ),
    "ORDER_PARTIALLY_SHIPPED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED,
    ),
    "ORDER_SHIPPED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_SHIPPED,
    ),
    "ORDER_PARTIALLY_DELIVERED": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED,
    ),
    "ORDER_DELIVERED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_DELIVERED,
    ),
    "ORDER_PARTIALLY_RETURNED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED,
    ),
    "ORDER_RETURNED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_RETURNED,
    ),
    "ORDER_REFUNDED": (
        order_pb2.LIFECYCLE_STATE_COMPLETED,
        order_pb2.PAYMENT_STATE_REFUNDED,
        order_pb2.FULFILLMENT_STATE_RETURNED,
    ),
}

# fabric sends no status label; these are the human wordings Orderbridge shows for its codes.
LABEL_BY_STATUS: dict[str, str] = {
    "ORDER_CREATED": "Order created",
    "ORDER_PAYMENT_AUTHORIZED": "Payment authorized",
    "ORDER_PAYMENT_INVALID": "Payment invalid",
    "ORDER_CONFIRMED": "Order confirmed",
    "ORDER_CANCELLED": "Order cancelled",
    "ORDER_PARTIALLY_FULFILLED": "Partially fulfilled",
    "ORDER_FULFILLED": "Fulfilled",
    "ORDER_PARTIALLY_SHIPPED": "Partially shipped",
    "ORDER_SHIPPED": "Shipped",
    "ORDER_PARTIALLY_DELIVERED": "Partially delivered",
    "ORDER_DELIVERED": "Delivered",
    "ORDER_PARTIALLY_RETURNED": "Partially returned",
    "ORDER_RETURNED": "Returned",
    "ORDER_REFUNDED": "Refunded",
}

# The reverse, for an order whose native status is not a fabric code matching its states.
# Checked in this order: lifecycle, then payment, then fulfillment, then the pre-fulfillment
# tables; the first hit wins, else DEFAULT_STATUS. Each status's own triple leads back to it.
STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, str] = {
    order_pb2.LIFECYCLE_STATE_CANCELLED: "ORDER_CANCELLED",
}
STATUS_BY_PAYMENT: dict[order_pb2.PaymentState, str] = {
    order_pb2.PAYMENT_STATE_REFUNDED: "ORDER_REFUNDED",
    order_pb2.PAYMENT_STATE_DECLINED: "ORDER_PAYMENT_INVALID",
}
STATUS_BY_FULFILLMENT: dict[order_pb2.FulfillmentState, str] = {
    order_pb2.FULFILLMENT_STATE_RETURNED: "ORDER_RETURNED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED: "ORDER_PARTIALLY_RETURNED",
    order_pb2.FULFILLMENT_STATE_DELIVERED: "ORDER_DELIVERED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED: "ORDER_PARTIALLY_DELIVERED",
    order_pb2.FULFILLMENT_STATE_SHIPPED: "ORDER_SHIPPED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED: "ORDER_PARTIALLY_SHIPPED",
    order_pb2.FULFILLMENT_STATE_FULFILLED: "ORDER_FULFILLED",
    order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED: "ORDER_PARTIALLY_FULFILLED",
}
# Nothing fulfilled yet (unfulfilled, awaiting pickup or shipment, unspecified).
UNFULFILLED_STATUS_BY_LIFECYCLE: dict[order_pb2.LifecycleState, str] = {
    order_pb2.LIFECYCLE_STATE_CONFIRMED: "ORDER_CONFIRMED",
    order_pb2.LIFECYCLE_STATE_COMPLETED: "ORDER_CONFIRMED",
}
UNFULFILLED_STATUS_BY_PAYMENT: dict[order_pb2.PaymentState, str] = {
    order_pb2.PAYMENT_STATE_AUTHORIZED: "ORDER_PAYMENT_AUTHORIZED",
    order_pb2.PAYMENT_STATE_PARTIALLY_PAID: "ORDER_PAYMENT_AUTHORIZED",
    order_pb2.PAYMENT_STATE_PAID: "ORDER_PAYMENT_AUTHORIZED",
}
DEFAULT_STATUS = "ORDER_CREATED"
