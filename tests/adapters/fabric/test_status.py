"""fabric's 14 statuses ↔ the canonical state triple and native status, both ways."""

from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters.fabric.translate import order_from_fabric, order_to_fabric

# The documented table (README.md, "Vendor mappings"), written out independently of the module's:
# status, lifecycle, payment, fulfillment (enum names without their prefixes).
STATUS_NAMES = [
    ("ORDER_CREATED", "PENDING", "PENDING", "UNFULFILLED"),
    ("ORDER_PAYMENT_AUTHORIZED", "PENDING", "AUTHORIZED", "UNFULFILLED"),
    ("ORDER_PAYMENT_INVALID", "PENDING", "DECLINED", "UNFULFILLED"),
    ("ORDER_CONFIRMED", "CONFIRMED", "PENDING", "UNFULFILLED"),
    ("ORDER_CANCELLED", "CANCELLED", "VOIDED", "UNFULFILLED"),
    ("ORDER_PARTIALLY_FULFILLED", "CONFIRMED", "PAID", "PARTIALLY_FULFILLED"),
    ("ORDER_FULFILLED", "CONFIRMED", "PAID", "FULFILLED"),
    ("ORDER_PARTIALLY_SHIPPED", "CONFIRMED", "PAID", "PARTIALLY_SHIPPED"),
    ("ORDER_SHIPPED", "CONFIRMED", "PAID", "SHIPPED"),
    ("ORDER_PARTIALLY_DELIVERED", "CONFIRMED", "PAID", "PARTIALLY_DELIVERED"),
    ("ORDER_DELIVERED", "COMPLETED", "PAID", "DELIVERED"),
    ("ORDER_PARTIALLY_RETURNED", "COMPLETED", "PAID", "PARTIALLY_RETURNED"),
    ("ORDER_RETURNED", "COMPLETED", "PAID", "RETURNED"),
    ("ORDER_REFUNDED", "COMPLETED", "REFUNDED", "RETURNED"),
]


def _states(lifecycle: str, payment: str, fulfillment: str) -> tuple[int, int, int]:
    return (
        order_pb2.LifecycleState.Value(f"LIFECYCLE_STATE_{lifecycle}"),
        order_pb2.PaymentState.Value(f"PAYMENT_STATE_{payment}"),
        order_pb2.FulfillmentState.Value(f"FULFILLMENT_STATE_{fulfillment}"),
    )


STATUS_TABLE = [(status, *_states(*names)) for status, *names in STATUS_NAMES]


def test_table_covers_the_fourteen_documented_statuses_with_distinct_triples() -> None:
    assert len({row[0] for row in STATUS_TABLE}) == 14
    assert len({row[1:] for row in STATUS_TABLE}) == 14


@pytest.mark.parametrize(("status", "lifecycle", "payment", "fulfillment"), STATUS_TABLE)
def test_status_maps_to_its_state_triple_and_native_status(
    seed_order: Any, status: str, lifecycle: int, payment: int, fulfillment: int
) -> None:
    seed_order["status"] = status

    order = order_from_fabric(seed_order)

    assert (order.lifecycle_state, order.payment_state, order.fulfillment_state) == (
        lifecycle,
        payment,
        fulfillment,
    )
    assert (order.native_status.source, order.native_status.code) == ("fabric", status)
    assert order.native_status.label


@pytest.mark.parametrize(("status", "lifecycle", "payment", "fulfillment"), STATUS_TABLE)
def test_state_triple_of_a_foreign_order_leads_back_to_the_status(
    status: str, lifecycle: Any, payment: Any, fulfillment: Any
) -> None:
    order = order_pb2.Order(
        lifecycle_state=lifecycle,
        payment_state=payment,
        fulfillment_state=fulfillment,
        native_status=order_pb2.NativeStatus(source="bigcommerce", code="11", label="Any"),
    )

    assert order_to_fabric(order)["status"] == status


def test_native_status_that_no_longer_matches_the_states_is_rederived(seed_order: Any) -> None:
    order = order_from_fabric(seed_order)  # ORDER_CREATED
    order.fulfillment_state = order_pb2.FULFILLMENT_STATE_SHIPPED
    order.payment_state = order_pb2.PAYMENT_STATE_PAID

    assert order_to_fabric(order)["status"] == "ORDER_SHIPPED"


CLOSEST_STATUS_CASES = [
    (*_states(*names), status)
    for *names, status in [
        # A cancelled order is cancelled whatever its payment or fulfillment.
        ("CANCELLED", "REFUNDED", "SHIPPED", "ORDER_CANCELLED"),
        # Refunded and declined payments win over fulfillment progress.
        ("COMPLETED", "REFUNDED", "DELIVERED", "ORDER_REFUNDED"),
        ("ON_HOLD", "DECLINED", "UNFULFILLED", "ORDER_PAYMENT_INVALID"),
        # Fulfillment progress, whatever else (BigCommerce Completed, Drip paid/fulfilled).
        ("COMPLETED", "PAID", "FULFILLED", "ORDER_FULFILLED"),
        ("PENDING", "PARTIALLY_REFUNDED", "PARTIALLY_RETURNED", "ORDER_PARTIALLY_RETURNED"),
        # Nothing fulfilled yet: confirmed, else paid or authorized, else created.
        ("CONFIRMED", "PAID", "AWAITING_SHIPMENT", "ORDER_CONFIRMED"),
        ("COMPLETED", "UNSPECIFIED", "UNSPECIFIED", "ORDER_CONFIRMED"),
        ("PENDING", "PAID", "UNFULFILLED", "ORDER_PAYMENT_AUTHORIZED"),
        ("DRAFT", "PARTIALLY_PAID", "AWAITING_PICKUP", "ORDER_PAYMENT_AUTHORIZED"),
        ("ON_HOLD", "DISPUTED", "UNFULFILLED", "ORDER_CREATED"),
        ("UNSPECIFIED", "UNSPECIFIED", "UNSPECIFIED", "ORDER_CREATED"),
    ]
]


@pytest.mark.parametrize(("lifecycle", "payment", "fulfillment", "status"), CLOSEST_STATUS_CASES)
def test_states_without_an_exact_fabric_status_get_the_closest(
    lifecycle: Any, payment: Any, fulfillment: Any, status: str
) -> None:
    order = order_pb2.Order(
        lifecycle_state=lifecycle, payment_state=payment, fulfillment_state=fulfillment
    )

    assert order_to_fabric(order)["status"] == status
