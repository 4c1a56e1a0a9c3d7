"""One bench run: start servers, build the contenders, alternate them round by round, report."""

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from bench import report
from bench.contenders import (
    Contender,
    GrpcClients,
    Tenant,
    door_contenders,
    floor_contender,
    grpc_contenders,
    http_client,
    plain_door,
    seed_orders,
    vendor_doors,
)
from bench.floor import PostgresFloor, SqliteFloor
from bench.load import run_load
from bench.machine import facts
from bench.payloads import UniqueIds
from bench.procs import ServerProcess, migrate, orderbridge_server, plain_fastapi_server
from bench.translation import Translation, measure_translation

TENANTS = {5: Tenant("items5", "bench-items5"), 50: Tenant("items50", "bench-items50")}
SHOP = Tenant("benchshop", "bench-shop")
TOKENS = {tenant.token: tenant.name for tenant in (*TENANTS.values(), SHOP)}
MAX_CALLS_PER_RUN = 1_000_000
SEEDS_PER_SIZE = 50  # one full ListOrders page
SOAK_REPORT_EVERY = 10_000
STARTED = time.monotonic()


@dataclass(frozen=True)
class Options:
    """What the command line asked for."""

    rounds: int
    seconds: float
    warmup: float
    clients: int
    channels: int
    postgres: bool
    postgres_url: str
    soak: int
    soak_seconds: float
    server_workers: int

    @property
    def workers(self) -> int:
        return self.clients * self.channels


def _print_inherited_settings() -> None:
    """ORDERBRIDGE_* variables the servers inherit (they change what is measured)."""
    for key, value in sorted(os.environ.items()):
        if key.startswith("ORDERBRIDGE_") and "TOKEN" not in key:
            print(f"server env {key}={value}")


def log(message: str) -> None:
    """Progress on stderr (seconds since start), so stdout holds only the report."""
    print(f"[{time.monotonic() - STARTED:5.1f}s] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ setup


def _start(stack: ExitStack, server: ServerProcess, servers: list[ServerProcess]) -> ServerProcess:
    stack.callback(server.stop)
    servers.append(server)
    log(f"started {server.name}: pid {server.pid}, ports {server.ports}")
    return server


def _grpc_side(
    stack: ExitStack, server: ServerProcess, backend: str, options: Options, ids: UniqueIds
) -> tuple[list[Contender], bytes]:
    """Direct gRPC contenders on one server, and the stored bytes of a 5-item order."""
    clients = GrpcClients(server.ports["grpc_port"], options.channels)
    stack.callback(clients.close)
    server.mark_started()  # the server answers now, even when its workers are processes
    seeds = {
        items: (tenant, seed_orders(clients, tenant, items, ids, SEEDS_PER_SIZE))
        for items, tenant in TENANTS.items()
    }
    contenders = grpc_contenders(clients, server.cpu_seconds, backend, seeds, ids, options.workers)
    return contenders, seeds[5][1][0].SerializeToString()


def _http_side(
    stack: ExitStack, server: ServerProcess, options: Options, ids: UniqueIds
) -> list[Contender]:
    """Each vendor facade's write and read path on the service's HTTP port."""
    http = http_client(f"http://127.0.0.1:{server.ports['http_port']}", options.workers, "/healthz")
    stack.callback(http.close)
    contenders = []
    for door in vendor_doors(SHOP):
        contenders += door_contenders(http, door, ids, options.workers, server.cpu_seconds)
    return contenders


def _plain_side(
    stack: ExitStack, workdir: Path, options: Options, ids: UniqueIds, servers: list[ServerProcess]
) -> list[Contender]:
    server = _start(stack, plain_fastapi_server(f"sqlite:///{workdir / 'plain.db'}"), servers)
    http = http_client(f"http://127.0.0.1:{server.ports['http_port']}", options.workers)
    stack.callback(http.close)
    return door_contenders(http, plain_door(), ids, options.workers, server.cpu_seconds)


def _sqlite_floor(stack: ExitStack, workdir: Path, body: bytes, workers: int) -> list[Contender]:
    path = workdir / "floor.db"
    migrate(f"sqlite:///{path}")
    floor = SqliteFloor(str(path), body)
    stack.callback(floor.close)
    return [
        floor_contender("sqlite3 floor, 1 connection", "sqlite", floor.call, 1),
        floor_contender(f"sqlite3 floor, {workers} connections", "sqlite", floor.call, workers),
    ]


def _postgres_schema(stack: ExitStack, base_url: str) -> str:
    """A fresh schema, dropped when the run ends; returns the URL whose search_path it is."""
    schema = f"ob_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(base_url, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')

    stack.callback(drop)
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _postgres_side(
    stack: ExitStack, options: Options, ids: UniqueIds, body: bytes, servers: list[ServerProcess]
) -> list[Contender]:
    """Direct gRPC on PostgreSQL, and the psycopg floor (each in a schema of its own)."""
    service_url = _postgres_schema(stack, options.postgres_url)
    server = _start(
        stack,
        orderbridge_server("orderbridge (postgres)", service_url, TOKENS, options.server_workers),
        servers,
    )
    contenders, _ = _grpc_side(stack, server, "postgres", options, ids)
    floor_url = _postgres_schema(stack, options.postgres_url)
    migrate(floor_url)
    floor = PostgresFloor(lambda: psycopg.connect(_libpq(floor_url), autocommit=True), body)
    stack.callback(floor.close)
    workers = options.workers
    contenders.append(floor_contender("psycopg floor, 1 connection", "postgres", floor.call, 1))
    contenders.append(
        floor_contender(f"psycopg floor, {workers} connections", "postgres", floor.call, workers)
    )
    return contenders


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# ------------------------------------------------------------------------------ measuring


def _measure_once(contender: Contender, seconds: float) -> None:
    assert contender.calls is not None
    assert contender.cpu is not None
    server_before, client_before = contender.cpu(), time.process_time()
    run = run_load(contender.calls, seconds=seconds, max_calls=MAX_CALLS_PER_RUN)
    contender.server_cpu += contender.cpu() - server_before
    contender.client_cpu += time.process_time() - client_before
    contender.runs.append(run)


def alternate(contenders: Sequence[Contender], options: Options) -> None:
    """Warms each contender up, then runs them all once per round, rotating the order."""
    active = [contender for contender in contenders if contender.calls]
    if not active:
        return
    for contender in active:
        run_load(contender.calls or [], seconds=options.warmup, max_calls=MAX_CALLS_PER_RUN)
    for number in range(options.rounds):
        log(f"round {number + 1}/{options.rounds}")
        shift = number % len(active)
        for contender in active[shift:] + active[:shift]:
            _measure_once(contender, options.seconds)


def _memory(server: ServerProcess) -> report.Memory:
    return report.Memory(
        server.name, server.pid, server.rss_at_start, server.rss_bytes(), server.errors_logged
    )


def run(options: Options) -> None:
    """The whole benchmark; prints the report on stdout, the ratios line last."""
    print("\n".join(facts()))
    print(
        f"load      {options.clients} clients × {options.channels} connections per contender;"
        f" {options.rounds} rounds × {options.seconds:g} s, warm-up {options.warmup:g} s;"
        f" server worker processes: {options.server_workers}"
    )
    _print_inherited_settings()
    sys.stdout.flush()
    began = time.monotonic()
    # Translation first, in this process alone: with the servers and their clients running
    # (idle or not) the same loop measured 1.5-1.8 times slower on the 2-core machine.
    log("translation")
    translations = measure_translation(options.rounds, options.seconds / 2)
    ids = UniqueIds()
    servers: list[ServerProcess] = []
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ob-bench-")))
        service = _start(
            stack,
            orderbridge_server(
                "orderbridge (sqlite)",
                f"sqlite:///{workdir / 'ob.db'}",
                TOKENS,
                options.server_workers,
            ),
            servers,
        )
        contenders, body = _grpc_side(stack, service, "sqlite", options, ids)
        if options.postgres:
            contenders += _postgres_side(stack, options, ids, body, servers)
        contenders += _http_side(stack, service, options, ids)
        contenders += _plain_side(stack, workdir, options, ids, servers)
        contenders += _sqlite_floor(stack, workdir, body, options.workers)
        log("contenders ready")
        alternate(contenders, options)
        memories = [_memory(server) for server in servers]
        log("stopping servers")
    _print_report(contenders, translations, memories, len(body), time.monotonic() - began)


def _print_report(
    contenders: Sequence[Contender],
    translations: Sequence[Translation],
    memories: Sequence[report.Memory],
    stored_bytes: int,
    elapsed: float,
) -> None:
    direct = report.throughput(contenders, "grpc.CreateOrder.5")
    print()
    print(f"== load (floors store {stored_bytes}-byte Order protos, as the service does)")
    print("\n".join(report.load_table(contenders, direct)))
    print()
    print(f"== translation alone, 5-item order, best of {len(translations[0].dict_us)} rounds")
    print("\n".join(report.translation_table(translations)))
    print()
    print("== server memory")
    print("\n".join(report.memory_table(memories)))
    print()
    print(f"run took {elapsed:.0f} s")
    print(report.ratios_line(contenders, translations), flush=True)


# ------------------------------------------------------------------------------ soak


def soak(options: Options) -> None:
    """Sends `options.soak` requests (direct create + each facade write, in turn); prints RSS."""
    print("\n".join(facts()))
    ids = UniqueIds()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ob-soak-")))
        service = _start(
            stack,
            orderbridge_server(
                "orderbridge", f"sqlite:///{workdir / 'ob.db'}", TOKENS, options.server_workers
            ),
            [],
        )
        grpc_side, _ = _grpc_side(stack, service, "sqlite", options, ids)
        writes = [c for c in grpc_side if c.kind == "grpc.CreateOrder.5"]
        writes += [
            c
            for c in _http_side(stack, service, options, ids)
            if c.calls and c.kind.endswith(".write")
        ]
        print(f"soak: {options.soak} requests over {', '.join(c.label for c in writes)}")
        print(f"at start-up:              RSS {service.rss_at_start / report.MIB:8.1f} MiB")
        print(f"after set-up (seeding):   RSS {service.rss_bytes() / report.MIB:8.1f} MiB")
        _soak_loop(service, writes, options)


def _soak_loop(service: ServerProcess, writes: Sequence[Contender], options: Options) -> None:
    deadline = time.monotonic() + options.soak_seconds
    sent = 0
    while sent < options.soak and time.monotonic() < deadline:
        chunk_sent = _soak_chunk(writes, min(SOAK_REPORT_EVERY, options.soak - sent), deadline)
        sent += chunk_sent
        rss = service.rss_bytes() / report.MIB
        print(f"after {sent:>9} requests:  RSS {rss:8.1f} MiB", flush=True)
        if not chunk_sent:
            break
    if sent < options.soak:
        print(f"soak stopped early (time limit {options.soak_seconds:g} s or failures)")


def _soak_chunk(writes: Sequence[Contender], chunk: int, deadline: float) -> int:
    """Sends `chunk` requests split evenly over the contenders; returns how many were sent."""
    sent = 0
    for index, contender in enumerate(writes):
        share = chunk // len(writes) + (1 if index < chunk % len(writes) else 0)
        remaining = max(0.0, deadline - time.monotonic())
        run = run_load(contender.calls or [], seconds=remaining, max_calls=share)
        sent += run.calls + run.errors
        if run.errors:
            print(f"  {contender.label}: {run.errors} errors, first: {run.first_error}")
    return sent
