"""Every door's write routes check the credential before reading the body: a stranger's request
is refused in the vendor's own shape and its body is never read (driven at the ASGI level)."""

import asyncio
import base64
import dataclasses
import json
from typing import Any

import pytest
from starlette.types import Message

from adapters.facades import build_facade
from adapters.port import OrderServicePort
from service.server import GrpcServer

# A body the door must not read: malformed JSON, its declared length past every door's limit
# (was refused 413 before the credential) or its own (was read and refused 400/422).
MALFORMED = b'{"orders": [ not json'
LENGTHS = {"huge": 50 * 1024 * 1024, "malformed": len(MALFORMED)}


def _basic(token: str) -> str:
    return "Basic " + base64.b64encode(f"{token}:".encode()).decode()


def _credential(vendor: str, token: str) -> dict[str, str]:
    return {
        "jirafe": {"authorization": f"Bearer {token}"},
        "bigcommerce": {"x-auth-token": token},
        "fabric": {"x-api-key": token, "x-site-context": '{"account": "acme"}'},
        "drip": {"authorization": _basic(token)},
    }[vendor]


# (vendor, method, path) of every route that reads a body.
WRITE_ROUTES = [
    ("jirafe", "POST", "/v2/acme/order"),
    ("jirafe", "PUT", "/v2/acme/order"),
    ("jirafe", "POST", "/v2/acme/batch"),
    ("jirafe", "PUT", "/v2/acme/batch"),
    ("bigcommerce", "POST", "/stores/acme/v2/orders"),
    ("bigcommerce", "PUT", "/stores/acme/v2/orders/1"),
    ("fabric", "POST", "/api-order/subscriptions/orders"),
    ("drip", "POST", "/v2/acme/orders"),
    ("drip", "POST", "/v2/acme/orders/batches"),
    ("drip", "POST", "/v2/acme/refunds"),
]


def _is_unauthenticated(vendor: str, status: int, body: Any, headers: dict[str, str]) -> bool:
    """The vendor's own answer to an unknown credential."""
    if vendor == "jirafe":  # error_states.md: 403 invalid_token
        return status == 403 and body["success"] is False and body["error_type"] == "invalid_token"
    if vendor == "bigcommerce":  # an array of {status, message}
        return status == 401 and body[0]["status"] == 401
    if vendor == "fabric":
        return status == 401 and body["type"] == "CLIENT_ERROR"
    return (  # Drip: _errors.md's shape and the Basic challenge
        status == 401
        and body["errors"][0]["code"] == "authentication_error"
        and headers["www-authenticate"].startswith("Basic")
    )


def _is_forbidden(vendor: str, status: int, body: Any) -> bool:
    """The vendor's own answer to a valid credential for another tenant."""
    if vendor == "jirafe":
        return status == 403 and body["error_type"] == "authorization"
    if vendor == "bigcommerce":
        return status == 403 and body[0]["status"] == 403
    if vendor == "fabric":
        return status == 403 and body["type"] == "CLIENT_ERROR"
    return status == 403 and body["errors"][0]["code"] == "authorization_error"


async def _send(
    port: OrderServicePort,
    vendor: str,
    method: str,
    path: str,
    headers: dict[str, str],
    length: int,
) -> tuple[int, Any, dict[str, str], int]:
    """(status, JSON body, headers, how many times the door asked for the request body)."""
    app = build_facade(vendor, port)
    reads = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": MALFORMED, "more_body": length > len(MALFORMED)}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (name.lower().encode(), value.encode())
            for name, value in {**headers, "content-length": str(length)}.items()
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    answer_headers = {name.decode(): value.decode() for name, value in start["headers"]}
    return start["status"], json.loads(body), answer_headers, reads


@pytest.mark.parametrize("length", LENGTHS.values(), ids=LENGTHS)
@pytest.mark.parametrize(("vendor", "method", "path"), WRITE_ROUTES)
def test_an_unknown_credential_is_refused_before_the_body_is_read(
    door_port: OrderServicePort, vendor: str, method: str, path: str, length: int
) -> None:
    credential = _credential(vendor, "token-nobody")
    status, body, headers, reads = asyncio.run(
        _send(door_port, vendor, method, path, credential, length)
    )
    assert _is_unauthenticated(vendor, status, body, headers), (status, body)
    assert reads == 0


@pytest.mark.parametrize("length", LENGTHS.values(), ids=LENGTHS)
@pytest.mark.parametrize(("vendor", "method", "path"), WRITE_ROUTES)
def test_another_tenants_credential_is_refused_before_the_body_is_read(
    door_port: OrderServicePort, vendor: str, method: str, path: str, length: int
) -> None:
    credential = _credential(vendor, "token-globex")
    status, body, _headers, reads = asyncio.run(
        _send(door_port, vendor, method, path, credential, length)
    )
    assert _is_forbidden(vendor, status, body), (status, body)
    assert reads == 0


@pytest.mark.parametrize(("vendor", "method", "path"), WRITE_ROUTES)
def test_in_process_the_credential_check_reads_no_storage(
    grpc_server: GrpcServer, vendor: str, method: str, path: str
) -> None:
    # Inside `serve` the servicer answers the check from its tokens alone: the write that
    # follows is the only call that reaches storage (over a channel the door counts orders).
    counted: list[object] = []
    port = grpc_server.in_process_port()

    async def counting(request: Any, credential: str) -> Any:
        counted.append(request)
        return await port.CountOrders(request, credential)

    counting_port = dataclasses.replace(port, CountOrders=counting)
    credential = _credential(vendor, "token-acme")

    status, _body, _headers, _reads = asyncio.run(
        _send(counting_port, vendor, method, path, credential, len(MALFORMED))
    )

    assert status not in (401, 403)  # past the check (the malformed body is refused later)
    assert counted == []
