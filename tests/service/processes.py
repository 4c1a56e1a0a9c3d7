"""`orderbridge serve` as a child process for tests: start, learn its ports, always clean up."""

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


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


def place_jirafe_order_through_facade(process: subprocess.Popen[str], event: Path) -> str:
    """Reads the HTTP port a `serve-facade jirafe` child logs (then drains its stderr, so it
    never blocks on a full pipe), posts the Jirafe `event` with a new order number through it,
    and returns that number once the door answered success."""
    assert process.stderr is not None
    port = 0
    for line in process.stderr:
        if '"http_port"' in line:
            port = json.loads(line)["http_port"]
            break
    assert port, "the facade never said where it listens"
    threading.Thread(target=lambda: list(process.stderr or []), daemon=True).start()
    payload = json.loads(event.read_text())
    payload["order_number"] = uuid.uuid4().hex[:12]
    response = httpx.post(
        f"http://127.0.0.1:{port}/jirafe/v2/acme/order",
        content=json.dumps(payload),
        headers={"Authorization": "Bearer token-acme"},
        timeout=30,
    )
    assert response.json() == {"success": True}
    order_number: str = payload["order_number"]
    return order_number
