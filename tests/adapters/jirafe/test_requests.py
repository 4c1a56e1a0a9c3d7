"""Requests the Jirafe facade sends to OrderService: upserts keyed by order_number with a mask
of what each event carries, and cancellations."""

from pathlib import Path
from typing import Any

from google.protobuf import field_mask_pb2, timestamp_pb2
from orderbridge.v1 import order_pb2

from adapters import jsonvalues
from adapters.jirafe.requests import upsert_request_from_jirafe
from adapters.jirafe.translate import cancellation_from_jirafe, order_from_jirafe

EXAMPLES = Path(__file__).parent / "examples"


def _example(name: str) -> Any:
    return jsonvalues.loads((EXAMPLES / name).read_bytes())


def test_placed_event_upserts_without_touching_state_currency_or_residue() -> None:
    event = _example("order-placed.json")
    request = upsert_request_from_jirafe("tenants/site1", event)
    assert request.parent == "tenants/site1"
    assert request.key_source == "jirafe"
    assert request.order == order_from_jirafe(event)
    assert list(request.update_mask.paths) == [
        "order_number",
        "cart_id",
        "place_time",
        "attribution",
        "customer.id",
        "customer.email",
        "customer.name.given_name",
        "customer.name.family_name",
        "customer.create_time",
        "customer.update_time",
    ]


def test_accepted_event_upserts_state_and_its_residue_but_not_fulfillment() -> None:
    event = _example("order-accepted.json")
    request = upsert_request_from_jirafe("tenants/site1", event)
    assert request.key_source == "jirafe"
    assert request.order == order_from_jirafe(event)
    assert list(request.update_mask.paths) == [
        "order_number",
        "cart_id",
        "place_time",
        "vendor_update_time",
        "shipping_destinations",
        "billing_address",
        "currency_code",
        "subtotal",
        "total",
        "tax_total",
        "shipping_total",
        "payment_cost_total",
        "discount_total",
        "line_items",
        "previous_line_items",
        "customer.id",
        "customer.email",
        "customer.name.given_name",
        "customer.name.family_name",
        "customer.create_time",
        "customer.update_time",
        "lifecycle_state",
        "payment_state",
        "native_status",
        "vendor_data.jirafe",
    ]


def test_accepted_event_without_previous_items_leaves_them_to_the_server() -> None:
    event = _example("order-accepted.json")
    del event["previous_items"], event["delivery_address"], event["cart_id"]
    paths = upsert_request_from_jirafe("tenants/site1", event).update_mask.paths
    assert not {"previous_line_items", "shipping_destinations", "cart_id"} & set(paths)


def test_mask_paths_are_fields_of_order() -> None:
    for name in ("order-placed.json", "order-accepted-variant-product.json"):
        paths = upsert_request_from_jirafe("tenants/t", _example(name)).update_mask.paths
        # vendor_data.jirafe names one key of the map (AIP-161), which FieldMask cannot check.
        plain = [path for path in paths if path != "vendor_data.jirafe"]
        descriptor = order_pb2.Order.DESCRIPTOR
        assert field_mask_pb2.FieldMask(paths=plain).IsValidForDescriptor(
            descriptor  # type: ignore[arg-type]  # the stubs miss the upb Descriptor type
        )
        assert "external_refs" not in paths
        assert "fulfillment_state" not in paths


def test_cancelled_event_names_the_order_and_the_moment() -> None:
    expected_time = timestamp_pb2.Timestamp(seconds=1371482170)
    assert cancellation_from_jirafe(_example("order-cancelled.json")) == (
        order_pb2.ExternalRef(source="jirafe", id="123456789"),
        expected_time,
    )
