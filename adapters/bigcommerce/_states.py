"""BigCommerce status and payment_status of canonical states, and back: pure; tables in catalogs."""

from typing import get_args

from orderbridge.v1 import order_pb2

from adapters.bigcommerce import models
from adapters.bigcommerce.catalogs import (
    CANCELLED_STATUS,
    DEFAULT_STATUS_ID,
    DRAFT_STATUS,
    PAYMENT_STATUS_BY_STATE,
    STATES_BY_STATUS,
    STATUS_BY_FULFILLMENT,
    STATUS_BY_LIFECYCLE,
    STATUS_BY_OPEN_PAYMENT,
    STATUS_BY_PAYMENT,
    STATUS_BY_STATES,
    STATUS_LABELS,
    STATUS_OF_CANCELLED_BY_PAYMENT,
    STATUS_OF_CONFIRMED_BY_PAYMENT,
    VENDOR,
)
from adapters.states import States

L = order_pb2.LifecycleState


def closest_status(states: States) -> int:
    """The BigCommerce status id of the states: exact, else by the catalogs' rules 1–7 in order."""
    lifecycle, payment, fulfillment = states
    if states in STATUS_BY_STATES:
        return STATUS_BY_STATES[states]
    if lifecycle == L.LIFECYCLE_STATE_CANCELLED:
        return STATUS_OF_CANCELLED_BY_PAYMENT.get(payment, CANCELLED_STATUS)
    if lifecycle == L.LIFECYCLE_STATE_DRAFT:
        return DRAFT_STATUS
    if payment in STATUS_BY_PAYMENT:
        return STATUS_BY_PAYMENT[payment]
    if lifecycle in STATUS_BY_LIFECYCLE:
        return STATUS_BY_LIFECYCLE[lifecycle]
    if fulfillment in STATUS_BY_FULFILLMENT:
        return STATUS_BY_FULFILLMENT[fulfillment]
    if payment in STATUS_BY_OPEN_PAYMENT:
        return STATUS_BY_OPEN_PAYMENT[payment]
    if lifecycle == L.LIFECYCLE_STATE_CONFIRMED:
        return STATUS_OF_CONFIRMED_BY_PAYMENT.get(payment, DEFAULT_STATUS_ID)
    return DEFAULT_STATUS_ID


def set_status(order: order_pb2.Order, status_id: int, label: str | None) -> None:
    """Sets the order's states and native status to BigCommerce status `status_id`."""
    lifecycle, payment, fulfillment = STATES_BY_STATUS[status_id]
    order.lifecycle_state = lifecycle
    order.payment_state = payment
    order.fulfillment_state = fulfillment
    order.native_status.CopyFrom(
        order_pb2.NativeStatus(
            source=VENDOR, code=str(status_id), label=label or STATUS_LABELS[status_id]
        )
    )


def payment_status_of(order: order_pb2.Order) -> str:
    """payment_status: BigCommerce's own when it set one, else the closest to payment_state."""
    # A BigCommerce payment_status is kept as sent ("" too, when BigCommerce set the order's
    # status); other vendors' wording is not one of BigCommerce's values.
    status = order.payments[0].status if order.payments else ""
    from_bigcommerce = order.native_status.source == VENDOR and bool(order.payments)
    if status in get_args(models.PaymentStatus) and (status or from_bigcommerce):
        return status
    return PAYMENT_STATUS_BY_STATE.get(order.payment_state, "")
