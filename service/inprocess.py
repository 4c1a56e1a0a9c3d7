"""The in-process OrderService port: doors call the servicer directly, no socket, no encoding.

Like grpc-gateway's in-process mode (RegisterXxxHandlerServer): the same servicer methods run
with the same token → tenant resolution, status codes, error details and deadline as over a
channel; only the transport is gone. It must not bypass the servicer.
"""

import asyncio
import dataclasses
import time
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any, NoReturn

import grpc

from adapters.port import OrderServicePort, Rpc, RpcFailure, failure_of, port_of
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


def in_process_port(
    servicer: OrderServicer, executor: Executor, *, timeout: float = 10.0
) -> OrderServicePort:
    """A port whose calls run the servicer's methods on `executor` (they block on storage)."""

    def make_rpc(name: str) -> Rpc[Any, Any]:
        method = getattr(servicer, name)

        def invoke(request: Any, credential: str, deadline: float) -> Any:
            try:
                return method(request, _LocalContext(credential, deadline))
            except _Aborted as aborted:
                raise aborted.failure from None

        async def rpc(request: Any, credential: str) -> Any:
            deadline = time.monotonic() + timeout
            loop = asyncio.get_running_loop()
            call = loop.run_in_executor(executor, invoke, request, credential, deadline)
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
