"""Product and shipping address ids: assigned like BigCommerce, matched by the id shown."""

from decimal import Decimal

import pytest
from orderbridge.v1 import order_pb2

from adapters.bigcommerce.translate import (
    order_from_bigcommerce_post,
    order_to_bigcommerce,
    products_to_bigcommerce,
    update_from_bigcommerce_put,
    with_bigcommerce_ids,
)
from adapters.errors import TranslationError
from adapters.money import decimal_from_money, money_from_decimal
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


def test_bigcommerce_put_finds_another_vendors_line_by_the_id_it_showed() -> None:
    current = other_vendor_order()
    shown = [p["id"] for p in products_to_bigcommerce(current)]
    assert shown == [1, 2]
    order, mask = update_from_bigcommerce_put(
        {"products": [{"id": 2, "quantity": 3}]}, current=current
    )
    assert [(line.id, line.quantity) for line in order.line_items] == [("sku-a", 1), ("sku-b", 3)]
    assert "line_items" in mask.paths
    # Totals follow the change from what the client was shown (inc-tax prices fall back).
    assert decimal_from_money(order.line_items[1].total) == Decimal("15")
    assert decimal_from_money(order.subtotal) == Decimal("25")
    assert decimal_from_money(order.total) == Decimal("27")
    assert decimal_from_money(order.tax_total) == Decimal("2")
    assert order_to_bigcommerce(order)["total_inc_tax"] == "27.0000"


def test_bigcommerce_put_adds_lines_after_the_largest_integer_id() -> None:
    current = with_bigcommerce_ids(order_from_bigcommerce_post(example("post_multiple_products")))
    new = {"name": "Pin", "quantity": 1, "price_ex_tax": 2, "price_inc_tax": 2}
    order, _ = update_from_bigcommerce_put(
        {"products": [{"id": 1, "quantity": 0}, new, {**new, "name": "Pen"}]}, current=current
    )
    assert [line.id for line in order.line_items] == ["2", "3", "4", "5"]


def test_bigcommerce_put_leaves_new_lines_of_other_vendors_orders_unnumbered() -> None:
    new = {"name": "Pin", "quantity": 1, "price_ex_tax": 2, "price_inc_tax": 2}
    order, _ = update_from_bigcommerce_put({"products": [new]}, current=other_vendor_order())
    assert [line.id for line in order.line_items] == ["sku-a", "sku-b", ""]
    assert [p["id"] for p in products_to_bigcommerce(order)] == [1, 2, 3]


def test_bigcommerce_put_of_an_id_never_shown_is_refused() -> None:
    with pytest.raises(TranslationError) as error:
        update_from_bigcommerce_put(
            {"products": [{"id": 9, "quantity": 1}]}, current=other_vendor_order()
        )
    assert error.value.field == "products[0].id"
