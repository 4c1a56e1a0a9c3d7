"""Deadlines: a write whose caller has given up is rolled back, never committed behind its back."""

import time
from collections.abc import Iterator

import grpc
import psycopg
import pytest
from orderbridge.v1 import order_service_pb2, order_service_pb2_grpc
from sqlalchemy.engine import make_url

from service.database import open_database
from service.migrate import upgrade
from service.server import GrpcServer, start_grpc_server
from tests.conftest import ACME, TOKENS, drop_postgres_schema, fresh_postgres_url
from tests.service.builders import an_order


@pytest.fixture
def postgres_server() -> Iterator[tuple[GrpcServer, str]]:
    url, schema = fresh_postgres_url()
    database = open_database(url)
    upgrade(database)
    server = start_grpc_server(database=database, tokens=TOKENS, host="127.0.0.1", port=0)
    try:
        yield server, url
    finally:
        server.stop(0)
        drop_postgres_schema(schema)


def _waiting_on_lock(watcher: psycopg.Connection[tuple[int]]) -> bool:
    row = watcher.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE '%tenant_counters%'"
    ).fetchone()
    return row is not None and row[0] > 0


def test_write_past_its_deadline_is_rolled_back(postgres_server: tuple[GrpcServer, str]) -> None:
    server, url = postgres_server
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with grpc.insecure_channel(f"127.0.0.1:{server.port}") as channel:
        stub = order_service_pb2_grpc.OrderServiceStub(channel)
        create = order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=an_order())
        stub.CreateOrder(create, metadata=ACME, timeout=10)
        late = an_order()
        with psycopg.connect(libpq) as blocker, psycopg.connect(libpq, autocommit=True) as watcher:
            blocker.execute("SELECT * FROM tenant_counters WHERE tenant = 'acme' FOR UPDATE")
            call = stub.CreateOrder.future(
                order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=late),
                metadata=ACME,
                timeout=0.5,
            )
            deadline = time.monotonic() + 20
            while not _waiting_on_lock(watcher) and time.monotonic() < deadline:
                time.sleep(0.01)
            with pytest.raises(grpc.RpcError) as raised:
                call.result(timeout=20)
            assert raised.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
            blocker.rollback()
        # This create waits on the counter row until the late one has finished its transaction.
        stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=an_order()),
            metadata=ACME,
            timeout=10,
        )
    with psycopg.connect(libpq) as check:
        row = check.execute(
            "SELECT count(*) FROM orders WHERE order_number = %s", (late.order_number,)
        ).fetchone()
    assert row == (0,)
