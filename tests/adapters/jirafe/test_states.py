"""Jirafe statuses ↔ the canonical (lifecycle, payment, fulfillment) states and native status."""

from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters.jirafe.translate import (
    LABEL_BY_STATUS,
    STATE_BY_STATUS,
    STATUS_BY_LIFECYCLE,
    jirafe_status,
    order_from_jirafe,
    order_to_jirafe,
)

CUSTOMER: dict[str, Any] = {"id": "c1", "create_date": "2020-01-01T00:00:00.000Z"}
CUSTOMER["change_date"] = CUSTOMER["create_date"]
MINIMAL_EVENTS: dict[str, dict[str, Any]] = {
    "placed": {
        "order_number": "1",
        "status": "placed",
        "order_date": "2020-01-01T00:00:00.000Z",
        "customer": CUSTOMER,
    },
    "accepted": {
        "order_number": "1",
        "status": "accepted",
        "order_date": "2020-01-01T00:00:00.000Z",
        "create_date": "2020-01-01T00:00:00.000Z",
        "change_date": "2020-01-01T00:00:00.000Z",
        "subtotal": 0,
        "total": 0,
        "total_tax": 0,
        "total_shipping": 0,
        "total_payment_cost": 0,
        "total_discounts": 0,
        "currency": "EUR",
        "customer": CUSTOMER,
        "items": [],
    },
    "cancelled": {"order_number": "1", "status": "cancelled", "cancel_date": "2020-01-01T00:00Z"},
}

# Written out here, not read from the module, so that a change of the table fails a test.
EXPECTED_STATES = {
    "placed": (
        order_pb2.LIFECYCLE_STATE_PENDING,
        order_pb2.PAYMENT_STATE_PENDING,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        "Order Placed",
    ),
    "accepted": (
        order_pb2.LIFECYCLE_STATE_CONFIRMED,
        order_pb2.PAYMENT_STATE_PAID,
        order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        "Order Accepted",
    ),
    "cancelled": (
        order_pb2.LIFECYCLE_STATE_CANCELLED,
        order_pb2.PAYMENT_STATE_UNSPECIFIED,
        order_pb2.FULFILLMENT_STATE_UNSPECIFIED,
        "Order Cancelled",
    ),
}
EXPECTED_STATUS_BY_LIFECYCLE = {
    order_pb2.LIFECYCLE_STATE_UNSPECIFIED: "placed",
    order_pb2.LIFECYCLE_STATE_DRAFT: "placed",
    order_pb2.LIFECYCLE_STATE_PENDING: "placed",
    order_pb2.LIFECYCLE_STATE_CONFIRMED: "accepted",
    order_pb2.LIFECYCLE_STATE_ON_HOLD: "accepted",
    order_pb2.LIFECYCLE_STATE_COMPLETED: "accepted",
    order_pb2.LIFECYCLE_STATE_CANCELLED: "cancelled",
}


@pytest.mark.parametrize("status", sorted(EXPECTED_STATES))
def test_status_maps_to_one_state_and_the_native_status(status: str) -> None:
    lifecycle, payment, fulfillment, label = EXPECTED_STATES[status]
    order = order_from_jirafe(MINIMAL_EVENTS[status])
    assert (order.lifecycle_state, order.payment_state, order.fulfillment_state) == (
        lifecycle,
        payment,
        fulfillment,
    )
    assert order.native_status == order_pb2.NativeStatus(source="jirafe", code=status, label=label)


def test_tables_cover_every_status_and_lifecycle() -> None:
    assert set(STATE_BY_STATUS) == set(LABEL_BY_STATUS) == set(EXPECTED_STATES)
    assert STATUS_BY_LIFECYCLE == EXPECTED_STATUS_BY_LIFECYCLE
    assert set(STATUS_BY_LIFECYCLE) == set(order_pb2.LifecycleState.values())


@pytest.mark.parametrize("status", sorted(EXPECTED_STATES))
def test_status_comes_back_from_its_own_state(status: str) -> None:
    assert order_to_jirafe(order_from_jirafe(MINIMAL_EVENTS[status]))["status"] == status


@pytest.mark.parametrize(("lifecycle", "status"), sorted(EXPECTED_STATUS_BY_LIFECYCLE.items()))
def test_another_vendors_order_is_told_by_its_lifecycle(
    lifecycle: order_pb2.LifecycleState, status: str
) -> None:
    order = order_pb2.Order(
        lifecycle_state=lifecycle,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        native_status=order_pb2.NativeStatus(source="bigcommerce", code="11"),
    )
    assert jirafe_status(order) == status
    assert order_to_jirafe(order)["status"] == status


def test_a_jirafe_status_the_state_has_left_gives_way_to_the_lifecycle() -> None:
    # Placed through Jirafe, then confirmed through another door that kept the native status.
    order = order_from_jirafe(MINIMAL_EVENTS["placed"])
    order.lifecycle_state = order_pb2.LIFECYCLE_STATE_CONFIRMED
    assert jirafe_status(order) == "accepted"
    order.lifecycle_state = order_pb2.LIFECYCLE_STATE_CANCELLED
    assert jirafe_status(order) == "cancelled"


def test_an_unknown_jirafe_code_gives_way_to_the_lifecycle() -> None:
    order = order_pb2.Order(
        lifecycle_state=order_pb2.LIFECYCLE_STATE_COMPLETED,
        native_status=order_pb2.NativeStatus(source="jirafe", code="shipped"),
    )
    assert jirafe_status(order) == "accepted"
