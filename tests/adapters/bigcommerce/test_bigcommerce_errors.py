"""Invalid BigCommerce payloads raise TranslationError naming the exact vendor field."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from adapters.bigcommerce.requests import put_error_of
from adapters.bigcommerce.translate import order_from_bigcommerce, order_from_bigcommerce_post
from adapters.errors import TranslationError
from core.errors import InvalidArgument
from tests.adapters.bigcommerce.test_bigcommerce_requests import applied, put_request
from tests.adapters.bigcommerce.vendor_examples import example


def order_with(**changes: Any) -> dict[str, Any]:
    return {**example("order_response_218"), **changes}


def with_products(*products: dict[str, Any]) -> dict[str, Any]:
    return order_with(products=list(products))


def post_with(**changes: Any) -> dict[str, Any]:
    return {**example("post_custom_product"), **changes}


def custom_product(**changes: Any) -> dict[str, Any]:
    product = {"name": "Mug", "quantity": 1, "price_inc_tax": 50, "price_ex_tax": 45}
    return {key: value for key, value in {**product, **changes}.items() if value is not None}


GET_ERRORS: list[tuple[str, Any, str]] = [
    ("not an object", ["not", "an", "order"], ""),
    ("id not an integer", order_with(id="abc"), "id"),
    ("unknown status", order_with(status_id=15), "status_id"),
    ("status not an integer", order_with(status_id="seven"), "status_id"),
    ("float money", order_with(total_inc_tax=69.84), "total_inc_tax"),
    ("money not a number", order_with(subtotal_ex_tax="lots"), "subtotal_ex_tax"),
    ("money finer than nanos", order_with(discount_amount="0.0000000001"), "discount_amount"),
    ("date not RFC 2822", order_with(date_created="yesterday"), "date_created"),
    ("modified date not RFC 2822", order_with(date_modified="2019-03-11"), "date_modified"),
    ("payment status outside enum", order_with(payment_status="settled"), "payment_status"),
    ("ip address too long", order_with(ip_address="1" * 31), "ip_address"),
    (
        "billing address without zip",
        order_with(billing_address={"first_name": "Jane"}),
        "billing_address.zip",
    ),
    ("products neither array nor link", order_with(products="none"), "products"),
    ("products link without url", order_with(products={"resource": "/x"}), "products.url"),
    (
        "product price a float",
        with_products({"id": 1, "name": "A"}, {"id": 2, "name": "B", "price_ex_tax": 1.5}),
        "products[1].price_ex_tax",
    ),
    ("product name empty", with_products({"id": 1, "name": ""}), "products[0].name"),
    ("product type unknown", with_products({"name": "A", "type": "service"}), "products[0].type"),
    (
        "product option type unknown",
        with_products({"name": "A", "product_options": [{"type": "Slider"}]}),
        "products[0].product_options[0].type",
    ),
    (
        "shipping cost not a number",
        order_with(shipping_addresses=[{"id": 1, "cost_ex_tax": "free"}]),
        "shipping_addresses[0].cost_ex_tax",
    ),
    (
        "shipment date not RFC 2822",
        order_with(shipments=[{"id": 1}, {"id": 2, "date_created": "soon"}]),
        "shipments[1].date_created",
    ),
    (
        "fee type unknown",
        order_with(fees=[{"type": "surcharge", "cost_inc_tax": "1.0000"}]),
        "fees[0].type",
    ),
]


@pytest.mark.parametrize(
    ("payload", "field"), [case[1:] for case in GET_ERRORS], ids=[case[0] for case in GET_ERRORS]
)
def test_bigcommerce_invalid_order_names_the_field(payload: Any, field: str) -> None:
    with pytest.raises(TranslationError) as raised:
        order_from_bigcommerce(payload)

    assert raised.value.field == field


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in body.items() if name != key}


POST_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("no billing address", without(post_with(), "billing_address"), "billing_address"),
    ("no products", without(post_with(), "products"), "products"),
    ("empty products", post_with(products=[]), "products"),
    (
        "billing address without zip",
        post_with(billing_address={"city": "X"}),
        "billing_address.zip",
    ),
    (
        "custom product without price_ex_tax",
        post_with(products=[custom_product(), custom_product(price_ex_tax=None)]),
        "products[1].price_ex_tax",
    ),
    (
        "custom product without quantity",
        post_with(products=[custom_product(quantity=None)]),
        "products[0].quantity",
    ),
    (
        "custom product name too long",
        post_with(products=[custom_product(name="x" * 251)]),
        "products[0].name",
    ),
    (
        "catalog product with one price",
        post_with(products=[{"product_id": 184, "quantity": 1, "price_inc_tax": 12}]),
        "products[0].price_ex_tax",
    ),
    ("subtotal override alone", post_with(subtotal_ex_tax="40.0000"), "subtotal_inc_tax"),
    ("total override alone", post_with(total_inc_tax="40.0000"), "total_ex_tax"),
    ("shipping cost alone", post_with(shipping_cost_ex_tax="4.0000"), "shipping_cost_inc_tax"),
    ("pickup consignments", post_with(consignments={"pickups": []}), "consignments"),
    (
        "float price",
        post_with(products=[custom_product(price_inc_tax=50.0)]),
        "products[0].price_inc_tax",
    ),
    ("status out of range", post_with(status_id=-1), "status_id"),
]


@pytest.mark.parametrize(
    ("body", "field"), [case[1:] for case in POST_ERRORS], ids=[case[0] for case in POST_ERRORS]
)
def test_bigcommerce_invalid_post_names_the_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(TranslationError) as raised:
        order_from_bigcommerce_post(body)

    assert raised.value.field == field


PUT_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ("read-only status", {"status": "Shipped"}, "status"),
    ("read-only id", {"id": 5, "staff_notes": "x"}, "id"),
    ("read-only total tax", {"total_tax": "1.0000"}, "total_tax"),
    (
        "external merchant id after creation",
        {"external_merchant_id": "m-1"},
        "external_merchant_id",
    ),
    ("total override alone", {"total_inc_tax": "9.0000"}, "total_ex_tax"),
    ("unknown product line", {"products": [{"id": 999, "quantity": 2}]}, "products[0].id"),
    (
        "new custom product without price",
        {"products": [{"name": "Mug", "quantity": 1, "price_inc_tax": Decimal("1.5")}]},
        "products[0].price_ex_tax",
    ),
    ("status out of range", {"status_id": 99}, "status_id"),
]


@pytest.mark.parametrize(
    ("body", "field"), [case[1:] for case in PUT_ERRORS], ids=[case[0] for case in PUT_ERRORS]
)
def test_bigcommerce_invalid_put_names_the_field(body: dict[str, Any], field: str) -> None:
    current = order_from_bigcommerce(
        with_products({"id": 117, "name": "Mug", "quantity": 1, "price_ex_tax": "1.0000"})
    )

    try:
        applied(current, put_request(body, current))
    except TranslationError as error:
        refused = error
    except InvalidArgument as error:
        # Refused by the service (a product line the order does not have), named as the door does.
        found = put_error_of(body, *error.violations[0])
        assert found is not None
        refused = found
    else:
        raise AssertionError("the PUT was accepted")

    assert refused.field == field


def test_bigcommerce_read_only_put_field_gets_bigcommerce_message() -> None:
    with pytest.raises(TranslationError) as raised:
        put_request({"cart_id": "abc"})

    assert raised.value.reason == (
        "The field 'cart_id' cannot be written to. "
        "Please remove it from your request before trying again."
    )


TRANSLATIONS: list[Callable[[Any], Any]] = [
    order_from_bigcommerce,
    order_from_bigcommerce_post,
    lambda body: put_request(body),
]
MALFORMED = [{"fees": [1]}, {"billing_address": [], "products": {}}, {"products": [None]}, "[]"]


@pytest.mark.parametrize("translate", TRANSLATIONS)
@pytest.mark.parametrize("body", MALFORMED)
def test_bigcommerce_malformed_body_raises_only_translation_error(
    translate: Callable[[Any], Any], body: Any
) -> None:
    with pytest.raises(TranslationError):
        translate(body)
