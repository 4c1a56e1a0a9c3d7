"""Prometheus metrics: conventional gRPC and HTTP names and labels, a door's own refusals
counted, and with workers one scrape summing every process (multiprocess mode)."""

import logging
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import grpc
import httpx
import pytest
from orderbridge.v1 import order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from service.observability import (
    ACCESS_LOGGER,
    MULTIPROC_VARIABLE,
    mark_worker_dead,
    metrics_response,
    multiprocess_metrics,
)
from tests.conftest import ACME

ORDER_SERVICE = "orderbridge.v1.OrderService"


class _Lines(logging.Handler):
    """The request ids of the access log's lines, and a way to wait (not sleep) for one."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.request_ids: list[str] = []
        self.added = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self.added:
            self.request_ids.append(getattr(record, "request_id", ""))
            self.added.notify_all()

    def wait_for(self, request_id: str) -> None:
        with self.added:
            assert self.added.wait_for(lambda: request_id in self.request_ids, 10)


@contextmanager
def access_lines() -> Iterator[_Lines]:
    logger = logging.getLogger(ACCESS_LOGGER)
    handler, level = _Lines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_rpcs_are_counted_and_timed_by_service_method_and_code(stub: OrderServiceStub) -> None:
    rpc = {"grpc_type": "unary", "grpc_service": ORDER_SERVICE, "grpc_method": "GetOrder"}
    handled = sample("grpc_server_handled_total", **rpc, grpc_code="NOT_FOUND")
    timed = sample("grpc_server_handling_seconds_count", **rpc)
    started = sample("grpc_server_started_total", **rpc)

    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(
            order_service_pb2.GetOrderRequest(name=f"tenants/acme/orders/{uuid.uuid4().hex}"),
            metadata=ACME,
            timeout=10,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND

    assert sample("grpc_server_handled_total", **rpc, grpc_code="NOT_FOUND") == handled + 1
    assert sample("grpc_server_handling_seconds_count", **rpc) == timed + 1
    assert sample("grpc_server_started_total", **rpc) == started + 1
    body, content_type = metrics_response()
    assert content_type.startswith("text/plain")
    assert (
        b'grpc_server_handled_total{grpc_code="NOT_FOUND",grpc_method="GetOrder",'
        b'grpc_service="orderbridge.v1.OrderService",grpc_type="unary"}'
    ) in body


def test_a_refusal_of_the_door_itself_is_counted_by_door_route_and_status(
    facade_url: str,
) -> None:
    labels = {
        "door": "fabric",
        "method": "GET",
        "route": "/api-order/orders/orderNumber/{orderId}",
        "status": "400",
    }
    counted = sample("http_requests_total", **labels)
    timed = sample("http_request_duration_seconds_count", **labels)

    # No x-site-context: fabric refuses before any call to the service.
    rid = f"req-{uuid.uuid4().hex}"
    with access_lines() as lines:
        response = httpx.get(
            f"{facade_url}/fabric/api-order/orders/orderNumber/1",
            headers={"x-api-key": "token-acme", "X-Request-Id": rid},
            timeout=10,
        )
        assert response.status_code == 400
        # Counted once the answer is sent, just before its access-log line.
        lines.wait_for(rid)

    assert sample("http_requests_total", **labels) == counted + 1
    assert sample("http_request_duration_seconds_count", **labels) == timed + 1


# A worker: counts `n` handled RPCs and `n` door requests, and exits.
WORKER = """
import sys
from service.observability import RPC_HANDLED
from adapters._facade import HTTP_REQUESTS
n = int(sys.argv[1])
RPC_HANDLED.labels("unary", "orderbridge.v1.OrderService", "GetOrder", "OK").inc(n)
HTTP_REQUESTS.labels("drip", "POST", "/v2/{account_id}/orders", "202").inc(n)
"""


def _run_worker(count: int, environment: dict[str, str]) -> int:
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(count)],
        env={**os.environ, **environment},
        cwd=Path(__file__).parents[2],
    )
    assert worker.wait(60) == 0
    return worker.pid


def test_one_scrape_sums_every_workers_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MULTIPROC_VARIABLE, raising=False)
    with multiprocess_metrics() as environment:
        directory = Path(environment[MULTIPROC_VARIABLE])
        assert directory.is_dir()
        assert list(directory.iterdir()) == []
        pids = [_run_worker(2, environment), _run_worker(3, environment)]
        for pid in pids:
            mark_worker_dead(pid, environment)

        monkeypatch.setenv(MULTIPROC_VARIABLE, str(directory))
        body, _content_type = metrics_response()
        samples = {
            (item.name, tuple(sorted(item.labels.items()))): item.value
            for family in text_string_to_metric_families(body.decode())
            for item in family.samples
        }
        rpc = (
            ("grpc_code", "OK"),
            ("grpc_method", "GetOrder"),
            ("grpc_service", ORDER_SERVICE),
            ("grpc_type", "unary"),
        )
        door = (
            ("door", "drip"),
            ("method", "POST"),
            ("route", "/v2/{account_id}/orders"),
            ("status", "202"),
        )
        assert samples[("grpc_server_handled_total", rpc)] == 5
        assert samples[("http_requests_total", door)] == 5
    assert not directory.exists()


def test_an_operators_metrics_directory_is_kept_and_emptied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leftover = tmp_path / "counter_12345.db"
    leftover.write_bytes(b"a previous run")
    monkeypatch.setenv(MULTIPROC_VARIABLE, str(tmp_path))
    with multiprocess_metrics() as environment:
        assert environment == {MULTIPROC_VARIABLE: str(tmp_path)}
        assert not leftover.exists()
    assert tmp_path.is_dir()
