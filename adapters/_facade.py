"""Plumbing every vendor facade shares: the gRPC client, status mapping, body reading.

It knows no vendor's words: each facade renders FacadeError/RpcFailure in its own error shape.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
import grpc.aio
from fastapi import FastAPI
from google.protobuf.message import Message
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from orderbridge.v1 import order_service_pb2_grpc
from pydantic import BaseModel
from starlette.requests import Request

from adapters.jsonvalues import loads

# google/rpc/code.proto: the HTTP mapping of each canonical code.
HTTP_STATUS_OF_CODE: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.OK: 200,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DATA_LOSS: 500,
}


@dataclass
class FacadeError(Exception):
    """A request the facade refuses before or after calling the service."""

    status: int
    message: str
    field: str = ""
    code: str = ""


@dataclass
class RpcFailure(Exception):
    """A failed OrderService call, with its details unpacked."""

    code: grpc.StatusCode
    message: str
    reason: str = ""
    violations: list[tuple[str, str]] = field(default_factory=list)

    @property
    def http_status(self) -> int:
        return HTTP_STATUS_OF_CODE.get(self.code, 500)


def _failure_of(error: grpc.aio.AioRpcError) -> RpcFailure:
    failure = RpcFailure(code=error.code(), message=error.details() or error.code().name)
    status = rpc_status.from_call(error)  # type: ignore[arg-type]  # AioRpcError carries trailers
    for detail in status.details if status is not None else []:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            failure.violations = [(v.field, v.description) for v in bad_request.field_violations]
        elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            failure.reason = info.reason
    return failure


class OrderClient:
    """OrderService over a real gRPC channel, one channel per event loop, with a deadline.

    The caller's vendor credential is forwarded as the bearer token: the service alone decides
    which tenant it belongs to, and answers PERMISSION_DENIED for another tenant's parent.
    """

    def __init__(self, target: str, *, timeout: float = 10.0) -> None:
        self.target = target
        self.timeout = timeout
        self._stubs: dict[asyncio.AbstractEventLoop, Any] = {}

    def _stub(self) -> Any:
        loop = asyncio.get_running_loop()
        stub = self._stubs.get(loop)
        if stub is None:
            channel = grpc.aio.insecure_channel(self.target)
            stub = order_service_pb2_grpc.OrderServiceStub(channel)
            self._stubs[loop] = stub
        return stub

    async def call(self, method: str, request: Message, *, token: str) -> Any:
        """Calls one RPC by name; raises RpcFailure."""
        rpc = getattr(self._stub(), method)
        try:
            return await rpc(
                request, metadata=(("authorization", f"Bearer {token}"),), timeout=self.timeout
            )
        except grpc.aio.AioRpcError as error:
            raise _failure_of(error) from None


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


def require_object(payload: Any, what: str = "body") -> Mapping[str, Any]:
    """The payload when it is a JSON object; a 400 otherwise."""
    if not isinstance(payload, dict):
        raise FacadeError(400, f"{what} must be a JSON object", code="invalid_type")
    return payload


def parent_of(tenant: str) -> str:
    """The OrderService parent of a vendor's store, site or account id."""
    return f"tenants/{tenant}"


def json_body_openapi(*models: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` documenting a JSON body the route reads itself (one of `models`)."""
    refs = [{"$ref": f"#/components/schemas/{model.__name__}"} for model in models]
    schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def publish_models(app: FastAPI, *models: type[BaseModel]) -> None:
    """Adds the vendor's models (and what they reference) to the app's OpenAPI components."""
    build_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build_schema()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas[model.__name__] = schema
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
