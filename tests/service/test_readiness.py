"""Liveness and readiness: /readyz and gRPC health follow the database (reachable, schema at
head) and intake; /livez and /healthz follow only the process."""

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import grpc
import httpx
import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import text
from sqlalchemy.engine import make_url

from service.database import Database, open_database
from service.health import READY, Readiness, schema_readiness
from service.http import HttpServer, build_http_app
from service.migrate import head_revision, upgrade
from service.server import GrpcServer, start_grpc_server
from tests.conftest import POSTGRES_URL, TOKENS, drop_postgres_schema, fresh_postgres_url
from tests.service.processes import serving

SERVICES = ("", "orderbridge.v1.OrderService")
# Readiness is checked every second with a 2 s deadline; 30 s is a bound, not an expectation.
PATIENCE_SECONDS = 30.0


def _eventually(condition: Callable[[], bool], what: Callable[[], str]) -> None:
    """Polls `condition` until it holds; fails after PATIENCE_SECONDS."""
    deadline = time.monotonic() + PATIENCE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what()}")


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a server; `cut` takes the server away, `restore` brings it
    back. Cut "refusing", new connections are closed at once; cut "silent", they are held open
    and nothing is forwarded (a network that drops packets)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self._upstream = upstream
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._cut: str | None = None
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self, how: str) -> None:
        with self._lock:
            self._cut = how
            self._close_all()

    def restore(self) -> None:
        with self._lock:
            self._cut = None
            self._close_all()  # the held "silent" connections go too

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            self._close_all()

    def _close_all(self) -> None:
        for connection in self._open:
            with contextlib.suppress(OSError):  # already gone
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()
        self._open.clear()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            with self._lock:
                if self._cut == "refusing":
                    client.close()
                    continue
                self._open.append(client)
                if self._cut == "silent":
                    continue
            try:
                server = socket.create_connection(self._upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._open.append(server)
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass  # either side closed: the other pump ends too
        for end in (source, target):
            with contextlib.suppress(OSError):  # already shut by the other pump
                end.shutdown(socket.SHUT_RDWR)


def _health(port: int) -> list[int]:
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        return [
            stub.Check(health_pb2.HealthCheckRequest(service=service), timeout=5).status
            for service in SERVICES
        ]


SERVING = [health_pb2.HealthCheckResponse.SERVING] * 2
NOT_SERVING = [health_pb2.HealthCheckResponse.NOT_SERVING] * 2


@pytest.mark.postgres
@pytest.mark.parametrize("cut", ["refusing", "silent"])
def test_readiness_follows_postgresql_away_and_back(cut: str) -> None:
    upstream = make_url(POSTGRES_URL)
    proxy = TcpProxy((upstream.host or "127.0.0.1", upstream.port or 5432))
    url, schema = fresh_postgres_url()
    proxied = make_url(url).set(host="127.0.0.1", port=proxy.port)
    environment = {"ORDERBRIDGE_TOKENS": "token-acme=acme"}
    arguments = ("--host", "127.0.0.1", "--database-url", proxied.render_as_string(False))
    try:
        with serving(*arguments, environment=environment) as server:
            http = f"http://127.0.0.1:{server.listening['http_port']}"
            grpc_port = server.listening["grpc_port"]
            seen: list[object] = []

            def answers(status: int, health: list[int]) -> Callable[[], bool]:
                def check() -> bool:
                    ready = httpx.get(f"{http}/readyz", timeout=5)
                    seen[:] = [ready.status_code, ready.json(), _health(grpc_port)]
                    return seen[0] == status and seen[2] == health

                return check

            _eventually(answers(200, SERVING), lambda: f"ready (saw {seen})")
            assert seen[1] == {"status": "ready"}
            proxy.cut(cut)
            _eventually(answers(503, NOT_SERVING), lambda: f"not ready (saw {seen})")
            body = seen[1]
            assert isinstance(body, dict)
            assert body["status"] == "not ready"
            assert body["reason"].startswith("database ")
            for path in ("/livez", "/healthz"):  # the process itself is fine
                assert httpx.get(f"{http}{path}", timeout=5).json() == {"status": "ok"}
            proxy.restore()
            _eventually(answers(200, SERVING), lambda: f"ready again (saw {seen})")
    finally:
        proxy.close()
        drop_postgres_schema(schema)


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[tuple[GrpcServer, str, Database]]:
    """A server on a fresh SQLite file, with its HTTP door answering /readyz from it."""
    database = open_database(f"sqlite:///{tmp_path}/ready.db")
    upgrade(database)
    server = start_grpc_server(database=database, tokens=TOKENS, host="127.0.0.1", port=0)
    http = HttpServer(build_http_app(readiness=server.readiness.current), host="127.0.0.1", port=0)
    http.start()
    yield server, f"http://127.0.0.1:{http.port}", database
    http.stop(0)
    server.stop(0)


def _readyz(base: str) -> tuple[int, dict[str, str]]:
    response = httpx.get(f"{base}/readyz", timeout=5)
    return response.status_code, response.json()


def _set_revision(database: Database, revision: str) -> None:
    with database.writer.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_a_schema_behind_head_is_not_ready_and_says_run_migrate(
    sqlite_server: tuple[GrpcServer, str, Database],
) -> None:
    server, base, database = sqlite_server
    assert _readyz(base) == (200, {"status": "ready"})
    assert _health(server.port) == SERVING
    config = Config()
    config.set_main_option(
        "script_location", str(Path(__file__).parents[2] / "service" / "migrations")
    )
    previous = ScriptDirectory.from_config(config).get_revision(head_revision()).down_revision
    assert isinstance(previous, str)
    _set_revision(database, previous)
    answers: list[tuple[int, dict[str, str]]] = []

    def not_ready() -> bool:
        answers.append(_readyz(base))
        return answers[-1][0] == 503 and _health(server.port) == NOT_SERVING

    _eventually(not_ready, lambda: f"not ready (saw {answers[-1:]})")
    assert answers[-1][1]["reason"] == (
        f"database schema is at {previous}, this code needs {head_revision()}: "
        "run `orderbridge migrate`"
    )
    _set_revision(database, head_revision())
    _eventually(
        lambda: _readyz(base)[0] == 200 and _health(server.port) == SERVING,
        lambda: "ready again",
    )


def test_a_sqlite_file_gone_is_not_ready_until_it_is_back(
    sqlite_server: tuple[GrpcServer, str, Database], tmp_path: Path
) -> None:
    server, base, _ = sqlite_server
    os.rename(tmp_path / "ready.db", tmp_path / "moved.db")
    try:
        _eventually(lambda: _readyz(base)[0] == 503, lambda: "not ready")
        assert _readyz(base)[1]["reason"].startswith("database unreachable: ")
        assert _health(server.port) == NOT_SERVING
    finally:
        os.rename(tmp_path / "moved.db", tmp_path / "ready.db")
    _eventually(lambda: _readyz(base)[0] == 200, lambda: "ready again")
    assert _health(server.port) == SERVING


def test_draining_is_not_ready_for_good(sqlite_server: tuple[GrpcServer, str, Database]) -> None:
    server, base, _ = sqlite_server
    server.readiness.drain()
    assert _readyz(base) == (503, {"status": "not ready", "reason": "draining: intake is closed"})
    assert _health(server.port) == NOT_SERVING
    assert httpx.get(f"{base}/livez", timeout=5).json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("abc", READY),
        (None, Readiness(False, "database has no schema, this code needs abc: run migrate")),
        (
            "old",
            Readiness(
                False, "database schema is at old, this code needs abc: run `orderbridge migrate`"
            ),
        ),
    ],
)
def test_schema_readiness_compares_the_revision_with_head(
    current: str | None, expected: Readiness
) -> None:
    assert schema_readiness(current, "abc") == expected
