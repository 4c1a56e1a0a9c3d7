"""Reads the deployment files (Dockerfile, compose.yaml, manifests) and the README defaults."""

import importlib
import json
import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "compose.yaml"
KUBERNETES_DIR = ROOT / "deploy" / "kubernetes"
# The Kubernetes version the manifests are validated against (.ci/run pins the same one).
KUBERNETES_VERSION = "1.34.0"
# Set by .ci/run: a missing validator fails the test instead of skipping it.
REQUIRE_TOOLS_VARIABLE = "ORDERBRIDGE_TEST_REQUIRE_DEPLOY_TOOLS"


@dataclass
class Stage:
    """One FROM stage of a Dockerfile: its base, its name, its instructions in order."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, keyword: str) -> list[str]:
        """The argument text of every `keyword` instruction of this stage, in order."""
        return [text for name, text in self.instructions if name == keyword]

    def last(self, keyword: str) -> str:
        """The argument text of the last `keyword` instruction (the one Docker keeps)."""
        found = self.arguments(keyword)
        assert found, f"the stage has no {keyword}"
        return found[-1]


@dataclass
class Image:
    """What the final stage of the Dockerfile gives a container."""

    stages: list[Stage]

    @property
    def runtime(self) -> Stage:
        return self.stages[-1]

    @property
    def builder(self) -> Stage:
        return self.stages[0]

    @property
    def environment(self) -> dict[str, str]:
        """ENV of the final stage, values as written (`$PATH` unexpanded)."""
        variables: dict[str, str] = {}
        for text in self.runtime.arguments("ENV"):
            for pair in shlex.split(text):
                name, separator, value = pair.partition("=")
                assert separator, f"ENV {pair!r} is not NAME=value"
                variables[name] = value
        return variables

    @property
    def entrypoint(self) -> list[str]:
        return _exec_form(self.runtime.last("ENTRYPOINT"))

    @property
    def command(self) -> list[str]:
        return _exec_form(self.runtime.last("CMD"))

    @property
    def exposed_ports(self) -> set[int]:
        return {
            int(port.split("/")[0])
            for text in self.runtime.arguments("EXPOSE")
            for port in text.split()
        }

    @property
    def user(self) -> str:
        return self.runtime.last("USER")

    @property
    def healthcheck(self) -> tuple[dict[str, str], list[str]]:
        """The HEALTHCHECK's options (`--timeout=3s` → {"timeout": "3s"}) and its command."""
        text = self.runtime.last("HEALTHCHECK")
        options: dict[str, str] = {}
        rest = text
        while rest.startswith("--"):
            option, _, rest = rest.partition(" ")
            name, _, value = option[2:].partition("=")
            options[name] = value
            rest = rest.lstrip()
        keyword, _, command = rest.partition(" ")
        assert keyword == "CMD", f"HEALTHCHECK {text!r} has no CMD"
        return options, _exec_form(command)


def _exec_form(text: str) -> list[str]:
    """An instruction's JSON (exec) form; the shell form would put /bin/sh -c in front."""
    value = json.loads(text)
    assert isinstance(value, list), f"{text!r} is not the exec form"
    assert all(isinstance(part, str) for part in value)
    return value


def read_dockerfile(path: Path = DOCKERFILE) -> Image:
    """The Dockerfile's stages: continuation lines joined, comments (and directives) dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    stages: list[Stage] = []
    for line in logical:
        keyword, _, text = line.partition(" ")
        keyword, text = keyword.upper(), text.strip()
        if keyword == "FROM":
            base, _, name = text.partition(" AS ")
            stages.append(Stage(base=base.strip(), name=name.strip() or None))
        else:
            assert stages, f"{keyword} before FROM"
            stages[-1].instructions.append((keyword, text))
    assert stages, "the Dockerfile has no FROM"
    return Image(stages)


def readme_defaults() -> dict[str, str]:
    """ORDERBRIDGE_* variable → default, from the README's Configure table."""
    row = re.compile(r"^\|[^|]*\|\s*`(ORDERBRIDGE_\w+)`\s*\|\s*`([^`]*)`")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return {match[1]: match[2] for line in readme.splitlines() if (match := row.match(line))}


def load_yaml_documents(path: Path) -> list[dict[str, Any]]:
    """Every document of a YAML file."""
    with path.open(encoding="utf-8") as stream:
        return [document for document in yaml.safe_load_all(stream) if document is not None]


def manifest_files() -> list[Path]:
    """The Kubernetes resource files (the kustomization is kustomize's, not a resource)."""
    return sorted(
        path for path in KUBERNETES_DIR.glob("*.yaml") if path.name != "kustomization.yaml"
    )


def manifests() -> dict[str, dict[str, Any]]:
    """Every resource of deploy/kubernetes by "Kind/name"."""
    found: dict[str, dict[str, Any]] = {}
    for path in manifest_files():
        for document in load_yaml_documents(path):
            found[f"{document['kind']}/{document['metadata']['name']}"] = document
    return found


def tool(name: str, package: str) -> Path:
    """The installed command `name` (beside this Python first); skips, or in CI fails, if none."""
    beside = Path(sys.executable).parent / name
    found = beside if beside.exists() else shutil.which(name)
    if found is None:
        reason = f"{name} is not installed (pip install {package})"
        if os.environ.get(REQUIRE_TOOLS_VARIABLE):
            pytest.fail(f"{reason}; {REQUIRE_TOOLS_VARIABLE} requires it")
        pytest.skip(reason)
    return Path(found)


def require_module(name: str, package: str) -> Any:
    """Imports `name`; skips, or in CI fails, when it is not installed."""
    if os.environ.get(REQUIRE_TOOLS_VARIABLE):
        return importlib.import_module(name)
    return pytest.importorskip(name, reason=f"{name} is not installed (pip install {package})")
