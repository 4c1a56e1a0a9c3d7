"""The residue engine on its own: kept keys and spellings go back only where the order still
says what the read saw; and a vendor read on the engine never renders the vendor payload."""

from decimal import Decimal
from typing import Any

import pytest
from orderbridge.v1 import order_pb2

from adapters import codec
from adapters.fabric import _emit as fabric_emit
from adapters.fabric import translate as fabric_translate
from adapters.jsonvalues import canonical_text
from tests.adapters.fabric.conftest import load_example


def _stored(residue: codec.Residue) -> str | None:
    order = order_pb2.Order()
    codec.store(order.vendor_data, "acme", residue)
    return codec.stored(order.vendor_data, "acme")


def test_an_empty_residue_stores_nothing() -> None:
    order = order_pb2.Order()

    codec.store(order.vendor_data, "acme", codec.Residue())

    assert "acme" not in order.vendor_data


def test_unconsumed_keys_are_kept_as_they_came_and_put_back_where_missing() -> None:
    residue = codec.Residue()
    residue.keep_unconsumed(
        {"id": 1, "weight": Decimal("4.50"), "tags": [1, None]}, frozenset({"id"}), ("items", 0)
    )

    restored = codec.restore({"items": [{"id": 1}]}, _stored(residue))

    assert canonical_text(restored) == canonical_text(
        {"items": [{"id": 1, "weight": Decimal("4.50"), "tags": [1, None]}]}
    )


def test_a_consumed_object_keeps_nothing() -> None:
    residue = codec.Residue()
    residue.keep_unconsumed({"id": 1}, frozenset({"id", "name"}), ())

    assert not residue
    assert _stored(residue) is None


def test_a_kept_key_never_overwrites_what_the_writer_wrote() -> None:
    residue = codec.Residue()
    residue.keep((), {"note": "old"})

    assert codec.restore({"note": "new"}, _stored(residue)) == {"note": "new"}


@pytest.mark.parametrize(
    ("written_now", "expected"),
    [
        (Decimal("4.5"), Decimal("4.50")),  # still what the read saw: the vendor's spelling
        (Decimal("5"), Decimal("5")),  # changed since through another door: the order wins
    ],
)
def test_a_spelling_applies_only_while_the_written_value_is_the_one_the_read_saw(
    written_now: Decimal, expected: Decimal
) -> None:
    residue = codec.Residue()
    residue.spell(("price",), Decimal("4.5"), Decimal("4.50"))

    restored = codec.restore({"price": written_now}, _stored(residue))

    assert canonical_text(restored) == canonical_text({"price": expected})


def test_absent_and_null_spellings_remove_or_restore_a_key() -> None:
    residue = codec.Residue()
    residue.spell(("revision",), 0, codec.ABSENT)  # the vendor sent no revision
    residue.spell(("notes",), codec.ABSENT, None)  # the vendor sent "notes": null

    assert codec.restore({"revision": 0}, _stored(residue)) == {"notes": None}
    assert codec.restore({"revision": 3, "notes": "hi"}, _stored(residue)) == {
        "revision": 3,
        "notes": "hi",
    }


def test_kept_paths_name_every_kept_key_and_spelling() -> None:
    residue = codec.Residue()
    residue.keep(("items", 0), {"weight": 10, "group": ["a"]})
    residue.spell(("orderTotal",), 0, codec.ABSENT)

    assert codec.kept_paths(_stored(residue)) == [
        ["items", 0, "weight"],
        ["items", 0, "group"],
        ["orderTotal"],
    ]


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (Decimal("4.50"), Decimal("4.5"), False),
        (Decimal("10"), 10, True),  # both are written 10
        (Decimal("1E+2"), 100, True),
        ("1", 1, False),
        (None, codec.ABSENT, False),
        (True, 1, False),
        ({"a": Decimal("1.0")}, {"a": Decimal("1.00")}, False),
        ([1, "x"], [1, "x"], True),
    ],
)
def test_same_compares_values_as_they_are_written(left: Any, right: Any, same: bool) -> None:
    assert codec.same(left, right) is same
    assert codec.same(right, left) is same


def test_residue_holding_a_float_refuses_to_be_written() -> None:
    residue = codec.Residue()
    residue.keep((), {"weight": 4.5})

    with pytest.raises(ValueError, match="float"):
        residue.to_json()


def test_a_fabric_read_never_renders_fabric_json(monkeypatch: pytest.MonkeyPatch) -> None:
    seed = load_example("subscription_order.json")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a read rendered the vendor payload")

    for name in ("payload_from_order", "order_to_fabric", "status_for_order"):
        monkeypatch.setattr(fabric_translate, name, refuse)
    monkeypatch.setattr(fabric_emit, "payload_from_order", refuse)

    order = fabric_translate.order_from_fabric(seed)  # would raise had it rendered fabric JSON

    monkeypatch.undo()
    for payment in seed["payments"]:
        del payment["paymentToken"]  # never stored
    assert canonical_text(fabric_translate.order_to_fabric(order)) == canonical_text(seed)
