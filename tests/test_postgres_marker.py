"""The `postgres` marker marks every test that needs PostgreSQL, and an unreachable PostgreSQL
skips exactly those with a visible reason, or ends the session when it is required.

Each case runs pytest on real test modules in a subprocess, with its own environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test"
# Modules that reach PostgreSQL in each way the suite does: the `database` fixture's "postgres"
# parameter, a local backend fixture, fixtures calling fresh_postgres_url, a test calling it.
MIXED = [
    "tests/service/test_order_rpcs.py",
    "tests/service/test_migrations.py",
    "tests/service/test_deadlines.py",
    "tests/service/test_workers.py",
]


def _pytest(*args: str, require: bool = False) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, ORDERBRIDGE_TEST_POSTGRES_URL=UNREACHABLE)
    environment.pop("ORDERBRIDGE_TEST_REQUIRE_POSTGRES", None)
    if require:
        environment["ORDERBRIDGE_TEST_REQUIRE_POSTGRES"] = "1"
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly"]
    return subprocess.run(
        [*command, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _collected(*args: str) -> set[str]:
    result = _pytest("-q", "--collect-only", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return {line for line in result.stdout.splitlines() if "::" in line}


def _count(word: str, output: str) -> int:
    found = re.search(rf"(\d+) {word}", output.splitlines()[-1])
    return int(found.group(1)) if found else 0


def test_postgres_marker_splits_the_suite_into_exactly_the_postgres_tests() -> None:
    marked = _collected("-m", "postgres", "tests/service")
    unmarked = _collected("-m", "not postgres", "tests/service")
    assert marked.isdisjoint(unmarked)
    assert marked | unmarked == _collected("tests/service")
    assert all("postgres" not in test for test in unmarked), unmarked
    assert all("sqlite" not in test for test in marked), marked
    for test in (  # found without a "postgres" in their ids, by the fixtures they use
        "tests/service/test_deadlines.py::test_write_past_its_deadline_is_rolled_back",
        "tests/service/test_graceful_shutdown.py::test_sigterm_drains_in_flight_calls_and_exits_zero",
        "tests/service/test_migrations.py::test_migrated_postgres_schema_matches_the_tables",
        "tests/service/test_order_rpcs.py::test_get_order_returns_what_create_stored[postgres]",
    ):
        assert test in marked


def test_unreachable_postgres_skips_the_postgres_tests_with_the_reason() -> None:
    postgres = len(_collected("-m", "postgres", *MIXED))
    others = len(_collected("-m", "not postgres", *MIXED))
    assert postgres
    assert others

    result = _pytest("-q", "-ra", *MIXED)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (_count("passed", output), _count("skipped", output)) == (others, postgres), output
    assert "error" not in output.splitlines()[-1], output
    skips = [line for line in output.splitlines() if line.startswith("SKIPPED")]
    assert skips, output
    for line in skips:
        assert f"PostgreSQL unreachable at {UNREACHABLE}" in line, line
        assert "ORDERBRIDGE_TEST_POSTGRES_URL" in line, line


def test_required_postgres_that_is_unreachable_ends_the_session_in_an_error() -> None:
    result = _pytest("-q", "-ra", *MIXED, require=True)

    output = result.stdout + result.stderr
    assert result.returncode == 4, output  # pytest.ExitCode.USAGE_ERROR: before any test ran
    assert f"PostgreSQL unreachable at {UNREACHABLE}" in output
    assert "ORDERBRIDGE_TEST_REQUIRE_POSTGRES=1" in output
    assert " passed" not in output
    assert "SKIPPED" not in output


def test_without_postgres_tests_selected_nothing_is_required() -> None:
    result = _pytest("-q", "-m", "not postgres", "tests/service/test_migrations.py", require=True)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert _count("passed", output) > 0, output
    assert _count("skipped", output) == 0, output
