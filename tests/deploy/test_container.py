"""The image's own command and environment start the service (no Docker engine needed).

The Dockerfile's final stage is read; its ENTRYPOINT + CMD run as a child process with exactly
its ENV, the image's virtual environment mapped onto the one running these tests. Only what a
test machine cannot give a container is overridden: the SQLite file (a temporary one) and the
two ports (0, a free one each).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.deploy.deployment_files import Image, read_dockerfile

# docker's PATH for a container whose image does not set one (`$PATH` in ENV expands to it).
DOCKER_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# What the python base image sets in ENV (its ENV lines are not in our Dockerfile).
BASE_IMAGE_ENVIRONMENT = {"LANG": "C.UTF-8"}
# The only values a test run may change, and why: no /var/lib/orderbridge here, no fixed ports.
OVERRIDABLE = {"ORDERBRIDGE_DATABASE_URL", "ORDERBRIDGE_GRPC_PORT", "ORDERBRIDGE_HTTP_PORT"}


@pytest.fixture(scope="module")
def image() -> Image:
    return read_dockerfile()


def _image_venv(image: Image) -> str:
    """Where the runtime stage puts the builder's virtual environment."""
    copies = [text for text in image.runtime.arguments("COPY") if text.startswith("--from=")]
    assert len(copies) == 1, "the runtime stage copies exactly one thing from the builder"
    source, destination = copies[0].split()[1:]
    assert source == destination, "the venv keeps its path: its scripts' shebangs name it"
    return destination


def container_environment(image: Image, workdir: Path, overrides: dict[str, str]) -> dict[str, str]:
    """The image's ENV as a container sees it, its venv being the one running these tests."""
    assert set(overrides) <= OVERRIDABLE
    assert set(overrides) <= set(image.environment), "an override replaces an image value"
    venv = _image_venv(image)
    environment = {**BASE_IMAGE_ENVIRONMENT, "HOME": str(workdir)}
    for name, value in image.environment.items():
        value = value.replace("${PATH}", DOCKER_DEFAULT_PATH).replace("$PATH", DOCKER_DEFAULT_PATH)
        environment[name] = value.replace(venv, sys.prefix)
    path = environment["PATH"].split(os.pathsep)
    assert path[0] == f"{sys.prefix}/bin", "the image puts its venv first on PATH"
    return {**environment, **overrides}


def resolve(argv: list[str], environment: dict[str, str]) -> list[str]:
    """argv with its program found on the container's PATH, as docker finds it."""
    program = shutil.which(argv[0], path=environment["PATH"])
    assert program is not None, f"{argv[0]} is not on the image's PATH"
    assert Path(program).is_relative_to(sys.prefix), f"{program} is not from the image's venv"
    return [program, *argv[1:]]


@dataclass
class Container:
    """The image's command running as a child process, and what it wrote."""

    process: subprocess.Popen[str]
    environment: dict[str, str]
    listening: dict[str, Any]
    stderr_lines: list[str] = field(default_factory=list)


@contextmanager
def running(image: Image, workdir: Path, database_url: str) -> Iterator[Container]:
    """Runs ENTRYPOINT + CMD until the block ends; yields once it logs where it listens."""
    environment = container_environment(
        image,
        workdir,
        {
            "ORDERBRIDGE_DATABASE_URL": database_url,
            "ORDERBRIDGE_GRPC_PORT": "0",
            "ORDERBRIDGE_HTTP_PORT": "0",
        },
    )
    process = subprocess.Popen(
        resolve(image.entrypoint + image.command, environment),
        cwd=workdir,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen: list[str] = []
    listening: dict[str, Any] | None = None
    for line in process.stderr:
        seen.append(line)
        if '"grpc_port"' in line:
            listening = json.loads(line)
            break
    container = Container(process, environment, listening or {}, seen)
    # Keep reading so that the server never blocks on a full pipe.
    reader = threading.Thread(
        target=lambda: container.stderr_lines.extend(process.stderr or []), daemon=True
    )
    reader.start()
    try:
        assert listening is not None, f"the server never said where it listens: {seen}"
        yield container
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(30)
        reader.join(10)
        process.stderr.close()
        if process.stdout is not None:
            process.stdout.close()


def run_healthcheck(image: Image, container: Container, http_port: int) -> int:
    """The HEALTHCHECK command, in the container's environment (its HTTP port being this one)."""
    _, command = image.healthcheck
    environment = {**container.environment, "ORDERBRIDGE_HTTP_PORT": str(http_port)}
    return subprocess.run(
        resolve(command, environment),
        env=environment,
        capture_output=True,
        timeout=30,
        check=False,
    ).returncode


def test_image_runs_orderbridge_serve_as_a_non_root_user(image: Image) -> None:
    assert image.entrypoint == ["orderbridge"]
    assert image.command == ["serve"]
    assert image.runtime.last("STOPSIGNAL") == "SIGTERM"
    user = image.user.split(":")[0]
    assert user.isdigit(), "a numeric user, so that Kubernetes' runAsNonRoot can check it"
    assert int(user) != 0


def test_image_command_migrates_then_serves_health_and_stops_on_sigterm(
    image: Image, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path}/orderbridge.db"
    migrate_environment = container_environment(
        image, tmp_path, {"ORDERBRIDGE_DATABASE_URL": database_url}
    )
    migrated = subprocess.run(
        resolve([*image.entrypoint, "migrate"], migrate_environment),
        cwd=tmp_path,
        env=migrate_environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.startswith("database at revision ")

    with running(image, tmp_path, database_url) as container:
        listening = container.listening
        assert listening["message"].startswith("orderbridge listening: grpc=0.0.0.0:")
        http_port = listening["http_port"]
        health = httpx.get(f"http://127.0.0.1:{http_port}/healthz", timeout=10)
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        assert run_healthcheck(image, container, http_port) == 0

        container.process.send_signal(signal.SIGTERM)
        assert container.process.wait(60) == 0
        assert container.process.stdout is not None
        # No credentials are baked into the image: it falls back to a development token.
        assert "development token for tenant 'dev'" in container.process.stdout.read()
        # Nothing listens any more: the same HEALTHCHECK now reports the container unhealthy.
        assert run_healthcheck(image, container, http_port) != 0


def test_healthcheck_gives_up_before_docker_does(image: Image) -> None:
    options, command = image.healthcheck
    assert command[:2] == ["python", "-c"]
    assert "/healthz" in command[2]
    assert "timeout=2" in command[2]
    assert options["timeout"] == "3s", "the request's own 2 s timeout ends first"
