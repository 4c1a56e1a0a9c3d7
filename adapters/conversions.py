"""Offline translation between any two vendors or the canonical JSON; pure, no I/O."""

from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import partial
from importlib import import_module
from typing import Any

from google.protobuf import json_format
from orderbridge.v1 import order_pb2

from adapters.errors import TranslationError

FORMATS = ("jirafe", "bigcommerce", "fabric", "drip", "canonical")

Reader = Callable[[Mapping[str, Any]], order_pb2.Order]
Writer = Callable[[order_pb2.Order], Any]


def _canonical_reader(payload: Mapping[str, Any]) -> order_pb2.Order:
    order = order_pb2.Order()
    try:
        # The canonical format is the proto3 JSON mapping of orderbridge.v1.Order.
        json_format.ParseDict(_plain(payload), order)
    except json_format.ParseError as error:
        raise TranslationError("", str(error)) from None
    return order


def _plain(value: Any) -> Any:
    """Decimals (from exact JSON parsing) back to the text json_format accepts for numbers."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _canonical_writer(order: order_pb2.Order) -> Any:
    return json_format.MessageToDict(order)


def reader(name: str) -> Reader:
    """vendor JSON → Order for a format name."""
    if name == "canonical":
        return _canonical_reader
    function: Reader = getattr(import_module(f"adapters.{name}.translate"), f"order_from_{name}")
    return function


def writer(name: str, *, keep_vendor_date_modified: bool = False) -> Writer:
    """Order → vendor JSON for a format name.

    `keep_vendor_date_modified=True`: BigCommerce's `date_modified` is the one BigCommerce sent
    (`vendor_update_time`), not when the order last changed in this service (`update_time`,
    what the door shows). The other formats write their own fields either way.
    """
    if name == "canonical":
        return _canonical_writer
    # Any keywords: only the BigCommerce writer takes keep_vendor_date_modified.
    function: Callable[..., Any] = getattr(
        import_module(f"adapters.{name}.translate"), f"order_to_{name}"
    )
    if name == "bigcommerce" and keep_vendor_date_modified:
        return partial(function, keep_vendor_date_modified=True)
    return function


def translate(
    source: str, target: str, payload: Any, *, keep_vendor_date_modified: bool | None = None
) -> Any:
    """One order as `source` represents it, as `target` represents it.

    `keep_vendor_date_modified` (see `writer`) defaults to whether `target` is `source`: the
    vendor's own modification time survives only where that vendor reads its own order back.
    """
    if not isinstance(payload, dict):
        raise TranslationError("", f"a {source} order must be a JSON object")
    if keep_vendor_date_modified is None:
        keep_vendor_date_modified = source == target
    write = writer(target, keep_vendor_date_modified=keep_vendor_date_modified)
    return write(reader(source)(payload))
