"""The storage floor: the service's order row + external-ref row, one commit each, no layers."""

import itertools
import sqlite3
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg

from bench.load import Call

# The service's columns in order (see the migrated `orders` table: migration 0002 appended
# `channel`, and place_time is create_time when the order names none); literal SQL.
SQLITE_INSERT_ORDER = (
    "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SQLITE_INSERT_REF = "INSERT INTO external_refs VALUES (?, ?, ?, ?)"
POSTGRES_INSERT_ORDER = (
    "INSERT INTO orders VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
    "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
POSTGRES_INSERT_REF = "INSERT INTO external_refs VALUES (%s, %s, %s, %s)"
TENANT = "floor"


class _Rows:
    """Order rows like the service writes them: same columns, the same stored proto bytes."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self._serials = itertools.count(1)

    def next(self, now: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        order_id = uuid.uuid4().hex
        serial = next(self._serials)
        order = (
            order_id, TENANT, serial, 1, f"ON-{order_id}", f"cart-{order_id}", "c-1",
            f"{order_id}@example.com", "", 2, 4, 1, "", "", "", "USD", 49_950_000_000,
            now, now, now, None, self.body, "",
        )  # fmt: skip
        return order, (TENANT, "bench", order_id, order_id)


class SqliteFloor:
    """Plain sqlite3, WAL + synchronous=FULL + BEGIN IMMEDIATE, as service/database.py does."""

    def __init__(self, path: str, body: bytes) -> None:
        self._path = path
        self._rows = _Rows(body)
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
            connection.execute(f"PRAGMA {pragma}")
        connection.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            self._connections.append(connection)
        return connection

    def call(self) -> Call:
        """One worker's insert+commit (its own connection, opened on first use)."""
        holder: list[sqlite3.Connection] = []

        def insert() -> None:
            if not holder:
                holder.append(self._connect())
            connection = holder[0]
            # SQLAlchemy stores an aware UTC datetime on SQLite as this naive text.
            now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
            order, ref = self._rows.next(now)
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(SQLITE_INSERT_ORDER, order)
                connection.execute(SQLITE_INSERT_REF, ref)
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

        return insert

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()


class PostgresFloor:
    """Plain psycopg 3 (autocommit connections, one explicit transaction per order)."""

    def __init__(self, connect: Callable[[], psycopg.Connection[Any]], body: bytes) -> None:
        self._connect_to = connect
        self._rows = _Rows(body)
        self._connections: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def call(self) -> Call:
        """One worker's insert+commit (its own connection, opened on first use)."""
        holder: list[psycopg.Connection[Any]] = []

        def insert() -> None:
            if not holder:
                connection = self._connect_to()
                with self._lock:
                    self._connections.append(connection)
                holder.append(connection)
            connection = holder[0]
            order, ref = self._rows.next(datetime.now(UTC))
            with connection.transaction():
                connection.execute(POSTGRES_INSERT_ORDER, order)
                connection.execute(POSTGRES_INSERT_REF, ref)

        return insert

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
