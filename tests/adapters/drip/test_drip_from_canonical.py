"""Canonical orders from anywhere (other vendors, built by hand) written as Drip orders, and the
Drip state tables both ways."""

import itertools
from typing import Any

import pytest
from google.protobuf import struct_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.drip import models, translate


def _usd(amount: str) -> order_pb2.Money:
    units, _, fraction = amount.partition(".")
    return order_pb2.Money(
        currency_code="USD", units=int(units), nanos=int(fraction.ljust(9, "0")) if fraction else 0
    )


def _timestamp(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


def _bigcommerce_like_order() -> order_pb2.Order:
    """A rich order as the BigCommerce door would store it, written out by hand."""
    properties = struct_pb2.Struct()
    properties.update({"gift": True, "note": "leave at door"})
    return order_pb2.Order(
        name="tenants/acme/orders/0193",
        order_number="100",
        external_refs=[order_pb2.ExternalRef(source="bigcommerce", id="100")],
        source="Point of Sale",
        channel="1",
        currency_code="USD",
        lifecycle_state=order_pb2.LIFECYCLE_STATE_PENDING,
        payment_state=order_pb2.PAYMENT_STATE_DECLINED,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_AWAITING_SHIPMENT,
        native_status=order_pb2.NativeStatus(source="bigcommerce", code="6", label="Declined"),
        place_time=_timestamp("2024-03-01T12:00:00.250Z"),
        subtotal=_usd("300.00"),
        discount_total=_usd("10.00"),
        tax_total=_usd("36.32"),
        shipping_total=_usd("10.00"),
        total=_usd("336.32"),
        customer=order_pb2.Customer(
            id="7",
            email="jane@example.com",
            name=order_pb2.PersonName(given_name="Jane", family_name="Doe"),
        ),
        billing_address=order_pb2.Address(
            name=order_pb2.PersonName(given_name="Jane", middle_name="Q", family_name="Doe"),
            line1="1 Main St",
            city="Austin",
            region="Texas",
            postal_code="78701",
            country_code="US",
            phone=order_pb2.Phone(number="512-555-0100"),
            email="jane@example.com",
        ),
        shipping_destinations=[
            order_pb2.ShippingDestination(
                id="9",
                address=order_pb2.Address(
                    name=order_pb2.PersonName(full_name="Jim Doe"),
                    company="Doe & Co",
                    line1="2 Side St",
                    line2="Unit 4",
                    city="Dallas",
                    region="Texas",
                    postal_code="75201",
                    country="United States",
                    country_code="US",
                ),
                shipping_cost=_usd("10.00"),
            ),
            order_pb2.ShippingDestination(
                id="10", address=order_pb2.Address(line1="3 Far Rd", city="El Paso")
            ),
        ],
        line_items=[
            order_pb2.LineItem(
                id="1",
                sku="SKU-1",
                name="Mug",
                quantity=2,
                unit_price=_usd("10.50"),
                unit_price_including_tax=_usd("11.34"),
                tax=_usd("1.68"),
                total=_usd("21.00"),
                product=order_pb2.Product(
                    id="55",
                    brand="Acme",
                    url="https://shop.example.com/mug",
                    image_urls=["/img/mug.png", "https://cdn.example.com/mug.png"],
                    categories=[order_pb2.CatalogEntry(id="3", name="Kitchen")],
                    variant_id="77",
                ),
            ),
            order_pb2.LineItem(
                quantity=1,
                unit_price=_usd("25.00"),
                discount=_usd("5.00"),
                product=order_pb2.Product(name="Gift card", url="/gift-card"),
            ),
        ],
        payments=[order_pb2.Payment(method="Visa", card_last4="4242", amount=_usd("336.32"))],
        properties=properties,
    )


def test_rich_order_from_another_vendor_becomes_a_valid_drip_order() -> None:
    payload = translate.order_to_drip(_bigcommerce_like_order())

    assert payload == {
        "email": "jane@example.com",
        "provider": "point_of_sale",
        "upstream_id": "100",
        "identifier": "100",
        "amount": 33632,
        "tax": 3632,
        "discount": 1000,
        "currency_code": "USD",
        "properties": {"gift": True, "note": "leave at door"},
        "occurred_at": "2024-03-01T12:00:00Z",
        "financial_state": "voided",
        "fulfillment_state": "not_fulfilled",
        "billing_address": {
            "name": "Jane Q Doe",
            "first_name": "Jane",
            "last_name": "Doe",
            "company": None,
            "address_1": "1 Main St",
            "address_2": None,
            "city": "Austin",
            "state": "Texas",
            "zip": "78701",
            "country": "US",
            "phone": "512-555-0100",
            "email": "jane@example.com",
        },
        "shipping_address": {
            "name": "Jim Doe",
            "first_name": None,
            "last_name": None,
            "company": "Doe & Co",
            "address_1": "2 Side St",
            "address_2": "Unit 4",
            "city": "Dallas",
            "state": "Texas",
            "zip": "75201",
            "country": "United States",
            "phone": None,
            "email": None,
        },
        "items": [
            {
                "id": "1",
                "product_id": "55",
                "sku": "SKU-1",
                "amount": 2100,
                "name": "Mug",
                "quantity": 2,
                "price": 1050,
                "tax": 168,
                "product_variant_id": "77",
                "categories": ["Kitchen"],
                "product_url": "https://shop.example.com/mug",
                "image_url": "https://cdn.example.com/mug.png",
                "brand": "Acme",
            },
            {"amount": 2000, "name": "Gift card", "quantity": 1, "price": 2500, "discount": 500},
        ],
    }
    models.DripOrder.model_validate(payload)


def test_rich_order_read_back_from_drip_keeps_what_drip_carries() -> None:
    payload = translate.order_to_drip(_bigcommerce_like_order())

    again = translate.order_from_drip(payload)

    assert again.external_refs == [order_pb2.ExternalRef(source="drip:point_of_sale", id="100")]
    assert again.total == _usd("336.32")
    assert [line.total for line in again.line_items] == [_usd("21.00"), _usd("20.00")]
    assert again.billing_address.name == order_pb2.PersonName(
        full_name="Jane Q Doe", given_name="Jane", family_name="Doe"
    )
    # Only the whole shipping name was written, so reading it back splits it; the nulls Drip
    # was sent for the parts are all the residue has to restore.
    assert again.shipping_destinations[0].address.name == order_pb2.PersonName(
        full_name="Jim Doe", given_name="Jim", family_name="Doe"
    )
    assert codec.kept_paths(codec.stored(again.vendor_data, "drip")) == [
        ["shipping_address", "first_name"],
        ["shipping_address", "last_name"],
    ]
    assert translate.order_to_drip(again) == payload


def test_order_with_a_drip_reference_keeps_its_drip_key() -> None:
    order = order_pb2.Order(
        currency_code="JPY",
        source="fabric",
        order_number="ORD-7",
        external_refs=[
            order_pb2.ExternalRef(source="fabric", id="ORD-7"),
            order_pb2.ExternalRef(source="drip:my_store", id="u-77"),
        ],
        customer=order_pb2.Customer(subscriber_id="5555555"),
        total=order_pb2.Money(currency_code="JPY", units=1200),
    )

    assert translate.order_to_drip(order) == {
        "id": "5555555",
        "provider": "my_store",
        "upstream_id": "u-77",
        "identifier": "ORD-7",
        "amount": 1200,
        "currency_code": "JPY",
    }


def test_cancelled_order_without_a_cancel_time_is_cancelled_at_its_last_change() -> None:
    order = order_pb2.Order(
        name="tenants/acme/orders/abc",
        currency_code="KWD",
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED,
        vendor_update_time=_timestamp("2013-10-01T08:00:00Z"),
        place_time=_timestamp("2013-09-30T08:00:00Z"),
        customer=order_pb2.Customer(email="kay@example.com"),
        total=order_pb2.Money(currency_code="KWD", units=12, nanos=345_000_000),
    )

    assert translate.order_to_drip(order) == {
        "email": "kay@example.com",
        "provider": "orderbridge",
        "upstream_id": "abc",
        "amount": 12345,
        "currency_code": "KWD",
        "occurred_at": "2013-09-30T08:00:00Z",
        "cancelled_at": "2013-10-01T08:00:00Z",
    }


def test_order_without_a_customer_email_uses_the_billing_email() -> None:
    order = order_pb2.Order(
        currency_code="USD",
        billing_address=order_pb2.Address(email="bill@example.com"),
        line_items=[order_pb2.LineItem(sku="A-1", quantity=3, total=_usd("3.00"))],
    )

    payload = translate.order_to_drip(order)

    assert payload["email"] == "bill@example.com"
    assert payload["amount"] == 300  # no grand total: the sum of the items
    assert payload["items"] == [{"sku": "A-1", "amount": 300, "name": "A-1", "quantity": 3}]


def test_refund_is_written_for_the_drip_order_it_refunds() -> None:
    refund = order_pb2.Refund(
        id="r-1",
        upstream_id="tuvwx",
        amount=order_pb2.Money(currency_code="JPY", units=500),
        processed_by="Sam",
        refund_time=_timestamp("2013-06-22T10:41:11.500Z"),
    )

    payload = translate.refund_to_drip(order_pb2.ExternalRef(source="drip:shopify", id="a"), refund)

    assert payload == {
        "provider": "shopify",
        "order_upstream_id": "a",
        "upstream_id": "tuvwx",
        "amount": 500,
        "processed_by": "Sam",
        "processed_at": "2013-06-22T10:41:11Z",
    }
    models.DripRefund.model_validate(payload)


def test_refund_of_an_order_known_by_another_vendor_names_that_vendor_as_provider() -> None:
    refund = order_pb2.Refund(amount=_usd("1.00"))

    payload = translate.refund_to_drip(order_pb2.ExternalRef(source="fabric:_id", id="x1"), refund)

    assert payload == {"provider": "fabric_id", "order_upstream_id": "x1", "amount": 100}


# The Drip state table, written independently of the module's tables (README.md, "Vendor mappings").
PAYMENT = {
    "pending": order_pb2.PAYMENT_STATE_PENDING,
    "authorized": order_pb2.PAYMENT_STATE_AUTHORIZED,
    "partially_paid": order_pb2.PAYMENT_STATE_PARTIALLY_PAID,
    "paid": order_pb2.PAYMENT_STATE_PAID,
    "partially_refunded": order_pb2.PAYMENT_STATE_PARTIALLY_REFUNDED,
    "refunded": order_pb2.PAYMENT_STATE_REFUNDED,
    "voided": order_pb2.PAYMENT_STATE_VOIDED,
    None: order_pb2.PAYMENT_STATE_UNSPECIFIED,
}
FULFILLMENT = {
    "not_fulfilled": order_pb2.FULFILLMENT_STATE_UNFULFILLED,
    "partially_fulfilled": order_pb2.FULFILLMENT_STATE_PARTIALLY_FULFILLED,
    "fulfilled": order_pb2.FULFILLMENT_STATE_FULFILLED,
    None: order_pb2.FULFILLMENT_STATE_UNSPECIFIED,
}


def _drip_order(financial: str | None, fulfillment: str | None, cancelled: bool) -> dict[str, Any]:
    order: dict[str, Any] = {"email": "a@example.com", "amount": 100}
    if financial is not None:
        order["financial_state"] = financial
    if fulfillment is not None:
        order["fulfillment_state"] = fulfillment
    if cancelled:
        order["cancelled_at"] = "2013-06-21T10:31:58Z"
    return order


@pytest.mark.parametrize(
    ("financial", "fulfillment", "cancelled"),
    list(itertools.product(PAYMENT, FULFILLMENT, [False, True])),
)
def test_every_drip_status_maps_to_one_triple_and_back(
    financial: str | None, fulfillment: str | None, cancelled: bool
) -> None:
    order = translate.order_from_drip(_drip_order(financial, fulfillment, cancelled))

    lifecycle = (
        order_pb2.LIFECYCLE_STATE_CANCELLED if cancelled else order_pb2.LIFECYCLE_STATE_CONFIRMED
    )
    assert (order.lifecycle_state, order.payment_state, order.fulfillment_state) == (
        lifecycle,
        PAYMENT[financial],
        FULFILLMENT[fulfillment],
    )
    assert order.native_status.source == "drip"
    assert order.native_status.code == f"{financial or ''}/{fulfillment or ''}"
    order.ClearField("native_status")  # the triple alone gives the same Drip status back
    assert translate.order_to_drip(order) == _drip_order(financial, fulfillment, cancelled)


@pytest.mark.parametrize(
    ("payment", "financial"),
    [
        (order_pb2.PAYMENT_STATE_DECLINED, "voided"),
        (order_pb2.PAYMENT_STATE_DISPUTED, "paid"),
        (order_pb2.PAYMENT_STATE_UNSPECIFIED, None),
    ],
)
def test_payment_states_drip_lacks_take_the_closest_financial_state(
    payment: order_pb2.PaymentState, financial: str | None
) -> None:
    order = order_pb2.Order(payment_state=payment)

    assert translate.drip_states_for(order) == (financial, None)


@pytest.mark.parametrize(
    ("fulfillment", "drip_fulfillment"),
    [
        (order_pb2.FULFILLMENT_STATE_AWAITING_PICKUP, "not_fulfilled"),
        (order_pb2.FULFILLMENT_STATE_AWAITING_SHIPMENT, "not_fulfilled"),
        (order_pb2.FULFILLMENT_STATE_PARTIALLY_SHIPPED, "partially_fulfilled"),
        (order_pb2.FULFILLMENT_STATE_SHIPPED, "fulfilled"),
        (order_pb2.FULFILLMENT_STATE_PARTIALLY_DELIVERED, "partially_fulfilled"),
        (order_pb2.FULFILLMENT_STATE_DELIVERED, "fulfilled"),
        (order_pb2.FULFILLMENT_STATE_PARTIALLY_RETURNED, "fulfilled"),
        (order_pb2.FULFILLMENT_STATE_RETURNED, "fulfilled"),
    ],
)
def test_fulfillment_states_drip_lacks_take_the_closest_fulfillment_state(
    fulfillment: order_pb2.FulfillmentState, drip_fulfillment: str
) -> None:
    order = order_pb2.Order(fulfillment_state=fulfillment)

    assert translate.drip_states_for(order) == (None, drip_fulfillment)


def test_drip_native_status_that_no_longer_matches_the_triple_is_not_used() -> None:
    order = order_pb2.Order(
        payment_state=order_pb2.PAYMENT_STATE_REFUNDED,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_FULFILLED,
        native_status=order_pb2.NativeStatus(source="drip", code="paid/fulfilled"),
    )

    assert translate.drip_states_for(order) == ("refunded", "fulfilled")
