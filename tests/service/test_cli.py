"""The `orderbridge` command for newcomers: --version, --help naming every option's variable and
default, and one clear line with exit status 2 for a bad setting or a busy port."""

import os
import socket
import subprocess
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import pytest

from service.cli import (
    FACADE_FLAGS,
    FACADE_VARIABLES,
    MIGRATE_FLAGS,
    SERVE_FLAGS,
    SERVE_VARIABLES,
    default_of,
    flag_of,
    main,
    variable_of,
)


def _run(
    *arguments: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`orderbridge ARGUMENTS` as a process, with no ORDERBRIDGE_* variable but `environment`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("ORDERBRIDGE_")}
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**inherited, **(environment or {})},
    )


def _help(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # argparse's line wrapping undone


def test_version_names_the_installed_package(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"orderbridge {version('orderbridge')}\n"


@pytest.mark.parametrize(
    ("command", "flags", "variables"),
    [
        ("serve", SERVE_FLAGS, SERVE_VARIABLES),
        ("serve-facade", FACADE_FLAGS, FACADE_VARIABLES),
        ("migrate", MIGRATE_FLAGS, ()),
    ],
)
def test_help_lists_every_option_with_its_variable_and_default(
    command: str,
    flags: Sequence[str],
    variables: Sequence[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    shown = _help(command, capsys)
    for name in flags:
        assert flag_of(name) in shown
        assert f"[{variable_of(name)}, default {default_of(name)}]" in shown
    for name in variables:
        assert f"{variable_of(name)} " in shown
        assert f"[default {default_of(name)}]" in shown


def test_help_shows_the_settings_defaults(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    shown = _help("serve", capsys)
    assert (
        "--grpc-port GRPC_PORT gRPC port; 0 picks a free one [ORDERBRIDGE_GRPC_PORT, default 50051]"
        in shown
    )
    assert "[ORDERBRIDGE_DATABASE_URL, default sqlite:///orderbridge.db]" in shown
    assert "ORDERBRIDGE_GRACE_SECONDS How long SIGTERM waits for calls [default 20.0]" in shown


def test_translate_help_lists_its_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    shown = _help("translate", capsys)
    assert "the input's format [required]" in shown
    assert "the output's format [required]" in shown
    assert "[default -: standard input]" in shown


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_bad_setting_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    line = _one_line(
        _run(
            "serve",
            "--database-url",
            f"sqlite:///{tmp_path}/never.db",
            environment={"ORDERBRIDGE_GRPC_PORT": "abc"},
        )
    )
    assert line.startswith(
        "orderbridge serve: invalid settings: --grpc-port / ORDERBRIDGE_GRPC_PORT = 'abc': "
    )
    assert not (tmp_path / "never.db").exists()


@pytest.mark.parametrize("busy", ["--grpc-port", "--http-port"])
def test_a_busy_port_is_one_line_and_exit_status_2(busy: str, tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        ports = {"--grpc-port": "0", "--http-port": "0", busy: str(port)}
        result = _run(
            "serve",
            "--host",
            "127.0.0.1",
            "--database-url",
            f"sqlite:///{tmp_path}/busy.db",
            *(part for flag, value in ports.items() for part in (flag, value)),
            environment={"ORDERBRIDGE_TOKENS": "token-acme=acme"},
        )
    what = "gRPC" if busy == "--grpc-port" else "HTTP"
    assert _one_line(result) == (
        f"orderbridge serve: cannot bind {what} to 127.0.0.1:{port}: Address already in use"
    )


@pytest.mark.parametrize(
    ("command", "environment", "expected"),
    [
        (
            ("serve",),
            {"ORDERBRIDGE_TLS_CERT_FILE": "server.crt"},
            "orderbridge serve: invalid settings: "
            "ORDERBRIDGE_TLS_CERT_FILE and ORDERBRIDGE_TLS_KEY_FILE go together",
        ),
        (
            ("serve", "--tls-cert-file", "missing.crt", "--tls-key-file", "missing.key"),
            {},
            "orderbridge serve: [Errno 2] No such file or directory: 'missing.crt'",
        ),
        (
            ("serve-facade", "jirafe"),
            {},
            "orderbridge serve-facade: serve-facade needs --grpc-target (ORDERBRIDGE_GRPC_TARGET)",
        ),
    ],
)
def test_tls_and_target_mistakes_are_one_line_and_exit_status_2(
    command: tuple[str, ...], environment: dict[str, str], expected: str, tmp_path: Path
) -> None:
    database = ("--database-url", f"sqlite:///{tmp_path}/tls.db") if command[0] == "serve" else ()
    environment = {**environment, "ORDERBRIDGE_TOKENS": "token-acme=acme"}
    assert _one_line(_run(*command, *database, environment=environment)) == expected
