"""Composition root: wires settings, database, repository and servicer into a running server."""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass
from types import FrameType

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from orderbridge.v1 import order_service_pb2, order_service_pb2_grpc

from adapters.facades import build_facade, build_facades
from adapters.port import OrderServicePort, grpc_port
from core.usecases import OrderUseCases
from service.auth import TokenAuthenticator, development_token
from service.database import Database, open_database
from service.health import Readiness, ReadinessMonitor
from service.http import HttpLimits, HttpServer, build_http_app
from service.inprocess import in_process_port
from service.migrate import ensure_schema
from service.observability import AccessInterceptor, mark_worker_dead, multiprocess_metrics
from service.repository import OrderRepository
from service.servicer import OrderServicer, UndecodableRequests
from service.settings import Settings, load_tokens
from service.tls import (
    TlsFiles,
    grpc_channel_credentials,
    grpc_server_credentials,
    tls_files,
)
from service.tracing import configure_tracing, grpc_server_interceptors, trace_database, trace_door

log = logging.getLogger("orderbridge")

SERVICE_NAME = order_service_pb2.DESCRIPTOR.services_by_name["OrderService"].full_name


@dataclass
class GrpcServer:
    """A started gRPC server with its health service and bound port."""

    server: grpc.Server
    health: health.HealthServicer
    port: int
    database: Database
    servicer: OrderServicer
    # Runs the doors' in-process calls (the servicer blocks on storage).
    door_executor: futures.ThreadPoolExecutor
    # Watches the database; drives gRPC health and the HTTP /readyz.
    readiness: ReadinessMonitor

    def in_process_port(self, *, timeout: float = 10.0) -> OrderServicePort:
        """The OrderService port the doors of this process call: no socket, no encoding."""
        return in_process_port(self.servicer, self.door_executor, timeout=timeout)

    def stop_serving(self, grace: float | None) -> None:
        """Stops intake at once; in-flight calls (gRPC and the doors' in-process ones) get up
        to `grace` seconds to finish (None: none). The database stays open."""
        self.readiness.drain()
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        self.door_executor.shutdown(wait=True)
        self.readiness.stop()

    def stop(self, grace: float) -> None:
        """Stops serving (see stop_serving), then closes the database."""
        self.stop_serving(grace)
        self.database.dispose()


def build_servicer(database: Database, tokens: dict[str, str]) -> OrderServicer:
    """The OrderService implementation: use cases and reads over the database's repository."""
    repository = OrderRepository(database)
    return OrderServicer(
        OrderUseCases(repository), repository, repository, TokenAuthenticator(tokens)
    )


def _publish_to_health(health_servicer: health.HealthServicer) -> Callable[[Readiness], None]:
    """Sets the server's overall status and OrderService's to follow readiness."""

    def publish(readiness: Readiness) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if readiness.ready
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for service in ("", SERVICE_NAME):
            health_servicer.set(service, status)

    return publish


def _check_port_free(what: str, host: str, port: int) -> None:
    """Raises OSError naming the address when host:port is taken.

    gRPC would refuse it too, but with a RuntimeError and a line of its own C logging on
    stderr; this bind, with the SO_REUSEADDR gRPC itself sets, answers the same question first.
    """
    if port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise OSError(f"cannot bind {what} to {host}:{port}: {error.strerror}") from None


def start_grpc_server(
    *,
    database: Database,
    tokens: dict[str, str],
    host: str,
    port: int,
    max_workers: int = 16,
    reuse_port: bool = False,
    tls: TlsFiles | None = None,
) -> GrpcServer:
    """Starts OrderService, grpc.health.v1 and reflection on host:port (0 picks a port), over
    TLS with `tls` (mutual TLS when it names a client CA). Health follows readiness."""
    credentials = grpc_server_credentials(tls) if tls is not None else None
    if not reuse_port:
        _check_port_free("gRPC", host, port)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
        interceptors=[*grpc_server_interceptors(), AccessInterceptor(), UndecodableRequests()],
        options=[("grpc.so_reuseport", 1 if reuse_port else 0)],
    )
    servicer = build_servicer(database, tokens)
    order_service_pb2_grpc.add_OrderServiceServicer_to_server(servicer, server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (
            SERVICE_NAME,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ),
        server,
    )
    address = f"{host}:{port}"
    try:
        if credentials is None:
            bound = server.add_insecure_port(address)
        else:
            bound = server.add_secure_port(address, credentials)
    except RuntimeError as error:  # grpcio's "Failed to bind to address"
        raise OSError(f"cannot bind gRPC to {address}") from error
    if bound == 0:
        raise OSError(f"cannot bind gRPC to {address}")
    # Both names answer from the start (never NOT_FOUND): NOT_SERVING until the first check.
    for service in ("", SERVICE_NAME):
        health_servicer.set(service, health_pb2.HealthCheckResponse.NOT_SERVING)
    readiness = ReadinessMonitor(database, publish=_publish_to_health(health_servicer))
    server.start()
    readiness.start()
    return GrpcServer(
        server=server,
        health=health_servicer,
        port=bound,
        database=database,
        servicer=servicer,
        door_executor=futures.ThreadPoolExecutor(max_workers, thread_name_prefix="door"),
        readiness=readiness,
    )


def resolve_tokens(settings: Settings) -> dict[str, str]:
    """The configured tokens, or a fresh development token for tenant `dev`, printed once."""
    tokens = load_tokens(settings)
    if tokens:
        return tokens
    token = development_token()
    print(
        f"No ORDERBRIDGE_TOKENS configured: development token for tenant 'dev': {token}",
        flush=True,
    )
    return {token: "dev"}


def http_limits(settings: Settings) -> HttpLimits:
    """The HTTP server's timeouts and connection limit, from the ORDERBRIDGE_HTTP_* settings."""
    return HttpLimits(
        header_timeout=settings.http_header_timeout_seconds,
        body_timeout=settings.http_body_timeout_seconds,
        keepalive=settings.http_keepalive_seconds,
        max_connections=settings.http_max_connections,
    )


class _StopSignals:
    """SIGTERM and SIGINT, caught from construction on: made before the "listening" line, so
    that a caller who reads it and signals at once gets a drain, never the default kill."""

    def __init__(self) -> None:
        self._stopping = threading.Event()
        self._received: list[str] = []
        signal.signal(signal.SIGTERM, self._request_stop)
        signal.signal(signal.SIGINT, self._request_stop)

    def _request_stop(self, signum: int, _frame: FrameType | None) -> None:
        self._received.append(signal.Signals(signum).name)
        self._stopping.set()

    def wait(self, gone: Callable[[], str | None] = lambda: None) -> str:
        """Blocks until a signal came (returns its name) or until `gone` names a reason."""
        # A signal may land on a gRPC or uvicorn thread; Python runs its handler only when the
        # main thread next runs bytecode, which an untimed wait would never let it do.
        while not self._stopping.wait(timeout=0.25):
            reason = gone()
            if reason:
                return reason
        return self._received[0]


def _reserve_port(what: str, host: str, port: int) -> tuple[socket.socket, int]:
    """A port every worker can bind with SO_REUSEPORT; the socket keeps it ours meanwhile."""
    reserved = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        reserved.bind((host, port))
    except OSError as error:
        reserved.close()
        raise OSError(f"cannot bind {what} to {host}:{port}: {error.strerror}") from None
    return reserved, reserved.getsockname()[1]


def serve(settings: Settings) -> int:
    """Runs gRPC and HTTP until SIGTERM or SIGINT, then drains in-flight calls; returns 0.

    With workers > 1 this process supervises that many worker processes sharing both ports
    through SO_REUSEPORT (the kernel spreads connections); each drains on SIGTERM.
    """
    tokens = resolve_tokens(settings)
    database = open_database(settings.database_url)
    ensure_schema(database)
    if settings.workers > 1:
        database.dispose()
        return _supervise(settings, tokens)
    configure_tracing()
    trace_database(database)
    tls = tls_files(settings.tls_cert_file, settings.tls_key_file, settings.tls_client_ca_file)
    if not settings.reuse_port:
        _check_port_free("HTTP", settings.host, settings.http_port)  # before gRPC starts
    grpc_server = start_grpc_server(
        database=database,
        tokens=tokens,
        host=settings.host,
        port=settings.grpc_port,
        max_workers=settings.max_workers,
        reuse_port=settings.reuse_port,
        tls=tls,
    )
    try:
        # The doors of this process call the servicer in process, as grpc-gateway's in-process
        # mode does: same auth, statuses, details and deadlines, no socket and no encoding.
        http_server = HttpServer(
            build_http_app(
                mounts={
                    prefix: trace_door(door)
                    for prefix, door in build_facades(grpc_server.in_process_port()).items()
                },
                readiness=grpc_server.readiness.current,
            ),
            host=settings.host,
            port=settings.http_port,
            reuse_port=settings.reuse_port,
            limits=http_limits(settings),
            tls=tls,
        )
        http_server.start()
    except BaseException:
        grpc_server.stop(0)  # its threads would keep a failed start from exiting
        raise
    stop_signals = _StopSignals()
    log.info(
        "orderbridge listening: grpc=%s:%d http=%s:%d database=%s",
        settings.host,
        grpc_server.port,
        settings.host,
        http_server.port,
        database.writer.url.render_as_string(hide_password=True),
        extra={"grpc_port": grpc_server.port, "http_port": http_server.port, "pid": os.getpid()},
    )
    log.info("received %s: draining", stop_signals.wait())
    # Not ready at once, on both doors, so balancers stop sending while calls finish.
    grpc_server.readiness.drain()
    # One grace period bounds the whole shutdown: the doors drain first (their calls reach the
    # servicer in process), then gRPC gets what is left of it.
    deadline = time.monotonic() + settings.grace_seconds
    http_server.stop(settings.grace_seconds)
    grpc_server.stop(max(0.0, deadline - time.monotonic()))
    log.info("orderbridge stopped")
    return 0


def _supervise(settings: Settings, tokens: dict[str, str]) -> int:
    """Starts the workers, forwards SIGTERM/SIGINT to them, and exits once all have."""
    grpc_socket, grpc_port = _reserve_port("gRPC", settings.host, settings.grpc_port)
    try:
        http_socket, http_port = _reserve_port("HTTP", settings.host, settings.http_port)
    except OSError:
        grpc_socket.close()
        raise
    # One metrics directory for all workers: a scrape of any of them sums them all.
    with multiprocess_metrics() as metrics_environment:
        environment = {
            **os.environ,
            **metrics_environment,
            "ORDERBRIDGE_WORKERS": "1",
            "ORDERBRIDGE_REUSE_PORT": "true",
            "ORDERBRIDGE_HOST": settings.host,
            "ORDERBRIDGE_GRPC_PORT": str(grpc_port),
            "ORDERBRIDGE_HTTP_PORT": str(http_port),
            "ORDERBRIDGE_DATABASE_URL": settings.database_url,
            "ORDERBRIDGE_TOKENS": ",".join(f"{token}={tenant}" for token, tenant in tokens.items()),
        }
        environment.pop("ORDERBRIDGE_TOKENS_FILE", None)
        # TLS files given as flags reach the workers too.
        for name in ("tls_cert_file", "tls_key_file", "tls_client_ca_file"):
            path = getattr(settings, name)
            if path is not None:
                environment[f"ORDERBRIDGE_{name.upper()}"] = str(path)
        workers = [
            subprocess.Popen([sys.executable, "-m", "service.cli", "serve"], env=environment)
            for _ in range(settings.workers)
        ]
        stop_signals = _StopSignals()
        log.info(
            "orderbridge listening: grpc=%s:%d http=%s:%d workers=%d",
            settings.host,
            grpc_port,
            settings.host,
            http_port,
            settings.workers,
            extra={"grpc_port": grpc_port, "http_port": http_port, "workers": settings.workers},
        )

        def worker_exited() -> str | None:
            exited = [worker.pid for worker in workers if worker.poll() is not None]
            return f"exit of worker {exited[0]}" if exited else None

        try:
            log.info("draining workers after %s", stop_signals.wait(worker_exited))
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
            statuses = [worker.wait() for worker in workers]
            for worker in workers:
                mark_worker_dead(worker.pid, metrics_environment)
            grpc_socket.close()
            http_socket.close()
    log.info("orderbridge stopped", extra={"worker_statuses": statuses})
    return 0 if all(status == 0 for status in statuses) else 1


def serve_facade(vendor: str, settings: Settings) -> int:
    """Runs one vendor's facade alone against the OrderService at `settings.grpc_target`
    (over TLS or mutual TLS with the ORDERBRIDGE_GRPC_TARGET_* files), until SIGTERM."""
    if not settings.grpc_target:
        raise ValueError("serve-facade needs --grpc-target (ORDERBRIDGE_GRPC_TARGET)")
    credentials = grpc_channel_credentials(
        ca=settings.grpc_target_ca_file,
        cert=settings.grpc_target_cert_file,
        key=settings.grpc_target_key_file,
    )
    configure_tracing()
    facade = trace_door(
        build_facade(vendor, grpc_port(settings.grpc_target, credentials=credentials))
    )
    http_server = HttpServer(
        build_http_app(mounts={f"/{vendor}": facade}),
        host=settings.host,
        port=settings.http_port,
        limits=http_limits(settings),
        tls=tls_files(settings.tls_cert_file, settings.tls_key_file, None),
    )
    http_server.start()
    stop_signals = _StopSignals()
    log.info(
        "%s facade listening: http=%s:%d grpc_target=%s",
        vendor,
        settings.host,
        http_server.port,
        settings.grpc_target,
        extra={"http_port": http_server.port, "vendor": vendor, "tls": credentials is not None},
    )
    log.info("received %s: draining", stop_signals.wait())
    http_server.stop(settings.grace_seconds)
    return 0
