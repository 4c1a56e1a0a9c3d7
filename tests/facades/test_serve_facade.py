"""`orderbridge serve-facade VENDOR --grpc-target` runs one door alone against a remote service."""

import signal
import subprocess
import sys
from pathlib import Path

from orderbridge.v1 import order_pb2, order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from service.server import GrpcServer
from tests.conftest import ACME
from tests.service.processes import place_jirafe_order_through_facade

EVENT = Path(__file__).parents[1] / "adapters" / "jirafe" / "examples" / "order-accepted.json"


def test_a_facade_runs_alone_and_drains_on_sigterm(
    grpc_server: GrpcServer, stub: OrderServiceStub
) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service.cli",
            "serve-facade",
            "jirafe",
            "--grpc-target",
            f"127.0.0.1:{grpc_server.port}",
            "--http-port",
            "0",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    try:
        order_number = place_jirafe_order_through_facade(process, EVENT)
        stored = stub.LookupOrder(
            order_service_pb2.LookupOrderRequest(
                parent="tenants/acme",
                external_ref=order_pb2.ExternalRef(source="jirafe", id=order_number),
            ),
            metadata=ACME,
        )
        assert stored.lifecycle_state == order_pb2.LIFECYCLE_STATE_CONFIRMED
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.stderr.close()
