"""Plumbing every vendor door shares: errors, credential check, body reading, OpenAPI; no order I/O.

It knows no vendor's words: each facade renders FacadeError/RpcFailure in its own error shape.
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from opentelemetry import trace
from orderbridge.v1 import order_service_pb2
from prometheus_client import Counter, Histogram
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.errors import TranslationError
from adapters.jsonvalues import loads
from adapters.port import OrderServicePort, RpcFailure

# One line per request, on the access log gRPC calls use too (service.observability).
access_log = logging.getLogger("orderbridge.access")

# Prometheus's own example names; `route` is the template (`/v2/{account_id}/orders`), never
# the raw path, so the series stay few.
_HTTP_LABELS = ("door", "method", "route", "status")
HTTP_REQUESTS = Counter(
    "http_requests_total", "Requests a door answered, refusals of its own included.", _HTTP_LABELS
)
HTTP_SECONDS = Histogram(
    "http_request_duration_seconds",
    "Time from a door request's arrival to the end of its answer, in seconds.",
    _HTTP_LABELS,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# (HTTP status, JSON body) of one refusal in a vendor's own error shape.
Rendered = tuple[int, Any]


@dataclass(frozen=True)
class ErrorShape:
    """How one vendor answers each kind of refusal, in its own error shape."""

    # A request the door refuses itself (credential, body size, JSON, query parameters).
    facade: Callable[["FacadeError"], Rendered]
    # A refused OrderService call (its status and details).
    rpc: Callable[[RpcFailure], Rendered]
    # A vendor payload that does not translate.
    translation: Callable[[TranslationError], Rendered]
    # An unknown route (404) or method (405), from the framework.
    route: Callable[[int, str], Rendered]
    # Anything else: the vendor's 500, never a stack trace.
    unexpected: Callable[[], Rendered]
    # The response class the vendor's bodies are written with.
    response: type[JSONResponse] = JSONResponse
    # Headers the vendor adds to an answer of this status (a 401's WWW-Authenticate challenge).
    headers_for: Callable[[int], Mapping[str, str]] = lambda _status: {}


@dataclass
class FacadeError(Exception):
    """A request the facade refuses before or after calling the service."""

    status: int
    message: str
    field: str = ""
    code: str = ""


async def read_body(request: Request, *, limit: int) -> bytes:
    """The raw body, refused past `limit` bytes without reading further (413)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise FacadeError(413, f"request body is larger than {limit} bytes", code="too_large")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise FacadeError(413, f"request body is larger than {limit} bytes", code="too_large")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, *, limit: int) -> Any:
    """The body parsed as JSON whatever its Content-Type (real clients often omit it)."""
    body = await read_body(request, limit=limit)
    try:
        return loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise FacadeError(400, f"body is not valid JSON: {error}", code="bad_json") from None


async def check_credential(port: OrderServicePort, parent: str, token: str) -> None:
    """Raises the service's refusal (RpcFailure 401/403) unless `token` is valid and `parent`
    is its tenant; counts no order. A write calls it before reading its body, so a stranger
    never makes the door read, parse or validate megabytes."""
    if port.check_credential is not None:
        await port.check_credential(parent, token)
        return
    await port.CountOrders(
        order_service_pb2.CountOrdersRequest(parent=parent, filter="serial_number = 0"), token
    )


def require_object(payload: Any, what: str = "body") -> Mapping[str, Any]:
    """The payload when it is a JSON object; a 400 otherwise."""
    if not isinstance(payload, dict):
        raise FacadeError(400, f"{what} must be a JSON object", code="invalid_type")
    return payload


ItemT = TypeVar("ItemT")

# BatchUpsertOrders and BatchWriteOrders take at most 1000 entries a call.
SERVICE_BATCH_LIMIT = 1000


def in_service_batches(items: Sequence[ItemT]) -> Iterator[tuple[int, Sequence[ItemT]]]:
    """(offset, slice) of `items` in order, each slice small enough for one batch call."""
    for start in range(0, len(items), SERVICE_BATCH_LIMIT):
        yield start, items[start : start + SERVICE_BATCH_LIMIT]


def quoted(text: str) -> str:
    """A ListOrders filter string value (AIP-160 double quotes, backslash escapes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parent_of(tenant: str) -> str:
    """The OrderService parent of a vendor's store, site or account id, which becomes the
    tenant of the request's access-log line (every door names its tenant through here)."""
    request = _current_request.get()
    if request is not None and request.tenant is None:
        request.tenant = tenant
    return f"tenants/{tenant}"


def json_body_openapi(*models: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body the route reads itself (one of `models`)."""
    refs = [schema_ref(model.__name__) for model in models]
    return json_schema_body_openapi(refs[0] if len(refs) == 1 else {"oneOf": refs})


def json_schema_body_openapi(schema: Mapping[str, Any]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body the route reads itself, by its JSON Schema."""
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def schema_ref(name: str) -> dict[str, str]:
    """A reference to a schema of the document's components."""
    return {"$ref": f"#/components/schemas/{name}"}


def error_responses(
    error_schema: str,
    statuses: Mapping[int, str],
    headers: Mapping[int, Mapping[str, Any]] | None = None,
) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=`: each refusal it answers, with the vendor's error body schema
    (components/schemas/`error_schema`) and the headers that status carries."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status, description in sorted(statuses.items()):
        response: dict[str, Any] = {
            "description": description,
            "content": {"application/json": {"schema": schema_ref(error_schema)}},
        }
        if headers and status in headers:
            response["headers"] = dict(headers[status])
        responses[status] = response
    return responses


@dataclass(frozen=True)
class DoorDocument:
    """What a door's OpenAPI document says beyond its routes: the vendor's models, its error
    body schemas, and the credential every route checks (`securitySchemes`)."""

    models: Sequence[type[BaseModel]]
    # components/schemas entries written as JSON Schema (the vendor's error bodies).
    schemas: Mapping[str, Mapping[str, Any]]
    # components/securitySchemes; every operation requires one of them.
    security_schemes: Mapping[str, Mapping[str, Any]]


# FastAPI documents a 422 {"detail": [...]} on every route with parameters; no door sends it
# (install_error_shape answers RequestValidationError with the vendor's own 400).
_FRAMEWORK_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _without_framework_422(operation: dict[str, Any]) -> None:
    responses = operation.get("responses", {})
    schema = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema == schema_ref("HTTPValidationError"):
        del responses["422"]


def truthful_document(document: dict[str, Any], door: DoorDocument) -> dict[str, Any]:
    """FastAPI's document of a door with the door's models, error schemas and credential, and
    without the framework's 422 that the door never answers."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in door.models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    schemas.update({name: dict(schema) for name, schema in door.schemas.items()})
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            _without_framework_422(operation)
    for name in _FRAMEWORK_SCHEMAS:
        schemas.pop(name, None)
    components["securitySchemes"] = {
        name: dict(scheme) for name, scheme in door.security_schemes.items()
    }
    document["security"] = [{name: []} for name in door.security_schemes]
    return document


def publish_document(app: FastAPI, door: DoorDocument) -> None:
    """The app's OpenAPI document tells the door's truth (`truthful_document`), built once."""
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = truthful_document(build_schema(), door)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override


def install_error_shape(app: FastAPI, shape: ErrorShape) -> None:
    """Every error a door's request can meet answers in the vendor's shape, installed once."""

    def answer(rendered: Rendered, headers: Mapping[str, str] | None = None) -> JSONResponse:
        status, body = rendered
        return shape.response(
            body, status, headers={**(headers or {}), **shape.headers_for(status)}
        )

    @app.exception_handler(FacadeError)
    async def facade_error(_request: Request, error: FacadeError) -> JSONResponse:
        return answer(shape.facade(error))

    @app.exception_handler(RpcFailure)
    async def rpc_failure(_request: Request, failure: RpcFailure) -> JSONResponse:
        return answer(shape.rpc(failure))

    @app.exception_handler(TranslationError)
    async def translation_error(_request: Request, error: TranslationError) -> JSONResponse:
        return answer(shape.translation(error))

    @app.exception_handler(HTTPException)
    async def route_error(request: Request, error: HTTPException) -> JSONResponse:
        # Keeps the framework's headers; a 405's Allow names every method of the path (RFC 9110
        # §15.5.6), where Starlette names only the first route's.
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(app, request.scope)
        return answer(shape.route(error.status_code, str(error.detail)), headers)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        field = ".".join(str(part) for part in first.get("loc", ())[1:])
        return answer(shape.facade(FacadeError(400, str(first.get("msg", "invalid")), field)))

    def unexpected() -> JSONResponse:
        # The connection is closed after this answer: whatever failed may have left it unread.
        return answer(shape.unexpected(), {"Connection": "close"})

    app.add_middleware(_DoorRequests, answer=unexpected, title=app.title)


def allowed_methods(app: FastAPI, scope: Scope) -> str:
    """The methods of every route whose path is the request's (a 405's Allow header)."""
    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(scope)
        if match != Match.NONE and isinstance(route, Route) and route.methods:
            methods |= route.methods
    return ", ".join(sorted(methods))


# A client's own request id is echoed (printable ASCII, at most 64 characters); else one is made.
REQUEST_ID_HEADER = "X-Request-Id"
_MAX_REQUEST_ID = 64


def request_id_of(headers: Sequence[tuple[bytes, bytes]]) -> str:
    """The request's id: the client's X-Request-Id when it is printable ASCII, else a new one."""
    for name, value in headers:
        if name.lower() == b"x-request-id" and 0 < len(value) <= _MAX_REQUEST_ID:
            text = value.decode("latin-1")
            if text.isascii() and text.isprintable():
                return text
    return uuid.uuid4().hex


@dataclass
class _Request:
    """What a door learns about one request while answering it, for its access-log line."""

    tenant: str | None = None


_current_request: ContextVar[_Request | None] = ContextVar("door_request", default=None)

# The status logged and counted for a request whose client left before its body was read
# (nginx's "client closed request"); a body that stalled past the server's body timeout ends
# the same way, after the server answered it 408.
CLIENT_LEFT = 499
# The route of a request no route matched (a 404 from the framework).
UNMATCHED = "unmatched"


def _route_of(scope: Scope) -> str:
    """The matched route's template (the framework sets it in the scope while routing)."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return template if isinstance(template, str) else UNMATCHED


def _name_span(scope: Scope) -> None:
    """Names the tracing middleware's span by the route template, known once routing is done
    (the span ends with the answer's last byte, so this is done when the answer starts)."""
    span = trace.get_current_span()
    route = _route_of(scope)
    if span.is_recording() and route != UNMATCHED:
        full_route = f"{scope.get('root_path', '')}{route}"
        span.update_name(f"{scope.get('method', 'HTTP')} {full_route}")
        span.set_attribute("http.route", full_route)


class _DoorRequests:
    """Per request: the X-Request-Id echoed on the answer, the http_* metrics, and exactly one
    access-log line (route template, status, duration, tenant, request id; the trace id is
    added by the log formatter). An error no handler took answers the vendor's 500 and makes
    that line an error with the traceback (Starlette's own last resort answers too, then
    re-raises: the server logged a plain-text traceback and dropped the keep-alive connection).
    """

    def __init__(self, app: ASGIApp, answer: Callable[[], JSONResponse], title: str) -> None:
        self.app = app
        self.answer = answer
        self.title = title

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        request_id = request_id_of(scope.get("headers", []))
        echoed = (REQUEST_ID_HEADER.lower().encode(), request_id.encode("latin-1"))
        status: int | None = None

        async def answered(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), echoed]}
                _name_span(scope)
            await send(message)

        request = _Request()
        token = _current_request.set(request)
        error: Exception | None = None
        too_late = False
        try:
            await self.app(scope, receive, answered)
        except ClientDisconnect:
            # The client left mid-body (or the body timeout answered 408 for it): nobody is
            # waiting for an answer, and nothing of ours went wrong.
            status = status or CLIENT_LEFT
        except Exception as raised:
            error = raised
            # Once the answer has begun it is too late for another: the server closes the
            # connection when the error reaches it.
            too_late = status is not None
            if not too_late:
                await self.answer()(scope, receive, answered)
        finally:
            _current_request.reset(token)
        self._observe(scope, request, request_id, status or 500, began, error)
        if too_late and error is not None:
            raise error

    def _observe(
        self,
        scope: Scope,
        request: _Request,
        request_id: str,
        status: int,
        began: float,
        error: Exception | None,
    ) -> None:
        seconds = time.perf_counter() - began
        route = _route_of(scope)
        method = str(scope.get("method", ""))
        # The door is where it is mounted ("/drip"); a door served alone at the root is its app.
        door = str(scope.get("root_path", "")).rsplit("/", 1)[-1] or self.title
        HTTP_REQUESTS.labels(door, method, route, status).inc()
        HTTP_SECONDS.labels(door, method, route, status).observe(seconds)
        access_log.log(
            logging.ERROR if error is not None else logging.INFO,
            "%s %s %d",
            method,
            route,
            status,
            exc_info=error,
            extra={
                "request_id": request_id,
                "door": door,
                "method": method,
                "route": route,
                "status": status,
                "tenant": request.tenant,
                "duration_ms": round(seconds * 1000, 3),
            },
        )
