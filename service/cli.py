"""The `orderbridge` command: serve, migrate, translate; parses arguments, then delegates."""

import argparse
import sys
from collections.abc import Sequence

from service.settings import Settings


def _serve(arguments: argparse.Namespace) -> int:
    from service.observability import configure_logging
    from service.server import serve

    overrides = {
        key: value
        for key, value in {
            "host": arguments.host,
            "grpc_port": arguments.grpc_port,
            "http_port": arguments.http_port,
            "database_url": arguments.database_url,
        }.items()
        if value is not None
    }
    settings = Settings(**overrides)
    configure_logging(settings.log_level)
    return serve(settings)


def _migrate(arguments: argparse.Namespace) -> int:
    from service.database import open_database
    from service.migrate import upgrade

    settings = Settings()
    url = arguments.database_url or settings.database_url
    database = open_database(url)
    try:
        print(f"database at revision {upgrade(database)}")
    finally:
        database.dispose()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: `serve`, `migrate` and `translate`."""
    parser = argparse.ArgumentParser(prog="orderbridge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run gRPC and the HTTP facades")
    serve.add_argument("--host", help="bind address (ORDERBRIDGE_HOST, default 127.0.0.1)")
    serve.add_argument("--grpc-port", type=int, help="gRPC port (ORDERBRIDGE_GRPC_PORT, 50051)")
    serve.add_argument("--http-port", type=int, help="HTTP port (ORDERBRIDGE_HTTP_PORT, 8080)")
    serve.add_argument("--database-url", help="SQLAlchemy URL (ORDERBRIDGE_DATABASE_URL)")
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("--database-url", help="SQLAlchemy URL (ORDERBRIDGE_DATABASE_URL)")
    migrate.set_defaults(run=_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `orderbridge` console script."""
    arguments = build_parser().parse_args(argv)
    status: int = arguments.run(arguments)
    return status


if __name__ == "__main__":
    sys.exit(main())
