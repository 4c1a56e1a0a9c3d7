"""The BigCommerce residue through the shared engine (adapters.codec): reads never render."""

from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.bigcommerce import _emit_order, _notes, translate
from adapters.bigcommerce.translate import (
    order_from_bigcommerce,
    order_from_bigcommerce_post,
    order_to_bigcommerce,
)
from tests.adapters.bigcommerce.test_bigcommerce_examples import (
    ORDER_EXAMPLES,
    embedded,
    sub_resource_items,
)
from tests.adapters.bigcommerce.vendor_examples import example
from tests.legacy_residue import residue_to_value

POST_EXAMPLES = [
    "post_custom_product",
    "post_multiple_products",
    "post_product_with_options",
    "post_product_with_variants",
]


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("a read rendered the whole order")


@pytest.fixture
def no_whole_order_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_emit_order, "emitted_order", _refuse)
    monkeypatch.setattr(translate, "emitted_order", _refuse)
    monkeypatch.setattr(translate, "order_to_bigcommerce", _refuse)


@pytest.mark.usefixtures("no_whole_order_rendering")
@pytest.mark.parametrize("name", ORDER_EXAMPLES)
def test_a_get_read_never_renders_the_order(name: str) -> None:
    order = order_from_bigcommerce(example(name))
    assert codec.stored(order.vendor_data, "bigcommerce")


@pytest.mark.usefixtures("no_whole_order_rendering")
def test_a_get_read_with_sub_resources_never_renders_the_order() -> None:
    for key, name in (
        ("products", "products_collection_149"),
        ("shipping_addresses", "shipping_addresses_collection_229"),
        ("shipments", "shipments_collection_225"),
    ):
        order_from_bigcommerce(embedded(key, sub_resource_items(name)))


@pytest.mark.usefixtures("no_whole_order_rendering")
@pytest.mark.parametrize("name", POST_EXAMPLES)
def test_a_post_read_never_renders_the_order(name: str) -> None:
    order_from_bigcommerce_post(example(name))


def test_a_change_made_through_another_door_wins_over_a_stale_spelling() -> None:
    sent = {**example("order_response_218"), "staff_notes": None, "cart_id": ""}
    order = order_from_bigcommerce(sent)
    # Unchanged: BigCommerce's own spelling (null where the writer writes "").
    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)
    assert (emitted["staff_notes"], emitted["products"]) == (None, sent["products"])

    order.staff_notes = "fragile"
    order.line_items.add(sku="SKU-1", name="Mug", quantity=2)
    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)

    assert emitted["staff_notes"] == "fragile"
    assert [product["sku"] for product in emitted["products"]] == ["SKU-1"]
    assert emitted["cart_id"] == ""


def test_a_changed_total_is_written_over_the_spelled_inconsistent_one() -> None:
    # Order 218's subtotal_tax disagrees with its subtotals: spelled while they are unchanged.
    sent = example("order_response_218")
    order = order_from_bigcommerce(sent)
    assert order_to_bigcommerce(order)["subtotal_tax"] == sent["subtotal_tax"]

    order.subtotal_including_tax.CopyFrom(order.subtotal)
    assert order_to_bigcommerce(order)["subtotal_tax"] == "0.0000"


def test_an_order_stored_before_the_engine_still_gets_its_edit_list() -> None:
    order = order_pb2.Order(currency_code="USD")
    edits: list[dict[str, str | None]] = [
        {"path": '["staff_notes"]', "emitted": '""', "original": '"old"'}
    ]
    order.vendor_data["bigcommerce"].fields["residue"].CopyFrom(residue_to_value(edits))
    assert order_to_bigcommerce(order)["staff_notes"] == "old"


@pytest.mark.parametrize("name", ORDER_EXAMPLES)
def test_the_declared_keys_cover_every_key_the_writer_writes(name: str) -> None:
    emitted = order_to_bigcommerce(order_from_bigcommerce(example(name)))
    assert emitted.keys() <= _notes.ORDER_KEYS
    assert emitted["billing_address"].keys() <= _notes.ADDRESS_KEYS
    shipments = embedded("shipments", sub_resource_items("shipments_collection_225"))
    emitted = order_to_bigcommerce(order_from_bigcommerce(shipments))
    for shipment in emitted["shipments"]:
        assert shipment.keys() <= _notes.SHIPMENT_KEYS
    for address in emitted["shipping_addresses"]:
        assert address.keys() <= _notes.SHIPPING_ADDRESS_KEYS
    products = embedded("products", sub_resource_items("products_collection_149"))
    for product in order_to_bigcommerce(order_from_bigcommerce(products))["products"]:
        assert product.keys() <= _notes.PRODUCT_KEYS
