"""Orders that never were Jirafe events (built by hand, as other vendors' doors store them)
become valid Jirafe events: required fields filled from canonical data, money kept exact."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from google.protobuf import struct_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters.jirafe.translate import order_from_jirafe, order_to_jirafe
from adapters.money import minor_units_from_money

Check = Callable[[dict[str, Any]], None]


def _stamp(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


def _kwd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="KWD", units=units, nanos=nanos)


def _bigcommerce_like_order() -> order_pb2.Order:
    """A rich order as the BigCommerce door would store it (fils: three decimals in KWD)."""
    other_vendor_data = struct_pb2.Struct()
    # The residue engine's form (adapters.codec): BigCommerce's own spelling of a field.
    other_vendor_data.update(
        {
            "residue_json": '{"spell":[{"at":["is_tax_inclusive_pricing"],'
            '"written":false,"was":true}]}'
        }
    )
    return order_pb2.Order(
        name="tenants/store1/orders/0123456789abcdef0123456789abcdef",
        serial_number=118,
        create_time=_stamp("2024-03-01T10:00:05Z"),
        update_time=_stamp("2024-03-02T08:30:00Z"),
        place_time=_stamp("2024-03-01T10:00:00Z"),
        vendor_update_time=_stamp("2024-03-02T08:29:59.250Z"),
        order_number="118",
        external_refs=[order_pb2.ExternalRef(source="bigcommerce", id="118")],
        cart_id="cart-9f2",
        channel="1",
        staff_notes="fragile",
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_AWAITING_SHIPMENT,
        native_status=order_pb2.NativeStatus(
            source="bigcommerce", code="9", label="Awaiting Shipment"
        ),
        currency_code="KWD",
        subtotal=_kwd(12, 345_000_000),
        subtotal_including_tax=_kwd(12, 962_000_000),
        tax_total=_kwd(0, 617_000_000),
        shipping_total=_kwd(1, 500_000_000),
        discount_total=_kwd(0, 250_000_000),
        total=_kwd(14, 212_000_000),
        customer=order_pb2.Customer(
            id="7",
            email="amal@example.com",
            name=order_pb2.PersonName(given_name="Amal", family_name="Haddad"),
            phone=order_pb2.Phone(number="+965 2222 3333"),
            locale="ar-KW",
            email_opt_in=True,
        ),
        billing_address=order_pb2.Address(
            name=order_pb2.PersonName(given_name="Amal", family_name="Haddad"),
            line1="Block 3, Street 12",
            city="Kuwait City",
            region="Al Asimah",
            postal_code="13001",
            country="Kuwait",
            country_code="KW",
            email="amal@example.com",
        ),
        shipping_destinations=[
            order_pb2.ShippingDestination(
                id="21",
                address=order_pb2.Address(
                    line1="Block 3, Street 12",
                    line2="Floor 2",
                    city="Kuwait City",
                    country="Kuwait",
                ),
                shipping_cost=_kwd(1, 500_000_000),
            ),
            order_pb2.ShippingDestination(id="22"),
        ],
        line_items=[
            order_pb2.LineItem(
                id="64",
                sku="MUG-BLUE",
                name="Blue mug",
                quantity=3,
                unit_price=_kwd(2, 115_000_000),
                total=_kwd(6, 345_000_000),
                product=order_pb2.Product(id="501", variant_id="9", brand="Potter"),
            ),
            order_pb2.LineItem(
                id="65",
                name="Gift card",
                quantity=1,
                unit_price=_kwd(6),
                discounted_unit_price=_kwd(5, 750_000_000),
            ),
        ],
        payments=[order_pb2.Payment(method="Credit Card", amount=_kwd(14, 212_000_000))],
        vendor_data={"bigcommerce": other_vendor_data},
    )


EXPECTED_ACCEPTED_EVENT = {
    "order_number": "118",
    "cart_id": "cart-9f2",
    "status": "accepted",
    "order_date": "2024-03-01T10:00:00.000Z",
    "create_date": "2024-03-01T10:00:00.000Z",
    "change_date": "2024-03-02T08:29:59.250Z",
    "subtotal": Decimal("12.345"),
    "total": Decimal("14.212"),
    "total_tax": Decimal("0.617"),
    "total_shipping": Decimal("1.5"),
    "total_payment_cost": Decimal("0.0"),
    "total_discounts": Decimal("0.25"),
    "currency": "KWD",
    "customer": {
        "id": "7",
        "create_date": "2024-03-01T10:00:00.000Z",
        "change_date": "2024-03-01T10:00:00.000Z",
        "email": "amal@example.com",
        "first_name": "Amal",
        "last_name": "Haddad",
        "phone": "+965 2222 3333",
        "marketing_opt_in": True,
    },
    "delivery_address": {
        "id": "21",
        "address1": "Block 3, Street 12",
        "address2": "Floor 2",
        "city": "Kuwait City",
        "country": "Kuwait",
    },
    "payment_address": {
        "address1": "Block 3, Street 12",
        "city": "Kuwait City",
        "state": "Al Asimah",
        "postalcode": "13001",
        "country": "KW",
    },
    "items": [
        {
            "id": "64",
            "create_date": "2024-03-01T10:00:00.000Z",
            "change_date": "2024-03-01T10:00:00.000Z",
            "order_item_number": "1",
            "quantity": 3,
            "status": "accepted",
            "price": Decimal("2.115"),
            "discount_price": Decimal("0.0"),
            "product": {
                "id": "501",
                "is_product": True,
                "is_sku": True,
                "code": "MUG-BLUE",
                "create_date": "2024-03-01T10:00:00.000Z",
                "change_date": "2024-03-01T10:00:00.000Z",
                "name": "Blue mug",
                "brand": "Potter",
            },
        },
        {
            "id": "65",
            "create_date": "2024-03-01T10:00:00.000Z",
            "change_date": "2024-03-01T10:00:00.000Z",
            "order_item_number": "2",
            "quantity": 1,
            "status": "accepted",
            "price": Decimal("6.0"),
            "discount_price": Decimal("5.75"),
            "product": {
                "id": "65",
                "is_product": True,
                "is_sku": True,
                "code": "65",
                "create_date": "2024-03-01T10:00:00.000Z",
                "change_date": "2024-03-01T10:00:00.000Z",
                "name": "Gift card",
            },
        },
    ],
    "previous_items": [],
}


def test_another_vendors_order_becomes_the_expected_accepted_event() -> None:
    assert order_to_jirafe(_bigcommerce_like_order()) == EXPECTED_ACCEPTED_EVENT


def test_another_vendors_order_validates(
    jirafe_schema_check: Check, jirafe_model_check: Check
) -> None:
    event = order_to_jirafe(_bigcommerce_like_order())
    jirafe_schema_check(event)
    jirafe_model_check(event)


def test_another_vendors_money_survives_jirafe_to_the_fils() -> None:
    source = _bigcommerce_like_order()
    back = order_from_jirafe(order_to_jirafe(source))
    for field in ("subtotal", "total", "tax_total", "shipping_total", "discount_total"):
        assert minor_units_from_money(getattr(back, field)) == minor_units_from_money(
            getattr(source, field)
        ), field
    assert [minor_units_from_money(line.unit_price) for line in back.line_items] == [2115, 6000]
    assert back.currency_code == "KWD"


@pytest.mark.parametrize(
    ("lifecycle", "status"),
    [
        (order_pb2.LIFECYCLE_STATE_UNSPECIFIED, "placed"),
        (order_pb2.LIFECYCLE_STATE_DRAFT, "placed"),
        (order_pb2.LIFECYCLE_STATE_PENDING, "placed"),
        (order_pb2.LIFECYCLE_STATE_CONFIRMED, "accepted"),
        (order_pb2.LIFECYCLE_STATE_ON_HOLD, "accepted"),
        (order_pb2.LIFECYCLE_STATE_COMPLETED, "accepted"),
        (order_pb2.LIFECYCLE_STATE_CANCELLED, "cancelled"),
    ],
)
def test_every_lifecycle_gives_a_valid_event(
    lifecycle: order_pb2.LifecycleState,
    status: str,
    jirafe_schema_check: Check,
    jirafe_model_check: Check,
) -> None:
    order = _bigcommerce_like_order()
    order.lifecycle_state = lifecycle
    event = order_to_jirafe(order)
    assert event["status"] == status
    jirafe_schema_check(event)
    jirafe_model_check(event)


def test_a_cancelled_order_without_cancel_time_dates_the_cancel_by_its_last_change() -> None:
    order = _bigcommerce_like_order()
    order.lifecycle_state = order_pb2.LIFECYCLE_STATE_CANCELLED
    assert order_to_jirafe(order) == {
        "order_number": "118",
        "cancel_date": "2024-03-02T08:29:59.250Z",
        "status": "cancelled",
    }


def test_a_pending_order_becomes_a_placed_event_without_money() -> None:
    order = _bigcommerce_like_order()
    order.lifecycle_state = order_pb2.LIFECYCLE_STATE_PENDING
    assert order_to_jirafe(order) == {
        "order_number": "118",
        "status": "placed",
        "order_date": "2024-03-01T10:00:00.000Z",
        "cart_id": "cart-9f2",
        "customer": EXPECTED_ACCEPTED_EVENT["customer"],
    }


@pytest.mark.parametrize(
    "order",
    [
        order_pb2.Order(),
        order_pb2.Order(lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED),
        order_pb2.Order(lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED),
        order_pb2.Order(
            lifecycle_state=order_pb2.LIFECYCLE_STATE_COMPLETED,
            currency_code="JPY",
            line_items=[order_pb2.LineItem(), order_pb2.LineItem(quantity=-1)],
            shipping_destinations=[order_pb2.ShippingDestination()],
        ),
    ],
    ids=["empty", "empty-confirmed", "empty-cancelled", "bare-lines"],
)
def test_a_bare_order_still_gives_a_valid_event(
    order: order_pb2.Order, jirafe_schema_check: Check, jirafe_model_check: Check
) -> None:
    event = order_to_jirafe(order)
    jirafe_schema_check(event)
    jirafe_model_check(event)


def test_a_bare_order_is_numbered_by_its_name_and_dated_at_the_epoch() -> None:
    order = order_pb2.Order(name="tenants/t/orders/0123456789abcdef0123456789abcdef")
    assert order_to_jirafe(order) == {
        "order_number": "0123456789abcdef0123456789abcdef",
        "status": "placed",
        "order_date": "1970-01-01T00:00:00.000Z",
        "customer": {
            "id": "",
            "create_date": "1970-01-01T00:00:00.000Z",
            "change_date": "1970-01-01T00:00:00.000Z",
        },
    }


def test_yen_amounts_are_whole_numbers_with_one_decimal() -> None:
    order = order_pb2.Order(
        order_number="J-1500",
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        currency_code="JPY",
        total=order_pb2.Money(currency_code="JPY", units=1500),
        line_items=[
            order_pb2.LineItem(
                quantity=2, unit_price=order_pb2.Money(currency_code="JPY", units=750)
            )
        ],
    )
    event = order_to_jirafe(order)
    assert (event["total"], event["items"][0]["price"]) == (Decimal("1500.0"), Decimal("750.0"))
    back = order_from_jirafe(event)
    assert minor_units_from_money(back.total) == 1500
    assert minor_units_from_money(back.line_items[0].unit_price) == 750
