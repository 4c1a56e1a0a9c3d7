"""Jirafe payloads that cannot be translated raise TranslationError naming the exact field."""

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters import jsonvalues
from adapters.errors import TranslationError
from adapters.jirafe.requests import upsert_request_from_jirafe
from adapters.jirafe.translate import (
    cancellation_from_jirafe,
    event_kind,
    order_from_jirafe,
    order_to_jirafe,
)

EXAMPLES = Path(__file__).parent / "examples"
Edit = Callable[[dict[str, Any]], object]


def _example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = jsonvalues.loads((EXAMPLES / name).read_bytes())
    return loaded


def _set(path: list[str | int], value: object) -> Edit:
    def edit(event: dict[str, Any]) -> None:
        node: Any = event
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return edit


def _delete(path: list[str | int]) -> Edit:
    def edit(event: dict[str, Any]) -> None:
        node: Any = event
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return edit


def _add_previous_item_without_discount_price(event: dict[str, Any]) -> None:
    item = copy.deepcopy(event["items"][0])
    del item["discount_price"]
    event["previous_items"] = [event["items"][0], item]


# (example, edit, expected field path)
CASES: list[tuple[str, Edit, str]] = [
    ("order-placed.json", _delete(["status"]), "status"),
    ("order-placed.json", _set(["status"], "shipped"), "status"),
    ("order-placed.json", _set(["status"], None), "status"),
    ("order-placed.json", _delete(["customer"]), "customer"),
    ("order-placed.json", _delete(["customer", "id"]), "customer.id"),
    ("order-placed.json", _set(["customer", "email"], None), "customer.email"),
    ("order-placed.json", _set(["customer", "create_date"], "yesterday"), "customer.create_date"),
    ("order-placed.json", _set(["order_date"], 1371482170), "order_date"),
    ("order-placed.json", _set(["order_number"], ""), "order_number"),
    ("order-placed.json", _set(["order_number"], 123456789), "order_number"),
    ("order-placed.json", _delete(["visit", "visit_id"]), "visit.visit_id"),
    ("order-placed.json", _set(["customer", "nickname"], "\ud800"), "customer.nickname"),
    ("order-accepted.json", _delete(["total"]), "total"),
    ("order-accepted.json", _set(["total"], "99.85"), "total"),
    ("order-accepted.json", _set(["total_tax"], True), "total_tax"),
    ("order-accepted.json", _set(["subtotal"], 10**30), "subtotal"),
    # More digits than the double a JSON number is in JavaScript (Jirafe's sender and service).
    ("order-accepted.json", _set(["total_tax"], Decimal("4.7500000000000000001")), "total_tax"),
    ("order-accepted.json", _set(["currency"], "dollars"), "currency"),
    ("order-accepted.json", _delete(["items"]), "items"),
    ("order-accepted.json", _set(["items", 0, "price"], 99.85), "items[0].price"),
    ("order-accepted.json", _set(["items", 0, "price"], Decimal("-1.5")), "items[0].price"),
    # Finer than the nanos of orderbridge.v1.Money.
    ("order-accepted.json", _set(["items", 0, "price"], Decimal("1E-10")), "items[0].price"),
    ("order-accepted.json", _set(["items", 0, "quantity"], Decimal("1.5")), "items[0].quantity"),
    ("order-accepted.json", _set(["items", 0, "quantity"], 2**53 + 1), "items[0].quantity"),
    ("order-accepted.json", _set(["items", 0, "status"], "shipped"), "items[0].status"),
    ("order-accepted.json", _delete(["items", 0, "product", "is_sku"]), "items[0].product.is_sku"),
    (
        "order-accepted.json",
        _set(["items", 0, "product", "categories", 1, "name"], 7),
        "items[0].product.categories[1].name",
    ),
    (
        "order-accepted.json",
        _set(["items", 0, "product", "images", 0], {}),
        "items[0].product.images[0].url",
    ),
    ("order-accepted.json", _set(["delivery_address", "city"], 12), "delivery_address.city"),
    ("order-accepted.json", _set(["payment_address", "state"], None), "payment_address.state"),
    (
        "order-accepted.json",
        _add_previous_item_without_discount_price,
        "previous_items[1].discount_price",
    ),
    ("order-cancelled.json", _delete(["cancel_date"]), "cancel_date"),
    ("order-cancelled.json", _set(["cancel_date"], "2013-13-45T00:00:00Z"), "cancel_date"),
]


@pytest.mark.parametrize(("name", "edit", "field"), CASES)
def test_invalid_event_names_the_field(name: str, edit: Edit, field: str) -> None:
    event = _example(name)
    edit(event)
    with pytest.raises(TranslationError) as raised:
        order_from_jirafe(event)
    assert raised.value.field == field


@pytest.mark.parametrize("payload", [[], "order", None, 7])
def test_a_payload_that_is_not_an_object_is_refused(payload: Any) -> None:
    with pytest.raises(TranslationError) as raised:
        order_from_jirafe(payload)
    assert raised.value.field == ""


def test_event_kind_follows_status() -> None:
    assert [event_kind({"status": status}) for status in ("placed", "accepted", "cancelled")] == [
        "placed",
        "accepted",
        "cancelled",
    ]
    with pytest.raises(TranslationError) as raised:
        event_kind({"status": "Accepted"})
    assert raised.value.field == "status"


def test_a_cancelled_event_upserts_only_the_cancellation() -> None:
    request = upsert_request_from_jirafe("tenants/site1", _example("order-cancelled.json"))
    assert list(request.update_mask.paths) == ["lifecycle_state", "cancel_time"]
    assert request.order.lifecycle_state == order_pb2.LIFECYCLE_STATE_CANCELLED
    assert request.order.cancel_time.seconds == 1371482170
    assert request.key_source == "jirafe"


def test_a_cancelled_upsert_without_order_number_names_it() -> None:
    event = _example("order-cancelled.json")
    del event["order_number"]
    with pytest.raises(TranslationError) as raised:
        upsert_request_from_jirafe("tenants/site1", event)
    assert raised.value.field == "order_number"


def test_only_a_cancelled_event_is_a_cancellation() -> None:
    with pytest.raises(TranslationError) as raised:
        cancellation_from_jirafe(_example("order-placed.json"))
    assert raised.value.field == "status"


def test_a_cancellation_without_order_number_names_it() -> None:
    event = _example("order-cancelled.json")
    del event["order_number"]
    with pytest.raises(TranslationError) as raised:
        cancellation_from_jirafe(event)
    assert raised.value.field == "order_number"


@pytest.mark.parametrize(
    "path",
    [
        ["customer", "email"],  # optional: may be left out, not sent as null
        ["customer", "id"],  # required
        ["items", 0, "product", "catalog"],
        ["payment_address", "state"],
    ],
)
def test_a_field_sent_as_null_is_refused_as_null(path: list[str | int]) -> None:
    event = _example("order-accepted.json")
    _set(path, None)(event)
    with pytest.raises(TranslationError) as raised:
        order_from_jirafe(event)
    assert raised.value.reason == "Value error, null is not allowed"


def test_an_unknown_field_may_be_null_and_comes_back() -> None:
    event = _example("order-accepted.json")
    event["customer"]["nickname"] = None
    assert jsonvalues.canonical_text(order_to_jirafe(order_from_jirafe(event))) == (
        jsonvalues.canonical_text(event)
    )
