"""BigCommerce per-key spelling rules (_spelling): what the writer writes for each consumed key,
and the residue notes a read takes from them."""

import json
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.bigcommerce import _emit, _emit_order, _notes, _spelling, translate
from adapters.bigcommerce._emit import Emitter
from adapters.bigcommerce._spelling import DestinationPart, LinePart, OrderPart, ShipmentPart
from adapters.bigcommerce.translate import (
    DEFAULT_API_BASE,
    order_from_bigcommerce,
    order_from_bigcommerce_post,
    order_to_bigcommerce,
    status_of,
)
from adapters.jsonvalues import canonical_text
from bench.payloads import canonical_order
from tests.adapters.bigcommerce.test_bigcommerce_examples import embedded, sub_resource_items
from tests.adapters.bigcommerce.vendor_examples import example


def _spelled(order: order_pb2.Order) -> dict[str, dict[str, Any]]:
    """The order's residue spellings by path ("products.0.price_ex_tax")."""
    document = json.loads(codec.stored(order.vendor_data, "bigcommerce") or "{}")
    return {".".join(map(str, note["at"])): note for note in document.get("spell", [])}


def _with_product(**fields: Any) -> dict[str, Any]:
    products = sub_resource_items("products_collection_149")
    return embedded("products", [{**products[0], **fields}])


def _written(rules: _spelling.Rules[Any], part: Any) -> dict[str, Any]:
    values = {key: rule(part) for key, rule in rules.items()}
    return {key: value for key, value in values.items() if value is not codec.ABSENT}


def test_a_four_place_amount_needs_no_spelling() -> None:
    order = order_from_bigcommerce(_with_product(price_ex_tax="49.0000"))

    assert "products.0.price_ex_tax" not in _spelled(order)


def test_an_amount_read_as_49_5_is_spelled_over_the_written_49_5000() -> None:
    order = order_from_bigcommerce(_with_product(price_ex_tax="49.5"))

    note = _spelled(order)["products.0.price_ex_tax"]
    assert (note["written"], note["was"]) == ("49.5000", "49.5")
    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)
    assert emitted["products"][0]["price_ex_tax"] == "49.5"


def test_an_amount_changed_through_another_door_is_not_hidden_by_the_stale_spelling() -> None:
    order = order_from_bigcommerce(_with_product(price_ex_tax="49.5"))

    order.line_items[0].unit_price.units, order.line_items[0].unit_price.nanos = 50, 0
    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)

    assert emitted["products"][0]["price_ex_tax"] == "50.0000"


def test_a_date_in_another_rfc_2822_spelling_is_spelled_over_the_written_one() -> None:
    sent = {**example("order_response_218"), "date_created": "5 Mar 2019 21:40:11 GMT"}
    order = order_from_bigcommerce(sent)

    note = _spelled(order)["date_created"]
    assert (note["written"], note["was"]) == (
        "Tue, 05 Mar 2019 21:40:11 +0000",
        sent["date_created"],
    )


def test_null_and_absent_are_spelled_over_what_the_writer_writes() -> None:
    sent = {**example("order_response_218"), "staff_notes": None}
    del sent["ebay_order_id"]
    order = order_from_bigcommerce(sent)

    spelled = _spelled(order)
    assert (spelled["staff_notes"]["written"], spelled["staff_notes"]["was"]) == ("", None)
    assert spelled["ebay_order_id"] == {"at": ["ebay_order_id"], "written": "0"}
    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)
    assert emitted["staff_notes"] is None
    assert "ebay_order_id" not in emitted


def test_a_derived_total_is_computed_from_the_canonical_order() -> None:
    # Order 218's subtotal_tax (4.4000) disagrees with its subtotals (67.8400 - 62.6793).
    order = order_from_bigcommerce(example("order_response_218"))
    part = OrderPart(Emitter(order, DEFAULT_API_BASE), *status_of(order))

    assert _spelling.ORDER_RULES["subtotal_tax"](part) == "5.1607"
    assert _spelling.ORDER_RULES["items_total"](part) == 0
    assert _spelling.ORDER_RULES["channel_id"](part) == 1
    assert _spelled(order)["subtotal_tax"]["was"] == "4.4000"


def test_the_resource_links_round_trip_as_sent() -> None:
    sent = example("order_response_218")
    order = order_from_bigcommerce(sent)

    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)

    for key in ("products", "shipping_addresses", "coupons"):
        assert emitted[key] == sent[key]
    assert "coupons" not in _spelled(order)  # the written link is the one sent


def test_a_post_default_sent_as_the_writer_writes_it_leaves_no_residue() -> None:
    body = example("post_custom_product")
    body["products"][0]["weight"] = "0.0000"
    assert codec.stored(order_from_bigcommerce_post(body).vendor_data, "bigcommerce") is None

    body["products"][0]["weight"] = "1.5"
    order = order_from_bigcommerce_post(body)
    note = _spelled(order)["products.0.weight"]
    assert (note["written"], note["was"]) == ("0.0000", "1.5")


@pytest.fixture
def no_object_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a read rendered an object")

    writers = ("product_object", "shipping_address_object", "shipment_object")
    for module in (_emit, _emit_order, _notes, _spelling, translate):
        for name in (*writers, "order_fields", "emitted_order"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, refuse)


@pytest.mark.usefixtures("no_object_rendering")
@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("products", "products_collection_149"),
        ("shipping_addresses", "shipping_addresses_collection_229"),
        ("shipments", "shipments_collection_225"),
    ],
)
def test_a_get_read_renders_no_object(key: str, name: str) -> None:
    order = order_from_bigcommerce(embedded(key, sub_resource_items(name)))
    assert codec.stored(order.vendor_data, "bigcommerce")


def _bench_order() -> order_pb2.Order:
    order = canonical_order(3, "000000000000000000000001")
    order.shipments.add(id="7", tracking_number="1Z", shipping_provider="ups", destination_id="x")
    order.line_items[0].discount.CopyFrom(order_pb2.Money(currency_code="USD", units=2))
    order.line_items[1].product.variant_id = "12"
    return order


def test_each_rule_gives_what_the_writer_writes_for_its_key() -> None:
    order = _bench_order()
    emit = Emitter(order, DEFAULT_API_BASE)
    part = OrderPart(emit, *status_of(order))
    emitted = order_to_bigcommerce(order, keep_vendor_date_modified=True)

    own = {key: value for key, value in emitted.items() if key in _spelling.ORDER_RULES}
    assert canonical_text(_written(_spelling.ORDER_RULES, part)) == canonical_text(own)
    assert {key: rule(part) for key, rule in _spelling.BILLING_RULES.items()} == (
        emitted["billing_address"]
    )
    for index, product in enumerate(emitted["products"]):
        written = _written(_spelling.PRODUCT_RULES, LinePart(emit, index))
        assert canonical_text(written) == canonical_text(product)
    for index, address in enumerate(emitted["shipping_addresses"]):
        written = _written(_spelling.SHIPPING_ADDRESS_RULES, DestinationPart(emit, index))
        assert canonical_text(written) == canonical_text(address)
    for index, shipment in enumerate(emitted["shipments"]):
        written = _written(_spelling.SHIPMENT_RULES, ShipmentPart(emit, index))
        assert canonical_text(written) == canonical_text(shipment)


def test_amounts_follow_the_order_money_format() -> None:
    # Order 247 writes every amount plain ("924.47", "8"), its exchange rate too ("1").
    order = order_from_bigcommerce(example("order_response_247_multiple_items"))
    emit = Emitter(order, DEFAULT_API_BASE)
    part = OrderPart(emit, *status_of(order))
    order.line_items.add(name="Mug", quantity=2)

    assert _spelling.ORDER_RULES["subtotal_ex_tax"](part) == "924.47"
    assert _spelling.ORDER_RULES["base_shipping_cost"](part) == "8"
    assert _spelling.ORDER_RULES["currency_exchange_rate"](part) == "1"
    assert _spelling.PRODUCT_RULES["weight"](LinePart(Emitter(order, DEFAULT_API_BASE), 0)) == "0"
