"""The Jirafe Event API v2 door: order events in, OrderService calls out; no translation here."""

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from orderbridge.v1 import order_service_pb2

from adapters._facade import (
    DoorDocument,
    ErrorShape,
    FacadeError,
    check_credential,
    error_responses,
    in_service_batches,
    install_error_shape,
    json_body_openapi,
    json_schema_body_openapi,
    parent_of,
    publish_document,
    read_json,
    require_object,
    schema_ref,
)
from adapters.errors import TranslationError
from adapters.jirafe import models
from adapters.jirafe.requests import upsert_request_from_jirafe
from adapters.port import OrderServicePort, RpcFailure

EVENT_LIMIT = 1024 * 1024
# batch_endpoint.md: "up to 10MB of events … in a single request".
BATCH_LIMIT = 10 * 1024 * 1024
# error_states.md: the only document types the API accepts.
KNOWN_TYPES = ("category", "cart", "customer", "product", "order", "employee")


def _error_body(error_type: str, errors: Mapping[str, str]) -> dict[str, Any]:
    return {"success": False, "error_type": error_type, "errors": dict(errors)}


def _error_of_failure(failure: RpcFailure) -> tuple[int, dict[str, Any]]:
    """error_states.md: 403 invalid_token / authorization, 400 validation, 503 unknown."""
    if failure.http_status == 401:
        return 403, _error_body("invalid_token", {"": "The access_token provided is invalid."})
    if failure.http_status == 403:
        return 403, _error_body(
            "authorization",
            {"": "The access_token provided does not have access to the requested site."},
        )
    if failure.http_status in (400, 404, 409):
        errors = dict(failure.violations) or {"": failure.message}
        return 400, _error_body("validation", errors)
    return 503, _error_body("unknown", {"": failure.message})


def _error_of_translation(error: TranslationError) -> dict[str, Any]:
    return _error_body("validation", {error.field: error.reason})


def _error_of_facade(error: FacadeError) -> tuple[int, dict[str, Any]]:
    error_type = (
        error.code if error.code in ("bad_json", "invalid_type", "invalid_token") else "validation"
    )
    return error.status, _error_body(error_type, {error.field: error.message})


# error_states.md: `success: false`, an `error_type` and the errors, for every refusal.
ERROR_SHAPE = ErrorShape(
    facade=_error_of_facade,
    rpc=_error_of_failure,
    translation=lambda error: (400, _error_of_translation(error)),
    # A path that names no route is a document type the API does not take (invalid_type).
    route=lambda status, detail: (status, _error_body("invalid_type", {"": detail})),
    # "503 unknown: An unexpected error occurred."
    unexpected=lambda: (503, _error_body("unknown", {"": "An unexpected error occurred."})),
)


# error_states.md: `{"success": false, "error_type": …, "errors": {field: message}}`.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["success", "error_type", "errors"],
    "properties": {
        "success": {"const": False},
        "error_type": {
            "enum": [
                "bad_json",
                "invalid_type",
                "invalid_token",
                "authorization",
                "validation",
                "unknown",
            ]
        },
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}
SUCCESS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["success"],
    "properties": {"success": {"const": True}},
}
# batch_endpoint.md: the arrays of events by document type ("order", "cart", …).
BATCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "order": {"type": "array", "items": {"$ref": "#/components/schemas/OrderEvent"}}
    },
    "additionalProperties": {"type": "array"},
}
# The batch answers each event in its position: success, or the error of that event.
BATCH_RESULTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "items": {"anyOf": [schema_ref("JirafeSuccess"), schema_ref("JirafeError")]},
    },
}
DOCUMENT = DoorDocument(
    models=(models.OrderPlaced, models.OrderAccepted, models.OrderCancelled),
    schemas={
        "JirafeError": ERROR_SCHEMA,
        "JirafeSuccess": SUCCESS_SCHEMA,
        "JirafeBatch": BATCH_SCHEMA,
        "OrderEvent": {
            "oneOf": [
                schema_ref("OrderPlaced"),
                schema_ref("OrderAccepted"),
                schema_ref("OrderCancelled"),
            ]
        },
    },
    # authentication.md: the site's access token as an OAuth 2 bearer token.
    security_schemes={"bearer": {"type": "http", "scheme": "bearer"}},
)
# error_states.md's statuses, as this door answers them.
ERROR_RESPONSES = error_responses(
    "JirafeError",
    {
        400: "bad_json, invalid_type or validation: the body is not the event it must be, or an "
        "amount has more than nine fractional digits or is too large for an amount of money",
        403: "invalid_token (no or an unknown token), or authorization (another site's token)",
        413: "The body is larger than the endpoint takes (1 MiB an event, 10 MB a batch)",
        503: "unknown: an unexpected error occurred",
    },
)


def _token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise FacadeError(403, "The access_token provided is invalid.", code="invalid_token")
    return token.strip()


def _upsert_of(site_id: str, event: Any) -> order_service_pb2.UpsertOrderRequest:
    """The upsert of one order event (placed, accepted or cancelled)."""
    return upsert_request_from_jirafe(parent_of(site_id), require_object(event, "an order event"))


def create_app(port: OrderServicePort) -> FastAPI:
    """The Jirafe facade; mount it under /jirafe. OpenAPI at /openapi.json."""
    app = FastAPI(
        title="Orderbridge — Jirafe Event API v2",
        version="2",
        description="Jirafe order events (placed, accepted, cancelled) and the batch endpoint.",
    )
    publish_document(app, DOCUMENT)

    install_error_shape(app, ERROR_SHAPE)

    order_body = json_body_openapi(models.OrderPlaced, models.OrderAccepted, models.OrderCancelled)
    batch_body = json_schema_body_openapi(schema_ref("JirafeBatch"))

    async def order_event(site_id: str, request: Request) -> dict[str, bool]:
        token = _token(request)
        await check_credential(port, parent_of(site_id), token)
        event = await read_json(request, limit=EVENT_LIMIT)
        await port.UpsertOrder(_upsert_of(site_id, event), token)
        return {"success": True}

    async def batch(site_id: str, request: Request) -> dict[str, list[dict[str, Any]]]:
        token = _token(request)
        await check_credential(port, parent_of(site_id), token)
        payload = require_object(await read_json(request, limit=BATCH_LIMIT))
        results: dict[str, list[dict[str, Any]]] = {}
        for kind, events in payload.items():
            if not isinstance(events, list):
                raise FacadeError(400, f"{kind} must be an array", field=kind, code="invalid_type")
            if kind != "order":
                # Only orders are stored here; other documents are refused one by one.
                message = (
                    f"{kind} events are not stored by this service"
                    if kind in KNOWN_TYPES
                    else f"{kind} is not a document type"
                )
                results[kind] = [_error_body("invalid_type", {"": message}) for _ in events]
                continue
            results[kind] = await _apply_order_batch(port, site_id, events, token)
        return results

    # order_endpoint.md documents POST; Jirafe's own clients send PUT without a Content-Type.
    for method in ("POST", "PUT"):
        app.add_api_route(
            "/v2/{site_id}/order",
            order_event,
            methods=[method],
            operation_id=f"order_event_{method.lower()}",
            openapi_extra=order_body,
            summary="Send an order-placed, order-accepted or order-cancelled event",
            responses={
                200: {"content": {"application/json": {"schema": schema_ref("JirafeSuccess")}}},
                **ERROR_RESPONSES,
            },
        )
        app.add_api_route(
            "/v2/{site_id}/batch",
            batch,
            methods=[method],
            operation_id=f"batch_{method.lower()}",
            summary="Send arrays of events by type; answered per item, in the same positions",
            openapi_extra=batch_body,
            responses={
                200: {"content": {"application/json": {"schema": BATCH_RESULTS_SCHEMA}}},
                **ERROR_RESPONSES,
            },
        )

    return app


async def _apply_order_batch(
    port: OrderServicePort, site_id: str, events: list[Any], token: str
) -> list[dict[str, Any]]:
    """Every order event of the batch in one BatchUpsertOrders: applied in the order sent, one
    commit, answered per item in the same positions."""
    parent = parent_of(site_id)
    results: list[dict[str, Any] | None] = [None] * len(events)
    upserts: list[tuple[int, order_service_pb2.UpsertOrderRequest]] = []
    for index, event in enumerate(events):
        try:
            upserts.append((index, _upsert_of(site_id, event)))
        except TranslationError as error:
            results[index] = _error_of_translation(error)
        except FacadeError as error:
            results[index] = _error_body(error.code or "validation", {error.field: error.message})
    # A Jirafe batch larger than one service batch goes in several, in order.
    for _, chunk in in_service_batches(upserts):
        response = await port.BatchUpsertOrders(
            order_service_pb2.BatchUpsertOrdersRequest(
                parent=parent, requests=[request for _, request in chunk]
            ),
            token,
        )
        for (index, _), result in zip(chunk, response.results, strict=True):
            results[index] = _result_of(result)
    return [result or {"success": True} for result in results]


def _result_of(result: order_service_pb2.BatchUpsertResult) -> dict[str, Any]:
    if result.code == 0:
        return {"success": True}
    errors = {v.field: v.description for v in result.field_violations} or {"": result.message}
    return _error_body("validation", errors)


__all__ = ["create_app"]
