"""One drill cycle on `serve` processes: load, kill -9 or SIGTERM, retry, audit; prints nothing."""

import base64
import contextlib
import enum
import http.client
import itertools
import json
import random
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import grpc
import psycopg
from google.protobuf import field_mask_pb2
from orderbridge.v1 import order_pb2, order_service_pb2, order_service_pb2_grpc
from sqlalchemy.engine import make_url

from bench.audit import Content, Findings, Ledger, audit, is_consistent, money, race_content
from bench.procs import ServerProcess, migrate, orderbridge_server

CALL_TIMEOUT = 5.0
# A call is retried (same request_id) this long before it counts as unresolved: far longer
# than a restart takes, so only a server that never comes back leaves calls unresolved.
SETTLE_SECONDS = 30.0
# How long a phase may wait for its acknowledgements before the cycle is declared stuck.
PHASE_TIMEOUT = 60.0
# `bench.procs.orderbridge_server` runs with ORDERBRIDGE_GRACE_SECONDS=2; SIGTERM must end the
# process within that grace period plus the time Python takes to exit.
GRACE_SECONDS = 2.0
EXIT_SLACK_SECONDS = 3.0
GRPC_WRITERS = 4
# Failures a client may see while a server dies or restarts; the call is retried as it was.
RETRYABLE = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.CANCELLED,
        grpc.StatusCode.UNKNOWN,
        grpc.StatusCode.INTERNAL,
    }
)
# What a draining server may answer besides success: it refuses new calls, nothing else.
# CANCELLED is gRPC core's answer to a call that arrives as the server stops, before any handler
# took it (grpc/grpc#41785): nothing ran, but clients retrying only UNAVAILABLE see an error.
# It is counted on its own (`cancelled_at_shutdown`), not as an unclean failure.
CLEAN_DRAIN_FAILURES = frozenset({"UNAVAILABLE", "HTTP connection", "CANCELLED"})

T = TypeVar("T")


class Kind(enum.Enum):
    """What happens to one server in the middle of the load."""

    KILL = "kill -9"
    SIGTERM = "sigterm"


def kind_of_cycle(index: int) -> Kind:
    """One cycle in four ends a server with SIGTERM (the second one, so two cycles see both)."""
    return Kind.SIGTERM if index % 4 == 1 else Kind.KILL


# ------------------------------------------------------------------------------ databases


@dataclass(frozen=True)
class Store:
    """A migrated database the drill's servers share, and how many servers it gets."""

    name: str
    url: str
    servers: int


@contextlib.contextmanager
def sqlite_store(workdir: Path) -> Iterator[Store]:
    """One SQLite file for a whole run (cycles are kept apart by tenant), one server."""
    url = f"sqlite:///{workdir / f'drill-{uuid.uuid4().hex[:8]}.db'}"
    migrate(url)
    yield Store("sqlite", url, servers=1)


@contextlib.contextmanager
def postgres_store(base_url: str) -> Iterator[Store]:
    """A fresh schema for a whole run, dropped at its end, two servers."""
    schema = f"ob_drill_{uuid.uuid4().hex[:12]}"
    libpq = make_url(base_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        rendered = url.render_as_string(hide_password=False)
        # Migrated once here, so that two servers starting together never race to migrate.
        migrate(rendered)
        yield Store("postgres", rendered, servers=2)
    finally:
        with psycopg.connect(libpq, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


# ------------------------------------------------------------------------------ servers


@dataclass(frozen=True)
class Target:
    """One server as a client sees it at one moment: a restart makes a new generation."""

    index: int
    generation: int
    stub: Any  # order_service_pb2_grpc.OrderServiceStub (the generated module is untyped)
    http_port: int


@dataclass
class _Slot:
    server: ServerProcess | None = None
    target: Target | None = None
    up: bool = False


class Servers:
    """The cycle's server processes; clients pick a live one, faults kill and restart them."""

    def __init__(self, url: str, tokens: dict[str, str], count: int) -> None:
        self._url = url
        self._tokens = tokens
        self._slots = [_Slot() for _ in range(count)]
        self._changed = threading.Condition()
        self._channels: list[grpc.Channel] = []
        self._started: list[ServerProcess] = []
        self._launches = itertools.count()

    @property
    def count(self) -> int:
        return len(self._slots)

    def start(self) -> None:
        """Starts every server at once and returns when all listen."""
        errors: list[BaseException] = []

        def launch(index: int) -> None:
            try:
                self.restart(index)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=launch, args=(i,)) for i in range(self.count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def restart(self, index: int) -> None:
        """Starts server `index` (on new ports) and waits for its listening line."""
        # A name of its own per process: its log-draining thread is found by it when reaped.
        server = orderbridge_server(f"drill-{next(self._launches)}", self._url, self._tokens)
        self._started.append(server)
        channel = grpc.insecure_channel(f"127.0.0.1:{server.ports['grpc_port']}")
        with self._changed:
            slot = self._slots[index]
            generation = slot.target.generation + 1 if slot.target else 0
            stub = order_service_pb2_grpc.OrderServiceStub(channel)
            slot.server = server
            slot.target = Target(index, generation, stub, server.ports["http_port"])
            slot.up = True
            self._channels.append(channel)
            self._changed.notify_all()

    def kill(self, index: int) -> None:
        """SIGKILL: no shutdown at all; clients learn it from their failing calls."""
        server = self._server(index)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(30)
        self._mark_down(index)

    def terminate(self, index: int) -> tuple[int | None, float]:
        """SIGTERM; (exit code or None if still running after the grace period, seconds)."""
        server = self._server(index)
        began = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        try:
            code: int | None = server.process.wait(GRACE_SECONDS + EXIT_SLACK_SECONDS)
        except subprocess.TimeoutExpired:
            code = None
            server.process.kill()
            server.process.wait(30)
        seconds = time.monotonic() - began
        self._mark_down(index)
        return code, seconds

    def pick(self, preferred: int, avoid: tuple[int, int] | None) -> Target | None:
        """A live server, `preferred` first, other than the generation that just failed.

        When the only live server is the one that failed, waits for news (a fault noticed, a
        restart) a short while, then offers it again.
        """
        with self._changed:
            self._changed.wait_for(self._any_up, timeout=SETTLE_SECONDS)
            fresh = [target for target in self._live(preferred) if _key(target) != avoid]
            if fresh:
                return fresh[0]
            self._changed.wait(0.2)
            live = self._live(preferred)
            return live[0] if live else None

    def close(self) -> None:
        """Ends every server with SIGKILL (the audit is done, nothing is in flight), reaps all."""
        # Not SIGTERM: an idle server takes a second or two to drain, which would double a
        # PostgreSQL cycle; the SIGTERM cycles test that path under load instead.
        for channel in self._channels:
            channel.close()
        for server in self._started:
            _reap(server)

    def _server(self, index: int) -> ServerProcess:
        server = self._slots[index].server
        assert server is not None
        return server

    def _mark_down(self, index: int) -> None:
        with self._changed:
            self._slots[index].up = False
            self._changed.notify_all()

    def _any_up(self) -> bool:
        return any(slot.up for slot in self._slots)

    def _live(self, preferred: int) -> list[Target]:
        order = self._slots[preferred:] + self._slots[:preferred]
        return [slot.target for slot in order if slot.up and slot.target is not None]


def _reap(server: ServerProcess) -> None:
    """Kills the process if it still runs and closes its log pipe once it has been read out."""
    if server.process.poll() is None:
        server.process.kill()
    server.process.wait(30)
    for thread in threading.enumerate():
        if thread.name == f"drain-{server.name}":
            thread.join(10)
    if server.process.stderr is not None:
        server.process.stderr.close()


def _key(target: Target) -> tuple[int, int]:
    return target.index, target.generation


# ------------------------------------------------------------------------------ clients


@dataclass
class Outcome(Generic[T]):
    """How a call ended after its retries: a result, a refusal (its code), or neither."""

    result: T | None = None
    refused: grpc.StatusCode | None = None


@dataclass
class Stats:
    """Counts the clients keep while they write."""

    failed_in_flight: int = 0
    retried_ok: int = 0
    unresolved: int = 0
    race_aborts: int = 0
    errors: list[str] = field(default_factory=list)
    # Failures by the server generation they happened on: SIGTERM's must all be clean.
    failures: dict[tuple[int, int], Counter[str]] = field(default_factory=dict)
    # Failures other than UNAVAILABLE, with how long the call ran and what the server said.
    odd_failures: list[str] = field(default_factory=list)


class Workload:
    """Client threads writing orders of one tenant, each call retried by its request_id."""

    def __init__(self, servers: Servers, tenant: str, token: str, seed: int) -> None:
        self.servers = servers
        self.parent = f"tenants/{tenant}"
        self.tenant = tenant
        self.token = token
        self.metadata = (("authorization", f"Bearer {token}"),)
        self.seed = seed
        self.ledger = Ledger()
        self.stats = Stats()
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._acks = threading.Condition(self._lock)
        self._ack_count = 0
        self._threads: list[threading.Thread] = []
        self.race_name = ""

    # -- the coordinator's side

    def start(self) -> None:
        self._create_race_order()
        bodies: list[Callable[[], None]] = [
            *(self._writer_body(index) for index in range(GRPC_WRITERS)),
            self._drip_body(),
            *(self._racer_body(index) for index in range(2)),
        ]
        for index, body in enumerate(bodies):
            thread = threading.Thread(target=body, name=f"drill-client-{index}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def acknowledged(self) -> int:
        with self._lock:
            return self._ack_count

    def wait_for_acks(self, count: int) -> None:
        with self._acks:
            if not self._acks.wait_for(lambda: self._ack_count >= count, PHASE_TIMEOUT):
                raise RuntimeError(f"load stalled at {self._ack_count} acknowledgements")

    def finish(self) -> None:
        """Stops new writes; returns when every call in flight is settled."""
        self.stop.set()
        for thread in self._threads:
            thread.join(SETTLE_SECONDS + PHASE_TIMEOUT)
            if thread.is_alive():
                raise RuntimeError(f"{thread.name} did not settle its calls")

    def stored_orders(self) -> list[order_pb2.Order]:
        """Every order of the tenant, through ListOrders on a live server."""
        orders: list[order_pb2.Order] = []
        token = ""
        while True:
            page = self._list_page(token)
            orders += page.orders
            token = page.next_page_token
            if not token:
                return orders

    def _list_page(self, token: str) -> order_service_pb2.ListOrdersResponse:
        request = order_service_pb2.ListOrdersRequest(
            parent=self.parent, page_size=1000, page_token=token, show_deleted=True
        )
        page: Outcome[order_service_pb2.ListOrdersResponse] = self._settle(
            lambda target: target.stub.ListOrders(request, **self._call), 0
        )
        if page.result is None:
            raise RuntimeError(f"ListOrders failed: {page.refused}")
        return page.result

    # -- calls

    @property
    def _call(self) -> dict[str, Any]:
        return {"metadata": self.metadata, "timeout": CALL_TIMEOUT}

    def _settle(
        self,
        attempt: Callable[[Target], T],
        preferred: int,
        passes: frozenset[grpc.StatusCode] = frozenset(),
    ) -> Outcome[T]:
        """Calls until answered, retrying failures as they were (same request, same id).

        A code in `passes` is an answer the caller handles (a race's stale etag); any other
        non-retryable code is a refusal, counted as an error.
        """
        failed_on: tuple[int, int] | None = None
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            target = self.servers.pick(preferred, failed_on)
            if target is None:
                continue
            began = time.monotonic()
            try:
                result = attempt(target)
            except grpc.RpcError as error:
                code = error.code()
                if code in passes:
                    return Outcome(refused=self._settled(code, failed_on is not None))
                if code not in RETRYABLE:
                    self._error(f"{code.name}: {error.details()}")
                    return Outcome(refused=code)
                if code is not grpc.StatusCode.UNAVAILABLE:
                    ran = time.monotonic() - began
                    self._odd(f"{code.name} after {ran:.2f}s: {error.details()}")
                self._failure(_key(target), code.name, first=failed_on is None)
                failed_on = _key(target)
                continue
            return Outcome(result=self._settled(result, failed_on is not None))
        with self._lock:
            self.stats.unresolved += 1
        return Outcome()

    def _settled(self, result: T, after_failure: bool) -> T:
        # A retry that gets any answer settles the call (a race's stale etag included).
        if after_failure:
            with self._lock:
                self.stats.retried_ok += 1
        return result

    def _failure(self, on: tuple[int, int], code: str, *, first: bool) -> None:
        with self._lock:
            self.stats.failed_in_flight += first
            self.stats.failures.setdefault(on, Counter())[code] += 1

    def _odd(self, message: str) -> None:
        with self._lock:
            self.stats.odd_failures.append(message[:200])

    def _error(self, message: str) -> None:
        with self._lock:
            self.stats.errors.append(message[:300])

    def _acknowledge(self, key: str, content: Content) -> None:
        with self._acks:
            self.ledger.acknowledge(key, content)
            self._ack_count += 1
            self._acks.notify_all()

    # -- gRPC writers: creates, upserts and batch upserts, one key written by one thread

    def _writer_body(self, index: int) -> Callable[[], None]:
        rng = random.Random(f"{self.seed}-writer-{index}")
        keys: list[str] = []

        def body() -> None:
            serial = 0
            while not self.stop.is_set():
                serial += 1
                choice = rng.random()
                if choice < 0.4:
                    self._create(f"c{index}-{serial}", _content(rng), index)
                elif choice < 0.75:
                    key = rng.choice(keys) if keys and rng.random() < 0.5 else f"u{index}-{serial}"
                    if key not in keys:
                        keys.append(key)
                    self._upsert(key, _content(rng), serial, index)
                else:
                    batch = {
                        f"b{index}-{serial}-{n}": _content(rng) for n in range(rng.randint(1, 3))
                    }
                    for key in rng.sample(keys, min(len(keys), rng.randint(0, 2))):
                        batch[key] = _content(rng)
                    keys.extend(key for key in batch if key not in keys)
                    self._batch_upsert(batch, serial, index)

        return body

    def _create(self, key: str, content: Content, preferred: int) -> None:
        # No external reference: were a retry ever applied twice, the order would be stored twice.
        request = order_service_pb2.CreateOrderRequest(
            parent=self.parent, order=_order(key, content, ref=False), request_id=f"{key}.create"
        )
        self._write(key, content, preferred, lambda t: t.stub.CreateOrder(request, **self._call))

    def _upsert(self, key: str, content: Content, serial: int, preferred: int) -> None:
        request = order_service_pb2.UpsertOrderRequest(
            parent=self.parent,
            order=_order(key, content, ref=True),
            key_source="drill",
            request_id=f"{key}.{serial}",
        )
        self._write(key, content, preferred, lambda t: t.stub.UpsertOrder(request, **self._call))

    def _write(
        self, key: str, content: Content, preferred: int, attempt: Callable[[Target], Any]
    ) -> None:
        outcome = self._settle(attempt, preferred)
        if outcome.result is not None:
            self._acknowledge(key, content)
        elif outcome.refused is None:
            with self._lock:
                self.ledger.leave_unresolved(key, content)

    def _batch_upsert(self, batch: dict[str, Content], serial: int, preferred: int) -> None:
        request = order_service_pb2.BatchUpsertOrdersRequest(
            parent=self.parent,
            requests=[
                order_service_pb2.UpsertOrderRequest(
                    order=_order(key, content, ref=True), key_source="drill"
                )
                for key, content in batch.items()
            ],
            request_id=f"batch-{preferred}-{serial}",
        )
        outcome = self._settle(lambda t: t.stub.BatchUpsertOrders(request, **self._call), preferred)
        if outcome.result is None:
            if outcome.refused is None:
                with self._lock:
                    for key, content in batch.items():
                        self.ledger.leave_unresolved(key, content)
            return
        for (key, content), result in zip(batch.items(), outcome.result.results, strict=True):
            if result.code == 0:
                self._acknowledge(key, content)
            else:
                self._error(f"batch entry {key}: {result.code} {result.message}")

    # -- one HTTP door: Drip orders, upserted by (provider, upstream_id)

    def _drip_body(self) -> Callable[[], None]:
        rng = random.Random(f"{self.seed}-drip")
        keys: list[str] = []

        def body() -> None:
            serial = 0
            while not self.stop.is_set():
                serial += 1
                key = rng.choice(keys) if keys and rng.random() < 0.3 else f"d-{serial}"
                if key not in keys:
                    keys.append(key)
                content = _content(rng)
                outcome = self._settle_http(_drip_body(key, content), serial % self.servers.count)
                if outcome is True:
                    self._acknowledge(key, content)
                elif outcome is None:
                    with self._lock:
                        self.ledger.leave_unresolved(key, content)

        return body

    def _settle_http(self, body: bytes, preferred: int) -> bool | None:
        """POSTs until answered: True when accepted, False when refused, None when never."""
        failed_on: tuple[int, int] | None = None
        credential = base64.b64encode(f"{self.token}:".encode()).decode()
        headers = {"Authorization": f"Basic {credential}", "Content-Type": "application/json"}
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            target = self.servers.pick(preferred, failed_on)
            if target is None:
                continue
            connection = http.client.HTTPConnection("127.0.0.1", target.http_port, timeout=10)
            try:
                connection.request("POST", f"/drip/v2/{self.tenant}/orders", body, headers)
                response = connection.getresponse()
                answer = response.read()
            except OSError:
                self._failure(_key(target), "HTTP connection", first=failed_on is None)
                failed_on = _key(target)
                continue
            finally:
                connection.close()
            if response.status == 202:
                return self._settled(True, failed_on is not None)
            if response.status >= 500:
                self._failure(_key(target), f"HTTP {response.status}", first=failed_on is None)
                failed_on = _key(target)
                continue
            self._error(f"Drip {response.status}: {answer[:200]!r}")
            return False
        with self._lock:
            self.stats.unresolved += 1
        return None

    # -- the race: two clients increment one order's counter, each with the etag it read

    def _create_race_order(self) -> None:
        key = "race"
        request = order_service_pb2.CreateOrderRequest(
            parent=self.parent, order=_order(key, race_content(0), ref=False), request_id="race"
        )
        outcome = self._settle(lambda t: t.stub.CreateOrder(request, **self._call), 0)
        if outcome.result is None:
            raise RuntimeError(f"could not create the race order: {outcome.refused}")
        self.race_name = outcome.result.name
        self.ledger.race_key = key

    def _racer_body(self, index: int) -> Callable[[], None]:
        get = order_service_pb2.GetOrderRequest(name=self.race_name)
        preferred = index % self.servers.count

        def body() -> None:
            serial = 0
            while not self.stop.is_set():
                serial += 1
                read = self._settle(lambda t: t.stub.GetOrder(get, **self._call), preferred)
                if read.result is None:
                    return
                self._increment(read.result, f"race-{index}-{serial}", preferred)

        return body

    def _increment(self, current: order_pb2.Order, request_id: str, preferred: int) -> None:
        target = int(current.staff_notes) + 1
        content = race_content(target)
        order = _order(current.order_number, content, ref=False)
        order.name = current.name
        order.etag = current.etag
        request = order_service_pb2.UpdateOrderRequest(
            order=order,
            update_mask=field_mask_pb2.FieldMask(paths=["staff_notes", "line_items", "total"]),
            request_id=request_id,
        )
        outcome = self._settle(
            lambda t: t.stub.UpdateOrder(request, **self._call),
            preferred,
            passes=frozenset({grpc.StatusCode.ABORTED}),
        )
        with self._acks:
            if outcome.result is not None:
                self.ledger.race_targets.append(target)
                self._ack_count += 1
                self._acks.notify_all()
            elif outcome.refused == grpc.StatusCode.ABORTED:
                self.stats.race_aborts += 1  # the other client got there first: read again
            elif outcome.refused is None:
                self.ledger.race_unresolved += 1


def _content(rng: random.Random) -> Content:
    lines = tuple(
        (f"S{rng.randint(1, 50)}", rng.randint(1, 5), rng.randint(100, 9_999))
        for _ in range(rng.randint(1, 4))
    )
    content = Content(lines, sum(quantity * price for _, quantity, price in lines))
    assert is_consistent(content)
    return content


def _order(key: str, content: Content, *, ref: bool) -> order_pb2.Order:
    order = order_pb2.Order(
        order_number=key,
        currency_code="USD",
        staff_notes=content.note,
        total=money(content.total_cents),
    )
    if ref:
        order.external_refs.add(source="drill", id=key)
    for number, (sku, quantity, price) in enumerate(content.lines):
        order.line_items.add(
            id=f"li-{number}", sku=sku, name=sku, quantity=quantity, unit_price=money(price)
        )
    return order


def _drip_body(key: str, content: Content) -> bytes:
    items = [
        {"name": sku, "sku": sku, "price": price, "quantity": quantity, "amount": price * quantity}
        for sku, quantity, price in content.lines
    ]
    order = {
        "provider": "drill",
        "upstream_id": key,
        "identifier": key,
        "email": f"{key}@example.com",
        "amount": content.total_cents,
        "currency_code": "USD",
        "items": items,
    }
    return json.dumps({"orders": [order]}).encode()


# ------------------------------------------------------------------------------ one cycle


@dataclass
class CycleResult:
    """What one cycle did and found."""

    index: int
    kind: Kind
    seed: int
    acknowledged: int = 0
    findings: Findings = field(default_factory=Findings)
    stats: Stats = field(default_factory=Stats)
    sigterm_ok: bool | None = None
    cancelled_at_shutdown: int = 0
    sigterm_note: str = ""
    seconds: float = 0.0
    crashed: str = ""

    @property
    def bad(self) -> bool:
        """Lost, duplicated or half-written orders, or a drill that could not finish."""
        found = self.findings
        return bool(found.lost or found.duplicated or found.partial or self.crashed)


def run_cycle(store: Store, index: int, seed: int) -> CycleResult:
    """Starts the servers, writes under load, ends one server at a random moment, audits."""
    began = time.monotonic()
    result = CycleResult(index, kind_of_cycle(index), seed)
    rng = random.Random(seed)
    tenant = f"drill{index}-{seed}"
    token = f"drill-token-{index}-{seed}"
    servers = Servers(store.url, {token: tenant}, store.servers)
    load = Workload(servers, tenant, token, seed)
    try:
        servers.start()
        load.start()
        load.wait_for_acks(rng.randint(20, 150))
        victim = rng.randrange(servers.count)
        _fault(servers, victim, result)
        # Keep writing a while after the fault, so new calls and retries meet the restarted
        # (or the remaining) server together.
        load.wait_for_acks(load.acknowledged() + 40)
        load.finish()
        if result.kind is Kind.SIGTERM:
            _judge_drain(_drain_failures(load.stats, victim), result)
        result.findings = audit(load.ledger, load.stored_orders())
        result.acknowledged = load.ledger.acknowledged_writes
        result.stats = load.stats
    except Exception as error:
        result.crashed = f"{type(error).__name__}: {error}"
    finally:
        load.stop.set()  # after a crash too: no client may outlive its cycle's servers
        servers.close()
    result.seconds = time.monotonic() - began
    return result


def _fault(servers: Servers, victim: int, result: CycleResult) -> None:
    """kill -9 and restart; or SIGTERM, timed, and a restart when no other server is left."""
    if result.kind is Kind.KILL:
        servers.kill(victim)
        servers.restart(victim)
        return
    code, seconds = servers.terminate(victim)
    result.sigterm_note = f"exit {code} after {seconds:.2f}s"
    result.sigterm_ok = code == 0 and seconds <= GRACE_SECONDS + EXIT_SLACK_SECONDS
    if servers.count == 1:
        servers.restart(victim)


def _judge_drain(drained: Counter[str], result: CycleResult) -> None:
    """A SIGTERM is clean when the calls it caught failed only as a draining server may."""
    result.cancelled_at_shutdown = drained["CANCELLED"]
    if set(drained) - CLEAN_DRAIN_FAILURES:
        result.sigterm_ok = False
    if set(drained) - {"UNAVAILABLE", "HTTP connection"}:
        result.sigterm_note += f"; in-flight calls failed with {dict(drained)}"


def _drain_failures(stats: Stats, victim: int) -> Counter[str]:
    """The failures seen on the SIGTERMed server (its first generation)."""
    return stats.failures.get((victim, 0), Counter())
