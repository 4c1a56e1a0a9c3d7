"""`orderbridge serve` as a child process for tests: start, learn its ports, always clean up."""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Served:
    """A running `serve`: its process, what it logged when listening, and every later line."""

    process: subprocess.Popen[str]
    listening_lines: list[dict[str, Any]]
    log_lines: list[str] = field(default_factory=list)

    @property
    def listening(self) -> dict[str, Any]:
        """The first "listening" line (the only one without workers)."""
        return self.listening_lines[0]


@contextmanager
def serving(
    *arguments: str,
    environment: dict[str, str],
    ready: Callable[[list[dict[str, Any]]], bool] = lambda lines: bool(lines),
    inherit_settings: bool = True,
) -> Iterator[Served]:
    """Runs `orderbridge serve --grpc-port 0 --http-port 0 ARGUMENTS` until the block ends.

    `ready` sees the JSON "listening" lines logged so far and says when the server is up.
    Without `inherit_settings`, no ORDERBRIDGE_* variable of this process reaches the server.
    What the server prints (not logs) is on `served.process.stdout`.
    """
    inherited = {
        name: value
        for name, value in os.environ.items()
        if inherit_settings or not name.startswith("ORDERBRIDGE_")
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "service.cli",
            "serve",
            "--grpc-port",
            "0",
            "--http-port",
            "0",
            *arguments,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**inherited, **environment},
    )
    assert process.stderr is not None
    assert process.stdout is not None
    listening: list[dict[str, Any]] = []
    for line in process.stderr:
        if '"grpc_port"' in line:
            listening.append(json.loads(line))
            if ready(listening):
                break
    assert listening, "the server never said where it listens"
    served = Served(process, listening)
    # Keep reading so that a chatty server can never block on a full pipe.
    reader = threading.Thread(
        target=lambda: served.log_lines.extend(process.stderr or []), daemon=True
    )
    reader.start()
    try:
        yield served
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)
        reader.join(10)
        process.stderr.close()
        process.stdout.close()
