"""The `orderbridge` command: serve, migrate, serve-facade, translate; parses arguments and
settings, then delegates; it serves nothing itself."""

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

from pydantic import ValidationError

from service.settings import Settings

# The settings each command takes as flags (--grpc-port is grpc_port, ORDERBRIDGE_GRPC_PORT).
SERVE_FLAGS = (
    "host",
    "grpc_port",
    "http_port",
    "database_url",
    "workers",
    "tls_cert_file",
    "tls_key_file",
    "tls_client_ca_file",
)
FACADE_FLAGS = (
    "grpc_target",
    "grpc_target_ca_file",
    "grpc_target_cert_file",
    "grpc_target_key_file",
    "host",
    "http_port",
    "tls_cert_file",
    "tls_key_file",
)
MIGRATE_FLAGS = ("database_url",)
# The settings each command reads from the environment only.
_HTTP_VARIABLES = (
    "grace_seconds",
    "http_header_timeout_seconds",
    "http_body_timeout_seconds",
    "http_keepalive_seconds",
    "http_max_connections",
    "log_level",
)
SERVE_VARIABLES = ("tokens", "tokens_file", "max_workers", *_HTTP_VARIABLES)
FACADE_VARIABLES = _HTTP_VARIABLES


def flag_of(name: str) -> str:
    """The flag of a setting: grpc_port → --grpc-port."""
    return "--" + name.replace("_", "-")


def variable_of(name: str) -> str:
    """The environment variable of a setting: grpc_port → ORDERBRIDGE_GRPC_PORT."""
    return "ORDERBRIDGE_" + name.upper()


def default_of(name: str) -> str:
    """A setting's default as --help shows it."""
    default = Settings.model_fields[name].default
    return "none" if default in (None, "") else str(default)


def _description(name: str) -> str:
    # argparse formats help with %: a literal one is doubled.
    return (Settings.model_fields[name].description or "").rstrip(".").replace("%", "%%")


def describe(name: str) -> str:
    """A flag's help: what it is, its variable and its default."""
    return f"{_description(name)} [{variable_of(name)}, default {default_of(name)}]"


def _add_settings(
    parser: argparse.ArgumentParser, flags: Sequence[str], variables: Sequence[str]
) -> None:
    """One flag per setting in `flags`; the environment-only `variables` in the epilog."""
    for name in flags:
        parser.add_argument(flag_of(name), dest=name, metavar=name.upper(), help=describe(name))
    lines = [
        f"  {variable_of(name)}  {_description(name)} [default {default_of(name)}]"
        for name in variables
    ]
    if lines:
        parser.epilog = "settings read from the environment only:\n" + "\n".join(lines)


def _settings(arguments: argparse.Namespace, flags: Sequence[str]) -> Settings:
    """Settings from ORDERBRIDGE_* variables, each flag given overriding its variable; pydantic
    checks flag values and variables alike."""
    overrides: dict[str, Any] = {
        name: getattr(arguments, name) for name in flags if getattr(arguments, name) is not None
    }
    return Settings(**overrides)


def _serve(arguments: argparse.Namespace) -> int:
    from service.observability import configure_logging
    from service.server import serve

    settings = _settings(arguments, SERVE_FLAGS)
    configure_logging(settings.log_level)
    return serve(settings)


def _migrate(arguments: argparse.Namespace) -> int:
    from service.database import open_database
    from service.migrate import upgrade

    settings = _settings(arguments, MIGRATE_FLAGS)
    database = open_database(settings.database_url)
    try:
        print(f"database at revision {upgrade(database)}")
    finally:
        database.dispose()
    return 0


def _serve_facade(arguments: argparse.Namespace) -> int:
    from service.observability import configure_logging
    from service.server import serve_facade

    settings = _settings(arguments, FACADE_FLAGS)
    configure_logging(settings.log_level)
    return serve_facade(arguments.vendor, settings)


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
    """The command line: `serve`, `migrate`, `serve-facade` and `translate`."""
    parser = argparse.ArgumentParser(prog="orderbridge", description=__doc__)
    parser.add_argument(
        "--version", action="version", version=f"orderbridge {version('orderbridge')}"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    formatter = argparse.RawDescriptionHelpFormatter
    serve = commands.add_parser(
        "serve", help="run gRPC and the HTTP facades", formatter_class=formatter
    )
    _add_settings(serve, SERVE_FLAGS, SERVE_VARIABLES)
    serve.set_defaults(run=_serve)
    migrate = commands.add_parser(
        "migrate", help="upgrade the database schema", formatter_class=formatter
    )
    _add_settings(migrate, MIGRATE_FLAGS, ())
    migrate.set_defaults(run=_migrate)
    facade = commands.add_parser(
        "serve-facade", help="run one vendor facade alone", formatter_class=formatter
    )
    facade.add_argument(
        "vendor", choices=("jirafe", "bigcommerce", "fabric", "drip"), help="the door to serve"
    )
    _add_settings(facade, FACADE_FLAGS, FACADE_VARIABLES)
    facade.set_defaults(run=_serve_facade)
    formats = ("jirafe", "bigcommerce", "fabric", "drip", "canonical")
    translate = commands.add_parser("translate", help="convert one order between formats")
    translate.add_argument(
        "--from",
        dest="source",
        required=True,
        choices=formats,
        help="the input's format [required]",
    )
    translate.add_argument(
        "--to", dest="target", required=True, choices=formats, help="the output's format [required]"
    )
    translate.add_argument(
        "file", nargs="?", default="-", help="the order's JSON file [default -: standard input]"
    )
    translate.set_defaults(run=_translate)
    return parser


def settings_error(error: ValidationError) -> str:
    """One line for invalid settings, naming each one's flag and variable."""
    problems = []
    for detail in error.errors():
        message = detail["msg"].removeprefix("Value error, ")
        if detail["loc"]:
            name = str(detail["loc"][0])
            where = f"{flag_of(name)} / {variable_of(name)}"
            problems.append(f"{where} = {detail['input']!r}: {message}")
        else:
            problems.append(message)
    return "invalid settings: " + "; ".join(problems)


def _startup_errors() -> tuple[type[BaseException], ...]:
    """What a wrong setting or a busy port raises before anything runs (imported late: --help
    and translate stay quick)."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from service.migrate import SchemaBehind

    return (OSError, ValueError, ArgumentError, OperationalError, SchemaBehind)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `orderbridge` console script. A bad setting, a busy port or an
    unreachable database at start is one line on stderr and exit status 2, not a traceback."""
    arguments = build_parser().parse_args(argv)
    try:
        status: int = arguments.run(arguments)
    except ValidationError as error:
        print(f"orderbridge {arguments.command}: {settings_error(error)}", file=sys.stderr)
        return 2
    except Exception as error:
        if not isinstance(error, _startup_errors()):
            raise
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(f"orderbridge {arguments.command}: {first_line}", file=sys.stderr)
        return 2
    return status


if __name__ == "__main__":
    sys.exit(main())
