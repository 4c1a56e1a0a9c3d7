"""Jirafe translation over every order example in the seeds and vendor specs: exact protos,
exact round trips, the residue each leaves, and the vendor schemas."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import struct_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters import codec, jsonvalues
from adapters.jirafe.translate import order_from_jirafe, order_to_jirafe

EXAMPLES = Path(__file__).parent / "examples"
SEED = Path(__file__).parents[2] / "seeds" / "000_2f1af53589f1de22.txt"
DOC = Path(__file__).parents[2] / "vendor_specs" / "jirafe" / "docs-source" / "order_endpoint.md"
SchemaCheck = Callable[[dict[str, Any]], None]

# Where each fixture comes from. The first three are the ```json blocks of the order endpoint
# page, byte for byte (seed 000 = docs-source/order_endpoint.md). Note that the accepted
# example repeats "status" inside its item: legal JSON (RFC 8259 only says SHOULD be unique);
# the parser keeps the last value, as Jirafe's would, so the fixture is kept verbatim.
VERBATIM_EXAMPLES = ["order-placed.json", "order-accepted.json", "order-cancelled.json"]
DERIVED_EXAMPLES = {
    # "Visits Example" of order_endpoint.md is not JSON (`"visit_id": jirafe_vid',`, unquoted
    # key): its cookie names are quoted as strings and set into the order-placed example.
    "order-placed-visit-cookies.json": "order_endpoint.md, Visits Example",
    # "Orders Accepted Example", steps 2 and 3, is pseudo-code ({prod:'socks',qty:1}); written
    # out as full order-accepted events with items and previous_items.
    "order-accepted-items-added.json": "order_endpoint.md, Orders Accepted Example step 2",
    "order-accepted-items-removed.json": "order_endpoint.md, Orders Accepted Example step 3",
    # The accepted example with a variant product (product_endpoint.md "Configurable or Varient
    # Product": base_product + attributes) and every optional customer.json field.
    "order-accepted-variant-product.json": "order_endpoint.md + product.json + customer.json",
}
ALL_EXAMPLES = [*VERBATIM_EXAMPLES, *DERIVED_EXAMPLES]

# The residue each example leaves: only fields without a canonical home (and create_date, whose
# value differs from what the writer derives for it).
EXPECTED_RESIDUE_PATHS: dict[str, list[list[Any]]] = {
    name: [] for name in ALL_EXAMPLES if name != "order-accepted-variant-product.json"
}
EXPECTED_RESIDUE_PATHS["order-accepted-variant-product.json"] = [
    # create_date differs from order_date here; Order.create_time is the server's.
    ["create_date"],
    # product.json fields the canonical Product has no field for.
    ["items", 0, "product", "catalog", "version_id"],
    ["items", 0, "product", "ancestors"],
    ["items", 0, "product", "base_product"],
    ["items", 0, "product", "vendors"],
    ["items", 0, "product", "rating"],
    ["items", 0, "product", "urls", "admin"],
    ["items", 0, "product", "attributes"],
    # customer.json fields the canonical Customer has no field for.
    ["customer", "company"],
    ["customer", "department"],
    ["customer", "position"],
    ["customer", "active_flag"],
    ["customer", "cookies"],
]


def _json_blocks(text: str) -> list[Any]:
    return [jsonvalues.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def load_example(name: str) -> Any:
    return jsonvalues.loads((EXAMPLES / name).read_bytes())


def _stamp(text: str) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromJsonString(text)
    return stamp


def _usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def _no_residue(event: str) -> dict[str, struct_pb2.Struct]:
    """vendor_data of an event read whole: only the kind of event it was."""
    data = struct_pb2.Struct()
    data.fields["event"].string_value = event
    return {"jirafe": data}


def test_verbatim_fixtures_are_the_documented_examples() -> None:
    seed_blocks = _json_blocks(SEED.read_text())
    doc_blocks = _json_blocks(DOC.read_text())
    fixtures = [load_example(name) for name in VERBATIM_EXAMPLES]
    assert fixtures == seed_blocks
    assert fixtures == doc_blocks


def test_every_fixture_is_listed() -> None:
    assert sorted(path.name for path in EXAMPLES.glob("*.json")) == sorted(ALL_EXAMPLES)


def test_accepted_example_becomes_the_exact_canonical_order() -> None:
    address_fields: dict[str, Any] = {
        "line1": "123 Main St.",
        "city": "Anytown",
        "region": "New York",
        "postal_code": "12345",
        "country_code": "US",
    }
    expected = order_pb2.Order(
        order_number="8797436543019",
        external_refs=[order_pb2.ExternalRef(source="jirafe", id="8797436543019")],
        cart_id="1234asdf",
        place_time=_stamp("2013-06-17T15:16:10Z"),
        vendor_update_time=_stamp("2013-06-17T15:16:15Z"),
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CONFIRMED,
        payment_state=order_pb2.PAYMENT_STATE_PAID,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        native_status=order_pb2.NativeStatus(
            source="jirafe", code="accepted", label="Order Accepted"
        ),
        currency_code="USD",
        subtotal=_usd(99, 850_000_000),
        total=_usd(99, 850_000_000),
        tax_total=_usd(4, 750_000_000),
        shipping_total=_usd(0),
        payment_cost_total=_usd(0),
        discount_total=_usd(0),
        customer=order_pb2.Customer(
            id="abc123",
            email="foo@example.com",
            name=order_pb2.PersonName(given_name="Jane", family_name="Doe"),
            create_time=_stamp("2013-06-17T15:16:11Z"),
            update_time=_stamp("2013-06-17T15:16:11Z"),
        ),
        shipping_destinations=[
            order_pb2.ShippingDestination(
                address=order_pb2.Address(id="8797680173079", **address_fields)
            )
        ],
        billing_address=order_pb2.Address(id="8797680238615", **address_fields),
        line_items=[
            order_pb2.LineItem(
                id="8797371007020",
                line_number="1",
                quantity=1,
                status="accepted",
                unit_price=_usd(99, 850_000_000),
                discounted_unit_price=_usd(0),
                create_time=_stamp("2013-06-17T15:16:11Z"),
                update_time=_stamp("2013-06-17T15:16:11Z"),
                product=order_pb2.Product(
                    id="8796107014145",
                    code="1934793",
                    name="PowerShot A480",
                    brand="Canon",
                    is_product=True,
                    is_sku=True,
                    catalog=order_pb2.CatalogEntry(
                        id="electronicsProductCatalog", name="Electronics Product Catalog"
                    ),
                    categories=[
                        order_pb2.CatalogEntry(id="8796098461838", name="Digital Compacts"),
                        order_pb2.CatalogEntry(id="8796099248270", name="Canon"),
                    ],
                    image_urls=["http://yourstore.com/images/the_photo.jpg"],
                    create_time=_stamp("2013-03-28T19:46:39Z"),
                    update_time=_stamp("2013-03-28T19:50:58Z"),
                ),
            )
        ],
        vendor_data=_no_residue("accepted"),
    )
    assert order_from_jirafe(load_example("order-accepted.json")) == expected


def test_placed_example_becomes_the_exact_canonical_order() -> None:
    expected = order_pb2.Order(
        order_number="123456789",
        external_refs=[order_pb2.ExternalRef(source="jirafe", id="123456789")],
        cart_id="123456789",
        place_time=_stamp("2013-06-17T15:16:10Z"),
        lifecycle_state=order_pb2.LIFECYCLE_STATE_PENDING,
        payment_state=order_pb2.PAYMENT_STATE_PENDING,
        fulfillment_state=order_pb2.FULFILLMENT_STATE_UNFULFILLED,
        native_status=order_pb2.NativeStatus(source="jirafe", code="placed", label="Order Placed"),
        currency_code="XXX",
        customer=order_pb2.Customer(
            id="abc123",
            email="foo@example.com",
            name=order_pb2.PersonName(given_name="Jane", family_name="Doe"),
            create_time=_stamp("2013-06-17T15:16:11Z"),
            update_time=_stamp("2013-06-17T15:16:11Z"),
        ),
        attribution=order_pb2.Attribution(
            visit_id="1234", visitor_id="4321", pageview_id="5678", last_pageview_id="8765"
        ),
        vendor_data=_no_residue("placed"),
    )
    assert order_from_jirafe(load_example("order-placed.json")) == expected


def test_cancelled_example_becomes_the_exact_canonical_order() -> None:
    expected = order_pb2.Order(
        order_number="123456789",
        external_refs=[order_pb2.ExternalRef(source="jirafe", id="123456789")],
        cancel_time=_stamp("2013-06-17T15:16:10Z"),
        lifecycle_state=order_pb2.LIFECYCLE_STATE_CANCELLED,
        native_status=order_pb2.NativeStatus(
            source="jirafe", code="cancelled", label="Order Cancelled"
        ),
        currency_code="XXX",
        vendor_data=_no_residue("cancelled"),
    )
    assert order_from_jirafe(load_example("order-cancelled.json")) == expected


def test_items_changed_example_keeps_previous_items_apart() -> None:
    order = order_from_jirafe(load_example("order-accepted-items-removed.json"))
    assert [(line.product.name, line.quantity) for line in order.line_items] == [("shoes", 1)]
    assert [(line.product.name, line.quantity) for line in order.previous_line_items] == [
        ("socks", 1),
        ("shoes", 2),
    ]
    assert order.previous_line_items[0].unit_price == _usd(4, 500_000_000)


def test_variant_product_example_maps_what_has_a_home() -> None:
    order = order_from_jirafe(load_example("order-accepted-variant-product.json"))
    customer, line = order.customer, order.line_items[0]
    assert customer.name == order_pb2.PersonName(
        given_name="Jane", family_name="Doe", full_name="Jane Q. Doe"
    )
    assert customer.phone.number == "+1 555 0100"
    assert customer.email_opt_in is True
    assert order.shipping_destinations[0].address.line2 == "Apt. 4"
    assert (line.quantity, line.discounted_unit_price) == (2, _usd(89, 850_000_000))
    assert (line.product.is_product, line.product.is_sku) == (False, True)
    assert line.product.url == "http://yourstore.com/p/SHIRT-RED-M"
    assert line.product.catalog == order_pb2.CatalogEntry(
        id="apparelProductCatalog", name="Apparel Product Catalog"
    )


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_round_trips_exactly(name: str) -> None:
    event = load_example(name)
    emitted = order_to_jirafe(order_from_jirafe(event))
    assert jsonvalues.canonical_text(emitted) == jsonvalues.canonical_text(event)
    # And as the wire text: 0.0 stays 0.0, 99.85 stays 99.85.
    assert jsonvalues.loads(jsonvalues.dumps(emitted)) == jsonvalues.loads(
        (EXAMPLES / name).read_bytes()
    )


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_leaves_only_the_listed_residue(name: str) -> None:
    order = order_from_jirafe(load_example(name))
    paths = codec.kept_paths(codec.stored(order.vendor_data, "jirafe"))
    assert sorted(paths, key=str) == sorted(EXPECTED_RESIDUE_PATHS[name], key=str)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_without_residue_still_validates(
    name: str, jirafe_schema_check: SchemaCheck, jirafe_model_check: SchemaCheck
) -> None:
    order = order_from_jirafe(load_example(name))
    del order.vendor_data["jirafe"]
    emitted = order_to_jirafe(order)
    jirafe_schema_check(emitted)
    jirafe_model_check(emitted)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_and_its_round_trip_validate_against_the_schemas(
    name: str, jirafe_schema_check: SchemaCheck
) -> None:
    event = load_example(name)
    jirafe_schema_check(event)
    jirafe_schema_check(order_to_jirafe(order_from_jirafe(event)))


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_canonical_order_survives_a_second_trip(name: str) -> None:
    first = order_from_jirafe(load_example(name))
    second = order_from_jirafe(order_to_jirafe(first))
    # The residue may list its entries in another order (the re-emitted event's key order).
    residues = [_residue_entries(order.vendor_data.pop("jirafe")) for order in (first, second)]
    assert second == first
    assert residues[1] == residues[0]


def _residue_entries(data: struct_pb2.Struct) -> list[str]:
    """Each kept object and spelling note of a stored residue, as sorted JSON texts."""
    document = jsonvalues.loads(codec.stored({"jirafe": data}, "jirafe") or "{}")
    entries = [*document.get("keep", []), *document.get("spell", [])]
    return sorted(jsonvalues.canonical_text(entry) for entry in entries)


def test_residue_of_one_event_kind_stays_off_another() -> None:
    event = jsonvalues.loads((EXAMPLES / "order-accepted.json").read_bytes())
    event["merchant_note"] = "gift"
    order = order_from_jirafe(event)
    assert order_to_jirafe(order)["merchant_note"] == "gift"
    order.lifecycle_state = order_pb2.LIFECYCLE_STATE_CANCELLED
    order.cancel_time.FromJsonString("2013-06-18T00:00:00Z")
    cancelled = order_to_jirafe(order)
    assert cancelled == {
        "order_number": "8797436543019",
        "cancel_date": "2013-06-18T00:00:00.000Z",
        "status": "cancelled",
    }
