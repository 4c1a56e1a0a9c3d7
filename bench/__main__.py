"""`python -m bench`: Orderbridge's gRPC and facades against a plain peer and storage floors."""

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from urllib.parse import urlsplit

from bench.runner import Options, run, soak

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
# An empty host is a Unix socket.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 rounds of 0.5 s: under a minute")
    parser.add_argument("--rounds", type=int, help="rounds of every contender (default 5)")
    parser.add_argument("--seconds-per-round", type=float, help="per contender (default 3)")
    parser.add_argument("--clients", type=int, default=4, help="clients per connection")
    parser.add_argument("--channels", type=int, default=2, help="connections (gRPC channels)")
    parser.add_argument(
        "--postgres", action="store_true", help="also gRPC on PostgreSQL and the psycopg floor"
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("ORDERBRIDGE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="PostgreSQL to use (a schema is created and dropped)",
    )
    parser.add_argument(
        "--server-workers",
        type=int,
        default=1,
        help="worker processes of `orderbridge serve` (ORDERBRIDGE_WORKERS), default 1",
    )
    parser.add_argument(
        "--soak", type=int, default=0, metavar="N", help="only send N requests, print RSS"
    )
    parser.add_argument(
        "--soak-seconds", type=float, default=3600, help="time limit of --soak (default 3600)"
    )
    return parser


def options_from(arguments: argparse.Namespace) -> Options:
    """--quick sets 2 rounds of 0.5 s; explicit --rounds/--seconds-per-round win."""
    rounds = arguments.rounds or (2 if arguments.quick else 5)
    seconds = arguments.seconds_per_round or (0.5 if arguments.quick else 3.0)
    counts = (rounds, arguments.clients, arguments.channels, arguments.server_workers)
    if min(counts) < 1 or seconds <= 0 or arguments.soak < 0:
        raise SystemExit("rounds, seconds, clients, channels and workers must be positive")
    return Options(
        rounds=rounds,
        seconds=seconds,
        warmup=min(seconds, 0.15 if arguments.quick else 1.0),
        clients=arguments.clients,
        channels=arguments.channels,
        postgres=arguments.postgres,
        postgres_url=_local_only(arguments.postgres_url),
        soak=arguments.soak,
        soak_seconds=arguments.soak_seconds,
        server_workers=arguments.server_workers,
    )


def _local_only(url: str) -> str:
    """The bench sends traffic to this machine only."""
    host = urlsplit(url).hostname or ""
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"--postgres-url must point at this machine (127.0.0.1), not {host!r}")
    return url


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    # SystemExit unwinds the run's ExitStack: servers stopped, schemas dropped, files removed.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    options = options_from(_parser().parse_args(argv))
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if options.soak:
        soak(options)
    else:
        run(options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
