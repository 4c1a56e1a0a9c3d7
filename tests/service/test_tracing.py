"""Traces across the whole path: a caller's traceparent → door → service → database, in one
trace, in process (serve) and over a gRPC channel (serve-facade); off without OTLP variables."""

import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.trace import SpanKind
from orderbridge.v1 import order_service_pb2_grpc

from adapters.facades import build_facade
from adapters.port import OrderServicePort, grpc_port
from service.database import Database, open_database
from service.http import HttpServer, build_http_app
from service.inprocess import in_process_port
from service.migrate import upgrade
from service.observability import ACCESS_LOGGER, AccessInterceptor, JsonLinesFormatter
from service.server import build_servicer
from service.servicer import UndecodableRequests
from service.tracing import (
    configure_tracing,
    grpc_server_interceptors,
    trace_database,
    trace_door,
    trace_grpc_clients,
    tracing_wanted,
)
from tests.conftest import TOKENS

DRIP_AUTH = {"Authorization": "Basic dG9rZW4tYWNtZTo="}  # token-acme as the Basic user
SERVICE = "orderbridge.v1.OrderService"


class Recorder(SpanProcessor):
    """Every ended span, and a way to wait (not sleep) for the ones a test expects."""

    def __init__(self) -> None:
        self.spans: list[ReadableSpan] = []
        self.ended = threading.Condition()

    def on_end(self, span: ReadableSpan) -> None:
        with self.ended:
            self.spans.append(span)
            self.ended.notify_all()

    def wait_for(self, done: Callable[[list[ReadableSpan]], bool]) -> list[ReadableSpan]:
        with self.ended:
            assert self.ended.wait_for(lambda: done(self.spans), 10), self.spans
            return list(self.spans)


class Lines(logging.Handler):
    """The access log's lines, formatted as configure_logging formats them."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonLinesFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture(scope="module")
def provider() -> TracerProvider:
    return TracerProvider()


@pytest.fixture(scope="module")
def recorder(provider: TracerProvider) -> Recorder:
    recorder = Recorder()
    provider.add_span_processor(recorder)
    return recorder


@pytest.fixture(scope="module")
def traced_database(
    tmp_path_factory: pytest.TempPathFactory, provider: TracerProvider
) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('traced') / 'orders.db'}")
    upgrade(database)
    trace_database(database, provider)
    yield database
    database.dispose()


@pytest.fixture
def access() -> Iterator[Lines]:
    logger = logging.getLogger(ACCESS_LOGGER)
    handler = Lines()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def serve_drip(port: OrderServicePort, provider: TracerProvider) -> HttpServer:
    door = trace_door(build_facade("drip", port), provider)
    server = HttpServer(build_http_app(mounts={"/drip": door}), host="127.0.0.1", port=0)
    server.start()
    return server


def post_order(server: HttpServer, trace_id: str, parent_id: str) -> None:
    order = {"email": "a@b.co", "provider": "p", "upstream_id": uuid.uuid4().hex, "amount": 1}
    response = httpx.post(
        f"http://127.0.0.1:{server.port}/drip/v2/acme/orders",
        json={"orders": [order]},
        headers={**DRIP_AUTH, "traceparent": f"00-{trace_id}-{parent_id}-01"},
        timeout=10,
    )
    assert response.status_code == 202, response.text


def only(spans: list[ReadableSpan], **wanted: Any) -> ReadableSpan:
    found = [span for span in spans if all(getattr(span, k) == v for k, v in wanted.items())]
    assert len(found) == 1, [(span.name, span.kind) for span in spans]
    return found[0]


def parent_of(span: ReadableSpan) -> int:
    assert span.parent is not None, span.name
    return span.parent.span_id


def children_in_database(spans: list[ReadableSpan], parent: ReadableSpan) -> list[ReadableSpan]:
    return [
        span
        for span in spans
        if span.kind == SpanKind.CLIENT
        and span.parent is not None
        and span.parent.span_id == parent.context.span_id
        and any(key.startswith("db.") for key in span.attributes or {})
    ]


def in_trace(recorder: Recorder, trace_id: str, last: str) -> list[ReadableSpan]:
    """The trace's spans once the door's span (the last to end) has ended."""
    number = int(trace_id, 16)

    def door_ended(spans: list[ReadableSpan]) -> bool:
        return any(span.context.trace_id == number and span.name == last for span in spans)

    return [span for span in recorder.wait_for(door_ended) if span.context.trace_id == number]


def test_in_process_a_callers_trace_runs_door_service_and_database(
    provider: TracerProvider, recorder: Recorder, traced_database: Database, access: Lines
) -> None:
    servicer = build_servicer(traced_database, TOKENS)
    with futures.ThreadPoolExecutor(4) as executor:
        port = in_process_port(servicer, executor, tracer=provider.get_tracer("test"))
        server = serve_drip(port, provider)
        trace_id, caller = secrets.token_hex(16), secrets.token_hex(8)
        try:
            post_order(server, trace_id, caller)
            spans = in_trace(recorder, trace_id, "POST /drip/v2/{account_id}/orders")
        finally:
            server.stop()

    door = only(spans, kind=SpanKind.SERVER)
    assert door.name == "POST /drip/v2/{account_id}/orders"
    assert door.parent is not None
    assert door.parent.is_remote
    assert door.parent.span_id == int(caller, 16)
    service = only(spans, name=f"{SERVICE}/BatchUpsertOrders")
    assert parent_of(service) == door.context.span_id
    assert children_in_database(spans, service)
    # The door's access-log line names the trace.
    lines = [line for line in access.lines if line.get("door") == "drip"]
    assert [line["trace_id"] for line in lines] == [trace_id]


@pytest.fixture
def traced_grpc_target(provider: TracerProvider, traced_database: Database) -> Iterator[str]:
    server = grpc.server(
        futures.ThreadPoolExecutor(4),
        interceptors=[
            *grpc_server_interceptors(provider),
            AccessInterceptor(),
            UndecodableRequests(),
        ],
    )
    order_service_pb2_grpc.add_OrderServiceServicer_to_server(
        build_servicer(traced_database, TOKENS), server
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    trace_grpc_clients(provider)
    yield f"127.0.0.1:{port}"
    GrpcAioInstrumentorClient().uninstrument()
    server.stop(None)


def test_over_a_channel_the_trace_crosses_grpc_to_the_service_and_database(
    provider: TracerProvider, recorder: Recorder, traced_grpc_target: str, access: Lines
) -> None:
    server = serve_drip(grpc_port(traced_grpc_target), provider)
    trace_id, caller = secrets.token_hex(16), secrets.token_hex(8)
    try:
        post_order(server, trace_id, caller)
        spans = in_trace(recorder, trace_id, "POST /drip/v2/{account_id}/orders")
    finally:
        server.stop()

    door = only(spans, kind=SpanKind.SERVER, name="POST /drip/v2/{account_id}/orders")
    assert door.parent is not None
    assert door.parent.span_id == int(caller, 16)
    method = f"/{SERVICE}/BatchUpsertOrders"
    client = only(spans, kind=SpanKind.CLIENT, name=method)
    assert parent_of(client) == door.context.span_id
    service = only(spans, kind=SpanKind.SERVER, name=method)
    assert parent_of(service) == client.context.span_id
    assert children_in_database(spans, service)
    # The RPC's access-log line is in the same trace as the door's.
    rpc_lines = [line for line in access.lines if line.get("grpc_method") == "BatchUpsertOrders"]
    assert [line["trace_id"] for line in rpc_lines] == [trace_id]


@pytest.mark.parametrize(
    ("environment", "wanted"),
    [
        ({}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, True),
        ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, True),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, False),
        ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, False),
    ],
)
def test_traces_are_on_only_when_the_standard_variables_ask(
    environment: dict[str, str], wanted: bool
) -> None:
    assert tracing_wanted(environment) is wanted


def test_without_an_endpoint_no_provider_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    assert configure_tracing() is None
    assert grpc_server_interceptors() == []


def test_with_an_endpoint_the_process_gets_an_otlp_provider() -> None:
    # In a process of its own: the global provider can be set once per process.
    program = (
        "from opentelemetry import trace\n"
        "from service.tracing import configure_tracing\n"
        "provider = configure_tracing()\n"
        "assert trace.get_tracer_provider() is provider\n"
        "print(provider.resource.attributes['service.name'])\n"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OTEL_")},
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9",
    }
    done = subprocess.run(
        [sys.executable, "-c", program],
        env=environment,
        cwd=Path(__file__).parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "orderbridge"
