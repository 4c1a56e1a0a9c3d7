"""The fabric OMS v1 door: order JSON in, OrderService calls out; routes only, no translation."""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import FastAPI, Path, Request
from fastapi.responses import JSONResponse
from orderbridge.v1 import order_pb2, order_service_pb2

from adapters._facade import (
    DoorDocument,
    ErrorShape,
    FacadeError,
    check_credential,
    error_responses,
    install_error_shape,
    json_body_openapi,
    parent_of,
    publish_document,
    read_json,
    require_object,
)
from adapters.fabric import models
from adapters.fabric.requests import (
    error_code_for,
    lookup_request_for_order_id,
    order_number_filter,
    upsert_request_from_fabric,
)
from adapters.fabric.translate import order_to_fabric
from adapters.jsonvalues import dumps, loads
from adapters.port import OrderServicePort, RpcFailure

# One order document; fabric documents no limit, 1 MiB is far above any real order.
BODY_LIMIT = 1024 * 1024
# The x-site-context header is small JSON ({"account": …, "channel": …, "stage": …}).
SITE_CONTEXT_LIMIT = 8 * 1024

# errorCode of a failed call when the service names no reason, by HTTP status.
DEFAULT_ERROR_CODES: dict[int, str] = {
    400: "INVALID_REQUEST",
    401: "INVALID_TOKEN",
    403: "TENANT_MISMATCH",
    404: "ORDER_NOT_FOUND",
    409: "CONFLICT",
    413: "REQUEST_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
    504: "DEADLINE_EXCEEDED",
}
# _facade's FacadeError codes in fabric's words.
FACADE_ERROR_CODES: dict[str, str] = {
    "too_large": "REQUEST_TOO_LARGE",
    "bad_json": "INVALID_REQUEST_BODY",
    "invalid_type": "INVALID_REQUEST_BODY",
}
# Documents the header the routes read themselves (seed 003, "Headers"); x-api-key is the
# security scheme.
HEADER_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "x-site-context",
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": 'A JSON object whose mandatory "account" is the tenant, e.g. '
        '{"account": "5e3598e3007c5e00080d2bb8"}.',
    },
]


# developer.fabric.inc/v3/error-codes/overview: {"type", "errorCode", "message"}.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "errorCode", "message"],
    "properties": {
        "type": {"enum": ["CLIENT_ERROR", "SERVER_ERROR"]},
        "errorCode": {"type": "string"},
        "message": {"type": "string"},
    },
}
DOCUMENT = DoorDocument(
    models=(models.FabricOrderRequest, models.FabricOrder),
    schemas={"FabricError": ERROR_SCHEMA},
    # Seed 003, "Headers": x-api-key is the credential; it decides the account it may act on.
    security_schemes={"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}},
)
# The refusals this door answers, each a CLIENT_ERROR or SERVER_ERROR with its HTTP status
# (fabric's error-code overview); a body it cannot take is a 400, never FastAPI's 422.
_ERRORS = {
    # Money is exact to nine fractional digits (the canonical Money's nanos) and bounded: a
    # number the JSON Schema allows, orderTotal 5e-324 or 1e308, is refused with a reason.
    400: "The body or x-site-context is not what the route takes, or an amount has more than "
    "nine fractional digits or is too large for an amount of money (INVALID_ORDER_TOTAL, …)",
    401: "x-api-key is missing or unknown",
    403: "The account of x-site-context is not the key's",
    500: "An unexpected error (SERVER_ERROR)",
    504: "The service did not answer in time",
}
CREATE_ERRORS = error_responses(
    "FabricError",
    {
        **_ERRORS,
        409: "The orderId, orderReference or cartId is another order's",
        413: "The body is larger than 1 MiB",
    },
)
GET_ERRORS = error_responses("FabricError", {**_ERRORS, 404: "No order has that order number"})


class FabricJSONResponse(JSONResponse):
    """JSON whose Decimals are written as the exact numbers they spell (orderTotal 125.33)."""

    def render(self, content: Any) -> bytes:
        return dumps(content)


def error_body(status: int, error_code: str, message: str) -> dict[str, str]:
    """fabric's error object (developer.fabric.inc/v3/error-codes/overview): type by status."""
    error_type = "SERVER_ERROR" if status >= 500 else "CLIENT_ERROR"
    return {"type": error_type, "errorCode": error_code, "message": message}


def _facade_error(error: FacadeError) -> tuple[int, dict[str, str]]:
    code = FACADE_ERROR_CODES.get(error.code, error.code or "INVALID_REQUEST")
    return error.status, error_body(error.status, code, error.message)


def _route_error(status: int, detail: str) -> tuple[int, dict[str, str]]:
    # Unknown paths (404) and methods (405) answer in fabric's shape too.
    code = "NOT_FOUND" if status == 404 else "REQUEST_NOT_SUPPORTED"
    return status, error_body(status, code, detail)


def error_of_failure(failure: RpcFailure) -> tuple[int, dict[str, str]]:
    """A failed OrderService call: its code.proto HTTP status, its stable reason as errorCode."""
    status = failure.http_status
    fallback = DEFAULT_ERROR_CODES.get(status, "INTERNAL_ERROR" if status >= 500 else "ERROR")
    message = failure.message
    if failure.violations:
        message = "; ".join(f"{field}: {reason}" for field, reason in failure.violations)
    return status, error_body(status, failure.reason or fallback, message)


def api_key_of(headers: Mapping[str, str]) -> str:
    """The x-api-key credential, forwarded to the service as the bearer token (401 if absent)."""
    key = headers.get("x-api-key", "").strip()
    if not key:
        raise FacadeError(401, "x-api-key header is missing", code="MISSING_CREDENTIALS")
    # gRPC metadata takes printable ASCII only; anything else cannot be a key we issued.
    if not (key.isascii() and key.isprintable()):
        raise FacadeError(401, "x-api-key is not a valid key", code="INVALID_TOKEN")
    return key


def account_of(headers: Mapping[str, str]) -> str:
    """The tenant: the mandatory `account` of the x-site-context JSON header (seed 003)."""
    raw = headers.get("x-site-context")
    if raw is None or not raw.strip():
        raise FacadeError(400, "x-site-context header is missing", code="MISSING_SITE_CONTEXT")
    try:
        context = loads(raw) if len(raw) <= SITE_CONTEXT_LIMIT else None
    except (ValueError, RecursionError):
        context = None
    if not isinstance(context, dict):
        raise FacadeError(400, "x-site-context must be a JSON object", code="INVALID_SITE_CONTEXT")
    account = context.get("account")
    if not isinstance(account, str) or not account.strip():
        raise FacadeError(
            400, 'x-site-context has no "account" string', code="INVALID_SITE_CONTEXT"
        )
    return account.strip()


async def _post_order(port: OrderServicePort, request: Request) -> dict[str, Any]:
    token = api_key_of(request.headers)
    parent = parent_of(account_of(request.headers))
    await check_credential(port, parent, token)
    try:
        body = require_object(await read_json(request, limit=BODY_LIMIT))
        upsert = upsert_request_from_fabric(parent, body)
    except RecursionError:
        raise FacadeError(400, "body is nested too deeply", code="INVALID_REQUEST_BODY") from None
    # Upsert by orderId (or orderReference / cartId): a re-sent order updates, never duplicates.
    response = await port.UpsertOrder(upsert, token)
    return order_to_fabric(response.order)


async def _find_order(
    port: OrderServicePort, parent: str, order_id: str, token: str
) -> order_pb2.Order:
    """The order whose fabric orderId is `order_id`; failing that, the one order of another door
    carrying that order number (Jirafe order_number, Drip identifier…): every door reads every
    order (DESIGN.md §2, order_number)."""
    try:
        found: order_pb2.Order = await port.LookupOrder(
            lookup_request_for_order_id(parent, order_id), token
        )
        return found
    except RpcFailure as failure:
        if failure.http_status != 404:
            raise
        listed = await port.ListOrders(
            order_service_pb2.ListOrdersRequest(
                parent=parent, filter=order_number_filter(order_id), page_size=2
            ),
            token,
        )
        orders: list[order_pb2.Order] = list(listed.orders)
        if len(orders) != 1:  # none, or ambiguous: an order number that is not one order's
            raise
        return orders[0]


# fabric's shape for every refusal: {"type", "errorCode", "message"} (seed 003).
ERROR_SHAPE = ErrorShape(
    facade=_facade_error,
    rpc=error_of_failure,
    translation=lambda error: (400, error_body(400, error_code_for(error), str(error))),
    route=_route_error,
    # Last resort: fabric's shape, never a stack trace (the error is logged).
    unexpected=lambda: (500, error_body(500, "INTERNAL_ERROR", "internal error")),
    response=FabricJSONResponse,
)


def create_app(port: OrderServicePort) -> FastAPI:
    """The fabric facade; mount it under /fabric. OpenAPI at /openapi.json."""
    app = FastAPI(
        title="Orderbridge — fabric OMS v1",
        version="1",
        description="fabric Orders v1: create subscription orders, get an order by its number.",
        default_response_class=FabricJSONResponse,
    )
    publish_document(app, DOCUMENT)

    install_error_shape(app, ERROR_SHAPE)

    order_schema = {"$ref": "#/components/schemas/FabricOrder"}

    @app.post(
        "/api-order/subscriptions/orders",
        operation_id="create_subscription_order",
        summary="Create (or, re-sent, update) an order; answers the order as stored",
        openapi_extra={
            **json_body_openapi(models.FabricOrderRequest),
            "parameters": HEADER_PARAMETERS,
        },
        responses={
            200: {"content": {"application/json": {"schema": order_schema}}},
            **CREATE_ERRORS,
        },
    )
    async def create_subscription_order(request: Request) -> FabricJSONResponse:
        # Returned as a response, not a dict: FastAPI's encoder would turn Decimals into floats.
        return FabricJSONResponse(await _post_order(port, request))

    @app.get(
        "/api-order/orders/orderNumber/{orderId}",
        operation_id="get_order_by_order_number",
        summary="Get an order by its order number (fabric orderId)",
        openapi_extra={"parameters": HEADER_PARAMETERS},
        responses={
            200: {
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"order": order_schema}}
                    }
                }
            },
            **GET_ERRORS,
        },
    )
    async def get_order_by_order_number(
        order_id: Annotated[str, Path(alias="orderId")], request: Request
    ) -> FabricJSONResponse:
        token = api_key_of(request.headers)
        parent = parent_of(account_of(request.headers))
        order = await _find_order(port, parent, order_id, token)
        return FabricJSONResponse({"order": order_to_fabric(order)})

    return app


__all__ = ["create_app"]
