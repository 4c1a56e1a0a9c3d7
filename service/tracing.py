"""OpenTelemetry traces of doors (ASGI), the gRPC service and the database, exported by OTLP
when the standard OTEL_* variables ask for it; it must set no provider otherwise (the API's
no-op then costs next to nothing) and holds no order logic."""

import os
from collections.abc import Mapping

import grpc
from fastapi import FastAPI
from opentelemetry import metrics, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, server_interceptor
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from service.database import Database

# The provider configure_tracing set up, which the wiring functions use when given none.
_configured: TracerProvider | None = None


def tracing_wanted(environment: Mapping[str, str]) -> bool:
    """Whether the standard variables ask for traces: an OTLP endpoint is set, and neither
    OTEL_SDK_DISABLED nor OTEL_TRACES_EXPORTER=none turns them off."""
    if environment.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if environment.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return bool(
        environment.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or environment.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    )


def configure_tracing(service_name: str = "orderbridge") -> TracerProvider | None:
    """When `tracing_wanted`: the global TracerProvider, batching spans to the OTLP/HTTP
    exporter (which reads its endpoint, headers and timeout from OTEL_EXPORTER_OTLP_*), and
    gRPC client channels made from now on propagating the trace. Else None and nothing set.

    The sampler follows OTEL_TRACES_SAMPLER; the service name OTEL_SERVICE_NAME, else
    `service_name`. Call it once per process, before the wiring functions below.
    """
    global _configured
    if not tracing_wanted(os.environ):
        return None
    resource = Resource.create()
    if str(resource.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        resource = resource.merge(Resource({SERVICE_NAME: service_name}))
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    trace_grpc_clients(provider)
    _configured = provider
    return provider


def trace_grpc_clients(provider: TracerProvider) -> None:
    """Every grpc.aio channel created from now on starts a client span per call and sends
    `traceparent` (the doors' port to a remote OrderService, in serve-facade)."""
    # Untyped in opentelemetry-instrumentation-grpc.
    GrpcAioInstrumentorClient().instrument(tracer_provider=provider)  # type: ignore[no-untyped-call]


def _by_method(scope: Mapping[str, object]) -> tuple[str, dict[str, str]]:
    # The raw path would make a span name per order; the door renames the span with its route
    # template once routing has found it (adapters._facade).
    return str(scope.get("method") or "HTTP"), {}


def trace_door(door: FastAPI, provider: TracerProvider | None = None) -> FastAPI:
    """`door` with a server span per request, child of the caller's `traceparent` when it
    sent one; unchanged when tracing is off. Call it before the door serves."""
    provider = provider or _configured
    if provider is not None:
        # Added last, so it is outside the door's own middleware: the access-log line and the
        # in-process service call run inside the span.
        door.add_middleware(
            OpenTelemetryMiddleware,
            tracer_provider=provider,
            default_span_details=_by_method,
            # One span per request, not one per ASGI message as well.
            exclude_spans=["receive", "send"],
        )
    return door


def trace_database(database: Database, provider: TracerProvider | None = None) -> None:
    """A client span per statement on the database's engines; nothing when tracing is off."""
    provider = provider or _configured
    if provider is None:
        return
    # The instrumentation's per-engine tracer, without its instrumentor: that one also patches
    # create_engine and Engine.connect process-wide, imports SQLAlchemy's asyncio extension
    # (which needs greenlet), and declares "sqlalchemy < 2.1" and then instruments nothing.
    tracer = provider.get_tracer(EngineTracer.__module__)
    # Connection-pool usage is a metric; with no OpenTelemetry MeterProvider it is a no-op.
    usage = metrics.get_meter(EngineTracer.__module__).create_up_down_counter(
        "db.client.connections.usage", unit="connections"
    )
    engines = {id(engine): engine for engine in (database.writer, database.reader)}
    for engine in engines.values():
        EngineTracer(tracer, engine, usage)  # type: ignore[no-untyped-call]  # untyped upstream


def grpc_server_interceptors(
    provider: TracerProvider | None = None,
) -> list[grpc.ServerInterceptor]:
    """The gRPC server's tracing interceptor (a server span per call, child of the caller's
    `traceparent` metadata), to put first; none when tracing is off."""
    provider = provider or _configured
    if provider is None:
        return []
    # Untyped in opentelemetry-instrumentation-grpc.
    interceptor: grpc.ServerInterceptor = server_interceptor(tracer_provider=provider)  # type: ignore[no-untyped-call]
    return [interceptor]
