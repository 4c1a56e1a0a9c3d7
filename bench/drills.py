"""`python -m bench.drills`: kill -9 and SIGTERM drills under write load; never run by pytest."""

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from bench.faults import CycleResult, Kind, Store, postgres_store, run_cycle, sqlite_store

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
COLUMNS = (
    "database",
    "cycles (kill -9 / sigterm)",
    "acknowledged",
    "lost",
    "duplicated",
    "partial",
    "failed in flight",
    "retried ok",
    "unresolved",
    "refused",
    "sigterm exits ok",
    "cancelled at shutdown",
    "seconds",
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.drills", description=__doc__)
    parser.add_argument("--cycles", type=int, default=100, help="cycles per database")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, help="the run's seed (default: from the clock)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("ORDERBRIDGE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL to use (a schema is created and dropped)",
    )
    parser.add_argument("--verbose", action="store_true", help="one line per cycle")
    parser.add_argument(
        "--fuzz",
        type=int,
        metavar="N",
        help="instead of kill cycles: schemathesis with N examples per door operation and the "
        "gRPC fuzz on Hypothesis' `wide` profile (random, 10x the CI budget)",
    )
    return parser


# The fuzz tests CI runs with a small fixed budget; a drill runs them with a large random one.
FUZZ_RUNS = (
    ("schemathesis, every door", "tests/facades/test_schemathesis.py", "ORDERBRIDGE_FUZZ_EXAMPLES"),
    ("gRPC request fuzz", "tests/service/test_grpc_fuzz.py", "HYPOTHESIS_PROFILE"),
)


def run_fuzz(examples: int) -> bool:
    """Runs each fuzz test file in its own pytest with the large budget; True when all pass."""
    ok = True
    for title, path, variable in FUZZ_RUNS:
        value = "wide" if variable == "HYPOTHESIS_PROFILE" else str(examples)
        environment = {**os.environ, variable: value}
        print(f"{title}: {variable}={value} pytest {path}", flush=True)
        began = time.monotonic()
        status = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", path],
            env=environment,
            check=False,
        ).returncode
        print(
            f"{title}: {'passed' if status == 0 else 'FAILED'} in {time.monotonic() - began:.0f}s"
        )
        ok = ok and status == 0
    return ok


def cycle_seed(run_seed: int, index: int) -> int:
    """Cycle `index` of a run replays alone with the same run seed."""
    return random.Random(f"{run_seed}-{index}").randrange(2**31)


def run_drills(
    store: Store, cycles: int, run_seed: int, *, verbose: bool = False
) -> list[CycleResult]:
    """Runs `cycles` cycles on one database; cycles that find a problem are printed at once."""
    results = []
    for index in range(cycles):
        result = run_cycle(store, index, cycle_seed(run_seed, index))
        results.append(result)
        if verbose or result.bad or result.sigterm_ok is False or result.cancelled_at_shutdown:
            print(describe(store, result), flush=True)
        elif (index + 1) % 10 == 0:
            print(f"{store.name}: {index + 1}/{cycles} cycles", file=sys.stderr, flush=True)
    return results


def describe(store: Store, result: CycleResult) -> str:
    """One cycle in one line, with what went wrong."""
    found = result.findings
    line = (
        f"{store.name} cycle {result.index} ({result.kind.value}, seed {result.seed}): "
        f"{result.acknowledged} acknowledged, lost {found.lost}, duplicated {found.duplicated}, "
        f"partial {found.partial}, failed in flight {result.stats.failed_in_flight}, "
        f"{result.seconds:.1f}s"
    )
    notes = [
        result.crashed,
        result.sigterm_note,
        *found.details[:5],
        *result.stats.errors[:3],
        *result.stats.odd_failures[:3],
    ]
    return "\n  ".join([line, *(note for note in notes if note)])


def table_row(store: Store, results: Sequence[CycleResult]) -> list[str]:
    """One database's row of the table."""
    kills = sum(result.kind is Kind.KILL for result in results)
    sigterms = [result for result in results if result.kind is Kind.SIGTERM]
    crashed = sum(bool(result.crashed) for result in results)
    cycles = f"{len(results)} ({kills} / {len(sigterms)})" + (
        f", {crashed} could not run" if crashed else ""
    )
    return [
        f"{store.name} ({store.servers} server{'s' * (store.servers > 1)})",
        cycles,
        str(sum(result.acknowledged for result in results)),
        str(sum(result.findings.lost for result in results)),
        str(sum(result.findings.duplicated for result in results)),
        str(sum(result.findings.partial for result in results)),
        str(sum(result.stats.failed_in_flight for result in results)),
        str(sum(result.stats.retried_ok for result in results)),
        str(sum(result.stats.unresolved for result in results)),
        str(sum(len(result.stats.errors) for result in results)),
        f"{sum(bool(result.sigterm_ok) for result in sigterms)}/{len(sigterms)}",
        str(sum(result.cancelled_at_shutdown for result in sigterms)),
        f"{sum(result.seconds for result in results):.0f}",
    ]


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def passed(results: Sequence[CycleResult]) -> bool:
    """No order lost, duplicated or half-written; every call settled; every SIGTERM clean."""
    return not any(
        result.bad or result.stats.unresolved or result.stats.errors or result.sigterm_ok is False
        for result in results
    )


def _stores(
    database: str, postgres_url: str, workdir: Path
) -> Iterator[AbstractContextManager[Store]]:
    if database in ("sqlite", "both"):
        yield sqlite_store(workdir)
    if database in ("postgres", "both"):
        yield postgres_store(postgres_url)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.fuzz is not None:
        return 0 if run_fuzz(arguments.fuzz) else 1
    if arguments.cycles < 1:
        raise SystemExit("--cycles must be positive")
    run_seed = arguments.seed if arguments.seed is not None else time.time_ns() % 2**31
    print(f"seed {run_seed} (replay: --seed {run_seed})", flush=True)
    rows = []
    ok = True
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="orderbridge-drills-") as workdir:
        for opened in _stores(arguments.database, arguments.postgres_url, Path(workdir)):
            with opened as store:
                results = run_drills(store, arguments.cycles, run_seed, verbose=arguments.verbose)
            rows.append(table_row(store, results))
            ok = ok and passed(results)
    print(markdown_table(rows))
    print(f"{time.monotonic() - began:.0f}s in all; {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
