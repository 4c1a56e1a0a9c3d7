"""An error no door expected: the vendor's 500, one JSON log line with the request id, the
connection closed cleanly, and the server still answering."""

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from orderbridge.v1 import order_service_pb2

from adapters.facades import build_facades
from adapters.port import port_of
from service.http import HttpLimits, HttpServer, build_http_app

# One real request per door that reaches the service port (each door's own documented route).
REQUESTS = {
    "jirafe": b"PUT /jirafe/v2/acme/order HTTP/1.1\r\nAuthorization: Bearer t\r\n",
    "drip": b"POST /drip/v2/acme/orders HTTP/1.1\r\nAuthorization: Bearer t\r\n",
    "fabric": (
        b"GET /fabric/api-order/orders/orderNumber/1 HTTP/1.1\r\nx-api-key: t\r\n"
        b'x-site-context: {"account": "acme"}\r\n'
    ),
    "bigcommerce": b"GET /bigcommerce/stores/acme/v2/orders/1 HTTP/1.1\r\nX-Auth-Token: t\r\n",
}
BODIES = {
    "jirafe": b'{"status": "cancelled", "order_number": "1", "cancel_date": '
    b'"2013-06-17T15:16:10.000Z"}',
    "drip": b'{"orders": [{"email": "a@b.co", "provider": "p", "upstream_id": "1", "amount": 1}]}',
}


# Each door's own answer to the unexpected: Jirafe's error_states.md says "503 unknown: An
# unexpected error occurred."; the others answer 500.
STATUS_LINES = {
    "jirafe": "http/1.1 503 service unavailable",
    "drip": "http/1.1 500 internal server error",
    "fabric": "http/1.1 500 internal server error",
    "bigcommerce": "http/1.1 500 internal server error",
}


class Boom(RuntimeError):
    """What the failing service raises: nothing any door knows."""


@contextmanager
def doors_over_a_failing_service() -> Iterator[int]:
    """Every door on 127.0.0.1 (its port yielded) over a service whose every call raises Boom."""

    def failing(_name: str) -> Any:
        async def call(_request: Any, _credential: str) -> Any:
            raise Boom("the service broke")

        return call

    server = HttpServer(
        build_http_app(mounts=build_facades(port_of(failing))), host="127.0.0.1", port=0
    )
    server.start()
    try:
        yield server.port
    finally:
        server.stop()


@pytest.fixture(scope="module")
def http_port() -> Iterator[int]:
    with doors_over_a_failing_service() as port:
        yield port


def _exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        # The server closes the connection after the answer: reading to the end proves it.
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("door", sorted(REQUESTS))
def test_an_unexpected_error_is_the_vendors_own_answer_logged_once_with_the_request_id(
    http_port: int, door: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = BODIES.get(door, b"")
    request = (
        REQUESTS[door]
        + b"Host: x\r\nX-Request-Id: req-"
        + door.encode()
        + b"\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )

    with caplog.at_level(logging.INFO):
        answer = _exchange(http_port, request)

    head, _, payload = answer.partition(b"\r\n\r\n")
    headers = head.decode("latin-1").lower().split("\r\n")
    assert headers[0] == STATUS_LINES[door]
    assert "connection: close" in headers
    assert f"x-request-id: req-{door}" in headers
    assert b"Traceback" not in payload
    assert b"the service broke" not in payload
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [(record.name, getattr(record, "request_id", None)) for record in failures] == [
        ("orderbridge.access", f"req-{door}")
    ]
    assert failures[0].exc_info is not None
    # The server still answers on a new connection.
    assert (
        _exchange(http_port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")[:15]
        == b"HTTP/1.1 200 OK"
    )


def test_a_client_that_stalls_its_body_gets_408_and_no_unexpected_error_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The credential check passes (any CountOrders answers), then the Drip door reads the body:
    # the client sends half of it and stops. The body timeout answers 408; the door then meets
    # the disconnect, which is the client leaving, not an error of ours.
    def answering(_name: str) -> Any:
        async def call(_request: Any, _credential: str) -> Any:
            return order_service_pb2.CountOrdersResponse()

        return call

    server = HttpServer(
        build_http_app(mounts=build_facades(port_of(answering))),
        host="127.0.0.1",
        port=0,
        limits=HttpLimits(body_timeout=0.5),
    )
    server.start()
    try:
        body = BODIES["drip"]
        request = (
            REQUESTS["drip"]
            + b"Host: x\r\nX-Request-Id: req-stall\r\nContent-Type: application/json\r\n"
            + b"Content-Length: "
            + str(len(body)).encode()
            + b"\r\n\r\n"
            + body[: len(body) // 2]
        )
        with caplog.at_level(logging.INFO):
            answer = _exchange(server.port, request)
    finally:
        server.stop()

    assert answer.startswith(b"HTTP/1.1 408 ")
    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
