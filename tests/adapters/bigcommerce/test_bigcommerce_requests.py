"""POST and PUT /v2/orders bodies → canonical orders and update masks; GET /order_statuses."""

from decimal import Decimal
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters.bigcommerce import models
from adapters.bigcommerce.translate import (
    ORDER_STATUSES,
    order_from_bigcommerce,
    order_from_bigcommerce_post,
    order_to_bigcommerce,
    resource_links,
    update_from_bigcommerce_put,
)
from adapters.errors import TranslationError
from adapters.residue import residue_from_struct
from tests.adapters.bigcommerce.openapi_schema import schema_errors
from tests.adapters.bigcommerce.vendor_examples import example, names

POST_EXAMPLES = [name for name in names("post_") if name != "post_fees_only_fragment"]
PUT_EXAMPLES = names("put_")


def usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def residue_paths(order: order_pb2.Order) -> list[str]:
    if "bigcommerce" not in order.vendor_data:
        return []
    return [str(edit["path"]) for edit in residue_from_struct(order.vendor_data["bigcommerce"])]


def test_bigcommerce_post_custom_product_computes_lines_and_totals() -> None:
    order = order_from_bigcommerce_post(example("post_custom_product"))

    (line,) = order.line_items
    assert line == order_pb2.LineItem(
        name="BigCommerce Coffee Mug",
        quantity=1,
        unit_price=usd(45),
        unit_price_including_tax=usd(50),
        tax=usd(5),
        total=usd(50),
    )
    assert (order.subtotal, order.subtotal_including_tax) == (usd(45), usd(50))
    assert (order.total_excluding_tax, order.total, order.tax_total) == (usd(45), usd(50), usd(5))
    assert order.customer.id == "1"
    assert order.customer.email == "janedoe@email.com"
    assert order.source == "external"
    assert order.native_status == order_pb2.NativeStatus(
        source="bigcommerce", code="0", label="Incomplete"
    )
    assert order.lifecycle_state == order_pb2.LIFECYCLE_STATE_DRAFT
    assert residue_paths(order) == []


def test_bigcommerce_post_without_shipping_address_ships_to_the_billing_address() -> None:
    order = order_from_bigcommerce_post(example("post_custom_product"))

    (destination,) = order.shipping_destinations
    assert destination.address == order.billing_address
    assert destination.items_total == 1


def test_bigcommerce_post_defaults_to_pending() -> None:
    body = {**example("post_custom_product")}
    del body["status_id"]

    order = order_from_bigcommerce_post(body)

    assert order.native_status.code == "1"
    assert order.lifecycle_state == order_pb2.LIFECYCLE_STATE_PENDING


def test_bigcommerce_post_multiple_products_sums_the_subtotal() -> None:
    order = order_from_bigcommerce_post(example("post_multiple_products"))

    # 10 + 45 + a catalog product without a price (no catalog here: 0), which the example
    # sends without a quantity (1).
    assert [line.quantity for line in order.line_items] == [1, 1, 1]
    assert order.line_items[2].product.id == "184"
    assert (order.subtotal, order.subtotal_including_tax) == (usd(55), usd(60, 980_000_000))
    assert order.total == usd(60, 980_000_000)
    # Product options have no canonical home: kept for the BigCommerce door.
    assert residue_paths(order) == ['["products",2,"product_options"]']
    assert order_to_bigcommerce(order)["products"][2]["product_options"] == [
        {"id": 200, "value": "180"},
        {"id": 230, "value": "192"},
    ]


def test_bigcommerce_post_fees_and_overrides_add_to_the_total() -> None:
    # The spec's fees example is a fragment ("include the fees object as shown with rest of the
    # payload"): joined here to the "Custom Product" example.
    body = {**example("post_custom_product"), **example("post_fees_only_fragment")}
    body["shipping_cost_ex_tax"] = "10.0000"
    body["shipping_cost_inc_tax"] = "11.0000"
    body["discount_amount"] = "1.5000"

    order = order_from_bigcommerce_post(body)

    # Fees: D 25.0000, E 12.3000 (its `cost_exc_tax` is the spec's typo: no ex-tax amount),
    # F 4.0000 + 8.0000 tax.
    assert order.fee_total == usd(49, 300_000_000)
    assert order.total == usd(108, 800_000_000)  # 50 + 11 + 49.30 - 1.50
    # 45 + 10 + (22.50 + 12.30 + 4.00) - 1.50
    assert order.total_excluding_tax == usd(92, 300_000_000)
    assert residue_paths(order) == ['["fees"]']


def test_bigcommerce_post_overridden_totals_are_kept() -> None:
    body = {
        **example("post_custom_product"),
        "subtotal_ex_tax": "40.0000",
        "subtotal_inc_tax": "44.0000",
        "total_ex_tax": "41.0000",
        "total_inc_tax": "45.1000",
    }

    order = order_from_bigcommerce_post(body)

    assert (order.subtotal, order.subtotal_including_tax) == (usd(40), usd(44))
    assert (order.total_excluding_tax, order.total) == (usd(41), usd(45, 100_000_000))
    assert order.tax_total == usd(4, 100_000_000)


@pytest.mark.parametrize("name", POST_EXAMPLES)
def test_bigcommerce_post_example_becomes_an_order_bigcommerce_can_show(name: str) -> None:
    order = order_from_bigcommerce_post(example(name))
    emitted = order_to_bigcommerce(order)

    assert schema_errors("order_Resp", {**emitted, **resource_links(emitted["id"])}) == []
    for product in emitted["products"]:
        assert schema_errors("orderProducts", product) == []
    models.Order.model_validate(emitted)
    assert (
        emitted["billing_address"]["first_name"] == example(name)["billing_address"]["first_name"]
    )
    assert len(emitted["products"]) == len(example(name)["products"])


@pytest.mark.parametrize("name", POST_EXAMPLES)
def test_bigcommerce_post_example_body_validates_against_the_spec(name: str) -> None:
    assert schema_errors("order_Post", example(name)) == []


def test_bigcommerce_post_fees_fragment_lacks_the_billing_address() -> None:
    with pytest.raises(TranslationError) as raised:
        order_from_bigcommerce_post(example("post_fees_only_fragment"))

    assert raised.value.field == "billing_address"


EXPECTED_PUT_MASKS = {
    "put_requests": [
        "billing_address",
        "customer.email",
        "customer.id",
        "customer.locale",
        "customer.name",
        "fee_total",
        "fulfillment_state",
        "lifecycle_state",
        "line_items",
        "native_status",
        "payment_state",
        "shipping_destinations",
    ],
    "put_adding_a_new_fee": ["fee_total"],
    "put_adding_a_new_product_to_order": ["line_items"],
    "put_adding_an_existing_product_to_order": ["line_items"],
    "put_deleting_a_fee": ["fee_total"],
    "put_deleting_all_fees_from_the_order": ["fee_total"],
    "put_removing_a_product_from_an_order": ["line_items"],
    "put_updating_order_fees": ["fee_total"],
}


@pytest.mark.parametrize("name", PUT_EXAMPLES)
def test_bigcommerce_put_example_names_exactly_the_fields_it_sends(name: str) -> None:
    _, mask = update_from_bigcommerce_put(example(name))

    assert list(mask.paths) == EXPECTED_PUT_MASKS[name]


@pytest.mark.parametrize("name", PUT_EXAMPLES)
def test_bigcommerce_put_example_body_validates_against_the_spec(name: str) -> None:
    assert schema_errors("order_Put", example(name)) == []


def test_bigcommerce_put_sets_status_and_billing_address() -> None:
    order, _ = update_from_bigcommerce_put(example("put_requests"))

    assert order.native_status == order_pb2.NativeStatus(
        source="bigcommerce", code="0", label="Incomplete"
    )
    assert order.customer.id == "11"
    assert order.billing_address.postal_code == "78751"
    assert order.shipping_destinations[0].address.company == "Acme Pty Ltd"
    assert order.fee_total == usd(24, 300_000_000)  # 12.3000 + 12.0000
    assert [line.name for line in order.line_items[:2]] == [
        "BigCommerce Poster",
        "BigCommerce Coffee Mug",
    ]


def current_order() -> order_pb2.Order:
    """A stored order with product line 117 (two at 10.00/11.00) and line 118."""
    sent: dict[str, Any] = {
        **example("order_response_218"),
        "products": [
            {
                "id": 117,
                "product_id": 123,
                "name": "Mug",
                "quantity": 2,
                "price_ex_tax": "10.0000",
                "price_inc_tax": "11.0000",
                "total_ex_tax": "20.0000",
                "total_inc_tax": "22.0000",
                "total_tax": "2.0000",
                "applied_discounts": [{"id": "x", "amount": "1.0000"}],
            },
            {"id": 118, "name": "Poster", "quantity": 1, "price_ex_tax": "5.0000"},
        ],
    }
    return order_from_bigcommerce(sent)


def test_bigcommerce_put_removes_a_product_line_with_quantity_zero() -> None:
    current = current_order()
    body = {"products": [{"id": 117, "product_id": 123, "quantity": 0}]}

    order, mask = update_from_bigcommerce_put(body, current=current)

    assert [line.id for line in order.line_items] == ["118"]
    # Subtotal and total drop by the removed line (2 x 10.00 ex tax, 2 x 11.00 inc tax).
    assert order.subtotal == usd(42, 679_300_000)
    assert order.total == usd(47, 840_000_000)
    assert {"subtotal", "total", "tax_total"} <= set(mask.paths)


def test_bigcommerce_put_updates_a_product_line_and_clears_its_discount() -> None:
    body = {"products": [{"id": 117, "quantity": 3}]}

    order, _ = update_from_bigcommerce_put(body, current=current_order())

    line = order.line_items[0]
    assert (line.id, line.quantity, line.name) == ("117", 3, "Mug")
    assert (line.total, line.tax) == (usd(33), usd(3))
    assert not line.HasField("discount")


def test_bigcommerce_put_adds_a_product_line_without_id() -> None:
    order, _ = update_from_bigcommerce_put(
        example("put_adding_a_new_product_to_order"), current=current_order()
    )

    assert [line.name for line in order.line_items] == ["Mug", "Poster", "BigCommerce Coffee Mug"]
    assert order.line_items[2].unit_price == usd(10, 120_000_000)


def test_bigcommerce_put_merges_a_shipping_address_by_id() -> None:
    current = order_from_bigcommerce(
        {
            **example("order_response_218"),
            "shipping_addresses": example("shipping_addresses_collection_229"),
        }
    )
    body = {"shipping_addresses": [{"id": 133, "city": "Dallas"}]}

    order, mask = update_from_bigcommerce_put(body, current=current)

    assert [d.address.city for d in order.shipping_destinations] == ["San Antonio", "Dallas"]
    assert order.shipping_destinations[1].address.line1 == "555 Main Street"
    assert list(mask.paths) == ["shipping_destinations"]


def test_bigcommerce_put_payment_method_updates_the_payment() -> None:
    order, mask = update_from_bigcommerce_put({"payment_method": "Manual"}, current=current_order())

    assert order.payments[0].method == "Manual"
    assert order.payments[0].status == "authorized"
    assert list(mask.paths) == ["payments"]


def test_bigcommerce_put_money_uses_the_stored_currency() -> None:
    current = current_order()
    current.currency_code = "JPY"

    order, mask = update_from_bigcommerce_put(
        {"discount_amount": "150.0000", "staff_notes": "Call first"}, current=current
    )

    assert order.discount_total == order_pb2.Money(currency_code="JPY", units=150)
    assert order.staff_notes == "Call first"
    assert list(mask.paths) == ["discount_total", "staff_notes"]


def test_bigcommerce_order_statuses_are_the_spec_statuses() -> None:
    spec_statuses = example("order_statuses")
    # The example store renamed two statuses ("Incomplete - Testing", "Completed - Testing");
    # an unrenamed store repeats the system label.
    for status in spec_statuses:
        status["custom_label"] = status["system_label"]

    assert spec_statuses == ORDER_STATUSES
    for status in ORDER_STATUSES:
        models.OrderStatus.model_validate(status)
        assert schema_errors("orderStatus_Base", status) == []


def test_bigcommerce_post_prices_stay_exact_decimals() -> None:
    body = example("post_multiple_products")

    order = order_from_bigcommerce_post(body)

    assert body["products"][0]["price_inc_tax"] == Decimal("10.98")
    assert order.line_items[0].unit_price_including_tax == usd(10, 980_000_000)


def test_bigcommerce_shipping_address_put_example_updates_the_destination() -> None:
    sent = example("shipping_address_put_request")
    assert schema_errors("shippingAddress_Put", sent) == []
    current = order_from_bigcommerce(
        {
            **example("order_response_218"),
            "shipping_addresses": example("shipping_addresses_collection_229"),
        }
    )

    order, _ = update_from_bigcommerce_put(
        {"shipping_addresses": [{"id": 132, **sent}]}, current=current
    )

    address = order.shipping_destinations[0].address
    assert (address.name.given_name, address.company, address.line2) == (
        "first",
        "company",
        "street 2",
    )
    assert (address.city, address.region, address.country_code) == (
        "Sydney",
        "New South Wales",
        "AU",
    )
    assert (address.email, address.phone.number) == ("email2@bigcommerce.com", "468444123")
    assert order.shipping_destinations[0].shipping_cost == usd(12)  # costs are not recalculated


def test_bigcommerce_shipment_put_example_fields_map_to_the_shipment() -> None:
    sent = example("shipment_put_request")
    assert schema_errors("orderShipment_Put", sent) == []

    order = order_from_bigcommerce(
        {**example("order_response_218"), "shipments": [{"id": 1, **sent}]}
    )

    (shipment,) = order.shipments
    assert (shipment.tracking_number, shipment.shipping_provider) == ("EJ958083578US", "fedex")
    assert (shipment.destination_id, shipment.merchant_shipping_cost) == ("1", usd(1))
