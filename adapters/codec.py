"""The residue engine the vendors share: what a read did not map, kept as JSON text and put back
by the write. Pure and vendor-blind; it never renders a vendor payload while reading.

A vendor's read maps every field with a canonical home and tells a `Residue` two things as it
goes: the keys of each object its model did not consume (`keep_unconsumed`: the object's own
keys minus the keys the vendor's mapping declares), and, for a consumed value, the spelling the
vendor used where the vendor's writer would spell it otherwise (`spell`: 4.50 where the writer
writes 4.5, null or "" where it writes nothing, a default it writes where the payload had none).
The residue travels in `Order.vendor_data[vendor]["residue_json"]` as one JSON string: a Struct
would turn every number into a double and costs a message per value.

A vendor's write maps the order, then `restore` puts kept keys back where the writer left them
out and applies each spelling only while the written value is still the one the read saw, so a
change made since through another door is never hidden by a stale vendor spelling.
"""

from collections.abc import Callable, Iterable, Mapping, MutableMapping
from decimal import Decimal
from typing import Any

from google.protobuf import struct_pb2

from adapters.jsonvalues import canonical_text, exact_dumps, loads

RESIDUE_FIELD = "residue_json"


class _Absent:
    """A key that is not there (distinct from JSON null)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
Path = tuple[str | int, ...]


class Residue:
    """What one read left unmapped: kept objects' extra keys and the vendor's spellings."""

    __slots__ = ("kept", "spelled")

    def __init__(self) -> None:
        self.kept: list[tuple[Path, dict[str, Any]]] = []
        self.spelled: list[dict[str, Any]] = []

    def keep_unconsumed(self, raw: Mapping[str, Any], consumed: frozenset[str], path: Path) -> None:
        """Keeps the keys of the object `raw` (at `path`) that its mapping did not consume."""
        if consumed.issuperset(raw):  # the common case, tested in C
            return
        extra = {key: value for key, value in raw.items() if key not in consumed}
        self.kept.append((path, extra))

    def keep(self, path: Path, extra: dict[str, Any]) -> None:
        """Keeps `extra` keys in the object at `path` (a vendor's own choice of what it kept)."""
        if extra:
            self.kept.append((path, extra))

    def spell(self, path: Path, written: Any, original: Any) -> None:
        """At `path` the writer writes `written` (ABSENT: nothing) where the vendor sent
        `original` (ABSENT: no key)."""
        note: dict[str, Any] = {"at": list(path)}
        if written is not ABSENT:
            note["written"] = written
        if original is not ABSENT:
            note["was"] = original
        self.spelled.append(note)

    def note(self, raw: Mapping[str, Any], key: str, written: Any, path: Path) -> None:
        """Spells `raw[key]` (ABSENT when missing) wherever the writer writes `written`."""
        value = raw.get(key, ABSENT)
        if not same(written, value):
            self.spell((*path, key), written, value)

    def note_empties(
        self,
        raw: Mapping[str, Any],
        path: Path,
        *,
        skip: frozenset[str] = frozenset(),
        written_when_empty: Mapping[str, Any] | None = None,
    ) -> None:
        """Spells each null or "" of `raw` (but the `skip` keys, noted by the vendor itself):
        the writer writes nothing for an empty value, or its `written_when_empty` default."""
        values = raw.values()
        if None not in values and "" not in values:  # the common case, tested in C
            return
        defaults = written_when_empty or {}
        for key, value in raw.items():
            if (value is None or value == "") and key not in skip:
                self.spell((*path, key), defaults.get(key, ABSENT), value)

    def __bool__(self) -> bool:
        return bool(self.kept or self.spelled)

    def to_json(self) -> str:
        """The residue as JSON text (numbers as their exact spelling).

        Raises ValueError when a kept value cannot be written back exactly (a float, an integer
        past 64 bits, a lone surrogate): the vendor's read names it (require_json_values).
        """
        document: dict[str, Any] = {}
        if self.kept:
            document["keep"] = [[list(path), extra] for path, extra in self.kept]
        if self.spelled:
            document["spell"] = self.spelled
        return exact_dumps(document).decode()

    def cleaned(self, clean: Callable[[Any], Any]) -> "Residue":
        """The residue with `clean` applied to every value it keeps (its secrets removed)."""
        result = Residue()
        result.kept = [(path, clean(extra)) for path, extra in self.kept]
        result.spelled = [
            {**note, "was": clean(note["was"])} if "was" in note else note for note in self.spelled
        ]
        return result


def store(
    vendor_data: MutableMapping[str, struct_pb2.Struct],
    vendor: str,
    residue: Residue,
    *,
    secret_keys: Iterable[str] = (),
    clean: Callable[[Any], Any] | None = None,
) -> None:
    """Puts the residue into `vendor_data[vendor]` (nothing when the read mapped everything).

    When a key in `secret_keys` appears anywhere in it, every kept value is passed through
    `clean` first (a search of the JSON text, so the common case costs no walk).
    """
    if not residue:
        return
    text = residue.to_json()
    if clean is not None and any(f'"{key}"' in text for key in secret_keys):
        text = residue.cleaned(clean).to_json()
    vendor_data[vendor].fields[RESIDUE_FIELD].string_value = text


def stored(vendor_data: Mapping[str, struct_pb2.Struct], vendor: str) -> str | None:
    """The residue JSON a read of `vendor` stored on the order, if any."""
    if vendor not in vendor_data:
        return None
    fields = vendor_data[vendor].fields
    if RESIDUE_FIELD not in fields:
        return None
    return fields[RESIDUE_FIELD].string_value


def _node_at(document: Any, path: Iterable[str | int]) -> Any:
    node = document
    for step in path:
        if isinstance(node, dict) and isinstance(step, str):
            node = node.get(step, ABSENT)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return ABSENT
    return node


def _number_text(value: Any) -> str | None:
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is Decimal:
        return format(value, "f")  # as adapters.jsonvalues writes it
    return None


def same(left: Any, right: Any) -> bool:
    """Equal as written JSON: 4.50 ≠ 4.5, "1" ≠ 1, but Decimal("10") = 10 (both write 10)."""
    if left is right:
        return True
    if left is ABSENT or right is ABSENT:
        return False
    kind = type(left)
    if kind is str or kind is bool or left is None:
        return type(right) is kind and bool(left == right)
    left_number = _number_text(left)
    if left_number is not None:
        return left_number == _number_text(right)
    if isinstance(left, dict | list):
        return type(right) is kind and canonical_text(left) == canonical_text(right)
    return False


def restore(payload: dict[str, Any], residue_json: str | None) -> dict[str, Any]:
    """`payload` (just written by a vendor's writer) with the residue put back, in place."""
    if not residue_json:
        return payload
    document = loads(residue_json)
    for path, extra in document.get("keep", ()):
        node = _node_at(payload, path)
        if isinstance(node, dict):
            for key, value in extra.items():
                if key not in node:  # a key the writer writes now has a canonical home
                    node[key] = value
    for note in document.get("spell", ()):
        *parent_path, key = note["at"]
        parent = _node_at(payload, parent_path)
        if isinstance(parent, dict) and isinstance(key, str):
            current = parent.get(key, ABSENT)
        elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
            current = parent[key]
        else:
            continue
        if not same(current, note.get("written", ABSENT)):
            continue  # changed since the read: the order's value wins over the old spelling
        if "was" in note:
            parent[key] = note["was"]
        elif isinstance(parent, dict):
            del parent[key]
    return payload


def kept_paths(residue_json: str | None) -> list[list[str | int]]:
    """Every kept key's full path and every spelled path, for tests and `orderbridge translate`."""
    if not residue_json:
        return []
    document = loads(residue_json)
    paths = [[*path, key] for path, extra in document.get("keep", ()) for key in extra]
    return paths + [note["at"] for note in document.get("spell", ())]
