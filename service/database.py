"""Engines for SQLite (WAL, durable commits) and PostgreSQL (psycopg 3) from one URL."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

# The SQLSTATEs with which PostgreSQL undoes one transaction to settle a conflict between
# concurrent ones (serialization_failure, deadlock_detected): run again, it may well succeed.
TRANSIENT_CONFLICTS = frozenset({"40001", "40P01"})


@dataclass(frozen=True)
class Database:
    """A write engine and a read engine; the same engine except on SQLite."""

    url: str
    writer: Engine
    reader: Engine

    @property
    def is_sqlite(self) -> bool:
        return self.writer.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()


def is_transient_conflict(error: DBAPIError) -> bool:
    """Whether the database rolled the transaction back to let a concurrent one through."""
    # psycopg errors carry the SQLSTATE; SQLite's have none (its writers never deadlock).
    return getattr(error.orig, "sqlstate", None) in TRANSIENT_CONFLICTS


def normalize_url(url: str) -> str:
    """postgres:// and postgresql:// go through psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in {"postgres", "postgresql"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_engine(url: str, *, begin: str, writers: int | None = None) -> Engine:
    # pysqlite's own transaction handling is off so that we issue BEGIN ourselves: writers take
    # the write lock up front (BEGIN IMMEDIATE) instead of failing to upgrade a read lock later.
    pool: dict[str, Any] = {}
    if ":memory:" in url:
        pool["poolclass"] = NullPool
    elif writers is not None:
        # SQLite runs one writer at a time anyway: queue writers on the pool, in order, rather
        # than on busy_timeout, which sleeps in steps of up to 100 ms.
        pool.update(pool_size=writers, max_overflow=0, pool_timeout=30)
    engine = create_engine(
        url,
        connect_args={"isolation_level": None, "check_same_thread": False, "timeout": 30},
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL makes every commit durable in WAL mode: an acknowledged order survives a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def open_database(url: str, *, pool_size: int = 10) -> Database:
    """Engines for the URL; nothing is created or migrated here."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return Database(
            url=url,
            writer=_sqlite_engine(url, begin="BEGIN IMMEDIATE", writers=1),
            reader=_sqlite_engine(url, begin="BEGIN"),
        )
    engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    return Database(url=url, writer=engine, reader=engine)
