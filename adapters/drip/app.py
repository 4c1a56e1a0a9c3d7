"""The Drip REST API v2 door (orders, order batches, refunds): routes only, no translation here."""

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import grpc
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters._facade import (
    DoorDocument,
    ErrorShape,
    FacadeError,
    check_credential,
    error_responses,
    in_service_batches,
    install_error_shape,
    json_schema_body_openapi,
    parent_of,
    publish_document,
    quoted,
    read_json,
    require_object,
    schema_ref,
)
from adapters.drip import models
from adapters.drip.errors import drip_error, error_for
from adapters.drip.requests import (
    batch_sizes,
    batch_upsert_request_from_drip,
    batches_body,
    drip_field_of,
    orders_body,
    refunds_from_drip_body,
)
from adapters.drip.translate import refund_from_drip
from adapters.errors import TranslationError
from adapters.port import OrderServicePort, RpcFailure

# Drip documents no body size limit; ours fit a generous order (1 MiB) and a full batch of 1000
# such orders (_batch_api.md: "between 1 and 1000 objects") with room to spare (10 MiB).
BODY_LIMIT = 1024 * 1024
BATCH_LIMIT = 10 * 1024 * 1024

# _errors.md: the documented 403 and 404 messages.
FORBIDDEN_MESSAGE = "You are not authorized to access this resource"
NOT_FOUND_MESSAGE = "The resource you requested was not found"
# _errors.md documents the 401 status only; the code follows its 403 ("authorization_error").
UNAUTHENTICATED_MESSAGE = "You must be authenticated to access this resource"
# RFC 9110 §11.6.1: a 401 names its scheme; _authentication.md: Basic, token as the user name.
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Drip"'}

# google/rpc/code.proto codes that are the caller's invalid data: Drip answers those
# "422 Unprocessable Entity" (_errors.md, Validation Errors), not code.proto's 400/409.
VALIDATION_CODES = frozenset(
    {
        grpc.StatusCode.INVALID_ARGUMENT,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.OUT_OF_RANGE,
        grpc.StatusCode.ALREADY_EXISTS,
    }
)
# Error codes for the statuses _errors.md gives no code of its own.
CODE_BY_STATUS = {
    400: "format_error",
    401: "authentication_error",
    403: "authorization_error",
    404: "not_found_error",
    409: "conflict_error",
    413: "length_error",
    429: "rate_limit_error",
}
STATUS_CODE_BY_NUMBER = {code.value[0]: code for code in grpc.StatusCode}


@dataclass
class DripRejection(Exception):
    """A request answered with Drip's error body, already rendered."""

    status: int
    errors: list[dict[str, str]] = field(default_factory=list)


def errors_body(errors: Sequence[Mapping[str, str]]) -> dict[str, list[dict[str, str]]]:
    """Drip's error response body."""
    return {"errors": [dict(entry) for entry in errors]}


def token_from_authorization(header: str) -> str | None:
    """The API token of an Authorization header; None when it carries none.

    _authentication.md: Basic with the token as the user name and an empty password ("Note the
    trailing colon"); drip-nodejs sends base64(token) with no colon at all, and OAuth
    integrations send `Bearer <token>`.
    """
    scheme, _, credentials = header.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    # The user name is the token; the password Drip documents is empty and is not checked.
    token, _, _password = decoded.partition(":")
    return token.strip() or None


def violation_error(element_path: str, canonical_field: str, description: str) -> dict[str, str]:
    """Drip's error for one service field violation about the element at `element_path`."""
    if canonical_field == "parent":
        return error_for(TranslationError("account_id", description))  # the path's account
    drip_field = drip_field_of(canonical_field)
    if drip_field is not None:
        attribute = f"{element_path}.{drip_field}" if element_path else drip_field
        return error_for(TranslationError(attribute, description))
    # No Drip name: the element is the attribute, and the message names the canonical field.
    reason = f"{description} ({canonical_field})" if canonical_field else description
    return error_for(TranslationError(element_path, reason))


def errors_of_failure(
    failure: RpcFailure, element_path: str = ""
) -> tuple[int, list[dict[str, str]]]:
    """Drip's status and errors for a failed OrderService call about the element at the path."""
    status = failure.http_status
    if status == 401:
        return 401, [drip_error("authentication_error", UNAUTHENTICATED_MESSAGE)]
    if status == 403:
        return 403, [drip_error("authorization_error", FORBIDDEN_MESSAGE)]
    if status == 404:
        return 404, [drip_error("not_found_error", NOT_FOUND_MESSAGE, element_path)]
    if failure.code not in VALIDATION_CODES:
        code = CODE_BY_STATUS.get(status, "server_error")
        return status, [drip_error(code, failure.message, element_path)]
    if failure.code == grpc.StatusCode.ALREADY_EXISTS:
        # "Already recorded with another …": the element's upstream_id is taken, which is
        # Drip's uniqueness_error (_errors.md).
        attribute = f"{element_path}.upstream_id" if element_path else "upstream_id"
        return 422, [drip_error("uniqueness_error", failure.message, attribute)]
    errors: list[dict[str, str]] = []
    for canonical_field, description in failure.violations or [("", failure.message)]:
        entry = violation_error(element_path, canonical_field, description)
        if entry not in errors:
            errors.append(entry)
    return 422, errors


def rejection_of(failures: Sequence[tuple[str, RpcFailure]]) -> DripRejection:
    """One response for the failed elements of a request: every element's errors, under the
    status of the first (an element's 401/403 is the whole request's)."""
    rendered = [errors_of_failure(failure, path) for path, failure in failures]
    return DripRejection(rendered[0][0], [entry for _, errors in rendered for entry in errors])


def _entry_field(field: str) -> str:
    prefix, dot, rest = field.partition(".")
    return rest if dot and prefix.startswith(("requests[", "writes[")) else field


def failure_of_result(result: order_service_pb2.BatchUpsertResult) -> RpcFailure:
    """A failed BatchUpsertOrders entry as the RpcFailure of a call of its own."""
    return RpcFailure(
        code=STATUS_CODE_BY_NUMBER.get(result.code, grpc.StatusCode.UNKNOWN),
        message=result.message,
        # A batch names an entry's fields under it ("requests[3].order.total"); the element's
        # own path is put in front by the caller, so the field is named as for one call.
        violations=[(_entry_field(v.field), v.description) for v in result.field_violations],
    )


def _token(request: Request) -> str:
    token = token_from_authorization(request.headers.get("authorization", ""))
    if token is None:
        raise FacadeError(401, UNAUTHENTICATED_MESSAGE, code="authentication_error")
    return token


async def _upsert_each(
    port: OrderServicePort, request: order_service_pb2.BatchUpsertOrdersRequest, token: str
) -> None:
    """POST /orders: BatchUpsertOrders of up to 1000 elements each, in order, each element on
    its own (all validated first)."""
    failures: list[tuple[str, RpcFailure]] = []
    for start, chunk in in_service_batches(request.requests):
        response = await port.BatchUpsertOrders(
            order_service_pb2.BatchUpsertOrdersRequest(parent=request.parent, requests=chunk),
            token,
        )
        failures += [
            (f"orders[{start + index}]", failure_of_result(result))
            for index, result in enumerate(response.results)
            if result.code != 0
        ]
    if failures:
        raise rejection_of(failures)


async def _upsert_batches(
    port: OrderServicePort,
    request: order_service_pb2.BatchUpsertOrdersRequest,
    sizes: Sequence[int],
    token: str,
) -> None:
    """POST /orders/batches: one BatchUpsertOrders (one commit) per Drip batch of ≤ 1000."""
    failures: list[tuple[str, RpcFailure]] = []
    start = 0
    for batch_index, size in enumerate(sizes):
        batch = order_service_pb2.BatchUpsertOrdersRequest(
            parent=request.parent, requests=request.requests[start : start + size]
        )
        start += size
        response = await port.BatchUpsertOrders(batch, token)
        for index, result in enumerate(response.results):
            if result.code != 0:
                path = f"batches[{batch_index}].orders[{index}]"
                failures.append((path, failure_of_result(result)))
    if failures:
        raise rejection_of(failures)


# How many order references one ListOrders filter names (its text stays far below 8 KiB).
REFS_PER_LOOKUP = 50


async def _refunded_orders(
    port: OrderServicePort, parent: str, refunds: Sequence[Mapping[str, Any]], token: str
) -> list[order_pb2.Order]:
    """The order each refund names, all found (one ListOrders per 50 orders) before any refund
    is written."""
    refs: list[tuple[str, str]] = []
    for index, refund in enumerate(refunds):
        try:
            ref, _ = refund_from_drip(refund, "")
        except TranslationError as error:
            raise error.under(f"refunds[{index}]") from None
        refs.append((str(ref.source), str(ref.id)))
    distinct = sorted(set(refs))
    found: dict[tuple[str, str], order_pb2.Order] = {}
    for start in range(0, len(distinct), REFS_PER_LOOKUP):
        chunk = distinct[start : start + REFS_PER_LOOKUP]
        names = " OR ".join(quoted(f"{source}/{ref_id}") for source, ref_id in chunk)
        listed = await port.ListOrders(
            order_service_pb2.ListOrdersRequest(
                parent=parent,
                filter=f"external_ref:({names})",
                page_size=len(chunk),
                show_deleted=True,
            ),
            token,
        )
        for order in listed.orders:
            for ref in order.external_refs:
                found[(ref.source, ref.id)] = order
    for index, key in enumerate(refs):
        if key not in found:
            missing = RpcFailure(grpc.StatusCode.NOT_FOUND, f"no order {key[0]}/{key[1]}")
            raise rejection_of([(f"refunds[{index}].order_upstream_id", missing)])
    return [found[key] for key in refs]


async def _refund_each(
    port: OrderServicePort,
    parent: str,
    refunds: Sequence[Mapping[str, Any]],
    orders: Sequence[order_pb2.Order],
    token: str,
) -> None:
    """The refunds in one BatchWriteOrders per 1000; a re-sent upstream_id is a no-op."""
    writes = []
    for index, (refund, order) in enumerate(zip(refunds, orders, strict=True)):
        try:
            # Drip amounts are cents of the order's currency (_orders.md), JPY 0 and KWD 3 too.
            _, canonical = refund_from_drip(refund, str(order.currency_code))
        except TranslationError as error:
            raise error.under(f"refunds[{index}]") from None
        writes.append(
            order_service_pb2.OrderWrite(
                refund=order_service_pb2.CreateRefundRequest(name=order.name, refund=canonical)
            )
        )
    failures: list[tuple[str, RpcFailure]] = []
    for start, chunk in in_service_batches(writes):
        response = await port.BatchWriteOrders(
            order_service_pb2.BatchWriteOrdersRequest(parent=parent, writes=chunk), token
        )
        failures += [
            (f"refunds[{start + index}]", failure_of_result(result))
            for index, result in enumerate(response.results)
            if result.code != 0
        ]
    if failures:
        raise rejection_of(failures)


def _route_error(status: int, detail: str) -> tuple[int, dict[str, Any]]:
    # Unknown paths and methods: _errors.md's 404 body rather than Starlette's {"detail"}.
    if status == 404:
        return 404, errors_body([drip_error("not_found_error", NOT_FOUND_MESSAGE)])
    return status, errors_body([drip_error(CODE_BY_STATUS.get(status, "format_error"), detail)])


def _rpc_error(failure: RpcFailure) -> tuple[int, dict[str, Any]]:
    status, errors = errors_of_failure(failure)
    return status, errors_body(errors)


# _errors.md: {"errors": [{"code", "attribute", "message"}]} for every refusal; a 401 carries
# the Basic challenge.
ERROR_SHAPE = ErrorShape(
    facade=lambda error: (
        error.status,
        errors_body([drip_error(CODE_BY_STATUS.get(error.status, "format_error"), error.message)]),
    ),
    rpc=_rpc_error,
    translation=lambda error: (422, errors_body([error_for(error)])),
    route=_route_error,
    # No stack trace or internal message leaves the door.
    unexpected=lambda: (
        500,
        errors_body([drip_error("server_error", "The request could not be processed")]),
    ),
    headers_for=lambda status: CHALLENGE if status == 401 else {},
)


def _install_error_handlers(app: FastAPI) -> None:
    """Every error leaves in Drip's shape (_errors.md), whatever raised it."""
    install_error_shape(app, ERROR_SHAPE)

    @app.exception_handler(DripRejection)
    async def rejection(_request: Request, error: DripRejection) -> JSONResponse:
        headers = CHALLENGE if error.status == 401 else None
        return JSONResponse(errors_body(error.errors), error.status, headers=headers)


# What this door requires of an order beyond the model (requests.py): _orders.md's "Either email
# or id must be included", and provider + upstream_id, the key every upsert is made by
# (_overview.md: "unique based on provider and upstream_id"; any upsert may be an update).
_PRESENT = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": "integer"}]}
KEYED_ORDER: dict[str, Any] = {
    "required": ["provider", "upstream_id"],
    "properties": {"provider": {"type": "string", "pattern": r"\S"}, "upstream_id": _PRESENT},
    "anyOf": [
        {"required": ["email"], "properties": {"email": {"type": "string"}}},
        {"required": ["id"], "properties": {"id": _PRESENT}},
    ],
}
# A refund moves money back: the service takes only a positive amount.
POSITIVE_REFUND: dict[str, Any] = {
    "properties": {
        "amount": {"type": "integer", "exclusiveMinimum": 0},
        "provider": {"type": "string", "pattern": r"\S"},
        "order_upstream_id": _PRESENT,
    }
}


def _keyed(body: str, orders: dict[str, Any]) -> dict[str, Any]:
    """The request body schema: the model `body`, its orders refined by `orders`."""
    return {"allOf": [schema_ref(body), orders]}


ORDERS_BODY = _keyed("DripOrdersBody", {"properties": {"orders": {"items": KEYED_ORDER}}})
BATCHES_BODY = _keyed(
    "DripOrderBatchesBody",
    {"properties": {"batches": {"items": {"properties": {"orders": {"items": KEYED_ORDER}}}}}},
)
REFUNDS_BODY = _keyed("DripRefundsBody", {"properties": {"refunds": {"items": POSITIVE_REFUND}}})

DOCUMENT = DoorDocument(
    models=(
        models.DripOrdersBody,
        models.DripOrderBatchesBody,
        models.DripRefundsBody,
        models.DripErrors,
    ),
    schemas={},
    # _authentication.md: HTTP Basic with the API token as the user name; OAuth integrations
    # send the token as a bearer token.
    security_schemes={
        "basic": {"type": "http", "scheme": "basic"},
        "bearer": {"type": "http", "scheme": "bearer"},
    },
)
ERROR_RESPONSES = error_responses(
    "DripErrors",
    {
        # Not in _errors.md: a body that is not JSON (or not an object) never reaches validation.
        400: "The body is not a JSON object (format_error)",
        401: "No API token, or an unknown one",
        403: "The account is not the token's",
        404: "The order a refund names does not exist",
        413: "The body is too large",
        422: "Validation errors, one per attribute: what the schema cannot say (a time that is "
        "not ISO 8601, an e-mail or URL Drip would refuse, an amount past the service's money)",
        500: "An unexpected error (server_error)",
        504: "The service did not answer in time",
    },
    # RFC 9110 §11.6.1: a 401 names its scheme.
    headers={401: {"WWW-Authenticate": {"schema": {"type": "string"}}}},
)


def create_app(port: OrderServicePort) -> FastAPI:
    """The Drip facade; mount it under /drip. OpenAPI at /openapi.json."""
    app = FastAPI(
        title="Orderbridge — Drip REST API v2",
        version="2",
        description="Drip's legacy orders, order batches and refunds (developer.drip.com).",
    )
    publish_document(app, DOCUMENT)
    _install_error_handlers(app)

    # _orders.md, _batch_api.md: each "Responds with a 202 Accepted and an empty JSON response".
    @app.post(
        "/v2/{account_id}/orders",
        openapi_extra=json_schema_body_openapi(ORDERS_BODY),
        summary="Create or update orders, each keyed by its provider and upstream_id",
        status_code=202,
        responses=ERROR_RESPONSES,
    )
    async def create_or_update_orders(account_id: str, request: Request) -> dict[str, Any]:
        token = _token(request)
        await check_credential(port, parent_of(account_id), token)
        payload = require_object(await read_json(request, limit=BODY_LIMIT))
        upserts = batch_upsert_request_from_drip(parent_of(account_id), orders_body(payload))
        await _upsert_each(port, upserts, token)
        return {}

    @app.post(
        "/v2/{account_id}/orders/batches",
        openapi_extra=json_schema_body_openapi(BATCHES_BODY),
        summary="Create or update batches of up to 1000 orders, one commit per batch",
        status_code=202,
        responses=ERROR_RESPONSES,
    )
    async def create_or_update_order_batches(account_id: str, request: Request) -> dict[str, Any]:
        token = _token(request)
        await check_credential(port, parent_of(account_id), token)
        payload = batches_body(require_object(await read_json(request, limit=BATCH_LIMIT)))
        upserts = batch_upsert_request_from_drip(parent_of(account_id), payload)
        await _upsert_batches(port, upserts, batch_sizes(payload), token)
        return {}

    @app.post(
        "/v2/{account_id}/refunds",
        openapi_extra=json_schema_body_openapi(REFUNDS_BODY),
        summary="Create or update refunds of orders, each keyed by its upstream_id",
        status_code=202,
        responses=ERROR_RESPONSES,
    )
    async def create_or_update_refunds(account_id: str, request: Request) -> dict[str, Any]:
        token = _token(request)
        await check_credential(port, parent_of(account_id), token)
        payload = require_object(await read_json(request, limit=BODY_LIMIT))
        refunds = refunds_from_drip_body(payload)
        orders = await _refunded_orders(port, parent_of(account_id), refunds, token)
        await _refund_each(port, parent_of(account_id), refunds, orders, token)
        return {}

    return app


__all__ = ["create_app"]
