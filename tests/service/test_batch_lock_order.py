"""Concurrent batches that share an order: no deadlock reaches the caller, and replays hold."""

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import grpc
import psycopg
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.errors import Aborted, DeadlineExceeded
from core.ports import Call, OrderStore, WriteConflict
from core.usecases import CONFLICT_ATTEMPTS, OrderUseCases
from service.database import open_database
from service.migrate import upgrade
from service.server import GrpcServer, start_grpc_server
from tests.conftest import ACME, TOKENS, drop_postgres_schema, fresh_postgres_url
from tests.service.builders import an_order

PARENT = "tenants/acme"
TIMEOUT = 30.0


@dataclass(frozen=True)
class Served:
    """A server over a database of its own, a stub on it and, on PostgreSQL, the libpq DSN and
    the application_name that tells the server's backends from everyone else's."""

    server: GrpcServer
    stub: OrderServiceStub
    libpq: str = ""
    application_name: str = ""


def _serve(url: str) -> GrpcServer:
    database = open_database(url)
    upgrade(database)
    return start_grpc_server(database=database, tokens=TOKENS, host="127.0.0.1", port=0)


@pytest.fixture
def postgres() -> Iterator[Served]:
    url, schema = fresh_postgres_url()
    # Other sessions may share the cluster: the server's backends are found by this name.
    name = f"ob_lock_order_{uuid.uuid4().hex[:12]}"
    url = (
        make_url(url)
        .update_query_dict({"application_name": name})
        .render_as_string(hide_password=False)
    )
    server = _serve(url)
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            yield Served(server, OrderServiceStub(channel), libpq, name)
    finally:
        server.stop(0)
        drop_postgres_schema(schema)


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Served]:
    server = _serve(f"sqlite:///{tmp_path}/orders.db")
    try:
        with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
            yield Served(server, OrderServiceStub(channel))
    finally:
        server.stop(0)


def _upsert(order: order_pb2.Order, note: str = "") -> order_service_pb2.UpsertOrderRequest:
    sent = order_pb2.Order()
    sent.CopyFrom(order)
    sent.staff_notes = note
    return order_service_pb2.UpsertOrderRequest(order=sent, key_source="test")


@dataclass(frozen=True)
class OppositeBatches:
    """An order both batches update, and two batches that each also create an order: the first
    updates the shared order before its create, the second after."""

    shared: order_pb2.Order
    stored: order_pb2.Order
    shared_first: order_service_pb2.BatchUpsertOrdersRequest
    shared_last: order_service_pb2.BatchUpsertOrdersRequest


def _opposite_batches(stub: OrderServiceStub) -> OppositeBatches:
    shared = an_order()
    stored = stub.CreateOrder(
        order_service_pb2.CreateOrderRequest(parent=PARENT, order=shared),
        metadata=ACME,
        timeout=TIMEOUT,
    )
    return OppositeBatches(
        shared=shared,
        stored=stored,
        shared_first=order_service_pb2.BatchUpsertOrdersRequest(
            parent=PARENT,
            requests=[_upsert(shared, "first"), _upsert(an_order())],
            request_id=f"first-{uuid.uuid4().hex}",
        ),
        shared_last=order_service_pb2.BatchUpsertOrdersRequest(
            parent=PARENT,
            requests=[_upsert(an_order()), _upsert(shared, "last")],
            request_id=f"last-{uuid.uuid4().hex}",
        ),
    )


def _copies(server: GrpcServer, order_number: str) -> int:
    with server.database.reader.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM orders WHERE order_number = :number"),
            {"number": order_number},
        ).scalar_one()
    return int(count)


def _assert_both_written(
    served: Served,
    batches: OppositeBatches,
    first: order_service_pb2.BatchUpsertOrdersResponse,
    last: order_service_pb2.BatchUpsertOrdersResponse,
) -> None:
    assert [(result.code, result.created) for result in first.results] == [(0, False), (0, True)]
    assert [(result.code, result.created) for result in last.results] == [(0, True), (0, False)]
    created = [first.results[1].order, last.results[0].order]
    assert created[0].serial_number != created[1].serial_number
    shared = served.stub.GetOrder(
        order_service_pb2.GetOrderRequest(name=batches.stored.name),
        metadata=ACME,
        timeout=TIMEOUT,
    )
    assert shared.revision == batches.stored.revision + 2
    numbers = {
        request.order.order_number
        for batch in (batches.shared_first, batches.shared_last)
        for request in batch.requests
    }
    assert len(numbers) == 3
    assert all(_copies(served.server, number) == 1 for number in numbers)
    # The request_id records were committed with the batches: a retry replays the first reply
    # and writes nothing.
    for request, reply in [(batches.shared_first, first), (batches.shared_last, last)]:
        assert served.stub.BatchUpsertOrders(request, metadata=ACME, timeout=TIMEOUT) == reply
    assert (
        served.stub.GetOrder(
            order_service_pb2.GetOrderRequest(name=batches.stored.name),
            metadata=ACME,
            timeout=TIMEOUT,
        )
        == shared
    )


def _blocked_backends(watcher: psycopg.Connection[tuple[int]], application_name: str) -> int:
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE application_name = %s AND cardinality(pg_blocking_pids(pid)) > 0",
        (application_name,),
    ).fetchone()
    return 0 if row is None else row[0]


def _counter_is_free(watcher: psycopg.Connection[tuple[int]]) -> bool:
    try:
        # Autocommit: the lock, when taken, is released at once.
        watcher.execute(
            "SELECT last_serial FROM tenant_counters WHERE tenant = 'acme' FOR UPDATE NOWAIT"
        )
    except psycopg.errors.LockNotAvailable:
        return False
    return True


def _until_blocked(watcher: psycopg.Connection[tuple[int]], served: Served, count: int) -> None:
    """Returns once `count` of the server's backends wait on a lock (polls the server's state;
    it does not guess a time)."""
    deadline = time.monotonic() + TIMEOUT
    while _blocked_backends(watcher, served.application_name) < count:
        assert time.monotonic() < deadline, f"{count} server backend(s) never waited on a lock"
        time.sleep(0.005)


@pytest.mark.postgres
def test_opposite_batches_sharing_an_order_both_commit_on_postgres(postgres: Served) -> None:
    batches = _opposite_batches(postgres.stub)
    with (
        psycopg.connect(postgres.libpq) as holder,
        psycopg.connect(postgres.libpq, autocommit=True) as watcher,
    ):
        # Holding the shared row makes the interleaving exact: the shared-first batch waits
        # for it first, then the shared-last batch waits for it after its create, which (before
        # the global lock order) holds the tenant counter that the shared-first batch needs
        # next: a deadlock as soon as the row is released.
        holder.execute(
            "SELECT id FROM orders WHERE order_number = %s FOR UPDATE",
            (batches.shared.order_number,),
        )
        shared_first = postgres.stub.BatchUpsertOrders.future(
            batches.shared_first, metadata=ACME, timeout=TIMEOUT
        )
        _until_blocked(watcher, postgres, 1)
        shared_last = postgres.stub.BatchUpsertOrders.future(
            batches.shared_last, metadata=ACME, timeout=TIMEOUT
        )
        _until_blocked(watcher, postgres, 2)
        # The lock order itself: both wait for an order row, so neither may hold the counter.
        assert _counter_is_free(watcher), "a batch took the tenant counter before an order row"
        holder.rollback()
        replies = shared_first.result(), shared_last.result()
    _assert_both_written(postgres, batches, *replies)


def _blocked(watcher: psycopg.Connection[tuple[int]], pid: int) -> bool:
    row = watcher.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", (pid,)).fetchone()
    return row is not None and bool(row[0])


def _until_waiting(watcher: psycopg.Connection[tuple[int]], pid: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not _blocked(watcher, pid):
        assert time.monotonic() < deadline, f"backend {pid} never waited on a lock"
        time.sleep(0.005)


@pytest.mark.postgres
def test_a_deadlocked_batch_is_retried_with_its_request_id_on_postgres(postgres: Served) -> None:
    originals = [an_order(), an_order()]
    stored = [
        postgres.stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent=PARENT, order=order),
            metadata=ACME,
            timeout=TIMEOUT,
        )
        for order in originals
    ]
    # (id, order): the batch updates the lower id first under any lock order.
    (low_id, low), (high_id, high) = sorted(
        (order.name.rsplit("/", 1)[1], original)
        for order, original in zip(stored, originals, strict=True)
    )
    batch_request = order_service_pb2.BatchUpsertOrdersRequest(
        parent=PARENT,
        requests=[_upsert(low, "batch"), _upsert(high, "batch"), _upsert(an_order())],
        request_id=f"retried-{uuid.uuid4().hex}",
    )
    with (
        psycopg.connect(postgres.libpq) as holder,
        psycopg.connect(postgres.libpq) as other,
        psycopg.connect(postgres.libpq, autocommit=True) as watcher,
        ThreadPoolExecutor(max_workers=1) as side,
    ):
        # `other` is a writer that takes the tenant counter, then an order row: against the
        # batch (rows, then the counter) it closes a cycle that no lock order inside the service
        # can prevent. The steps make the batch's own wait close it, and `other` never runs the
        # deadlock check, so PostgreSQL rolls back the batch (40P01), never `other`.
        other.execute("SET deadlock_timeout = '10min'")
        other.execute("SELECT last_serial FROM tenant_counters WHERE tenant = 'acme' FOR UPDATE")
        holder.execute("SELECT id FROM orders WHERE id = %s FOR UPDATE", (high_id,))
        batch = postgres.stub.BatchUpsertOrders.future(
            batch_request, metadata=ACME, timeout=TIMEOUT
        )
        _until_blocked(watcher, postgres, 1)  # holds the low row, waits for the high one
        other_took_low = side.submit(
            other.execute, "SELECT id FROM orders WHERE id = %s FOR UPDATE", (low_id,)
        )
        _until_waiting(watcher, other.info.backend_pid)  # waits for the batch
        holder.rollback()  # the batch goes on to the counter, held by `other`: a cycle
        other_took_low.result(timeout=TIMEOUT)  # the batch was rolled back
        other.rollback()
        reply = batch.result()
    assert [(result.code, result.created) for result in reply.results] == [
        (0, False),
        (0, False),
        (0, True),
    ]
    assert [result.order.revision for result in reply.results[:2]] == [
        order.revision + 1 for order in stored
    ]
    for request in batch_request.requests:
        assert _copies(postgres.server, request.order.order_number) == 1
    # The retry claimed the request_id again: a retry by the caller replays its reply.
    assert postgres.stub.BatchUpsertOrders(batch_request, metadata=ACME, timeout=TIMEOUT) == reply


class ConflictingUnitOfWork:
    """A unit of work whose database undoes every transaction it opens."""

    def __init__(self) -> None:
        self.attempts = 0

    def __call__(self) -> "ConflictingUnitOfWork":
        return self

    def __enter__(self) -> OrderStore:
        self.attempts += 1
        raise WriteConflict

    def __exit__(self, *raised: object) -> None:
        return None


def test_a_write_that_keeps_conflicting_is_aborted_after_bounded_pauses() -> None:
    unit_of_work = ConflictingUnitOfWork()
    pauses: list[float] = []
    orders = OrderUseCases(unit_of_work, jitter=lambda: 0.999, pause=pauses.append)
    with pytest.raises(Aborted) as raised:
        orders.create(Call(tenant="acme"), an_order())
    assert raised.value.reason == "WRITE_CONFLICT"
    assert unit_of_work.attempts == CONFLICT_ATTEMPTS
    assert len(pauses) == CONFLICT_ATTEMPTS - 1
    assert pauses == sorted(pauses)
    assert sum(pauses) < 0.15


def test_a_conflicting_write_is_not_retried_past_its_deadline() -> None:
    unit_of_work = ConflictingUnitOfWork()
    orders = OrderUseCases(unit_of_work, pause=lambda _: pytest.fail("paused past the deadline"))
    with pytest.raises(DeadlineExceeded):
        orders.create(Call(tenant="acme", time_left=lambda: 0.0), an_order())
    assert unit_of_work.attempts == 1


def test_opposite_batches_sharing_an_order_both_commit_on_sqlite(sqlite: Served) -> None:
    # SQLite runs one writer at a time, so it cannot deadlock; the same outcome is asserted.
    batches = _opposite_batches(sqlite.stub)
    shared_first = sqlite.stub.BatchUpsertOrders.future(
        batches.shared_first, metadata=ACME, timeout=TIMEOUT
    )
    shared_last = sqlite.stub.BatchUpsertOrders.future(
        batches.shared_last, metadata=ACME, timeout=TIMEOUT
    )
    _assert_both_written(sqlite, batches, shared_first.result(), shared_last.result())
