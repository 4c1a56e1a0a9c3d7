"""Shared fixtures: real databases (SQLite file, PostgreSQL schema) and a real gRPC server."""

import inspect
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType

import grpc
import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase
from orderbridge.v1 import order_service_pb2_grpc
from sqlalchemy.engine import make_url

from adapters.facades import build_facades
from adapters.port import OrderServicePort, grpc_port
from service.database import Database, open_database
from service.http import HttpServer, build_http_app
from service.migrate import upgrade
from service.server import GrpcServer, start_grpc_server

# Hypothesis profiles. `ci` is loaded unless another is asked for, so the README's plain
# `pytest -q` is deterministic: the same examples on every run, no example database, nothing
# timed. `wide` is for hunting on a workstation: random, ten times the examples, failures kept
# in .hypothesis/examples and replayed first. Select it with HYPOTHESIS_PROFILE=wide or
# `pytest --hypothesis-profile=wide` (the option wins). Whatever a hunt finds is then written
# down as an @example or a plain test, so `ci` keeps it for good.
CI_MAX_EXAMPLES = 100
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,  # a deadline is a timed assertion: its verdict would follow the machine's load
    max_examples=CI_MAX_EXAMPLES,
    print_blob=True,
    # too_slow times data generation, so it too would follow the load; the other health checks
    # depend only on the (derandomized) data and stay on.
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "wide",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(Path(__file__).parents[1] / ".hypothesis" / "examples"),
    deadline=None,
    max_examples=10 * CI_MAX_EXAMPLES,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def scaled_examples(ci_count: int) -> int:
    """A test's own max_examples: ci_count under `ci`, scaled as the loaded profile's budget is."""
    return max(1, ci_count * settings().max_examples // CI_MAX_EXAMPLES)


POSTGRES_URL = os.environ.get(
    "ORDERBRIDGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TOKENS = {"token-acme": "acme", "token-globex": "globex"}
ACME = (("authorization", "Bearer token-acme"),)
GLOBEX = (("authorization", "Bearer token-globex"),)


def _libpq_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# Which tests need PostgreSQL, found at collection so that `-m postgres` / `-m "not postgres"`
# select them: a test gets the `postgres` marker when one of its parameters is "postgres" (the
# backend parametrizations: the `database` fixture, local backend fixtures), when it uses
# `postgres_schema_url`, or when its own code or that of a fixture it uses (one not driven by a
# parameter) names one of these PostgreSQL openers.
REQUIRE_POSTGRES = "ORDERBRIDGE_TEST_REQUIRE_POSTGRES"
_POSTGRES_OPENERS = frozenset(
    {"POSTGRES_URL", "_libpq_dsn", "fresh_postgres_url", "drop_postgres_schema", "postgres_store"}
)


def _names(code: CodeType) -> Iterator[str]:
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _names(constant)


def _opens_postgres(function: Callable[..., object]) -> bool:
    code = getattr(inspect.unwrap(function), "__code__", None)
    return code is not None and not _POSTGRES_OPENERS.isdisjoint(_names(code))


def _needs_postgres(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    params: dict[str, object] = dict(callspec.params) if callspec is not None else {}
    if "postgres" in params.values() or "postgres_schema_url" in getattr(item, "fixturenames", ()):
        return True
    fixtureinfo = getattr(item, "_fixtureinfo", None)
    definitions = fixtureinfo.name2fixturedefs if fixtureinfo is not None else {}
    functions = [getattr(item, "function", None)] + [
        defs[-1].func for name, defs in definitions.items() if defs and name not in params
    ]
    return any(_opens_postgres(function) for function in functions if function is not None)


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _needs_postgres(item) and item.get_closest_marker("postgres") is None:
            item.add_marker(pytest.mark.postgres)


def _postgres_unreachable() -> str | None:
    """None when POSTGRES_URL takes a connection within 2 s, else why not."""
    try:
        with psycopg.connect(_libpq_dsn(POSTGRES_URL), connect_timeout=2):
            return None
    except Exception as error:  # psycopg.OperationalError, or a URL that does not parse
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once per session, when a selected test needs PostgreSQL: if it cannot be reached, those
    tests skip with the reason (or, with ORDERBRIDGE_TEST_REQUIRE_POSTGRES=1, the session ends in
    an error before any test runs)."""
    needing = [item for item in session.items if item.get_closest_marker("postgres")]
    if not needing or session.config.option.collectonly:
        return
    error = _postgres_unreachable()
    if error is None:
        return
    try:
        shown = make_url(POSTGRES_URL).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: nothing in it to hide
        shown = POSTGRES_URL
    if os.environ.get(REQUIRE_POSTGRES) == "1":
        pytest.exit(
            f"PostgreSQL unreachable at {shown} ({error}) and {REQUIRE_POSTGRES}=1: "
            f"{len(needing)} selected tests need it",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
    reason = (
        f"PostgreSQL unreachable at {shown} ({error}); start it there or point "
        f"ORDERBRIDGE_TEST_POSTGRES_URL at one ({REQUIRE_POSTGRES}=1 makes this an error)"
    )
    for item in needing:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped at the end of the session."""
    schema = f"ob_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def fresh_postgres_url() -> tuple[str, str]:
    """(url, schema) of a new empty schema; the caller drops it."""
    schema = f"ob_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_postgres_schema(schema: str) -> None:
    """Drops a schema made by fresh_postgres_url."""
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database on each backend."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "orders.db"
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_schema_url")
    db = open_database(url)
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def grpc_server(database: Database) -> Iterator[GrpcServer]:
    """OrderService on 127.0.0.1, a free port, over the session's database."""
    server = start_grpc_server(database=database, tokens=TOKENS, host="127.0.0.1", port=0)
    yield server
    server.stop_serving(None)


@pytest.fixture(scope="session")
def channel(grpc_server: GrpcServer) -> Iterator[grpc.Channel]:
    """A real channel to the session's server."""
    with grpc.insecure_channel(f"127.0.0.1:{grpc_server.port}") as opened:
        yield opened


@pytest.fixture
def stub(channel: grpc.Channel) -> order_service_pb2_grpc.OrderServiceStub:
    """An OrderService stub on the session's channel."""
    return order_service_pb2_grpc.OrderServiceStub(channel)


@pytest.fixture(scope="session", params=["in-process", "grpc-channel"])
def door_port(request: pytest.FixtureRequest, grpc_server: GrpcServer) -> OrderServicePort:
    """The OrderService port the doors call: in process (as in `serve`) or over a real channel
    (as in `serve-facade`); every door test runs over both."""
    if request.param == "in-process":
        return grpc_server.in_process_port()
    return grpc_port(f"127.0.0.1:{grpc_server.port}")


@pytest.fixture(scope="session")
def facade_url(door_port: OrderServicePort) -> Iterator[str]:
    """The vendor doors over real HTTP on 127.0.0.1, calling the session's OrderService."""
    http = HttpServer(build_http_app(mounts=build_facades(door_port)), host="127.0.0.1", port=0)
    http.start()
    yield f"http://127.0.0.1:{http.port}"
    http.stop()
