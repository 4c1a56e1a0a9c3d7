"""The typed OrderService port the doors call, and its gRPC-channel transport; no vendor here.

A door holds an `OrderServicePort` and calls `await port.CreateOrder(request, credential)`:
the generated stub's methods, with their request and response types. `grpc_port` reaches a
remote OrderService over a real channel (`serve-facade`); `orderbridge serve` wires an
in-process port instead (service/inprocess.py), the way grpc-gateway's in-process mode does.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import grpc
import grpc.aio
from google.rpc import error_details_pb2, status_pb2
from orderbridge.v1 import order_pb2, order_service_pb2, order_service_pb2_grpc

RequestT = TypeVar("RequestT")
ResponseT = TypeVar("ResponseT")

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

# One RPC: the request and the caller's credential (forwarded as its bearer token) in, the
# response out; a failed call raises RpcFailure.
Rpc = Callable[[RequestT, str], Awaitable[ResponseT]]

SERVICE = order_service_pb2.DESCRIPTOR.services_by_name["OrderService"]
# google.rpc.Status rides in this trailing metadata key (grpcio-status).
STATUS_DETAILS_KEY = "grpc-status-details-bin"


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


def failure_of(
    code: grpc.StatusCode, message: str, trailing_metadata: Sequence[tuple[str, Any]] | None
) -> RpcFailure:
    """The RpcFailure of a status and its trailers (BadRequest and ErrorInfo details)."""
    failure = RpcFailure(code=code, message=message or code.name)
    details = next(
        (value for key, value in trailing_metadata or () if key == STATUS_DETAILS_KEY), None
    )
    if details is None:
        return failure
    status = status_pb2.Status.FromString(details)
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            failure.violations = [(v.field, v.description) for v in bad_request.field_violations]
        elif detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            failure.reason = info.reason
    return failure


@dataclass(frozen=True)
class OrderServicePort:
    """orderbridge.v1.OrderService as the doors see it: one typed coroutine per RPC."""

    CreateOrder: Rpc[order_service_pb2.CreateOrderRequest, order_pb2.Order]
    GetOrder: Rpc[order_service_pb2.GetOrderRequest, order_pb2.Order]
    LookupOrder: Rpc[order_service_pb2.LookupOrderRequest, order_pb2.Order]
    ListOrders: Rpc[order_service_pb2.ListOrdersRequest, order_service_pb2.ListOrdersResponse]
    CountOrders: Rpc[order_service_pb2.CountOrdersRequest, order_service_pb2.CountOrdersResponse]
    UpdateOrder: Rpc[order_service_pb2.UpdateOrderRequest, order_pb2.Order]
    UpsertOrder: Rpc[order_service_pb2.UpsertOrderRequest, order_service_pb2.UpsertOrderResponse]
    BatchUpsertOrders: Rpc[
        order_service_pb2.BatchUpsertOrdersRequest, order_service_pb2.BatchUpsertOrdersResponse
    ]
    DeleteOrder: Rpc[order_service_pb2.DeleteOrderRequest, order_pb2.Order]
    PurgeOrders: Rpc[order_service_pb2.PurgeOrdersRequest, order_service_pb2.PurgeOrdersResponse]
    BatchWriteOrders: Rpc[
        order_service_pb2.BatchWriteOrdersRequest, order_service_pb2.BatchWriteOrdersResponse
    ]
    CancelOrder: Rpc[order_service_pb2.CancelOrderRequest, order_pb2.Order]
    CreateRefund: Rpc[order_service_pb2.CreateRefundRequest, order_pb2.Order]
    # Whether a credential may act on a parent (a tenant), answered without touching storage:
    # the in-process port has it; over a channel the doors ask the service (adapters._facade).
    check_credential: Rpc[str, None] | None = None


def port_of(make_rpc: Callable[[str], Rpc[Any, Any]]) -> OrderServicePort:
    """A port whose every RPC is `make_rpc(method name)`, one per method of the service."""
    return OrderServicePort(**{method.name: make_rpc(method.name) for method in SERVICE.methods})


def grpc_port(
    target: str, *, timeout: float = 10.0, credentials: grpc.ChannelCredentials | None = None
) -> OrderServicePort:
    """OrderService over a real gRPC channel to `target`, one channel per event loop; TLS (or
    mutual TLS) with `credentials`, plaintext without.

    The caller's vendor credential is forwarded as the bearer token: the service alone decides
    which tenant it belongs to, and answers PERMISSION_DENIED for another tenant's parent.
    """
    stubs: dict[asyncio.AbstractEventLoop, Any] = {}

    def channel() -> grpc.aio.Channel:
        if credentials is None:
            return grpc.aio.insecure_channel(target)
        return grpc.aio.secure_channel(target, credentials)

    def stub() -> Any:
        loop = asyncio.get_running_loop()
        if loop not in stubs:
            stubs[loop] = order_service_pb2_grpc.OrderServiceStub(channel())
        return stubs[loop]

    def make_rpc(name: str) -> Rpc[Any, Any]:
        async def rpc(request: Any, credential: str) -> Any:
            try:
                return await getattr(stub(), name)(
                    request,
                    metadata=(("authorization", f"Bearer {credential}"),),
                    timeout=timeout,
                )
            except grpc.aio.AioRpcError as error:
                trailers: Sequence[tuple[str, Any]] = tuple(error.trailing_metadata() or ())
                raise failure_of(error.code(), error.details() or "", trailers) from None

        return rpc

    return port_of(make_rpc)
