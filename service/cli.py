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
            "workers": arguments.workers,
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


def _serve_facade(arguments: argparse.Namespace) -> int:
    from service.observability import configure_logging
    from service.server import http_limits, serve_facade

    settings = Settings()
    configure_logging(settings.log_level)
    return serve_facade(
        arguments.vendor,
        grpc_target=arguments.grpc_target,
        host=arguments.host or settings.host,
        port=settings.http_port if arguments.http_port is None else arguments.http_port,
        grace_seconds=settings.grace_seconds,
        limits=http_limits(settings),
    )


def _translate(arguments: argparse.Namespace) -> int:
    from adapters.conversions import translate
    from adapters.errors import TranslationError
    from adapters.jsonvalues import dumps_pretty, loads

    try:
        with open(arguments.file, "rb") if arguments.file != "-" else sys.stdin.buffer as source:
            payload = loads(source.read())
        result = translate(arguments.source, arguments.target, payload)
    except TranslationError as error:
        print(
            f"orderbridge translate: {error.field or '(document)'}: {error.reason}", file=sys.stderr
        )
        return 2
    except (ValueError, OSError) as error:
        print(f"orderbridge translate: {error}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(dumps_pretty(result) + b"\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line: `serve`, `migrate` and `translate`."""
    parser = argparse.ArgumentParser(prog="orderbridge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run gRPC and the HTTP facades")
    serve.add_argument("--host", help="bind address (ORDERBRIDGE_HOST, default 0.0.0.0)")
    serve.add_argument("--grpc-port", type=int, help="gRPC port (ORDERBRIDGE_GRPC_PORT, 50051)")
    serve.add_argument("--http-port", type=int, help="HTTP port (ORDERBRIDGE_HTTP_PORT, 8080)")
    serve.add_argument("--database-url", help="SQLAlchemy URL (ORDERBRIDGE_DATABASE_URL)")
    serve.add_argument(
        "--workers", type=int, help="worker processes sharing the ports (ORDERBRIDGE_WORKERS, 1)"
    )
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("--database-url", help="SQLAlchemy URL (ORDERBRIDGE_DATABASE_URL)")
    migrate.set_defaults(run=_migrate)
    facade = commands.add_parser("serve-facade", help="run one vendor facade alone")
    facade.add_argument("vendor", choices=("jirafe", "bigcommerce", "fabric", "drip"))
    facade.add_argument("--grpc-target", required=True, help="OrderService address, HOST:PORT")
    facade.add_argument("--host", help="bind address (ORDERBRIDGE_HOST)")
    facade.add_argument("--http-port", type=int, help="HTTP port (ORDERBRIDGE_HTTP_PORT)")
    facade.set_defaults(run=_serve_facade)
    formats = ("jirafe", "bigcommerce", "fabric", "drip", "canonical")
    translate = commands.add_parser("translate", help="convert one order between formats")
    translate.add_argument("--from", dest="source", required=True, choices=formats)
    translate.add_argument("--to", dest="target", required=True, choices=formats)
    translate.add_argument("file", nargs="?", default="-", help="the order's JSON file, or -")
    translate.set_defaults(run=_translate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `orderbridge` console script."""
    arguments = build_parser().parse_args(argv)
    status: int = arguments.run(arguments)
    return status


if __name__ == "__main__":
    sys.exit(main())
