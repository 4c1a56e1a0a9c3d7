"""What re-emitting a vendor payload from the canonical order would get wrong, and its repair.

A translation maps every field that has a canonical home; what is left (fields with no home,
formats the canonical model does not keep) is recorded as a residue: a list of edits from the
payload the translation would emit to the payload the vendor sent. Re-emitting applies each edit
only where the emitted value is still the one recorded, so a later change made through another
door is never overwritten by a stale vendor value. Values are kept as JSON text: a Struct would
turn every number into a double.
"""

from decimal import Decimal
from typing import Any

import orjson
from google.protobuf import struct_pb2

from adapters.jsonvalues import canonical_text, loads

_ABSENT = object()
Path = list[str | int]


def _same_leaf(left: Any, right: Any) -> bool:
    """Equal as JSON text: same type and value, and for numbers the same spelling (4.50 ≠ 4.5)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, Decimal):
        return format(left, "f") == format(right, "f")
    if isinstance(left, dict | list):
        return canonical_text(left) == canonical_text(right)
    return bool(left == right)


def _same_container(left: Any, right: Any) -> bool:
    """Two equal objects or arrays, tested in C: == first (cheap, but 4.50 == 4.5), then text."""
    return (
        type(left) is type(right)
        and isinstance(left, dict | list)
        and bool(left == right)
        and canonical_text(left) == canonical_text(right)
    )


def _edits(original: Any, emitted: Any, path: Path, out: list[dict[str, Any]]) -> None:
    if isinstance(original, dict) and isinstance(emitted, dict):
        for key, value in original.items():
            other = emitted.get(key, _ABSENT)
            if not _same_container(value, other):  # most of a payload is mapped exactly
                _edits(value, other, [*path, key], out)
        for key, value in emitted.items():
            if key not in original:
                out.append({"path": [*path, key], "emitted": value, "original": _ABSENT})
        return
    if isinstance(original, list) and isinstance(emitted, list) and len(original) == len(emitted):
        for index, (left, right) in enumerate(zip(original, emitted, strict=True)):
            if not _same_container(left, right):
                _edits(left, right, [*path, index], out)
        return
    if emitted is _ABSENT or not _same_leaf(original, emitted):
        out.append({"path": path, "emitted": emitted, "original": original})


def _text_or_none(value: Any) -> str | None:
    return None if value is _ABSENT else canonical_text(value)


def residue_between(original: Any, emitted: Any) -> list[dict[str, str | None]]:
    """The edits that turn `emitted` into `original`, each as JSON texts (None = absent)."""
    raw: list[dict[str, Any]] = []
    _edits(original, emitted, [], raw)
    return [
        {
            "path": canonical_text(edit["path"]),
            "emitted": _text_or_none(edit["emitted"]),
            "original": _text_or_none(edit["original"]),
        }
        for edit in raw
    ]


def _parent_and_key(document: Any, path: Path) -> tuple[Any, str | int] | None:
    node = document
    for step in path[:-1]:
        in_object = isinstance(node, dict) and isinstance(step, str) and step in node
        in_array = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_object or in_array):
            return None
        node = node[step]
    return node, path[-1]


def apply_residue(emitted: Any, residue: list[dict[str, str | None]]) -> Any:
    """`emitted` with each recorded edit applied where its emitted value is still current."""
    for edit in residue:
        path = orjson.loads(edit["path"] or "[]")  # paths hold only strings and integers
        if not path:
            if _text_or_none(emitted) == edit["emitted"] and edit["original"] is not None:
                emitted = loads(edit["original"])
            continue
        found = _parent_and_key(emitted, path)
        if found is None:
            continue
        parent, key = found
        if isinstance(parent, dict) and isinstance(key, str):
            current = parent.get(key, _ABSENT)
        elif isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
            current = parent[key]
        else:
            continue
        if _text_or_none(current) != edit["emitted"]:
            continue
        if edit["original"] is None:
            if isinstance(parent, dict):
                parent.pop(key, None)
        else:
            parent[key] = loads(edit["original"])
    return emitted


def residue_to_value(residue: list[dict[str, str | None]]) -> struct_pb2.Value:
    """The residue as a Struct list value, for Order.vendor_data[vendor]["residue"]."""
    value = struct_pb2.Value()
    value.list_value.SetInParent()  # an empty residue is still a list, never JSON null
    value.list_value.extend(dict(edit) for edit in residue)  # type: ignore[misc]  # Struct takes dicts
    return value


def residue_from_struct(vendor_data: struct_pb2.Struct) -> list[dict[str, str | None]]:
    """The residue stored in a vendor's Struct, or none."""
    if "residue" not in vendor_data.fields:
        return []
    edits = []
    for item in vendor_data.fields["residue"].list_value.values:
        fields = item.struct_value.fields
        edits.append(
            {
                name: (None if fields[name].HasField("null_value") else fields[name].string_value)
                for name in ("path", "emitted", "original")
                if name in fields
            }
        )
    return edits
