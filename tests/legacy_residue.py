"""Orders as they were stored before the residue engine: the old edit-list residue, built by
the round-trip diff that adapters.residue still applies; test-only."""

from decimal import Decimal
from typing import Any

from google.protobuf import struct_pb2

from adapters.jsonvalues import canonical_text

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


def residue_to_value(residue: list[dict[str, str | None]]) -> struct_pb2.Value:
    """The residue as a Struct list value, for Order.vendor_data[vendor]["residue"]."""
    value = struct_pb2.Value()
    value.list_value.SetInParent()  # an empty residue is still a list, never JSON null
    value.list_value.extend(dict(edit) for edit in residue)  # type: ignore[misc]  # Struct takes dicts
    return value
