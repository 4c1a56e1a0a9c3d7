"""POST and PUT /v2/orders bodies → canonical orders and update requests; GET /order_statuses."""

import json
from decimal import Decimal
from typing import Any

import pytest
from google.protobuf import field_mask_pb2
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters import codec
from adapters.bigcommerce import models
from adapters.bigcommerce.catalogs import ORDER_STATUSES
from adapters.bigcommerce.requests import put_error_of, update_request_from_bigcommerce_put
from adapters.bigcommerce.translate import (
    order_from_bigcommerce,
    order_from_bigcommerce_post,
    order_to_bigcommerce,
    products_to_bigcommerce,
    resource_links,
)
from adapters.errors import TranslationError
from core.merge import merged_order
from service.servicer import destination_changes_of, line_item_changes_of
from tests.adapters.bigcommerce.openapi_schema import schema_errors
from tests.adapters.bigcommerce.vendor_examples import example, names

POST_EXAMPLES = [name for name in names("post_") if name != "post_fees_only_fragment"]
PUT_EXAMPLES = names("put_")


def usd(units: int, nanos: int = 0) -> order_pb2.Money:
    return order_pb2.Money(currency_code="USD", units=units, nanos=nanos)


def residue_paths(order: order_pb2.Order) -> list[str]:
    """Each kept or spelled path of the order's BigCommerce residue, as compact JSON text."""
    paths = codec.kept_paths(codec.stored(order.vendor_data, "bigcommerce"))
    return [json.dumps(path, separators=(",", ":"), ensure_ascii=False) for path in paths]


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
        "native_status",
        "payment_state",
    ],
    "put_adding_a_new_fee": ["fee_total"],
    "put_adding_a_new_product_to_order": [],
    "put_adding_an_existing_product_to_order": [],
    "put_deleting_a_fee": ["fee_total"],
    "put_deleting_all_fees_from_the_order": ["fee_total"],
    "put_removing_a_product_from_an_order": [],
    "put_updating_order_fees": ["fee_total"],
}
NAME = "tenants/acme/orders/0123456789abcdef0123456789abcdef"


def put_request(
    body: dict[str, Any], current: order_pb2.Order | None = None
) -> order_service_pb2.UpdateOrderRequest:
    payments = current.payments if current is not None else ()
    return update_request_from_bigcommerce_put(NAME, body, payments=payments)


def applied(
    current: order_pb2.Order, request: order_service_pb2.UpdateOrderRequest
) -> order_pb2.Order:
    """What the service makes of the request: its changes mapped as the servicer maps them."""
    return merged_order(
        current,
        request.order,
        list(request.update_mask.paths),
        line_item_changes=line_item_changes_of(request),
        destination_changes=destination_changes_of(request),
        keep_totals_in_step=request.keep_totals_in_step,
    )


@pytest.mark.parametrize("name", PUT_EXAMPLES)
def test_bigcommerce_put_example_names_exactly_the_fields_it_sends(name: str) -> None:
    request = put_request(example(name))

    assert request.order.name == NAME
    assert list(request.update_mask.paths) == EXPECTED_PUT_MASKS[name]
    assert len(request.line_item_changes) == len(example(name).get("products", []))
    assert not request.order.etag


@pytest.mark.parametrize("name", PUT_EXAMPLES)
def test_bigcommerce_put_example_body_validates_against_the_spec(name: str) -> None:
    assert schema_errors("order_Put", example(name)) == []


def test_bigcommerce_put_sets_status_and_billing_address() -> None:
    request = put_request(example("put_requests"))

    order = request.order
    assert order.native_status == order_pb2.NativeStatus(
        source="bigcommerce", code="0", label="Incomplete"
    )
    assert order.customer.id == "11"
    assert order.billing_address.postal_code == "78751"
    # Amounts leave the currency to the service, which gives them the order's.
    assert order.fee_total == order_pb2.Money(units=24, nanos=300_000_000)  # 12.3000 + 12.0000
    (address,) = request.shipping_destination_changes
    assert address.WhichOneof("destination") is None  # no id: added
    assert address.shipping_destination.address.company == "Acme Pty Ltd"
    assert [change.line_item.name for change in request.line_item_changes[:2]] == [
        "BigCommerce Poster",
        "BigCommerce Coffee Mug",
    ]


def test_bigcommerce_put_products_become_keyed_line_changes() -> None:
    body = {
        "products": [
            {"id": 117, "quantity": 3},
            {"id": 118, "quantity": 0},
            {"id": 119, "name": "Cup", "price_ex_tax": "2", "price_inc_tax": "2.2"},
            {"name": "Pin", "quantity": 2, "price_ex_tax": "1.5", "price_inc_tax": "1.65"},
        ]
    }

    request = put_request(body)

    assert list(request.line_item_changes) == [
        order_service_pb2.LineItemChange(
            number=117,
            line_item=order_pb2.LineItem(id="117", quantity=3),
            # A changed product loses its discount; its totals follow (GET computes them).
            update_mask=field_mask_pb2.FieldMask(paths=["discount", "quantity", "tax", "total"]),
        ),
        order_service_pb2.LineItemChange(number=118, remove=True),
        order_service_pb2.LineItemChange(
            number=119,
            line_item=order_pb2.LineItem(
                id="119",
                name="Cup",
                quantity=1,
                unit_price=order_pb2.Money(units=2),
                unit_price_including_tax=order_pb2.Money(units=2, nanos=200_000_000),
            ),
            update_mask=field_mask_pb2.FieldMask(
                paths=["discount", "name", "tax", "total", "unit_price", "unit_price_including_tax"]
            ),
        ),
        order_service_pb2.LineItemChange(
            line_item=order_pb2.LineItem(
                name="Pin",
                quantity=2,
                unit_price=order_pb2.Money(units=1, nanos=500_000_000),
                unit_price_including_tax=order_pb2.Money(units=1, nanos=650_000_000),
                tax=order_pb2.Money(nanos=300_000_000),
                total=order_pb2.Money(units=3, nanos=300_000_000),
            )
        ),
    ]
    assert list(request.update_mask.paths) == []
    assert request.keep_totals_in_step


@pytest.mark.parametrize(
    ("body", "keep_totals_in_step"),
    [
        ({"products": [{"id": 1, "quantity": 2}]}, True),
        (
            {"products": [{"id": 1, "quantity": 2}], "subtotal_ex_tax": 1, "subtotal_inc_tax": 1},
            False,
        ),
        ({"products": [{"id": 1, "quantity": 2}], "total_ex_tax": 1, "total_inc_tax": 1}, False),
        ({"products": []}, False),
        ({"staff_notes": "x"}, False),
    ],
)
def test_bigcommerce_put_totals_follow_products_unless_overridden(
    body: dict[str, Any], keep_totals_in_step: bool
) -> None:
    assert put_request(body).keep_totals_in_step is keep_totals_in_step


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

    order = applied(current, put_request(body, current))

    assert [line.id for line in order.line_items] == ["118"]
    # Subtotal and total drop by the removed line (2 x 10.00 ex tax, 2 x 11.00 inc tax).
    assert order.subtotal == usd(42, 679_300_000)
    assert order.total == usd(47, 840_000_000)
    assert list(order.previous_line_items) == list(current.line_items)


def test_bigcommerce_put_updates_a_product_line_and_clears_its_discount() -> None:
    body = {"products": [{"id": 117, "quantity": 3}]}

    order = applied(current_order(), put_request(body))

    line = order.line_items[0]
    assert (line.id, line.quantity, line.name) == ("117", 3, "Mug")
    assert not line.HasField("discount")
    product = products_to_bigcommerce(order)[0]
    assert (product["total_inc_tax"], product["total_tax"]) == ("33.0000", "3.0000")


def test_bigcommerce_put_adds_a_product_line_without_id() -> None:
    order = applied(current_order(), put_request(example("put_adding_a_new_product_to_order")))

    assert [line.name for line in order.line_items] == ["Mug", "Poster", "BigCommerce Coffee Mug"]
    assert order.line_items[2].id == "119"
    assert order.line_items[2].unit_price == usd(10, 120_000_000)


def test_bigcommerce_put_merges_a_shipping_address_by_id() -> None:
    current = order_from_bigcommerce(
        {
            **example("order_response_218"),
            "shipping_addresses": example("shipping_addresses_collection_229"),
        }
    )
    body = {"shipping_addresses": [{"id": 133, "city": "Dallas"}, {"id": 132}]}

    request = put_request(body)
    order = applied(current, request)

    # The address with nothing to set changes nothing.
    assert list(request.shipping_destination_changes) == [
        order_service_pb2.ShippingDestinationChange(
            number=133,
            shipping_destination=order_pb2.ShippingDestination(
                id="133",
                address=order_pb2.Address(id="133", name=order_pb2.PersonName(), city="Dallas"),
            ),
            update_mask=field_mask_pb2.FieldMask(paths=["address.city"]),
        )
    ]
    assert [d.address.city for d in order.shipping_destinations] == ["San Antonio", "Dallas"]
    assert order.shipping_destinations[1].address.line1 == "555 Main Street"
    assert list(request.update_mask.paths) == []


def test_bigcommerce_put_payment_method_updates_the_payment_read() -> None:
    current = current_order()

    request = put_request({"payment_method": "Manual"}, current)
    order = applied(current, request)

    assert order.payments[0].method == "Manual"
    assert order.payments[0].status == "authorized"
    assert list(request.update_mask.paths) == ["payments"]


def test_bigcommerce_put_money_takes_the_stored_currency() -> None:
    current = order_pb2.Order(currency_code="JPY", staff_notes="")

    request = put_request({"discount_amount": "150.0000", "staff_notes": "Call first"})
    order = applied(current, request)

    assert request.order.discount_total == order_pb2.Money(units=150)
    assert order.discount_total == order_pb2.Money(currency_code="JPY", units=150)
    assert order.staff_notes == "Call first"
    assert list(request.update_mask.paths) == ["discount_total", "staff_notes"]


def test_bigcommerce_put_reaches_another_vendors_line_by_the_id_it_showed() -> None:
    current = order_pb2.Order(
        currency_code="USD",
        line_items=[
            order_pb2.LineItem(id="sku-a", name="A", quantity=1, unit_price=usd(10)),
            order_pb2.LineItem(id="sku-b", name="B", quantity=2, unit_price=usd(5)),
        ],
        subtotal=usd(20),
        total=usd(22),
        tax_total=usd(2),
    )
    new = {"name": "Pin", "quantity": 1, "price_ex_tax": 2, "price_inc_tax": 2}
    assert [p["id"] for p in products_to_bigcommerce(current)] == [1, 2]

    order = applied(current, put_request({"products": [{"id": 2, "quantity": 3}, new]}))

    # Other vendors' lines keep their ids; a new line is left to the numbering.
    assert [(line.id, line.quantity) for line in order.line_items] == [
        ("sku-a", 1),
        ("sku-b", 3),
        ("", 1),
    ]
    assert [p["id"] for p in products_to_bigcommerce(order)] == [1, 2, 3]
    # Totals follow the change from what the client was shown (inc-tax prices fall back).
    assert (order.subtotal, order.total, order.tax_total) == (usd(27), usd(29), usd(2))
    assert order_to_bigcommerce(order)["total_inc_tax"] == "29.0000"


PUT_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("read-only status", {"status": "Shipped"}, "status"),
    ("read-only id", {"id": 5, "staff_notes": "x"}, "id"),
    ("total override alone", {"total_inc_tax": "9.0000"}, "total_ex_tax"),
    ("product id null", {"products": [{"id": None, "quantity": 2}]}, "products[0].id"),
    ("product id past 64 bits", {"products": [{"id": 2**63, "quantity": 2}]}, "products[0].id"),
    ("negative product id", {"products": [{"id": -1, "quantity": 2}]}, "products[0].id"),
    (
        "new custom product without price",
        {"products": [{"name": "Mug", "quantity": 1, "price_inc_tax": Decimal("1.5")}]},
        "products[0].price_ex_tax",
    ),
    (
        "address id past 64 bits",
        {"shipping_addresses": [{"id": 2**64, "city": "Austin"}]},
        "shipping_addresses[0].id",
    ),
    ("pickup consignments", {"consignments": {"pickups": []}}, "consignments"),
    ("quantity past 64 bits", {"products": [{"id": 1, "quantity": 2**64}]}, "products[0]"),
    (
        "new quantity past 64 bits",
        {"products": [{"product_id": 5, "quantity": -(2**63) - 1}]},
        "products[0]",
    ),
    (
        "items past 64 bits",
        {"shipping_addresses": [{"city": "Austin", "items_total": 2**64}]},
        "shipping_addresses[0]",
    ),
]


@pytest.mark.parametrize(
    ("body", "field"), [case[1:] for case in PUT_ERRORS], ids=[case[0] for case in PUT_ERRORS]
)
def test_bigcommerce_invalid_put_request_names_the_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(TranslationError) as raised:
        put_request(body)

    assert raised.value.field == field


@pytest.mark.parametrize(
    "body", [{"fees": [1]}, {"billing_address": [], "products": {}}, {"products": [None]}, "[]"]
)
def test_bigcommerce_malformed_put_raises_only_translation_error(body: Any) -> None:
    with pytest.raises(TranslationError):
        update_request_from_bigcommerce_put(NAME, body)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("line_item_changes[1]", ("products[1].id", "no such product in the order")),
        # The address without fields to set sends no change: change 0 is address 1.
        (
            "shipping_destination_changes[0]",
            ("shipping_addresses[1].id", "no such shipping address in the order"),
        ),
        ("shipping_destination_changes[1]", None),
        ("order.line_items[0].unit_price", None),
        ("line_item_changes[x]", None),
    ],
)
def test_bigcommerce_put_change_errors_name_the_body_field(
    field: str, expected: tuple[str, str] | None
) -> None:
    body = {
        "products": [{"id": 1, "quantity": 2}, {"id": 9, "quantity": 1}],
        "shipping_addresses": [{"id": 1}, {"id": 7, "city": "Austin"}],
    }

    error = put_error_of(body, field, "no such line")

    assert (None if error is None else (error.field, error.reason)) == expected


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

    order = applied(current, put_request({"shipping_addresses": [{"id": 132, **sent}]}))

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
