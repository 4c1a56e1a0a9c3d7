"""The residue of orders stored before the residue engine (adapters.codec), read back only.

Such an order carries, in `vendor_data[vendor]["residue"]`, a list of edits from the payload the
translation would emit to the payload the vendor sent (JSON texts). Re-emitting applies each edit
only where the emitted value is still the one recorded, so a later change made through another
door is never overwritten by a stale vendor value. Nothing writes this form any more.
"""

from typing import Any

import orjson
from google.protobuf import struct_pb2

from adapters.jsonvalues import canonical_text, loads

_ABSENT = object()
Path = list[str | int]


def _text_or_none(value: Any) -> str | None:
    return None if value is _ABSENT else canonical_text(value)


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
