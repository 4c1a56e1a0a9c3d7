"""POST /v2/orders without totals: the subtotals and totals BigCommerce itself computes, exact."""

import json
from decimal import Decimal
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.bigcommerce.translate import order_from_bigcommerce_post, order_to_bigcommerce
from adapters.errors import TranslationError
from adapters.money import decimal_from_money

# Two custom products (order_Post products: price_ex_tax and price_inc_tax per unit), shipping,
# handling and wrapping in ex/inc pairs, an order discount, and no subtotal or total at all.
PRODUCTS = [
    {"name": "Mug", "quantity": 2, "price_ex_tax": "12.3400", "price_inc_tax": "13.5700"},
    {"name": "Towel", "quantity": 3, "price_ex_tax": 5, "price_inc_tax": Decimal("5.50")},
]
COSTS = {
    "shipping_cost_ex_tax": "10.0000",
    "shipping_cost_inc_tax": "11.0000",
    "handling_cost_ex_tax": "2.5000",
    "handling_cost_inc_tax": "2.7500",
    "wrapping_cost_ex_tax": "1.0000",
    "wrapping_cost_inc_tax": "1.1000",
    "discount_amount": "3.0000",
}
# 2 × 12.34 + 3 × 5 and 2 × 13.57 + 3 × 5.50.
SUBTOTAL_EX, SUBTOTAL_INC = Decimal("39.68"), Decimal("43.64")
# 39.68 + 10 + 2.50 + 1 − 3 and 43.64 + 11 + 2.75 + 1.10 − 3.
TOTAL_EX, TOTAL_INC = Decimal("50.18"), Decimal("55.49")


def body(**fields: Any) -> dict[str, Any]:
    return {
        "billing_address": {"first_name": "Jane", "zip": "78751", "email": "jane@example.com"},
        "products": [dict(product) for product in PRODUCTS],
        **COSTS,
        **fields,
    }


def amounts(order: order_pb2.Order, *fields: str) -> tuple[Decimal, ...]:
    return tuple(decimal_from_money(getattr(order, field)) for field in fields)


def residue_paths(order: order_pb2.Order) -> list[str]:
    """Each kept or spelled path of the order's BigCommerce residue, as compact JSON text."""
    paths = codec.kept_paths(codec.stored(order.vendor_data, "bigcommerce"))
    return [json.dumps(path, separators=(",", ":"), ensure_ascii=False) for path in paths]


def test_bigcommerce_post_without_totals_gets_the_totals_bigcommerce_computes() -> None:
    order = order_from_bigcommerce_post(body())

    assert amounts(order, "subtotal", "subtotal_including_tax") == (SUBTOTAL_EX, SUBTOTAL_INC)
    assert amounts(order, "shipping_total", "shipping_total_including_tax") == (
        Decimal(10),
        Decimal(11),
    )
    assert amounts(order, "handling_total", "wrapping_total_including_tax") == (
        Decimal("2.5"),
        Decimal("1.1"),
    )
    assert amounts(order, "discount_total") == (Decimal(3),)
    assert amounts(order, "total_excluding_tax", "total", "tax_total") == (
        TOTAL_EX,
        TOTAL_INC,
        TOTAL_INC - TOTAL_EX,
    )
    assert {money.currency_code for money in (order.subtotal, order.total, order.tax_total)} == {
        "USD"
    }
    # Computed, not sent: nothing of it is residue (which would re-emit "absent" at GET).
    assert residue_paths(order) == []


def test_bigcommerce_post_computed_totals_show_through_get() -> None:
    emitted = order_to_bigcommerce(order_from_bigcommerce_post(body()))

    assert {key: emitted[key] for key in emitted if key.startswith(("subtotal", "total"))} == {
        "subtotal_ex_tax": "39.6800",
        "subtotal_inc_tax": "43.6400",
        "subtotal_tax": "3.9600",
        "total_ex_tax": "50.1800",
        "total_inc_tax": "55.4900",
        "total_tax": "5.3100",
    }
    assert (emitted["shipping_cost_tax"], emitted["handling_cost_tax"]) == ("1.0000", "0.2500")
    assert emitted["wrapping_cost_tax"] == "0.1000"
    assert [product["total_inc_tax"] for product in emitted["products"]] == ["27.1400", "16.5000"]


def test_bigcommerce_post_subtotal_override_feeds_the_computed_total() -> None:
    order = order_from_bigcommerce_post(body(subtotal_ex_tax="30.0000", subtotal_inc_tax="33.0000"))

    assert amounts(order, "subtotal", "subtotal_including_tax") == (Decimal(30), Decimal(33))
    # 30 + 10 + 2.50 + 1 − 3 and 33 + 11 + 2.75 + 1.10 − 3.
    assert amounts(order, "total_excluding_tax", "total", "tax_total") == (
        Decimal("40.5"),
        Decimal("44.85"),
        Decimal("4.35"),
    )


def test_bigcommerce_post_total_override_is_kept_and_the_subtotal_computed() -> None:
    order = order_from_bigcommerce_post(body(total_ex_tax="49.0000", total_inc_tax="54.0000"))

    assert amounts(order, "subtotal", "subtotal_including_tax") == (SUBTOTAL_EX, SUBTOTAL_INC)
    assert amounts(order, "total_excluding_tax", "total", "tax_total") == (
        Decimal(49),
        Decimal(54),
        Decimal(5),
    )


@pytest.mark.parametrize(
    ("sent", "missing"),
    [
        ("subtotal_ex_tax", "subtotal_inc_tax"),
        ("subtotal_inc_tax", "subtotal_ex_tax"),
        ("total_ex_tax", "total_inc_tax"),
        ("total_inc_tax", "total_ex_tax"),
    ],
)
def test_bigcommerce_post_half_an_override_pair_is_refused(sent: str, missing: str) -> None:
    # order_Shared: "If specified, the field `…` is also required."
    with pytest.raises(TranslationError) as raised:
        order_from_bigcommerce_post(body(**{sent: "1.0000"}))

    assert raised.value.field == missing


def test_bigcommerce_post_handling_or_wrapping_alone_counts_ex_and_inc_tax() -> None:
    sent = body()
    for key in ("handling_cost_inc_tax", "wrapping_cost_ex_tax"):
        del sent[key]

    order = order_from_bigcommerce_post(sent)

    # No tax rules here: the one figure sent stands for both.
    assert amounts(order, "handling_total", "handling_total_including_tax") == (
        Decimal("2.5"),
        Decimal("2.5"),
    )
    assert amounts(order, "wrapping_total", "wrapping_total_including_tax") == (
        Decimal("1.1"),
        Decimal("1.1"),
    )
    # 39.68 + 10 + 2.50 + 1.10 − 3 and 43.64 + 11 + 2.50 + 1.10 − 3.
    assert amounts(order, "total_excluding_tax", "total") == (Decimal("50.28"), Decimal("55.24"))


def test_bigcommerce_post_coupon_discount_comes_off_the_total() -> None:
    # coupon_discount is order_RespOnly; a client copying an order from a GET may send it.
    order = order_from_bigcommerce_post(body(coupon_discount="2.0000"))

    assert amounts(order, "discount_total", "coupon_discount_total") == (Decimal(3), Decimal(2))
    assert amounts(order, "total_excluding_tax", "total") == (TOTAL_EX - 2, TOTAL_INC - 2)
    assert amounts(order, "tax_total") == (TOTAL_INC - TOTAL_EX,)


def test_bigcommerce_post_totals_are_in_the_order_currency() -> None:
    sent = {
        "billing_address": {"zip": "100-0001"},
        "default_currency_code": "JPY",
        "products": [{"name": "Tea", "quantity": 3, "price_ex_tax": 1000, "price_inc_tax": 1100}],
        "shipping_cost_ex_tax": 500,
        "shipping_cost_inc_tax": 550,
    }

    order = order_from_bigcommerce_post(sent)

    assert order.total == order_pb2.Money(currency_code="JPY", units=3850)
    assert order.total_excluding_tax == order_pb2.Money(currency_code="JPY", units=3500)
    assert order.tax_total == order_pb2.Money(currency_code="JPY", units=350)
    assert order_to_bigcommerce(order)["total_inc_tax"] == "3850.0000"


def test_bigcommerce_post_catalog_product_without_prices_counts_zero() -> None:
    # No catalog here: the spec's "Multiple Products" example sends product 184 bare.
    order = order_from_bigcommerce_post(
        body(products=[*PRODUCTS, {"product_id": 184, "quantity": 4}])
    )

    assert amounts(order, "subtotal", "total") == (SUBTOTAL_EX, TOTAL_INC)
