"""Composition root: wires settings, database, repository and servicer into a running server."""

import logging
import signal
import threading
from concurrent import futures
from dataclasses import dataclass
from types import FrameType

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from orderbridge.v1 import order_service_pb2, order_service_pb2_grpc

from adapters._facade import OrderClient
from adapters.facades import build_facades
from service.auth import TokenAuthenticator, development_token
from service.database import Database, open_database
from service.http import HttpServer, build_http_app
from service.migrate import ensure_schema
from service.observability import MetricsInterceptor
from service.repository import OrderRepository
from service.servicer import OrderServicer
from service.settings import Settings, load_tokens

log = logging.getLogger("orderbridge")

SERVICE_NAME = order_service_pb2.DESCRIPTOR.services_by_name["OrderService"].full_name


@dataclass
class GrpcServer:
    """A started gRPC server with its health service and bound port."""

    server: grpc.Server
    health: health.HealthServicer
    port: int
    database: Database

    def stop(self, grace: float) -> None:
        """Stops intake at once; in-flight calls get up to `grace` seconds to finish."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        self.database.dispose()


def start_grpc_server(
    *, database: Database, tokens: dict[str, str], host: str, port: int, max_workers: int = 16
) -> GrpcServer:
    """Starts OrderService, grpc.health.v1 and reflection on host:port (0 picks a port)."""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
        interceptors=[MetricsInterceptor()],
        options=[("grpc.so_reuseport", 0)],
    )
    repository = OrderRepository(database)
    order_service_pb2_grpc.add_OrderServiceServicer_to_server(
        OrderServicer(repository, TokenAuthenticator(tokens)), server
    )
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
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"cannot bind gRPC to {host}:{port}")
    server.start()
    for service in ("", SERVICE_NAME):
        health_servicer.set(service, health_pb2.HealthCheckResponse.SERVING)
    return GrpcServer(server=server, health=health_servicer, port=bound, database=database)


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


def serve(settings: Settings) -> int:
    """Runs gRPC and HTTP until SIGTERM or SIGINT, then drains in-flight calls; returns 0."""
    tokens = resolve_tokens(settings)
    database = open_database(settings.database_url)
    ensure_schema(database)
    grpc_server = start_grpc_server(
        database=database,
        tokens=tokens,
        host=settings.host,
        port=settings.grpc_port,
        max_workers=settings.max_workers,
    )
    # The facades reach OrderService like any client: over a real channel, here on loopback.
    client = OrderClient(f"127.0.0.1:{grpc_server.port}")
    http_server = HttpServer(
        build_http_app(mounts=build_facades(client)), host=settings.host, port=settings.http_port
    )
    http_server.start()
    log.info(
        "orderbridge listening: grpc=%s:%d http=%s:%d database=%s",
        settings.host,
        grpc_server.port,
        settings.host,
        http_server.port,
        database.writer.url.render_as_string(hide_password=True),
        extra={"grpc_port": grpc_server.port, "http_port": http_server.port},
    )
    stopping = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s: draining", signal.Signals(signum).name)
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # A signal may land on a gRPC or uvicorn thread; Python runs its handler only when the main
    # thread next runs bytecode, which an untimed wait would never let it do.
    while not stopping.wait(timeout=0.25):
        pass
    http_server.stop()
    grpc_server.stop(settings.grace_seconds)
    log.info("orderbridge stopped")
    return 0
