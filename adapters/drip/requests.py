"""Drip request bodies ↔ OrderService requests and field names; pure: no I/O, no HTTP."""

from collections.abc import Mapping
from typing import Any

from orderbridge.v1 import order_service_pb2

from adapters.drip.catalogs import DRIP_FIELD_BY_CANONICAL_FIELD, REF_SOURCE_PREFIX
from adapters.drip.errors import validated
from adapters.drip.models import DripOrderBatchesBody, DripOrdersBody, DripRefundsBody
from adapters.drip.translate import order_from_drip
from adapters.errors import TranslationError
from adapters.jsonvalues import plain_json

# ---------------------------------------------------------------------------------------------
# Request bodies


def orders_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A POST /orders body: `orders` only (a `batches` key must not make it a batch body)."""
    return {key: value for key, value in payload.items() if key != "batches"}


def batches_body(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """A POST /orders/batches body, which must have its `batches` (_batch_api.md: Required)."""
    if "batches" not in payload:
        raise TranslationError("batches", "is required", "presence")
    return payload


def batch_sizes(payload: Mapping[str, Any]) -> list[int]:
    """How many orders each batch of a validated /orders/batches body holds."""
    return [len(batch["orders"]) for batch in payload["batches"]]


def _orders_with_paths(body: Any) -> list[tuple[str, dict[str, Any]]]:
    plain = plain_json(body)
    if isinstance(plain, dict) and "batches" in plain:
        # _batch_api.md: {"batches": [{"orders": [...]}]}, 1 to 1000 orders per batch.
        validated(DripOrderBatchesBody, plain)
        return [
            (f"batches[{batch_index}].orders[{index}]", order)
            for batch_index, batch in enumerate(plain["batches"])
            for index, order in enumerate(batch["orders"])
        ]
    validated(DripOrdersBody, plain)
    return [(f"orders[{index}]", order) for index, order in enumerate(plain["orders"])]


def orders_from_drip_body(body: Any) -> list[Mapping[str, Any]]:
    """The orders of a POST /orders body ``{"orders": [...]}`` or a POST /orders/batches body
    ``{"batches": [{"orders": [...]}]}``, each order validated (errors name the body path)."""
    return [order for _, order in _orders_with_paths(body)]


def refunds_from_drip_body(body: Any) -> list[Mapping[str, Any]]:
    """The refunds of a POST /refunds body ``{"refunds": [...]}``, each validated."""
    plain = plain_json(body)
    validated(DripRefundsBody, plain)
    return list(plain["refunds"])


# ---------------------------------------------------------------------------------------------
# Service requests, and the Drip names of the fields they speak of


def upsert_request_from_drip(
    parent: str, order: Mapping[str, Any]
) -> order_service_pb2.UpsertOrderRequest:
    """The upsert of one Drip order, keyed by its (provider, upstream_id)."""
    canonical = order_from_drip(order)
    # _overview.md: "we consider an Order to be unique based on provider and upstream_id";
    # _orders.md: both are "Required for updates", and every upsert may be an update.
    for key in ("provider", "upstream_id"):
        if order.get(key) in (None, ""):
            raise TranslationError(key, "is required", "presence")
    return order_service_pb2.UpsertOrderRequest(
        parent=parent, order=canonical, key_source=REF_SOURCE_PREFIX + str(order["provider"])
    )


def batch_upsert_request_from_drip(
    parent: str, body: Any
) -> order_service_pb2.BatchUpsertOrdersRequest:
    """The batch upsert of a POST /orders or /orders/batches body; errors name the body path."""
    request = order_service_pb2.BatchUpsertOrdersRequest(parent=parent)
    for path, order in _orders_with_paths(body):
        try:
            request.requests.append(upsert_request_from_drip(parent, order))
        except TranslationError as error:
            raise error.under(path) from None
    return request


def drip_field_of(canonical_field: str) -> str | None:
    """The Drip name of a canonical field the service named in a violation, if it has one."""
    for canonical, drip in DRIP_FIELD_BY_CANONICAL_FIELD.items():
        if canonical_field == canonical or canonical_field.startswith(
            (f"{canonical}.", f"{canonical}[")
        ):
            return drip
    return None
