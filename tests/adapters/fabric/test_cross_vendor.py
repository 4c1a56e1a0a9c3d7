"""Canonical orders that did not come from fabric, read through the fabric door."""

from decimal import Decimal
from typing import Any

from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.fabric.models import FabricOrder, FabricOrderRequest
from adapters.fabric.translate import order_from_fabric, order_to_fabric
from adapters.jsonvalues import canonical_text, dumps


def _kwd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="KWD", units=units, nanos=nanos)


def _rich_bigcommerce_like_order() -> order_pb2.Order:
    """An order as the BigCommerce and Drip doors would store it, in a 3-decimal currency."""
    return order_pb2.Order(
        name="tenants/acme/orders/42",
        revision=3,
        serial_number=118,
        create_time=timestamp_pb2.Timestamp(seconds=1700000000),
        update_time=timestamp_pb2.Timestamp(seconds=1700000500, nanos=250_000_000),
        place_time=timestamp_pb2.Timestamp(seconds=1699999000),
        order_number="118",
        external_refs=[order_pb2.ExternalRef(source="bigcommerce", id="118")],
        cart_id="5f2d15e8a83741a39bf14467",
        channel="1",
        source="www",
        staff_notes="Gift: remove price tags",
        customer_message="Please ring twice",
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_AWAITING_SHIPMENT,
        native_status=order_pb2.NativeStatus(
            source="bigcommerce", code="11", label="Awaiting Fulfillment"
        ),
        currency_code="KWD",
        subtotal=_kwd(9, 250_000_000),
        tax_total=_kwd(1, 500_000_000),
        shipping_total=_kwd(2, 500_000_000),
        total=_kwd(12, 345_000_000),
        customer=order_pb2.Customer(
            id="5e3598e3007c5e00080d2bb9",
            email="ada@example.com",
            name=order_pb2.PersonName(given_name="Ada", family_name="King"),
            phone=order_pb2.Phone(number="+44 20 7946 0000"),
        ),
        billing_address=order_pb2.Address(
            name=order_pb2.PersonName(full_name="Ada Lovelace King"),
            company="Analytical Engines Ltd",
            line1="12 St James's Square",
            city="London",
            region="Greater London",
            postal_code="02134",
            country_code="GB",
            email="ada@example.com",
        ),
        shipping_destinations=[
            order_pb2.ShippingDestination(
                id="7",
                address=order_pb2.Address(
                    id="7",
                    name=order_pb2.PersonName(given_name="Charles", family_name="Babbage"),
                    line1="1 Dorset Street",
                    city="London",
                    postal_code="W1U 4EG",
                    country="United Kingdom",
                    country_code="GB",
                ),
                shipping_cost=_kwd(2, 500_000_000),
                shipping_cost_including_tax=_kwd(2, 750_000_000),
                method="Flat Rate",
                items_total=3,
            ),
            # A Drip-like destination: an address and nothing else.
            order_pb2.ShippingDestination(
                address=order_pb2.Address(line1="5 Main St", city="Springfield", country="US")
            ),
        ],
        line_items=[
            order_pb2.LineItem(
                id="101",
                sku="SKU-RED",
                name="Red Shirt",
                quantity=2,
                unit_price=_kwd(4, 125_000_000),
                tax=_kwd(0, 500_000_000),
                total=_kwd(8, 750_000_000),
                product=order_pb2.Product(id="77", brand="Acme"),
                destination_id="7",
            ),
            order_pb2.LineItem(
                sku="00123",
                quantity=1,
                unit_price=_kwd(1),
                product=order_pb2.Product(name="Mug"),
            ),
        ],
        payments=[
            order_pb2.Payment(
                method="Credit Card",
                provider_transaction_id="ch_123",
                amount=_kwd(12, 345_000_000),
            )
        ],
        refunds=[order_pb2.Refund(upstream_id="r1", amount=_kwd(1))],
    )


EXPECTED_RICH_PAYLOAD: dict[str, Any] = {
    "channel": 1,
    "orderTotal": Decimal("12.345"),
    "taxTotal": Decimal("1.5"),
    "orderCurrency": "KWD",
    # BigCommerce 11 is not a fabric code: confirmed, nothing shipped yet → ORDER_CONFIRMED.
    "status": "ORDER_CONFIRMED",
    "customerUserId": "5e3598e3007c5e00080d2bb9",
    "customerEmail": "ada@example.com",
    "customerPhone": {"number": "+44 20 7946 0000"},
    "orderId": "118",
    "shipTo": [
        {
            "address": {
                "name": {"first": "Charles", "last": "Babbage"},
                "street1": "1 Dorset Street",
                "city": "London",
                "country": "United Kingdom",
                "zipCode": "W1U 4EG",
            },
            "_id": "7",
            "shipToId": 7,
            "shipToType": "SHIP_TO_ADDRESS",
            "price": Decimal("2.5"),
            "currency": "KWD",
            "shipmentMethod": "Flat Rate",
        },
        {
            "address": {"street1": "5 Main St", "city": "Springfield", "country": "US"},
            "shipToType": "SHIP_TO_ADDRESS",
            "currency": "KWD",
        },
    ],
    "items": [
        {
            "_id": "101",
            "itemId": 77,
            "sku": "SKU-RED",
            "title": "Red Shirt",
            "quantity": 2,
            "price": Decimal("4.125"),
            "currency": "KWD",
            "shipToId": 7,
            "estimatedTax": Decimal("0.5"),
            "total": Decimal("8.75"),
        },
        {"sku": "00123", "title": "Mug", "quantity": 1, "price": 1, "currency": "KWD"},
    ],
    "payments": [
        {
            # The payment has no bill-to of its own: the order's billing address is used, its
            # whole name split and its ISO country code standing in for the country.
            "billToAddress": {
                "name": {"first": "Ada", "middle": "Lovelace", "last": "King"},
                "email": "ada@example.com",
                "street1": "12 St James's Square",
                "city": "London",
                "state": "Greater London",
                "country": "GB",
                "zipCode": "02134",
            },
            "paymentMethod": "Credit Card",
            "amount": Decimal("12.345"),
            "currency": "KWD",
        }
    ],
    "revision": 3,
    "totalQuantity": 3,
    "createdAt": "2023-11-14T21:56:40.000Z",  # place_time
    "updatedAt": "2023-11-14T22:21:40.250Z",  # no vendor_update_time: update_time
    "cartId": "5f2d15e8a83741a39bf14467",
    "notes": "Gift: remove price tags",
}


def test_order_from_another_vendor_becomes_the_expected_fabric_order() -> None:
    emitted = order_to_fabric(_rich_bigcommerce_like_order())

    assert canonical_text(emitted) == canonical_text(EXPECTED_RICH_PAYLOAD)


def test_order_from_another_vendor_validates_as_fabric_order_and_request() -> None:
    emitted = order_to_fabric(_rich_bigcommerce_like_order())

    FabricOrder.model_validate(emitted)
    FabricOrderRequest.model_validate(emitted)
    dumps(emitted)


def test_order_from_another_vendor_survives_a_fabric_round_trip_in_its_fabric_fields() -> None:
    original = _rich_bigcommerce_like_order()

    again = order_from_fabric(order_to_fabric(original))

    assert again.total == original.total
    assert again.tax_total == original.tax_total
    assert [line.unit_price for line in again.line_items] == [
        line.unit_price for line in original.line_items
    ]
    assert [line.sku for line in again.line_items] == ["SKU-RED", "00123"]
    assert again.billing_address.postal_code == "02134"
    assert again.cart_id == original.cart_id
    assert again.customer.id == original.customer.id
    assert canonical_text(order_to_fabric(again)) == canonical_text(EXPECTED_RICH_PAYLOAD)


def test_empty_order_still_gives_a_valid_fabric_order() -> None:
    emitted = order_to_fabric(order_pb2.Order())

    assert emitted == {
        "orderTotal": 0,
        "taxTotal": 0,
        "orderCurrency": "XXX",  # ISO 4217 "no currency": the order carries no amount
        "status": "ORDER_CREATED",
        "shipTo": [],
        "items": [],
        "payments": [],
        "revision": 0,
        "totalQuantity": 0,
    }
    FabricOrder.model_validate(emitted)


def test_fields_fabric_cannot_write_are_left_out_rather_than_crashing() -> None:
    order = order_pb2.Order(
        currency_code="EUR",
        channel="web",  # fabric's channel is a number
        place_time=timestamp_pb2.Timestamp(seconds=-(10**13)),  # before year 1
        payments=[order_pb2.Payment(conversion_rate="n/a")],
    )

    emitted = order_to_fabric(order)

    assert "channel" not in emitted
    assert "createdAt" not in emitted
    assert emitted["payments"] == [{"currency": "EUR"}]
    FabricOrder.model_validate(emitted)


def test_input_order_is_not_modified_by_reading_it() -> None:
    order = _rich_bigcommerce_like_order()
    before = order.SerializeToString(deterministic=True)

    order_to_fabric(order)

    assert order.SerializeToString(deterministic=True) == before
