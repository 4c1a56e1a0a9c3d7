"""The Jirafe residue: what a read keeps and the spellings it notes, put back by the writer only
where the order still says what the read saw; a read never runs the writer."""

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters import codec, jsonvalues
from adapters.jirafe import _emit, translate
from adapters.jirafe.translate import order_from_jirafe, order_to_jirafe
from tests.legacy_residue import residue_between, residue_to_value

EXAMPLES = Path(__file__).parent / "examples"


def _example(name: str) -> Any:
    return jsonvalues.loads((EXAMPLES / name).read_bytes())


def _sloppy_accepted_event() -> dict[str, Any]:
    """The accepted example as a lax sender writes it: schema-valid, but not in Jirafe's own
    spellings, with fields that have no canonical home."""
    event: dict[str, Any] = _example("order-accepted.json")
    event.update(
        {
            "currency": "usd",
            "order_date": "2013-06-17T17:16:10+02:00",
            "create_date": "2013-06-17T15:16:09.000Z",
            "subtotal": 99,
            "total": Decimal("99.850"),
            "cart_id": "",
            "merchant_note": {"gift": True},
        }
    )
    del event["previous_items"]
    event["customer"].update({"id": "", "phone": "", "marketing_opt_in": False, "company": "ACME"})
    event["delivery_address"]["address2"] = ""
    item = event["items"][0]
    item.update({"id": "", "order_item_number": "", "price": Decimal("99.850"), "gift_wrap": 1})
    product = item["product"]
    product.update({"id": "", "code": "", "is_product": False, "is_sku": False, "brand": ""})
    product.update({"categories": [], "urls": {"admin": "http://admin.example/p/1"}})
    product["images"][0]["alt"] = "photo"
    product["catalog"]["version_id"] = "Online"
    return event


SLOPPY_PATHS: list[list[Any]] = [
    # Kept: no canonical home.
    ["merchant_note"],
    ["customer", "company"],
    ["items", 0, "gift_wrap"],
    ["items", 0, "product", "catalog", "version_id"],
    ["items", 0, "product", "images", 0, "alt"],
    # Noted: consumed, but the writer spells or derives them otherwise.
    ["currency"],
    ["order_date"],
    ["create_date"],
    ["subtotal"],
    ["total"],
    ["cart_id"],
    ["previous_items"],
    ["customer", "id"],
    ["customer", "phone"],
    ["customer", "marketing_opt_in"],
    ["delivery_address", "address2"],
    ["items", 0, "id"],
    ["items", 0, "order_item_number"],
    ["items", 0, "price"],
    ["items", 0, "product", "id"],
    ["items", 0, "product", "code"],
    ["items", 0, "product", "is_product"],
    ["items", 0, "product", "is_sku"],
    ["items", 0, "product", "brand"],
    ["items", 0, "product", "categories"],
    ["items", 0, "product", "urls"],
]


def test_a_lax_event_keeps_what_has_no_home_and_notes_its_spellings() -> None:
    event = _sloppy_accepted_event()
    order = order_from_jirafe(copy.deepcopy(event))
    paths = codec.kept_paths(codec.stored(order.vendor_data, "jirafe"))
    assert sorted(paths, key=str) == sorted(SLOPPY_PATHS, key=str)
    assert jsonvalues.canonical_text(order_to_jirafe(order)) == jsonvalues.canonical_text(event)


def test_an_event_in_jirafes_own_spelling_stores_no_residue() -> None:
    order = order_from_jirafe(_example("order-accepted.json"))
    assert codec.stored(order.vendor_data, "jirafe") is None
    # Only the kind of event it was, which the writer checks before it puts a residue back.
    assert list(order.vendor_data["jirafe"].fields) == ["event"]


def _refuse(*args: object, **kwargs: object) -> Any:
    raise AssertionError("a read ran the writer")


@pytest.mark.parametrize(
    "event",
    [
        _example("order-placed.json"),
        _example("order-accepted-variant-product.json"),
        _example("order-cancelled.json"),
        _sloppy_accepted_event(),
    ],
    ids=["placed", "accepted-variant", "cancelled", "accepted-lax"],
)
def test_a_read_never_runs_the_writer(
    event: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in vars(_emit).items():
        if callable(value) and getattr(value, "__module__", None) == _emit.__name__:
            monkeypatch.setattr(_emit, name, _refuse)
    monkeypatch.setattr(_emit, "_EVENT_WRITERS", dict.fromkeys(_emit._EVENT_WRITERS, _refuse))
    monkeypatch.setattr(translate, "event_from_order", _refuse)
    monkeypatch.setattr(translate, "order_to_jirafe", _refuse)
    order = order_from_jirafe(copy.deepcopy(event))
    monkeypatch.undo()
    assert jsonvalues.canonical_text(order_to_jirafe(order)) == jsonvalues.canonical_text(event)


def test_a_change_through_another_door_wins_over_a_stale_spelling() -> None:
    event = _sloppy_accepted_event()
    order = order_from_jirafe(copy.deepcopy(event))
    # Another door changes values whose Jirafe spelling the read noted.
    order.total.CopyFrom(order_pb2.Money(currency_code="USD", units=120, nanos=500_000_000))
    order.customer.phone.number = "+1 555 0100"
    order.line_items[0].product.brand = "Canon"
    order.place_time.FromJsonString("2013-06-18T09:00:00Z")
    emitted = order_to_jirafe(order)
    assert emitted["total"] == Decimal("120.5")
    assert emitted["customer"]["phone"] == "+1 555 0100"
    assert emitted["items"][0]["product"]["brand"] == "Canon"
    # create_date is derived from the order date: the new one, not the stale one sent.
    assert emitted["order_date"] == emitted["create_date"] == "2013-06-18T09:00:00.000Z"
    # What nobody changed keeps the sender's spelling.
    assert type(emitted["subtotal"]) is int
    assert emitted["currency"] == "usd"
    assert emitted["merchant_note"] == {"gift": True}


def test_an_order_stored_before_the_residue_engine_keeps_its_list_of_edits() -> None:
    event = _sloppy_accepted_event()
    order = order_from_jirafe(copy.deepcopy(event))
    # How the residue was stored before: the edits from the written event to the one sent.
    del order.vendor_data["jirafe"].fields[codec.RESIDUE_FIELD]
    edits = residue_between(event, order_to_jirafe(order))
    order.vendor_data["jirafe"].fields["residue"].CopyFrom(residue_to_value(edits))
    assert edits
    assert jsonvalues.canonical_text(order_to_jirafe(order)) == jsonvalues.canonical_text(event)
