"""HTTP connection limits over raw sockets: head, body and keep-alive timeouts, connection cap.

Each test awaits the server's move (a close, an answer) with a blocking read whose timeout is
well above the configured limit; none sleeps, none asserts how fast anything was.
"""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from pydantic import ValidationError

from service.http import HttpLimits, HttpServer, build_http_app
from service.server import http_limits
from service.settings import Settings
from tests.service.processes import serving

# Limits small enough to reach quickly; each test waits far longer than the one it exercises.
SHORT = 0.5
PATIENCE = 10.0
GET = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"


def _upload_app() -> FastAPI:
    """POST /files/upload reads the whole body, as the doors do, and says how long it was."""
    app = FastAPI()

    @app.post("/upload")
    async def upload(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    return app


@contextmanager
def _served(limits: HttpLimits) -> Iterator[tuple[str, int]]:
    server = HttpServer(
        build_http_app(mounts={"/files": _upload_app()}),
        host="127.0.0.1",
        port=0,
        limits=limits,
    )
    server.start()
    try:
        yield server.host, server.port
    finally:
        server.stop(grace=0)


def _read_until_closed(connection: socket.socket, seconds: float) -> bytes:
    """Everything the server sends until it closes the connection; fails if it is still open
    after `seconds`."""
    connection.settimeout(seconds)
    received = b""
    try:
        while chunk := connection.recv(65536):
            received += chunk
    except ConnectionResetError:  # closed with bytes of ours unread: still a close
        pass
    except TimeoutError:
        raise AssertionError(f"connection still open after {seconds} s") from None
    return received


def _answer(connection: socket.socket) -> bytes:
    """One response head and body (the test apps answer with a Content-Length)."""
    connection.settimeout(PATIENCE)
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        assert chunk, f"closed before an answer: {received!r}"
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        chunk = connection.recv(65536)
        assert chunk, "closed in the middle of an answer"
        body += chunk
    return head + b"\r\n\r\n" + body


@pytest.mark.parametrize(
    "sent",
    [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"],
    ids=["nothing", "a partial head"],
)
def test_a_connection_without_a_complete_head_is_closed_after_the_header_timeout(
    sent: bytes,
) -> None:
    with (
        _served(HttpLimits(header_timeout=SHORT, keepalive=60)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        connection.sendall(sent)
        assert _read_until_closed(connection, PATIENCE) == b""


def test_a_head_trickled_byte_by_byte_does_not_extend_the_header_timeout() -> None:
    # Slow-loris proper: a header line every 0.1 s, each one resetting any idle timer.
    with (
        _served(HttpLimits(header_timeout=SHORT, keepalive=60)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")
        connection.settimeout(0.1)
        for _ in range(int(PATIENCE / 0.1)):
            try:
                connection.sendall(b"X-A: b\r\n")
                if connection.recv(65536) == b"":
                    return
            except TimeoutError:
                continue  # still open: trickle on
            except (BrokenPipeError, ConnectionResetError):
                return
        raise AssertionError(f"a trickled head kept the connection open for {PATIENCE} s")


def test_a_stalled_body_is_answered_408_and_closed_after_the_body_timeout() -> None:
    with (
        _served(HttpLimits(body_timeout=SHORT, keepalive=60)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        connection.sendall(
            b"POST /files/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 10
        )
        answer = _read_until_closed(connection, PATIENCE)
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert b"connection: close\r\n" in answer.lower()


def test_a_body_sent_in_full_is_not_cut_by_the_body_timeout() -> None:
    with (
        _served(HttpLimits(body_timeout=SHORT)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        connection.sendall(
            b"POST /files/upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
        )
        answer = _answer(connection)
        assert answer.startswith(b"HTTP/1.1 200 ")
        assert answer.endswith(b'{"bytes":3}')


def test_an_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout() -> None:
    # uvicorn's own default is 5 s; waiting 4 s for a 1 s setting shows the setting applies.
    with (
        _served(HttpLimits(keepalive=1, header_timeout=60)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        connection.sendall(GET)
        assert _answer(connection).startswith(b"HTTP/1.1 200 ")
        assert _read_until_closed(connection, 4.0) == b""


def test_past_the_connection_limit_a_request_gets_503_and_the_server_answers_once_one_closes() -> (
    None
):
    with _served(HttpLimits(max_connections=2, keepalive=60, header_timeout=60)) as address:
        held = [socket.create_connection(address, timeout=PATIENCE) for _ in range(2)]
        try:
            for connection in held:  # answered: the server counts both
                connection.sendall(GET)
                assert _answer(connection).startswith(b"HTTP/1.1 200 ")
            with socket.create_connection(address, timeout=PATIENCE) as extra:
                extra.sendall(GET)
                refused = _read_until_closed(extra, PATIENCE)
                assert refused.startswith(b"HTTP/1.1 503 ")
                assert b"connection: close\r\n" in refused.lower()
            # One held connection ends (the server closes it, so it has let it go when the
            # client sees the close); a new one is served again.
            held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert _read_until_closed(held[0], PATIENCE).startswith(b"HTTP/1.1 200 ")
            with socket.create_connection(address, timeout=PATIENCE) as again:
                again.sendall(GET)
                assert _answer(again).startswith(b"HTTP/1.1 200 ")
        finally:
            for connection in held:
                connection.close()


def test_the_four_variables_set_the_http_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERBRIDGE_HTTP_HEADER_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("ORDERBRIDGE_HTTP_BODY_TIMEOUT_SECONDS", "12")
    monkeypatch.setenv("ORDERBRIDGE_HTTP_KEEPALIVE_SECONDS", "75")
    monkeypatch.setenv("ORDERBRIDGE_HTTP_MAX_CONNECTIONS", "100")
    assert http_limits(Settings()) == HttpLimits(
        header_timeout=2.5, body_timeout=12.0, keepalive=75, max_connections=100
    )


def test_without_the_variables_the_settings_give_the_servers_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HEADER_TIMEOUT_SECONDS", "BODY_TIMEOUT_SECONDS", "KEEPALIVE_SECONDS"):
        monkeypatch.delenv(f"ORDERBRIDGE_HTTP_{name}", raising=False)
    monkeypatch.delenv("ORDERBRIDGE_HTTP_MAX_CONNECTIONS", raising=False)
    assert http_limits(Settings()) == HttpLimits()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ORDERBRIDGE_HTTP_HEADER_TIMEOUT_SECONDS", "0"),
        ("ORDERBRIDGE_HTTP_BODY_TIMEOUT_SECONDS", "-1"),
        ("ORDERBRIDGE_HTTP_KEEPALIVE_SECONDS", "0.5"),  # uvicorn counts whole seconds
        ("ORDERBRIDGE_HTTP_KEEPALIVE_SECONDS", "0"),
        ("ORDERBRIDGE_HTTP_MAX_CONNECTIONS", "0"),
        ("ORDERBRIDGE_HTTP_MAX_CONNECTIONS", "many"),
    ],
)
def test_a_limit_that_cannot_work_is_refused(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match=variable.removeprefix("ORDERBRIDGE_").lower()):
        Settings()


def test_serve_applies_the_header_timeout_from_its_variable(tmp_path: Path) -> None:
    environment = {
        "ORDERBRIDGE_TOKENS": "token-acme=acme",
        "ORDERBRIDGE_HTTP_HEADER_TIMEOUT_SECONDS": str(SHORT),
    }
    with serving("--database-url", f"sqlite:///{tmp_path}/o.db", environment=environment) as server:
        address = ("127.0.0.1", server.listening["http_port"])
        with socket.create_connection(address, timeout=PATIENCE) as connection:
            connection.sendall(b"POST /drip/v2/acme/orders HTTP/1.1\r\nHost: x\r\n")
            assert _read_until_closed(connection, PATIENCE) == b""


def test_a_head_past_the_header_byte_limit_is_answered_431_and_closed() -> None:
    # httptools reads a head of any size (20 MB of headers were answered 200 before the cap).
    with (
        _served(HttpLimits(max_header_bytes=4096, keepalive=60)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        try:
            for number in range(64):
                connection.sendall(b"X-Filler-%d: %s\r\n" % (number, b"a" * 200))
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed while we were still sending: the answer is already there
        received = _read_until_closed(connection, PATIENCE)
        assert received.startswith(b"HTTP/1.1 431 ")


def test_a_head_within_the_header_byte_limit_is_answered() -> None:
    with (
        _served(HttpLimits(max_header_bytes=4096, keepalive=60)) as address,
        socket.create_connection(address, timeout=PATIENCE) as connection,
    ):
        filler = b"X-Filler: " + b"a" * 3000 + b"\r\n"
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + filler + b"\r\n")
        assert _answer(connection).startswith(b"HTTP/1.1 200 ")
