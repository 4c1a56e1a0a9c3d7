"""JSON logs, the gRPC access log and Prometheus metrics (one process or many); no order logic."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import grpc
from google.protobuf.message import Message
from opentelemetry import trace
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from pythonjsonlogger.orjson import OrjsonFormatter

# go-grpc-prometheus's names and labels, which dashboards and alerts for gRPC servers expect.
_RPC_LABELS = ("grpc_type", "grpc_service", "grpc_method")
RPC_STARTED = Counter("grpc_server_started_total", "RPCs started on the server.", _RPC_LABELS)
RPC_HANDLED = Counter(
    "grpc_server_handled_total",
    "RPCs completed on the server, whatever their status code.",
    (*_RPC_LABELS, "grpc_code"),
)
RPC_SECONDS = Histogram(
    "grpc_server_handling_seconds",
    "Time from an RPC's start to its last answer, in seconds.",
    _RPC_LABELS,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

# The access log of both gRPC and the doors (adapters._facade): one line per call or request,
# so it can be routed or quietened apart from the application's own lines.
ACCESS_LOGGER = "orderbridge.access"
access_log = logging.getLogger(ACCESS_LOGGER)

# A caller's own request id is echoed when it is printable ASCII of at most 64 characters (the
# doors' rule, adapters._facade.request_id_of); else the call gets a new one.
REQUEST_ID_KEY = "x-request-id"
_MAX_REQUEST_ID = 64
# The tenant a request names: its parent or resource name starts with tenants/{tenant}.
_TENANT = re.compile(r"tenants/([^/]+)")


class JsonLinesFormatter(OrjsonFormatter):
    """time (UTC, milliseconds), level, logger, message, the record's `extra` fields, and the
    trace and span ids of the span current when the line was logged."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
            },
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802  # logging.Formatter's name
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        log_data["level"] = record.levelname.lower()
        # Formatting runs in the logging call's own thread and context, so the current span is
        # the one the line belongs to (none when tracing is off).
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            log_data.setdefault("trace_id", trace.format_trace_id(span.trace_id))
            log_data.setdefault("span_id", trace.format_span_id(span.span_id))


def configure_logging(level: str) -> None:
    """JSON lines on stderr at `level`."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLinesFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Alembic narrates every migration step at INFO; the outcome is logged by us.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _request_id(metadata: Iterable[tuple[str, Any]]) -> str:
    for key, value in metadata:
        if key == REQUEST_ID_KEY and _printable(value) and 0 < len(value) <= _MAX_REQUEST_ID:
            return str(value)
    return uuid.uuid4().hex


def _printable(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isprintable()


def _tenant_of(request: Any) -> str | None:
    """The tenant an OrderService request names (its parent, else its name), if it is one."""
    if not isinstance(request, Message):
        return None
    for field in ("parent", "name"):
        value = getattr(request, field) if field in request.DESCRIPTOR.fields_by_name else None
        match = _TENANT.match(value) if isinstance(value, str) else None
        if match:
            return match.group(1)
    return None


def _code_of(context: grpc.ServicerContext, failed: bool) -> grpc.StatusCode:
    code = context.code()  # type: ignore[attr-defined]  # grpcio has code(); its stubs do not
    if isinstance(code, grpc.StatusCode):
        return code
    return grpc.StatusCode.UNKNOWN if failed else grpc.StatusCode.OK


class _Call:
    """One RPC being observed: started, then finished once with its status code."""

    def __init__(self, labels: tuple[str, str, str], context: grpc.ServicerContext) -> None:
        self.labels = labels
        self.context = context
        self.started = time.perf_counter()
        self.tenant: str | None = None
        self.request_id = _request_id(context.invocation_metadata())
        RPC_STARTED.labels(*labels).inc()
        # Initial metadata leaves before the answer, so the id reaches the caller whatever the
        # servicer later sets as trailers (an abort_with_status replaces them).
        context.send_initial_metadata(((REQUEST_ID_KEY, self.request_id),))

    def finish(self, error: BaseException | None) -> None:
        # A response stream closed early is the client going away (grpc closes it on cancel).
        if isinstance(error, GeneratorExit):
            error, code = None, grpc.StatusCode.CANCELLED
        else:
            code = _code_of(self.context, error is not None)
        seconds = time.perf_counter() - self.started
        grpc_type, service, method = self.labels
        RPC_SECONDS.labels(*self.labels).observe(seconds)
        RPC_HANDLED.labels(*self.labels, code.name).inc()
        # An abort is the servicer's answer, not a failure of ours: only an exception that is
        # not one (grpc answers UNKNOWN for it) is an error line with its traceback.
        unexpected = error is not None and code == grpc.StatusCode.UNKNOWN
        access_log.log(
            logging.ERROR if unexpected else logging.INFO,
            "%s/%s %s",
            service,
            method,
            code.name,
            exc_info=error if unexpected else None,
            extra={
                "request_id": self.request_id,
                "grpc_service": service,
                "grpc_method": method,
                "grpc_type": grpc_type,
                "grpc_code": code.name,
                "tenant": self.tenant,
                "duration_ms": round(seconds * 1000, 3),
            },
        )


Behavior = Callable[[Any, grpc.ServicerContext], Any]


class AccessInterceptor(grpc.ServerInterceptor):
    """Per RPC: the grpc_server_* metrics and one access-log line (method, status code,
    duration, tenant when the request names one, request id from `x-request-id` metadata or a
    new one, sent back as initial metadata). Put it after the tracing interceptor, so the line
    carries the call's trace id."""

    def __init__(self) -> None:
        # The wrapped handler of each method, built on its first call (handlers never change).
        self._wrapped: dict[str, grpc.RpcMethodHandler[Any, Any] | None] = {}

    def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], grpc.RpcMethodHandler[Any, Any] | None],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        method = handler_call_details.method
        if method not in self._wrapped:
            self._wrapped[method] = self._wrap(continuation(handler_call_details), method)
        return self._wrapped[method]

    def _wrap(
        self, handler: grpc.RpcMethodHandler[Any, Any] | None, full_method: str
    ) -> grpc.RpcMethodHandler[Any, Any] | None:
        if handler is None:
            return None
        service, _, method = full_method.strip("/").rpartition("/")
        kinds: tuple[tuple[Behavior | None, str, Callable[..., Any], bool], ...] = (
            (handler.unary_unary, "unary", grpc.unary_unary_rpc_method_handler, False),
            (handler.unary_stream, "server_stream", grpc.unary_stream_rpc_method_handler, True),
            (handler.stream_unary, "client_stream", grpc.stream_unary_rpc_method_handler, False),
            (handler.stream_stream, "bidi_stream", grpc.stream_stream_rpc_method_handler, True),
        )
        for behavior, grpc_type, make_handler, streams_out in kinds:
            if behavior is not None:
                labels = (grpc_type, service, method)
                observed = (_streaming if streams_out else _unary)(behavior, labels)
                return make_handler(  # type: ignore[no-any-return]  # grpc's factories
                    observed,
                    request_deserializer=handler.request_deserializer,
                    response_serializer=handler.response_serializer,
                )
        return handler


def _unary(behavior: Behavior, labels: tuple[str, str, str]) -> Behavior:
    def observed(request: Any, context: grpc.ServicerContext) -> Any:
        call = _Call(labels, context)
        call.tenant = _tenant_of(request)
        try:
            response = behavior(request, context)
        except BaseException as error:
            call.finish(error)
            raise
        call.finish(None)
        return response

    return observed


def _streaming(behavior: Behavior, labels: tuple[str, str, str]) -> Behavior:
    def observed(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
        call = _Call(labels, context)
        call.tenant = _tenant_of(request)
        try:
            yield from behavior(request, context)
        except BaseException as error:
            call.finish(error)
            raise
        call.finish(None)

    return observed


# prometheus_client multiprocess mode (https://prometheus.github.io/client_python/multiprocess/):
# each worker writes its values to files in this directory, and a scrape of any worker sums them.
MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def multiprocess_metrics() -> Iterator[dict[str, str]]:
    """The environment workers need to share their metrics: `PROMETHEUS_MULTIPROC_DIR` naming
    an empty directory (the operator's own when set, emptied; else a new one, removed on exit).

    The variable must be in a worker's environment before it imports prometheus_client, so the
    supervisor passes it to its workers rather than setting it in its own process.
    """
    configured = os.environ.get(MULTIPROC_VARIABLE)
    directory = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="orderbridge-"))
    directory.mkdir(parents=True, exist_ok=True)
    # A previous run's files would be summed with this run's.
    for leftover in directory.glob("*.db"):
        leftover.unlink()
    try:
        yield {MULTIPROC_VARIABLE: str(directory)}
    finally:
        if not configured:
            shutil.rmtree(directory, ignore_errors=True)


def mark_worker_dead(pid: int, environment: dict[str, str]) -> None:
    """Drops a worker that exited from the live gauges of `environment`'s metrics directory
    (its counters and histograms stay in the sums, as Prometheus expects of a counter)."""
    directory = environment.get(MULTIPROC_VARIABLE)
    if directory:
        multiprocess.mark_process_dead(pid, directory)  # type: ignore[no-untyped-call]  # untyped in prometheus_client


def metrics_response() -> tuple[bytes, str]:
    """The body and content type of a scrape: this process's metrics, or with
    PROMETHEUS_MULTIPROC_DIR set, the sum over every worker writing to that directory."""
    directory = os.environ.get(MULTIPROC_VARIABLE)
    if not directory:
        return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]  # untyped in prometheus_client
    return generate_latest(registry), CONTENT_TYPE_LATEST
