"""Readiness: whether this process should get traffic (database answers, schema at head, intake
open), watched by a background thread; it reports, never migrates and never serves."""

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from service.database import Database
from service.migrate import current_revision, head_revision

log = logging.getLogger("orderbridge")

# How often the database is asked, and how long an answer may take. Kubernetes' default probe
# period is 10 s; one check a second makes readiness follow the database within a few seconds,
# at the cost of one short connection a second.
CHECK_INTERVAL_SECONDS = 1.0
CHECK_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Readiness:
    """Ready, or not ready and why (one line, for `/readyz` and the log)."""

    ready: bool
    reason: str = ""


READY = Readiness(ready=True)
STARTING = Readiness(ready=False, reason="starting: the database was not checked yet")
DRAINING = Readiness(ready=False, reason="draining: intake is closed")


def schema_readiness(current: str | None, head: str) -> Readiness:
    """Ready when the database's migration is this code's head."""
    if current == head:
        return READY
    if current is None:
        return Readiness(False, f"database has no schema, this code needs {head}: run migrate")
    return Readiness(
        False, f"database schema is at {current}, this code needs {head}: run `orderbridge migrate`"
    )


def unreachable(error: BaseException) -> Readiness:
    """Not ready: the database refused or failed; the error's first line says how."""
    lines = str(error).strip().splitlines()
    detail = lines[0] if lines else type(error).__name__
    return Readiness(False, f"database unreachable: {detail}")


def no_answer(timeout: float) -> Readiness:
    """Not ready: the database did not answer within the deadline."""
    return Readiness(False, f"database did not answer within {timeout:g} s")


def probe_engine(database: Database, *, timeout: float) -> Engine:
    """An engine of its own for the checks: a fresh connection each time (a dead pooled one
    proves nothing), bounded by `timeout`, never taking a slot of the service's pool."""
    url = make_url(database.url)
    if url.get_backend_name() == "sqlite":
        path = url.database or ""
        if path in ("", ":memory:"):
            return database.reader  # a private in-memory database is always there
        # mode=rw: a file that went away is reported, not silently created empty.
        return create_engine(
            "sqlite://",
            poolclass=NullPool,
            creator=lambda: sqlite3.connect(
                f"file:{quote(path)}?mode=rw", uri=True, timeout=timeout, check_same_thread=False
            ),
        )
    # libpq counts connect_timeout in whole seconds, at least 2.
    connect: dict[str, Any] = {"connect_timeout": max(2, round(timeout))}
    return create_engine(database.url, poolclass=NullPool, connect_args=connect)


def check_database(probe: Database, head: str, *, timeout: float) -> Readiness:
    """SELECT 1, then the schema's revision against `head`, on `probe`; never raises."""
    try:
        with probe.writer.connect() as connection:
            if connection.dialect.name == "postgresql":
                # The server gives up on a statement after the deadline (a lock, a stall).
                connection.exec_driver_sql(f"SET statement_timeout = {round(timeout * 1000)}")
            connection.exec_driver_sql("SELECT 1")
        current = current_revision(probe)
    except Exception as error:  # any failure to answer is the answer: not ready
        return unreachable(error)
    return schema_readiness(current, head)


class _Check:
    """One database check on a daemon thread of its own, so that a connection hung on a dead
    network can neither hold up the monitor nor keep the process from exiting."""

    def __init__(self, run: Callable[[], Readiness]) -> None:
        self._done = threading.Event()
        self._result = no_answer(0)
        self._run = run
        threading.Thread(target=self._target, name="readiness-check", daemon=True).start()

    def _target(self) -> None:
        self._result = self._run()
        self._done.set()

    def result(self, timeout: float) -> Readiness | None:
        """The check's answer, or None when it has not come within `timeout` seconds."""
        return self._result if self._done.wait(timeout) else None

    def finished(self) -> bool:
        return self._done.is_set()


class ReadinessMonitor:
    """Checks the database every `interval` seconds and publishes each change of readiness.

    `publish` is called with the new Readiness from the monitor's thread (and once from
    `start`); `current()` answers at any time without touching the database.
    """

    def __init__(
        self,
        database: Database,
        *,
        publish: Callable[[Readiness], None] = lambda _readiness: None,
        interval: float = CHECK_INTERVAL_SECONDS,
        timeout: float = CHECK_TIMEOUT_SECONDS,
    ) -> None:
        engine = probe_engine(database, timeout=timeout)
        # migrate.current_revision reads through a Database's writer: the probe engine is both.
        self._probe = Database(url=database.url, writer=engine, reader=engine)
        self._owns_engine = engine is not database.reader
        self._head = head_revision()
        self._publish = publish
        self._interval = interval
        self._timeout = timeout
        self._lock = threading.Lock()
        self._current = STARTING
        self._draining = False
        self._pending: _Check | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="readiness", daemon=True)

    def current(self) -> Readiness:
        """The latest readiness."""
        return self._current

    def start(self) -> None:
        """Checks once (so a freshly started server answers truthfully), then keeps watching."""
        self._update(self._check())
        self._thread.start()

    def drain(self) -> None:
        """Intake is closing: not ready from now on, whatever the database says."""
        with self._lock:
            self._draining = True
        self._update(DRAINING)

    def stop(self) -> None:
        """Stops watching (draining first) and closes the checks' engine."""
        self.drain()
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(self._interval + self._timeout)
        if self._owns_engine:
            self._probe.dispose()

    def _watch(self) -> None:
        while not self._stopped.wait(self._interval):
            self._update(self._check())

    def _check(self) -> Readiness:
        # A check still hanging from an earlier round is itself the answer: no second one piles
        # up behind it.
        if self._pending is None or self._pending.finished():
            self._pending = _Check(
                lambda: check_database(self._probe, self._head, timeout=self._timeout)
            )
        answer = self._pending.result(self._timeout)
        return no_answer(self._timeout) if answer is None else answer

    def _update(self, readiness: Readiness) -> None:
        with self._lock:
            if self._draining:
                readiness = DRAINING
            if readiness == self._current:
                return
            previous, self._current = self._current, readiness
            self._publish(readiness)
        if readiness.ready:
            log.info("ready", extra={"was": previous.reason})
        else:
            log.warning("not ready: %s", readiness.reason, extra={"reason": readiness.reason})
