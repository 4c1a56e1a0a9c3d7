"""fabric ↔ canonical translation over the seed 003 examples: exact protos, round trips, errors."""

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.errors import TranslationError
from adapters.fabric.models import FabricOrder
from adapters.fabric.translate import order_from_fabric, order_to_fabric
from adapters.jsonvalues import canonical_text, loads

EXAMPLES = Path(__file__).parent / "examples"
EXAMPLE_NAMES = sorted(path.name for path in EXAMPLES.glob("*.json"))


def _example(name: str) -> Any:
    return loads((EXAMPLES / name).read_bytes())


def _usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def _stamp(seconds: int, nanos: int = 0) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=seconds, nanos=nanos)


def _seed_address(given_name: str) -> order_pb2.Address:
    # Seed 003 sends the same address twice, spelling the first name "Mark" and "Marl".
    return order_pb2.Address(
        name=order_pb2.PersonName(given_name=given_name, middle_name="p", family_name="styler"),
        phone=order_pb2.Phone(number="555-555-5555", kind="mobile"),
        email="mark@google.com",
        line1="10400 NE 4th St",
        line2="Suite 500",
        city="Bellevue",
        region="WA",
        country="USA",
        postal_code="98004",
        kind="Ship to address",
    )


def _expected_seed_order() -> order_pb2.Order:
    """Seed 003 as the canonical order, written out by hand from the seed text."""
    ship_to_address = _seed_address("Mark")
    ship_to_address.id = "60b5b8b08766410008dd72bf"  # shipTo[0]._id
    bill_to_address = _seed_address("Marl")
    return order_pb2.Order(
        revision=0,
        place_time=_stamp(1622522032, 118_000_000),  # createdAt 2021-06-01T04:33:52.118Z
        vendor_update_time=_stamp(1622522032, 118_000_000),  # updatedAt
        order_number="2468-1668-79485",
        external_refs=[
            order_pb2.ExternalRef(source="fabric", id="2468-1668-79485"),
            order_pb2.ExternalRef(source="fabric:_id", id="60b5b8b08766410008dd72be"),
        ],
        channel="13",
        tags=["Monthly Penut Bar"],
        status_message="Order has been created",
        lifecycle_state=order_pb2.LIFECYCLE_STATE_PENDING,
        payment_state=order_pb2.PAYMENT_STATE_PENDING,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        native_status=order_pb2.NativeStatus(
            source="fabric", code="ORDER_CREATED", label="Order created"
        ),
        currency_code="USD",
        tax_total=_usd(5, 230_000_000),
        total=_usd(125, 330_000_000),
        customer=order_pb2.Customer(
            id="5e3598e3007c5e00080d2bb8",
            account_id="5e3598e3007c5e00080d2bb8",
            email="ino@fabric.inc",
            phone=order_pb2.Phone(number="555-555-5555", kind="mobile"),
        ),
        billing_address=bill_to_address,
        shipping_destinations=[
            order_pb2.ShippingDestination(
                id="1000001",
                address=ship_to_address,
                shipping_cost=_usd(24, 870_000_000),
                shipping_tax=_usd(10),
                total=_usd(34, 870_000_000),
                carrier="Fedex",
                method="Express",
                method_id="10000001",
                promised_delivery_time=_stamp(1613260800),  # 2021-02-14T00:00:00.000Z
                instructions="Leave at back door",
                shipment_status="Delivered",
                tax_code="FR020000",
            )
        ],
        line_items=[
            order_pb2.LineItem(
                id="60b5b8b08766410008dd72c0",
                sku="1538910",
                name="Luminous Cushion Lagoon",
                quantity=10,
                unit_price=_usd(4, 500_000_000),
                discount=_usd(1),
                tax=_usd(10, 250_000_000),
                total=_usd(4, 540_000_000),
                product=order_pb2.Product(id="1000000051"),
                line_number="1",
                destination_id="1000001",
                tax_code="FR020000",
            )
        ],
        payments=[
            order_pb2.Payment(
                id="60b5b8b08766410008dd72c1",
                method="Visa",
                kind="Default payment",
                amount=_usd(533, 330_000_000),
                status="Pending",
                card_last4="4242",
                billing_address=bill_to_address,
                billing_address_id="1000001",
                destination_ids=["1000001"],
                conversion_rate="1",
            )
        ],
    )


# Seed 003 fields with no canonical home, kept in vendor_data["fabric"]["residue_json"]: promotions,
# committed tax (the canonical order keeps one tax figure: estimatedTax), item group, price list,
# weight, reserved locations, and the docs' "<any>" placeholders of untyped arrays (shipments,
# statusDescriptions, events, attributes, item attributes) whose element shape fabric never
# documents. Nothing else may be left over.
SEED_RESIDUE_PATHS = [
    ["shipTo", 0, "promosApplied"],
    ["shipTo", 0, "committedTax"],
    ["items", 0, "group"],
    ["items", 0, "promosApplied"],
    ["items", 0, "priceListId"],
    ["items", 0, "committedTax"],
    ["items", 0, "weight"],
    ["items", 0, "weightUnit"],
    ["items", 0, "reservedLocation"],
    ["items", 0, "attributes"],
    ["shipments"],
    ["statusDescriptions"],
    ["events"],
    ["attributes"],
]


def _without_vendor_data(order: order_pb2.Order) -> order_pb2.Order:
    stripped = order_pb2.Order()
    stripped.CopyFrom(order)
    stripped.ClearField("vendor_data")
    return stripped


def _without_payment_token(payload: dict[str, Any]) -> dict[str, Any]:
    expected = copy.deepcopy(payload)
    for payment in expected.get("payments", []):
        payment.pop("paymentToken", None)
    return expected


def test_seed_order_becomes_the_expected_canonical_order(seed_order: Any) -> None:
    order = order_from_fabric(seed_order)

    assert _without_vendor_data(order) == _expected_seed_order()


def test_seed_order_residue_holds_only_fields_without_a_canonical_home(seed_order: Any) -> None:
    order = order_from_fabric(seed_order)

    residue = codec.stored(order.vendor_data, "fabric")
    # Kept as fabric sent them, and nothing spelled otherwise than fabric's writer spells it.
    assert sorted(codec.kept_paths(residue), key=str) == sorted(SEED_RESIDUE_PATHS, key=str)
    assert "spell" not in loads(residue or "{}")


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_round_trips_exactly_without_its_payment_token(name: str) -> None:
    payload = _example(name)

    order = order_from_fabric(payload)
    stored = order_pb2.Order.FromString(order.SerializeToString())

    assert canonical_text(order_to_fabric(stored)) == canonical_text(
        _without_payment_token(payload)
    )


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_example_round_trip_validates_as_a_fabric_order(name: str) -> None:
    emitted = order_to_fabric(order_from_fabric(_example(name)))

    FabricOrder.model_validate(emitted)


def test_example_names_cover_the_seed_and_its_corrected_request() -> None:
    assert EXAMPLE_NAMES == ["subscription_order.json", "subscription_order_request.json"]


def test_canonical_order_of_seed_without_residue_emits_only_mapped_fields(
    seed_order: Any,
) -> None:
    emitted = order_to_fabric(_without_vendor_data(order_from_fabric(seed_order)))

    assert "committedTax" not in emitted["items"][0]
    assert emitted["items"][0]["price"] == Decimal("4.5")
    assert emitted["items"][0]["sku"] == 1538910
    assert emitted["shipTo"][0]["address"]["zipCode"] == 98004
    assert emitted["totalQuantity"] == 10


def test_payment_token_is_stored_nowhere(seed_order: Any) -> None:
    order = order_from_fabric(seed_order)

    stored = order.SerializeToString()
    assert b"12345689" not in stored
    assert b"paymentToken" not in stored
    assert "paymentToken" not in order_to_fabric(order)["payments"][0]


def test_full_card_number_keeps_only_its_last_four_digits(seed_order: Any) -> None:
    seed_order["payments"][0]["paymentIdentifier"]["cardIdentifier"] = "4111 1111 1111 0123"

    order = order_from_fabric(seed_order)

    assert order.payments[0].card_last4 == "0123"
    assert b"4111" not in order.SerializeToString()
    # The leading zero of "0123" survives because it is written back as text.
    assert order_to_fabric(order)["payments"][0]["paymentIdentifier"] == {"cardIdentifier": "0123"}


def test_int_and_decimal_forms_of_amounts_survive_the_round_trip(seed_order: Any) -> None:
    seed_order["items"][0]["price"] = Decimal("4.50")
    seed_order["items"][0]["discount"] = Decimal("0.0")
    seed_order["orderTotal"] = 125

    emitted = order_to_fabric(order_from_fabric(seed_order))

    assert canonical_text(emitted["items"][0]["discount"]) == "0.0"
    assert canonical_text(emitted["items"][0]["price"]) == "4.50"
    assert canonical_text(emitted["orderTotal"]) == "125"


def test_change_made_through_another_door_wins_over_the_residue(seed_order: Any) -> None:
    seed_order["items"][0]["discount"] = Decimal("0.0")
    order = order_from_fabric(seed_order)

    order.line_items[0].discount.CopyFrom(_usd(2, 500_000_000))

    assert order_to_fabric(order)["items"][0]["discount"] == Decimal("2.5")


def _set(payload: dict[str, Any], path: list[str | int], value: Any) -> None:
    node: Any = payload
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _delete(payload: dict[str, Any], path: list[str | int]) -> None:
    node: Any = payload
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]


_MISSING = object()

ERROR_CASES = [
    (["orderCurrency"], _MISSING, "orderCurrency"),
    (["orderCurrency"], "US", "orderCurrency"),
    (["status"], _MISSING, "status"),
    (["status"], "ORDER_LOST", "status"),
    (["orderTotal"], True, "orderTotal"),
    (["orderTotal"], "125.33", "orderTotal"),
    (["tags"], "Monthly Penut Bar", "tags"),
    (["createdAt"], "2021-13-01T00:00:00.000Z", "createdAt"),
    (["updatedAt"], 1622522032, "updatedAt"),
    (["customerPhone", "number"], 5555555555, "customerPhone.number"),
    (["revision"], Decimal("0.5"), "revision"),
    (["items", 0, "price"], 4.5, "items[0].price"),  # a float has lost the exact text
    (["items", 0, "quantity"], Decimal("1.5"), "items[0].quantity"),
    (["items", 0, "quantity"], 2**63, "items[0].quantity"),
    (["items", 0, "sku"], Decimal("1538910.5"), "items[0].sku"),
    (["items", 0, "sku"], 10**30, "items[0].sku"),  # JSON writes integers of 64 bits at most
    (["items", 0, "attributes"], [2**64], "items[0].attributes[0]"),
    (["items", 0, "currency"], "DOLLARS", "items[0].currency"),
    (["items", 0, "estimatedTax"], Decimal("0.0000000001"), "items[0].estimatedTax"),
    (["shipTo", 0, "address", "zipCode"], Decimal("98004.5"), "shipTo[0].address.zipCode"),
    (["shipTo", 0, "address", "name", "first"], 7, "shipTo[0].address.name.first"),
    (["shipTo", 0, "promisedDeliveryDate"], "soon", "shipTo[0].promisedDeliveryDate"),
    (["shipTo", 0, "total"], 10**19, "shipTo[0].total"),
    (["payments", 0, "amount"], Decimal("533.3300000001"), "payments[0].amount"),
    (["payments", 0, "shipToId", 0], None, "payments[0].shipToId[0]"),
    (["payments", 0, "billToAddress"], "same as shipping", "payments[0].billToAddress"),
]


@pytest.mark.parametrize(("path", "value", "field"), ERROR_CASES)
def test_invalid_field_raises_translation_error_naming_it(
    seed_order: Any, path: list[str | int], value: Any, field: str
) -> None:
    if value is _MISSING:
        _delete(seed_order, path)
    else:
        _set(seed_order, path, value)

    with pytest.raises(TranslationError) as raised:
        order_from_fabric(seed_order)

    assert raised.value.field == field


@pytest.mark.parametrize("payload", [[], "order", None, Decimal(1)])
def test_payload_that_is_not_an_object_is_refused(payload: Any) -> None:
    with pytest.raises(TranslationError) as raised:
        order_from_fabric(payload)

    assert raised.value.field == ""


def test_non_json_value_is_refused_with_its_path(seed_order: Any) -> None:
    seed_order["items"][0]["attributes"] = [object()]

    with pytest.raises(TranslationError) as raised:
        order_from_fabric(seed_order)

    assert raised.value.field == "items[0].attributes[0]"


def test_minimal_order_needs_only_currency_and_status() -> None:
    payload = {"orderCurrency": "JPY", "status": "ORDER_SHIPPED"}

    order = order_from_fabric(payload)

    assert order.currency_code == "JPY"
    assert order.fulfillment_state == order_pb2.FULFILLMENT_STATE_SHIPPED
    assert canonical_text(order_to_fabric(order)) == canonical_text(payload)


def test_a_number_finer_than_a_double_round_trips_exactly(seed_order: Any) -> None:
    seed_order["items"][0]["weight"] = Decimal("0.10000000000000000000000001")

    emitted = order_to_fabric(order_from_fabric(seed_order))

    assert canonical_text(emitted["items"][0]["weight"]) == "0.10000000000000000000000001"


def test_numbers_beyond_64_bits_from_other_doors_are_written_exactly() -> None:
    """A 30-digit sku or channel, or quantities summing past int64, must still write as JSON."""
    huge = "1" * 30
    order = order_pb2.Order(currency_code="USD", channel=huge)
    order.line_items.add(sku=huge, quantity=2**63 - 1)
    order.line_items.add(sku="1538910", quantity=2**63 - 1)

    emitted = order_to_fabric(order)

    assert emitted["items"][0]["sku"] == huge  # too long for an integer: kept as text
    assert emitted["items"][1]["sku"] == 1538910
    assert canonical_text(emitted["channel"]) == huge
    assert canonical_text(emitted["totalQuantity"]) == str(2 * (2**63 - 1))


def test_billing_address_of_an_order_not_paid_yet_crosses_as_a_bill_to_only_payment() -> None:
    order = order_pb2.Order(currency_code="USD")
    order.billing_address.line1 = "123 Main St."
    order.billing_address.city = "Anytown"

    emitted = order_to_fabric(order)
    back = order_from_fabric(loads(canonical_text(emitted)))

    assert emitted["payments"] == [
        {"billToAddress": {"street1": "123 Main St.", "city": "Anytown"}, "currency": "USD"}
    ]
    assert list(back.payments) == []
    assert back.billing_address == order.billing_address
