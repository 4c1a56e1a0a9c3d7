"""Two drill cycles per database in CI: kill -9 and SIGTERM under write load, retries, audit."""

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from bench.drills import describe, passed, run_drills
from bench.faults import Kind, Store, postgres_store, sqlite_store
from tests.conftest import POSTGRES_URL

# A fixed seed: the same fault moments, victims and payloads on every run.
SEED = 20261130


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    opened: AbstractContextManager[Store] = (
        sqlite_store(tmp_path) if request.param == "sqlite" else postgres_store(POSTGRES_URL)
    )
    with opened as store:
        yield store


def test_acknowledged_orders_survive_kill_9_and_sigterm_under_write_load(store: Store) -> None:
    results = run_drills(store, cycles=2, run_seed=SEED)

    assert [result.kind for result in results] == [Kind.KILL, Kind.SIGTERM]
    report = "\n".join(describe(store, result) for result in results)
    assert passed(results), report
    # The faults really landed under load: calls failed in flight and were retried.
    assert all(result.acknowledged > 0 for result in results), report
    assert sum(result.stats.failed_in_flight for result in results) > 0, report
    assert results[1].sigterm_ok, report
