"""The request side of the fabric door: POST body validation, upsert and lookup, error codes."""

from decimal import Decimal
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters.errors import TranslationError
from adapters.fabric.models import FabricOrderRequest
from adapters.fabric.requests import (
    error_code_for,
    lookup_request_for_order_id,
    upsert_request_from_fabric,
)
from adapters.fabric.translate import order_to_fabric

PARENT = "tenants/acme"


def test_seed_example_as_is_fails_request_validation_on_cart_id(seed_order: Any) -> None:
    # The docs' own example omits cartId, which the request rules require.
    with pytest.raises(TranslationError) as raised:
        upsert_request_from_fabric(PARENT, seed_order)

    assert raised.value.field == "cartId"
    assert error_code_for(raised.value) == "INVALID_CART_ID"


def test_corrected_seed_request_becomes_an_upsert_keyed_by_order_id(seed_request: Any) -> None:
    request = upsert_request_from_fabric(PARENT, seed_request)

    assert request.parent == PARENT
    assert request.key_source == "fabric"
    assert list(request.order.external_refs) == [
        order_pb2.ExternalRef(source="fabric", id="2468-1668-79485"),
        order_pb2.ExternalRef(source="fabric:_id", id="60b5b8b08766410008dd72be"),
    ]
    assert request.order.cart_id == "60b5b8b08766410008dd72aa"
    assert request.order.order_number == "2468-1668-79485"
    assert not request.HasField("update_mask")


def test_request_without_order_id_is_keyed_by_order_reference(seed_request: Any) -> None:
    del seed_request["orderId"]
    seed_request["orderReference"] = "SUB-0001"

    request = upsert_request_from_fabric(PARENT, seed_request)

    assert request.order.order_number == "SUB-0001"
    assert order_pb2.ExternalRef(source="fabric", id="SUB-0001") in request.order.external_refs
    # The key is what fabric would have assigned: the stored order reads back with it as orderId.
    emitted = order_to_fabric(request.order)
    assert emitted["orderId"] == "SUB-0001"
    assert emitted["orderReference"] == "SUB-0001"


def test_request_without_order_id_or_reference_is_keyed_by_cart_id(seed_request: Any) -> None:
    del seed_request["orderId"]

    request = upsert_request_from_fabric(PARENT, seed_request)

    assert request.order.order_number == "60b5b8b08766410008dd72aa"
    assert [ref.source for ref in request.order.external_refs] == ["fabric:_id", "fabric"]


REQUEST_ERROR_CASES = [
    ("cartId", "60b5b8b08766410008dd72a", "cartId", "INVALID_CART_ID"),
    ("cartId", 123456789012345678901234, "cartId", "INVALID_CART_ID"),
    ("channel", "13", "channel", "INVALID_CHANNEL"),
    ("channel", None, "channel", "INVALID_CHANNEL"),
    ("customerUserId", "5e3598e3", "customerUserId", "INVALID_CUSTOMER_USER_ID"),
    ("orderCurrency", "USDX", "orderCurrency", "INVALID_ORDER_CURRENCY"),
    ("orderTotal", 0, "orderTotal", "INVALID_ORDER_TOTAL"),
    ("orderTotal", Decimal("-1.5"), "orderTotal", "INVALID_ORDER_TOTAL"),
    ("taxTotal", Decimal("0.00"), "taxTotal", "INVALID_TAX_TOTAL"),
    ("shipTo", {"address": {}}, "shipTo", "INVALID_SHIP_TO"),
    ("status", "ORDER_PLACED", "status", "INVALID_STATUS"),
    ("customerAccountId", "ab", "customerAccountId", "INVALID_CUSTOMER_ACCOUNT_ID"),
    ("customerEmail", "a@", "customerEmail", "INVALID_CUSTOMER_EMAIL"),
    ("events", ["<any>"], "events[0]", "INVALID_EVENTS"),
    ("notes", "", "notes", "INVALID_NOTES"),
    ("orderReference", 42, "orderReference", "INVALID_ORDER_REFERENCE"),
    ("statusLog", ["created"], "statusLog", "INVALID_STATUS_LOG"),
    ("tags", [1], "tags[0]", "INVALID_TAGS"),
]


@pytest.mark.parametrize(("key", "value", "field", "code"), REQUEST_ERROR_CASES)
def test_request_rule_violation_names_the_field_and_a_stable_error_code(
    seed_request: Any, key: str, value: Any, field: str, code: str
) -> None:
    seed_request[key] = value

    with pytest.raises(TranslationError) as raised:
        upsert_request_from_fabric(PARENT, seed_request)

    assert raised.value.field == field
    assert error_code_for(raised.value) == code


@pytest.mark.parametrize(
    "key",
    ["cartId", "channel", "customerUserId", "orderCurrency", "orderTotal", "shipTo", "status"],
)
def test_request_missing_a_required_field_names_it(seed_request: Any, key: str) -> None:
    del seed_request[key]

    with pytest.raises(TranslationError) as raised:
        upsert_request_from_fabric(PARENT, seed_request)

    assert raised.value.field == key


def test_nested_request_error_is_coded_by_its_top_level_field(seed_request: Any) -> None:
    seed_request["items"][0]["price"] = "4.50"

    with pytest.raises(TranslationError) as raised:
        upsert_request_from_fabric(PARENT, seed_request)

    assert raised.value.field == "items[0].price"
    assert error_code_for(raised.value) == "INVALID_ITEMS"


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("", "INVALID_REQUEST_BODY"),
        ("_id", "INVALID_ID"),
        ("shipTo[0].address.zipCode", "INVALID_SHIP_TO"),
        ("payments[1].amount", "INVALID_PAYMENTS"),
    ],
)
def test_error_code_for_other_paths(field: str, code: str) -> None:
    assert error_code_for(TranslationError(field, "bad")) == code


def test_body_that_is_not_an_object_is_refused_as_a_whole() -> None:
    with pytest.raises(TranslationError) as raised:
        upsert_request_from_fabric(PARENT, ["not", "an", "order"])  # type: ignore[arg-type]  # a client can send any JSON

    assert error_code_for(raised.value) == "INVALID_REQUEST_BODY"


def test_corrected_seed_validates_as_a_request_body(seed_request: Any) -> None:
    FabricOrderRequest.model_validate(seed_request)


def test_lookup_by_order_id_uses_the_fabric_reference() -> None:
    request = lookup_request_for_order_id(PARENT, "2468-1668-79485")

    assert request.parent == PARENT
    assert request.external_ref == order_pb2.ExternalRef(source="fabric", id="2468-1668-79485")
