"""`serve --workers N`: processes share both ports and one database, and stay correct."""

import signal
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from orderbridge.v1 import order_pb2, order_service_pb2, order_service_pb2_grpc

from tests.conftest import ACME, drop_postgres_schema, fresh_postgres_url
from tests.service.builders import an_order
from tests.service.processes import serving


@pytest.fixture(params=["sqlite", "postgres"])
def workers(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], int, int]]:
    schema = ""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/workers.db"
    else:
        url, schema = fresh_postgres_url()

    def supervisor_and_both_workers(lines: list[dict[str, Any]]) -> bool:
        return sum("workers" in line for line in lines) == 1 and len(lines) == 3

    try:
        with serving(
            "--workers",
            "2",
            "--database-url",
            url,
            environment={"ORDERBRIDGE_TOKENS": "token-acme=acme"},
            ready=supervisor_and_both_workers,
        ) as server:
            (supervisor,) = [line for line in server.listening_lines if "workers" in line]
            yield server.process, supervisor["grpc_port"], supervisor["http_port"]
    finally:
        if schema:
            drop_postgres_schema(schema)


def _create_on_a_new_channel(port: int, index: int) -> order_pb2.Order:
    # A fresh channel per call is a fresh connection, which the kernel may hand to either worker.
    with grpc.insecure_channel(
        f"127.0.0.1:{port}", options=[("grpc.use_local_subchannel_pool", 1)]
    ) as channel:
        stub = order_service_pb2_grpc.OrderServiceStub(channel)
        order = an_order()
        order.staff_notes = str(index)
        return stub.CreateOrder(
            order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=order),
            metadata=ACME,
            timeout=30,
        )


def test_workers_share_ports_and_assign_unique_serials(
    workers: tuple[subprocess.Popen[str], int, int],
) -> None:
    process, grpc_port, http_port = workers
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    assert len(children) == 2
    with ThreadPoolExecutor(max_workers=6) as pool:
        created = list(pool.map(lambda i: _create_on_a_new_channel(grpc_port, i), range(60)))
    serials = sorted(order.serial_number for order in created)
    assert serials == list(range(1, 61))
    assert httpx.get(f"http://127.0.0.1:{http_port}/healthz", timeout=10).json() == {"status": "ok"}
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0
