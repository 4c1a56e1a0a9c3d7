"""An acknowledged order survives a crash of the process (SIGKILL, no shutdown at all)."""

import signal
import sqlite3
from pathlib import Path

import grpc
from orderbridge.v1 import order_service_pb2, order_service_pb2_grpc

from tests.conftest import ACME
from tests.service.builders import an_order
from tests.service.processes import serving


def test_acknowledged_orders_survive_sigkill(tmp_path: Path) -> None:
    database = tmp_path / "crash.db"
    acknowledged = []
    with serving(
        "--database-url",
        f"sqlite:///{database}",
        environment={"ORDERBRIDGE_TOKENS": "token-acme=acme"},
    ) as server:
        port = server.listening["grpc_port"]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = order_service_pb2_grpc.OrderServiceStub(channel)
            for _ in range(20):
                order = stub.CreateOrder(
                    order_service_pb2.CreateOrderRequest(parent="tenants/acme", order=an_order()),
                    metadata=ACME,
                    timeout=10,
                )
                acknowledged.append(order.name.rsplit("/", 1)[1])
        server.process.send_signal(signal.SIGKILL)
        assert server.process.wait(10) == -signal.SIGKILL
    with sqlite3.connect(database) as connection:
        stored = {row[0] for row in connection.execute("SELECT id FROM orders")}
    assert set(acknowledged) <= stored
