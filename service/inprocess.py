"""The in-process OrderService port: doors call the servicer directly, no socket, no encoding.

Like grpc-gateway's in-process mode (RegisterXxxHandlerServer): the same servicer methods run
with the same token → tenant resolution, status codes, error details and deadline as over a
channel; only the transport is gone. It must not bypass the servicer.
"""

import asyncio
import contextvars
import dataclasses
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any, NoReturn

import grpc
from opentelemetry import trace

from adapters.port import SERVICE, OrderServicePort, Rpc, RpcFailure, failure_of, port_of
from service.servicer import OrderServicer


class _Aborted(Exception):
    """Raised by the local context's abort: the status the servicer answered."""

    def __init__(
        self, code: grpc.StatusCode, details: str, trailers: Sequence[tuple[str, Any]]
    ) -> None:
        super().__init__(details)
        self.failure = failure_of(code, details, trailers)


class _LocalContext:
    """The part of grpc.ServicerContext the servicer uses, for one in-process call."""

    def __init__(self, credential: str, deadline: float) -> None:
        self._metadata = (("authorization", f"Bearer {credential}"),)
        self._deadline = deadline

    def invocation_metadata(self) -> Sequence[tuple[str, str]]:
        return self._metadata

    def time_remaining(self) -> float:
        return self._deadline - time.monotonic()

    def abort(self, code: grpc.StatusCode, details: str) -> NoReturn:
        raise _Aborted(code, details, ())

    def abort_with_status(self, status: grpc.Status) -> NoReturn:
        raise _Aborted(status.code, status.details, tuple(status.trailing_metadata or ()))


# The codes a gRPC server span marks as errors (OpenTelemetry's RPC conventions): the server's
# failures, not the caller's mistakes.
_SERVER_ERRORS = frozenset(
    {
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.UNIMPLEMENTED,
        grpc.StatusCode.INTERNAL,
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DATA_LOSS,
    }
)


def in_process_port(
    servicer: OrderServicer,
    executor: Executor,
    *,
    timeout: float = 10.0,
    tracer: trace.Tracer | None = None,
) -> OrderServicePort:
    """A port whose calls run the servicer's methods on `executor` (they block on storage),
    each in a span, child of the door's, named as the gRPC server's would be (`tracer`, else
    the global provider's: a no-op unless tracing is configured)."""
    tracer = tracer or trace.get_tracer(__name__)

    def make_rpc(name: str) -> Rpc[Any, Any]:
        method = getattr(servicer, name)
        span_name = f"{SERVICE.full_name}/{name}"
        attributes = {"rpc.system": "grpc", "rpc.service": SERVICE.full_name, "rpc.method": name}

        def invoke(request: Any, credential: str, deadline: float) -> Any:
            with tracer.start_as_current_span(
                span_name, kind=trace.SpanKind.INTERNAL, attributes=attributes
            ) as span:
                try:
                    response = method(request, _LocalContext(credential, deadline))
                except _Aborted as aborted:
                    code = aborted.failure.code
                    span.set_attribute("rpc.grpc.status_code", code.value[0])
                    if code in _SERVER_ERRORS:
                        span.set_status(trace.StatusCode.ERROR, code.name)
                    raise aborted.failure from None
                span.set_attribute("rpc.grpc.status_code", grpc.StatusCode.OK.value[0])
                return response

        async def rpc(request: Any, credential: str) -> Any:
            deadline = time.monotonic() + timeout
            loop = asyncio.get_running_loop()
            # run_in_executor does not carry the caller's context to the thread (asyncio's
            # to_thread does): a copy of it makes the door's span the service span's parent.
            context = contextvars.copy_context()
            call = loop.run_in_executor(
                executor, context.run, invoke, request, credential, deadline
            )
            try:
                return await asyncio.wait_for(call, timeout)
            except TimeoutError:
                # As a channel would: the caller is told at its deadline; the write itself
                # checks the deadline before commit and rolls back.
                raise RpcFailure(grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded") from None

        return rpc

    # The doors' credential check before a body: the servicer's own token and tenant check,
    # with no storage read (a channel has no such call, so over one the doors count orders).
    return dataclasses.replace(port_of(make_rpc), check_credential=make_rpc("check_credential"))
