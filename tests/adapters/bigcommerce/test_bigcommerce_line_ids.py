"""Product and shipping address ids: assigned like BigCommerce, matched by the id shown."""

from decimal import Decimal

import pytest
from orderbridge.v1 import order_pb2

from adapters.bigcommerce.requests import put_error_of
from adapters.bigcommerce.translate import (
    order_from_bigcommerce_post,
    products_to_bigcommerce,
    with_bigcommerce_ids,
)
from adapters.money import money_from_decimal
from core.errors import InvalidArgument
from tests.adapters.bigcommerce.test_bigcommerce_requests import applied, put_request
from tests.adapters.bigcommerce.vendor_examples import example


def usd(text: str) -> order_pb2.Money:
    return money_from_decimal(Decimal(text), "USD")


def other_vendor_order() -> order_pb2.Order:
    """An order from another door: text line ids, tax-inclusive prices left unset."""
    return order_pb2.Order(
        currency_code="USD",
        line_items=[
            order_pb2.LineItem(id="sku-a", name="A", quantity=1, unit_price=usd("10")),
            order_pb2.LineItem(id="sku-b", name="B", quantity=2, unit_price=usd("5")),
        ],
        subtotal=usd("20"),
        total=usd("22"),
        tax_total=usd("2"),
    )


def test_bigcommerce_post_lines_and_destinations_get_the_ids_they_are_shown() -> None:
    order = with_bigcommerce_ids(order_from_bigcommerce_post(example("post_multiple_products")))
    assert [line.id for line in order.line_items] == ["1", "2", "3"]
    assert [d.id for d in order.shipping_destinations] == ["1"]
    assert [p["id"] for p in products_to_bigcommerce(order)] == [1, 2, 3]


def test_bigcommerce_ids_leave_existing_ids_alone() -> None:
    order = with_bigcommerce_ids(other_vendor_order())
    assert [line.id for line in order.line_items] == ["sku-a", "sku-b"]


def test_bigcommerce_put_adds_lines_after_the_largest_integer_id() -> None:
    current = with_bigcommerce_ids(order_from_bigcommerce_post(example("post_multiple_products")))
    new = {"name": "Pin", "quantity": 1, "price_ex_tax": 2, "price_inc_tax": 2}
    body = {"products": [{"id": 1, "quantity": 0}, new, {**new, "name": "Pen"}]}
    order = applied(current, put_request(body, current))
    assert [line.id for line in order.line_items] == ["2", "3", "4", "5"]


def test_bigcommerce_put_of_an_id_never_shown_is_refused_naming_the_product() -> None:
    body = {"products": [{"id": 9, "quantity": 1}]}
    with pytest.raises(InvalidArgument) as raised:
        applied(other_vendor_order(), put_request(body))
    field, description = raised.value.violations[0]
    refused = put_error_of(body, field, description)
    assert refused is not None
    assert refused.field == "products[0].id"
