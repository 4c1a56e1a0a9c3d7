"""Any canonical order (one from another vendor too) → BigCommerce JSON valid for the spec."""

from typing import Any

import pytest
from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.bigcommerce import models
from adapters.bigcommerce.catalogs import STATES_BY_STATUS
from adapters.bigcommerce.translate import (
    order_from_bigcommerce,
    order_to_bigcommerce,
    products_to_bigcommerce,
    resource_links,
    shipments_to_bigcommerce,
    shipping_addresses_to_bigcommerce,
    status_of,
)
from tests.adapters.bigcommerce.openapi_schema import schema_errors

L = order_pb2.LifecycleState
P = order_pb2.PaymentState
F = order_pb2.FulfillmentState


def kwd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="KWD", units=units, nanos=nanos)


def utc(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


def fabric_like_order() -> order_pb2.Order:
    """A rich order as the fabric door would store it: string ids, whole names, KWD (3 places)."""
    ship_to = order_pb2.Address(
        name=order_pb2.PersonName(full_name="Maryam bint Ali Al-Sabah"),
        line1="Block 3, Street 12",
        city="Kuwait City",
        postal_code="13001",
        country="Kuwait",
        country_code="KW",
        phone=order_pb2.Phone(number="+965 2222 3333", kind="mobile"),
        email="maryam@example.com",
        kind="Ship to address",
    )
    return order_pb2.Order(
        name="tenants/acme/orders/9",
        serial_number=9,
        create_time=utc("2024-02-01T10:00:00Z"),
        update_time=utc("2024-02-02T11:30:00Z"),
        place_time=utc("2024-02-01T09:59:00Z"),
        order_number="ORD-1001",
        external_refs=[
            order_pb2.ExternalRef(source="fabric", id="ORD-1001"),
            order_pb2.ExternalRef(source="fabric:_id", id="65bb6a0c9f1e4a0012345678"),
        ],
        channel="web-kw",
        tags=["vip"],
        staff_notes="Gift",
        ip_address="2001:db8::1",
        lifecycle_state=L.LIFECYCLE_STATE_CONFIRMED,
        payment_state=P.PAYMENT_STATE_AUTHORIZED,
        fulfillment_state=F.FULFILLMENT_STATE_PARTIALLY_SHIPPED,
        native_status=order_pb2.NativeStatus(source="fabric", code="ORDER_PARTIALLY_SHIPPED"),
        currency_code="KWD",
        subtotal=kwd(12, 345_000_000),
        tax_total=kwd(0, 617_000_000),
        shipping_total=kwd(1, 500_000_000),
        total=kwd(14, 462_000_000),
        fee_total=kwd(0, 250_000_000),
        customer=order_pb2.Customer(
            id="cust-77",
            email="maryam@example.com",
            name=order_pb2.PersonName(
                given_name="Maryam", middle_name="bint Ali", family_name="Al-Sabah"
            ),
        ),
        shipping_destinations=[
            order_pb2.ShippingDestination(
                id="shipTo-1", address=ship_to, shipping_cost=kwd(1, 500_000_000), method="Express"
            )
        ],
        line_items=[
            order_pb2.LineItem(
                id="65bb6a0c9f1e4a00aaaa0001",
                sku="DATE-BOX",
                name="",
                quantity=3,
                unit_price=kwd(4, 115_000_000),
                tax=kwd(0, 617_000_000),
                total=kwd(12, 962_000_000),
                product=order_pb2.Product(id="sku-88", name="Date box"),
                destination_id="shipTo-1",
            ),
            order_pb2.LineItem(id="65bb6a0c9f1e4a00aaaa0002", quantity=-1, unit_price=kwd(1)),
        ],
        payments=[
            order_pb2.Payment(
                method="Visa",
                kind="CARD",
                card_last4="4242",
                amount=kwd(14, 462_000_000),
                billing_address=order_pb2.Address(
                    name=order_pb2.PersonName(given_name="Maryam", family_name="Al-Sabah"),
                    postal_code="13001",
                ),
            )
        ],
        shipments=[
            order_pb2.Shipment(
                id="parcel-1",
                destination_id="shipTo-1",
                tracking_number="KW123",
                shipping_provider="fedex",
                items=[order_pb2.ShipmentItem(line_item_id="65bb6a0c9f1e4a00aaaa0001", quantity=2)],
            )
        ],
    )


def assert_valid_for_bigcommerce(order: order_pb2.Order) -> dict[str, Any]:
    emitted = order_to_bigcommerce(order)
    assert schema_errors("order_Resp", {**emitted, **resource_links(emitted["id"])}) == []
    for product in products_to_bigcommerce(order):
        assert schema_errors("orderProducts", product) == []
    for address in shipping_addresses_to_bigcommerce(order):
        assert schema_errors("orderShippingAddress", address) == []
    for shipment in shipments_to_bigcommerce(order):
        assert schema_errors("orderShipment", shipment) == []
    models.Order.model_validate(emitted)
    return emitted


def test_bigcommerce_emits_a_fabric_order_bigcommerce_clients_can_read() -> None:
    emitted = assert_valid_for_bigcommerce(fabric_like_order())

    assert emitted["id"] == 9
    assert (emitted["status_id"], emitted["status"]) == (3, "Partially Shipped")
    assert emitted["payment_status"] == "authorized"
    assert emitted["customer_id"] == 0  # "cust-77" is no BigCommerce customer id
    # The payment's billing address (fabric billToAddress), the customer's e-mail.
    assert emitted["billing_address"]["first_name"] == "Maryam"
    assert emitted["billing_address"]["zip"] == "13001"
    assert emitted["billing_address"]["email"] == "maryam@example.com"
    assert (emitted["ip_address"], emitted["ip_address_v6"]) == ("", "2001:db8::1")
    assert emitted["date_created"] == "Thu, 01 Feb 2024 09:59:00 +0000"
    assert emitted["default_currency_code"] == "KWD"
    assert emitted["subtotal_ex_tax"] == "12.3450"
    assert emitted["total_inc_tax"] == "14.4620"
    assert emitted["fees"][0]["cost_inc_tax"] == "0.2500"


def test_bigcommerce_numbers_string_ids_and_keeps_references_consistent() -> None:
    order = fabric_like_order()

    products = products_to_bigcommerce(order)
    (address,) = shipping_addresses_to_bigcommerce(order)
    (shipment,) = shipments_to_bigcommerce(order)

    assert [product["id"] for product in products] == [1, 2]
    assert products[0]["order_address_id"] == address["id"] == shipment["order_address_id"] == 1
    assert shipment["items"] == [{"order_product_id": 1, "product_id": 0, "quantity": 2}]
    assert (address["first_name"], address["last_name"]) == ("Maryam bint Ali", "Al-Sabah")
    # A line without a name is named by its product.
    assert [product["name"] for product in products] == ["Date box", "Item 2"]
    assert products[0]["total_ex_tax"] == "12.3450"
    assert products[1]["total_inc_tax"] == "-1.0000"
    assert shipment["shipping_provider_display_name"] == "FedEx"


def test_bigcommerce_fabric_order_keeps_its_money_through_bigcommerce() -> None:
    order = fabric_like_order()

    again = order_from_bigcommerce(order_to_bigcommerce(order))

    assert again.currency_code == "KWD"
    assert (again.subtotal, again.total, again.tax_total) == (
        order.subtotal,
        order.total,
        order.tax_total,
    )
    assert again.shipping_total == order.shipping_total
    assert [line.total for line in again.line_items[:1]] == [order.line_items[0].total]
    assert [line.unit_price for line in again.line_items] == [
        line.unit_price for line in order.line_items
    ]


def test_bigcommerce_empty_order_still_emits_a_valid_order() -> None:
    emitted = assert_valid_for_bigcommerce(order_pb2.Order())

    assert (emitted["id"], emitted["status_id"], emitted["status"]) == (0, 1, "Pending")
    assert emitted["billing_address"]["zip"] == ""
    assert emitted["order_source"] == "external"
    assert emitted["channel_id"] == 1


def test_bigcommerce_jpy_amounts_keep_whole_yen() -> None:
    order = order_pb2.Order(
        currency_code="JPY",
        total=order_pb2.Money(currency_code="JPY", units=1500),
        line_items=[
            order_pb2.LineItem(
                name="Tea", quantity=2, unit_price=order_pb2.Money(currency_code="JPY", units=750)
            )
        ],
    )

    emitted = assert_valid_for_bigcommerce(order)

    assert (emitted["total_inc_tax"], emitted["subtotal_ex_tax"]) == ("1500.0000", "1500.0000")
    assert emitted["products"][0]["price_ex_tax"] == "750.0000"


def test_bigcommerce_native_status_wins_while_it_matches_the_states() -> None:
    order = order_pb2.Order(native_status=order_pb2.NativeStatus(source="bigcommerce", code="9"))
    order.lifecycle_state, order.payment_state, order.fulfillment_state = STATES_BY_STATUS[9]
    assert status_of(order) == (9, "Awaiting Shipment")

    order.fulfillment_state = F.FULFILLMENT_STATE_SHIPPED  # shipped through another door

    assert status_of(order) == (2, "Shipped")


@pytest.mark.parametrize("status_id", sorted(STATES_BY_STATUS))
def test_bigcommerce_every_status_round_trips_through_its_states(status_id: int) -> None:
    order = order_pb2.Order()
    order.lifecycle_state, order.payment_state, order.fulfillment_state = STATES_BY_STATUS[
        status_id
    ]

    assert status_of(order)[0] == status_id


def test_bigcommerce_statuses_map_to_distinct_state_triples() -> None:
    assert len(set(STATES_BY_STATUS.values())) == len(STATES_BY_STATUS) == 15


# Triples other vendors produce, and the closest BigCommerce status (README.md, "Vendor mappings").
CLOSEST_STATUS = [
    ((L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_UNSPECIFIED, F.FULFILLMENT_STATE_UNSPECIFIED), 1),
    (
        (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_UNSPECIFIED, F.FULFILLMENT_STATE_UNSPECIFIED),
        11,
    ),
    (
        (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_UNSPECIFIED, F.FULFILLMENT_STATE_UNSPECIFIED),
        5,
    ),
    ((L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_REFUNDED, F.FULFILLMENT_STATE_FULFILLED), 4),
    ((L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_DECLINED, F.FULFILLMENT_STATE_UNSPECIFIED), 6),
    ((L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_AUTHORIZED, F.FULFILLMENT_STATE_UNFULFILLED), 7),
    ((L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_DECLINED, F.FULFILLMENT_STATE_UNFULFILLED), 6),
    ((L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_VOIDED, F.FULFILLMENT_STATE_UNFULFILLED), 6),
    ((L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_FULFILLED), 2),
    ((L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_DELIVERED), 10),
    ((L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_RETURNED), 2),
    ((L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_REFUNDED, F.FULFILLMENT_STATE_RETURNED), 4),
    (
        (
            L.LIFECYCLE_STATE_CONFIRMED,
            P.PAYMENT_STATE_PARTIALLY_PAID,
            F.FULFILLMENT_STATE_UNFULFILLED,
        ),
        7,
    ),
    (
        (
            L.LIFECYCLE_STATE_CONFIRMED,
            P.PAYMENT_STATE_PENDING,
            F.FULFILLMENT_STATE_PARTIALLY_FULFILLED,
        ),
        3,
    ),
    ((L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_UNFULFILLED), 12),
    (
        (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_UNSPECIFIED, F.FULFILLMENT_STATE_UNSPECIFIED),
        10,
    ),
    ((L.LIFECYCLE_STATE_DRAFT, P.PAYMENT_STATE_UNSPECIFIED, F.FULFILLMENT_STATE_UNSPECIFIED), 0),
    (
        (
            L.LIFECYCLE_STATE_UNSPECIFIED,
            P.PAYMENT_STATE_UNSPECIFIED,
            F.FULFILLMENT_STATE_UNSPECIFIED,
        ),
        1,
    ),
]


@pytest.mark.parametrize(("states", "status_id"), CLOSEST_STATUS)
def test_bigcommerce_foreign_states_get_the_closest_status(
    states: tuple[order_pb2.LifecycleState, order_pb2.PaymentState, order_pb2.FulfillmentState],
    status_id: int,
) -> None:
    order = order_pb2.Order(native_status=order_pb2.NativeStatus(source="drip", code="paid/x"))
    order.lifecycle_state, order.payment_state, order.fulfillment_state = states

    assert status_of(order)[0] == status_id


# The documented table (README.md, "Vendor mappings"), written out independently of the code.
DOCUMENTED_STATES = {
    0: (L.LIFECYCLE_STATE_DRAFT, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    1: (L.LIFECYCLE_STATE_PENDING, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    2: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_SHIPPED),
    3: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_PARTIALLY_SHIPPED),
    4: (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_REFUNDED, F.FULFILLMENT_STATE_UNSPECIFIED),
    5: (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_VOIDED, F.FULFILLMENT_STATE_UNFULFILLED),
    6: (L.LIFECYCLE_STATE_CANCELLED, P.PAYMENT_STATE_DECLINED, F.FULFILLMENT_STATE_UNFULFILLED),
    7: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    8: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_AWAITING_PICKUP),
    9: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_AWAITING_SHIPMENT),
    10: (L.LIFECYCLE_STATE_COMPLETED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_FULFILLED),
    11: (L.LIFECYCLE_STATE_CONFIRMED, P.PAYMENT_STATE_PAID, F.FULFILLMENT_STATE_UNFULFILLED),
    12: (L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_PENDING, F.FULFILLMENT_STATE_UNFULFILLED),
    13: (L.LIFECYCLE_STATE_ON_HOLD, P.PAYMENT_STATE_DISPUTED, F.FULFILLMENT_STATE_UNSPECIFIED),
    14: (
        L.LIFECYCLE_STATE_CONFIRMED,
        P.PAYMENT_STATE_PARTIALLY_REFUNDED,
        F.FULFILLMENT_STATE_UNSPECIFIED,
    ),
}


@pytest.mark.parametrize("status_id", sorted(DOCUMENTED_STATES))
def test_bigcommerce_status_becomes_its_documented_states(status_id: int) -> None:
    sent = {"id": 1, "status_id": status_id, "billing_address": {"zip": "78751"}}

    order = order_from_bigcommerce(sent)

    assert (order.lifecycle_state, order.payment_state, order.fulfillment_state) == (
        DOCUMENTED_STATES[status_id]
    )
    assert (order.native_status.source, order.native_status.code) == ("bigcommerce", str(status_id))


def test_bigcommerce_amounts_finer_than_four_places_round_half_even() -> None:
    order = order_pb2.Order(
        currency_code="USD",
        total=order_pb2.Money(currency_code="USD", units=1, nanos=50_000),  # 1.00005
        subtotal=order_pb2.Money(currency_code="USD", units=1, nanos=150_000),  # 1.00015
    )

    emitted = order_to_bigcommerce(order)

    assert (emitted["total_inc_tax"], emitted["subtotal_ex_tax"]) == ("1.0000", "1.0002")
