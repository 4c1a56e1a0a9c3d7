"""Server subprocesses for the bench: start, find their ports, read CPU and RSS, stop."""

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (all its threads), from /proc/<pid>/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    # The command name may hold spaces; the fields after its closing parenthesis do not.
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    """Resident set size of a process, from /proc/<pid>/statm."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE


def process_tree(pid: int) -> list[int]:
    """The process and its living descendants (`serve --workers N` forks worker processes)."""
    tree = [pid]
    for member in tree:
        for task in Path(f"/proc/{member}/task").glob("*"):
            with contextlib.suppress(OSError):
                tree += [int(child) for child in (task / "children").read_text().split()]
    return tree


def _tree_total(pid: int, measure: Callable[[int], float]) -> float:
    total = 0.0
    for member in process_tree(pid):
        with contextlib.suppress(OSError, ValueError):  # a process that just exited
            total += measure(member)
    return total


@dataclass
class ServerProcess:
    """A child process logging JSON lines on stderr; one of them says where it listens."""

    name: str
    process: subprocess.Popen[bytes]
    ports: dict[str, int] = field(default_factory=dict)
    log_tail: deque[str] = field(default_factory=lambda: deque(maxlen=40))
    errors_logged: int = 0
    rss_at_start: int = 0
    _ready: threading.Event = field(default_factory=threading.Event)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """CPU seconds of the server and its worker processes."""
        return _tree_total(self.pid, cpu_seconds)

    def rss_bytes(self) -> int:
        """Resident memory of the server and its worker processes."""
        return int(_tree_total(self.pid, rss_bytes))

    def drain(self, is_listening: Callable[[Mapping[str, Any]], bool]) -> None:
        """Reads stderr to its end (so the child never blocks on a full pipe)."""
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.log_tail.append(line)
            entry = _json_object(line)
            if entry.get("level") in ("error", "critical"):
                self.errors_logged += 1
            if not self._ready.is_set() and is_listening(entry):
                self.ports = {
                    key: int(value) for key, value in entry.items() if key.endswith("port")
                }
                self._ready.set()
        self._ready.set()

    def wait_listening(self) -> None:
        if not self._ready.wait(START_TIMEOUT) or not self.ports:
            self.stop()
            tail = "\n".join(self.log_tail)
            raise RuntimeError(f"{self.name} did not start (exit {self.process.poll()}):\n{tail}")
        self.mark_started()

    def mark_started(self) -> None:
        """Takes the start-up RSS now (again once every worker process answers)."""
        self.rss_at_start = self.rss_bytes()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL (to it and its workers) if it has not exited in STOP_TIMEOUT."""
        if self.process.poll() is not None:
            return
        members = process_tree(self.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            for member in reversed(members):
                with contextlib.suppress(OSError):
                    os.kill(member, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)


def _json_object(line: str) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except ValueError:
        return {}
    return entry if isinstance(entry, dict) else {}


def _environment(changes: Mapping[str, str | None]) -> dict[str, str]:
    """This process's environment with `changes` applied (None removes a variable)."""
    merged: dict[str, str | None] = {**os.environ, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def start_server(
    name: str,
    arguments: list[str],
    *,
    env: Mapping[str, str | None],
    is_listening: Callable[[Mapping[str, Any]], bool],
) -> ServerProcess:
    """Runs `python <arguments>` in the repository and waits for its listening log line."""
    process = subprocess.Popen(
        [sys.executable, *arguments],
        cwd=REPO,
        env=_environment(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = ServerProcess(name=name, process=process)
    threading.Thread(
        target=server.drain, args=(is_listening,), name=f"drain-{name}", daemon=True
    ).start()
    server.wait_listening()
    return server


def orderbridge_server(
    name: str, database_url: str, tokens: Mapping[str, str], workers: int = 1
) -> ServerProcess:
    """`orderbridge serve` on free ports over `database_url`, with the given bearer tokens."""
    env = {
        "ORDERBRIDGE_TOKENS": ",".join(f"{token}={tenant}" for token, tenant in tokens.items()),
        "ORDERBRIDGE_TOKENS_FILE": None,
        "ORDERBRIDGE_GRACE_SECONDS": "2",
        "ORDERBRIDGE_LOG_LEVEL": "INFO",
        # Worker processes sharing the ports, where `serve` supports them (else ignored).
        "ORDERBRIDGE_WORKERS": str(workers),
    }
    arguments = ["-m", "service.cli", "serve", "--host", "127.0.0.1"]
    arguments += ["--grpc-port", "0", "--http-port", "0", "--database-url", database_url]
    return start_server(name, arguments, env=env, is_listening=lambda entry: "grpc_port" in entry)


def plain_fastapi_server(database_url: str) -> ServerProcess:
    """The plain FastAPI + SQLModel peer (bench.plain_app) on a free port."""
    arguments = ["-m", "bench.plain_app", "--database-url", database_url]
    return start_server(
        "plain-fastapi", arguments, env={}, is_listening=lambda entry: "http_port" in entry
    )


def migrate(database_url: str) -> None:
    """`orderbridge migrate` on a database (the storage floor uses the service's own schema)."""
    subprocess.run(
        [sys.executable, "-m", "service.cli", "migrate", "--database-url", database_url],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
