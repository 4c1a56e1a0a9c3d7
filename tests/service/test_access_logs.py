"""One JSON access-log line per door request and per RPC, with the request id echoed."""

import json
import logging
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest
from orderbridge.v1 import order_service_pb2
from orderbridge.v1.order_service_pb2_grpc import OrderServiceStub

from service.observability import ACCESS_LOGGER, JsonLinesFormatter
from tests.conftest import ACME
from tests.facades.test_unexpected_errors import doors_over_a_failing_service

# UTC with milliseconds, as the formatter writes every line's time.
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
DRIP_ORDER = {"orders": [{"email": "a@b.co", "provider": "p", "upstream_id": "", "amount": 1}]}
DRIP_AUTH = {"Authorization": "Basic dG9rZW4tYWNtZTo="}  # token-acme as the Basic user


class Lines(logging.Handler):
    """The access log's lines, formatted as configure_logging formats them."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonLinesFormatter())
        self.lines: list[dict[str, Any]] = []
        self.added = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        line = json.loads(self.format(record))
        with self.added:
            self.lines.append(line)
            self.added.notify_all()

    def of(self, request_id: str) -> list[dict[str, Any]]:
        """The lines of a request; a door logs once its answer is sent, so the client may
        have it first: this waits (up to 10 s) for the line to come."""
        with self.added:
            self.added.wait_for(
                lambda: any(line.get("request_id") == request_id for line in self.lines), 10
            )
            return [line for line in self.lines if line.get("request_id") == request_id]


@pytest.fixture
def access() -> Iterator[Lines]:
    logger = logging.getLogger(ACCESS_LOGGER)
    handler = Lines()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def request_id() -> str:
    return f"req-{uuid.uuid4().hex[:16]}"


def only_line(access: Lines, rid: str) -> dict[str, Any]:
    lines = access.of(rid)
    assert len(lines) == 1, lines
    line = lines[0]
    assert TIME.match(line["time"]), line["time"]
    assert line["logger"] == ACCESS_LOGGER
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    return line


def test_a_door_success_is_one_line_with_route_template_tenant_and_echoed_id(
    facade_url: str, access: Lines
) -> None:
    rid = request_id()
    order = {"orders": [{**DRIP_ORDER["orders"][0], "upstream_id": uuid.uuid4().hex}]}
    response = httpx.post(
        f"{facade_url}/drip/v2/acme/orders",
        json=order,
        headers={**DRIP_AUTH, "X-Request-Id": rid},
        timeout=10,
    )
    assert response.status_code == 202
    assert response.headers["x-request-id"] == rid
    line = only_line(access, rid)
    assert {k: line[k] for k in ("level", "door", "method", "route", "status", "tenant")} == {
        "level": "info",
        "door": "drip",
        "method": "POST",
        "route": "/v2/{account_id}/orders",
        "status": 202,
        "tenant": "acme",
    }
    assert line["message"] == "POST /v2/{account_id}/orders 202"


def test_a_refusal_of_the_door_itself_is_one_line(facade_url: str, access: Lines) -> None:
    rid = request_id()
    # No x-site-context: fabric refuses before any call to the service.
    response = httpx.get(
        f"{facade_url}/fabric/api-order/orders/orderNumber/1",
        headers={"x-api-key": "token-acme", "X-Request-Id": rid},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.headers["x-request-id"] == rid
    line = only_line(access, rid)
    assert (line["level"], line["door"], line["route"], line["status"], line["tenant"]) == (
        "info",
        "fabric",
        "/api-order/orders/orderNumber/{orderId}",
        400,
        None,
    )


def test_an_unknown_route_is_one_line_without_its_raw_path(facade_url: str, access: Lines) -> None:
    rid = request_id()
    response = httpx.get(f"{facade_url}/drip/no/such/9876", headers={"X-Request-Id": rid})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == rid
    line = only_line(access, rid)
    assert (line["route"], line["status"]) == ("unmatched", 404)
    assert "9876" not in json.dumps(line)


def test_a_refusal_of_the_service_is_one_line_with_the_tenant(
    facade_url: str, access: Lines
) -> None:
    rid = request_id()
    # token-acme on globex's account: the service answers PERMISSION_DENIED.
    response = httpx.post(
        f"{facade_url}/drip/v2/globex/orders",
        json=DRIP_ORDER,
        headers={**DRIP_AUTH, "X-Request-Id": rid},
        timeout=10,
    )
    assert response.status_code == 403
    line = only_line(access, rid)
    assert (line["level"], line["status"], line["tenant"]) == ("info", 403, "globex")


def test_a_request_without_an_id_gets_a_new_one_echoed(facade_url: str, access: Lines) -> None:
    response = httpx.get(f"{facade_url}/drip/no/such/route", timeout=10)
    rid = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert only_line(access, rid)["status"] == 404


@pytest.fixture(scope="module")
def failing_url() -> Iterator[str]:
    with doors_over_a_failing_service() as port:
        yield f"http://127.0.0.1:{port}"


def test_an_unexpected_error_is_one_error_line_with_the_exception(
    failing_url: str, access: Lines
) -> None:
    rid = request_id()
    response = httpx.post(
        f"{failing_url}/drip/v2/acme/orders",
        json=DRIP_ORDER,
        headers={**DRIP_AUTH, "X-Request-Id": rid},
        timeout=10,
    )
    assert response.status_code == 500
    assert response.headers["x-request-id"] == rid
    line = only_line(access, rid)
    assert (line["level"], line["status"], line["route"], line["tenant"]) == (
        "error",
        500,
        "/v2/{account_id}/orders",
        "acme",
    )
    assert "Boom: the service broke" in line["exception"]


def test_every_rpc_is_one_line_with_its_code_and_the_id_sent_back(
    stub: OrderServiceStub, access: Lines
) -> None:
    rid = request_id()
    listed, call = stub.ListOrders.with_call(
        order_service_pb2.ListOrdersRequest(parent="tenants/acme", page_size=1),
        metadata=(*ACME, ("x-request-id", rid)),
        timeout=10,
    )
    assert listed is not None
    assert ("x-request-id", rid) in call.initial_metadata()
    line = only_line(access, rid)
    assert {
        k: line[k] for k in ("level", "grpc_service", "grpc_method", "grpc_code", "tenant")
    } == {
        "level": "info",
        "grpc_service": "orderbridge.v1.OrderService",
        "grpc_method": "ListOrders",
        "grpc_code": "OK",
        "tenant": "acme",
    }

    missing = request_id()
    with pytest.raises(grpc.RpcError) as raised:
        stub.GetOrder(
            order_service_pb2.GetOrderRequest(name=f"tenants/acme/orders/{uuid.uuid4().hex}"),
            metadata=(*ACME, ("x-request-id", missing)),
            timeout=10,
        )
    assert raised.value.code() == grpc.StatusCode.NOT_FOUND
    assert ("x-request-id", missing) in raised.value.initial_metadata()  # type: ignore[attr-defined]  # a Call too
    line = only_line(access, missing)
    assert (line["level"], line["grpc_method"], line["grpc_code"]) == (
        "info",
        "GetOrder",
        "NOT_FOUND",
    )


def test_an_rpc_without_an_id_gets_a_new_one(stub: OrderServiceStub, access: Lines) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        stub.ListOrders(order_service_pb2.ListOrdersRequest(parent="tenants/acme"), timeout=10)
    assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED
    sent_back = dict(raised.value.initial_metadata())  # type: ignore[attr-defined]  # a Call too
    rid = sent_back["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert only_line(access, rid)["grpc_code"] == "UNAUTHENTICATED"
