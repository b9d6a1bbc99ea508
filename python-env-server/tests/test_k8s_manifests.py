"""deploy/k8s: every manifest is valid against the Kubernetes schemas (offline), and the pieces agree
with each other, with the server image and with the server's command line."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from gymlink_server.cli import parse_args
from gymlink_server.service import SERVICE_NAME

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
DOCKERFILE = REPO / "python-env-server" / "Dockerfile"
KUBERNETES_VERSION = "1.30.0"


def documents(name: str) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


def resource_files() -> list[str]:
    return sorted(path.name for path in K8S.glob("*.yaml") if path.name != "kustomization.yaml")


def one(kind: str) -> dict[str, Any]:
    found = [doc for name in resource_files() for doc in documents(name) if doc["kind"] == kind]
    assert len(found) == 1, f"expected one {kind} in deploy/k8s, found {len(found)}"
    return found[0]


def dockerfile_instruction(keyword: str) -> str:
    """The last KEYWORD instruction of the server Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    lines = [line for line in text.splitlines() if line.startswith(keyword + " ")]
    assert lines, f"no {keyword} in {DOCKERFILE}"
    return lines[-1][len(keyword) + 1 :].strip()


def image_entrypoint() -> list[str]:
    return json.loads(dockerfile_instruction("ENTRYPOINT"))


def flag_value(args: list[str], flag: str) -> str:
    for i, arg in enumerate(args):
        if arg == flag:
            return args[i + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    raise AssertionError(f"{flag} not in {args}")


def server_container() -> dict[str, Any]:
    return one("Deployment")["spec"]["template"]["spec"]["containers"][0]


def mounted_file(pod_spec: dict[str, Any], container: dict[str, Any], path: str) -> tuple[str, str]:
    """(secret name, key) of the Secret volume that holds the file at path inside the container."""
    for mount in container["volumeMounts"]:
        prefix = mount["mountPath"].rstrip("/") + "/"
        if path.startswith(prefix):
            volume = next(v for v in pod_spec["volumes"] if v["name"] == mount["name"])
            assert "secret" in volume, f"{path} is on volume {mount['name']}, which is not a Secret"
            return volume["secret"]["secretName"], path[len(prefix) :]
    raise AssertionError(f"no volume is mounted at {path}")


@pytest.mark.parametrize("name", resource_files())
def test_manifests_are_valid_kubernetes_objects(name: str) -> None:
    for doc in documents(name):
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_the_kustomization_lists_every_manifest_and_sets_the_namespace() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == resource_files()
    assert kustomization["namespace"] == "gymlink"


def test_the_service_selects_the_server_pods_on_the_image_port() -> None:
    deployment, service = one("Deployment"), one("Service")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert service["spec"]["clusterIP"] == "None", "headless: the trainer must see every pod's address"

    image_port = int(flag_value(image_entrypoint(), "--port"))
    assert f"EXPOSE {image_port}" in DOCKERFILE.read_text()
    ports = {port["name"]: port["containerPort"] for port in server_container()["ports"]}
    (service_port,) = service["spec"]["ports"]
    assert ports[service_port["targetPort"]] == image_port == service_port["port"]


def test_the_server_arguments_parse_and_turn_security_on() -> None:
    container = server_container()
    config, _ = parse_args(image_entrypoint()[3:] + container["args"])
    assert config.host == "0.0.0.0"
    assert config.security.tls and config.security.token_file
    assert not config.security.insecure and not config.security.reflection
    pod = one("Deployment")["spec"]["template"]["spec"]
    assert mounted_file(pod, container, config.security.tls_cert)[1] == "tls.crt"
    assert mounted_file(pod, container, config.security.tls_key)[1] == "tls.key"
    assert mounted_file(pod, container, config.security.token_file) == ("gymlink-tokens", "tokens")


def test_probes_ask_the_plaintext_health_port_about_the_env_service() -> None:
    container = server_container()
    config, _ = parse_args(image_entrypoint()[3:] + container["args"])
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports["health"] == config.security.health_port
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["grpc"] == {"port": config.security.health_port, "service": SERVICE_NAME}


@pytest.mark.parametrize("kind", ["Deployment", "Job"])
def test_pods_run_as_the_image_user_on_a_read_only_root(kind: str) -> None:
    pod = one(kind)["spec"]["template"]["spec"]
    uid = int(re.search(r"--uid (\d+)", DOCKERFILE.read_text()).group(1))  # type: ignore[union-attr]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == uid
    for container in pod["containers"]:
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert {"requests", "limits"} <= container["resources"].keys()


def test_the_trainer_job_reaches_the_service_with_tls_and_a_token() -> None:
    service, job = one("Service"), one("Job")
    namespace = yaml.safe_load((K8S / "kustomization.yaml").read_text())["namespace"]
    pod = job["spec"]["template"]["spec"]
    container = pod["containers"][0]
    args = container["args"]
    assert args[0] == "train"
    assert flag_value(args, "--env-backend") == "remote"
    host, port = flag_value(args, "--server").rsplit(":", 1)
    assert host == f"{service['metadata']['name']}.{namespace}.svc.cluster.local"
    assert int(port) == service["spec"]["ports"][0]["port"]
    assert mounted_file(pod, container, flag_value(args, "--tls-ca")) == ("gymlink-trainer", "ca.crt")
    assert mounted_file(pod, container, flag_value(args, "--token-file")) == ("gymlink-trainer", "token")


def test_images_are_the_ones_compose_builds() -> None:
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    for kind, service in (("Deployment", "env-server"), ("Job", "trainer")):
        manifest_image = one(kind)["spec"]["template"]["spec"]["containers"][0]["image"]
        compose_image = compose["services"][service]["image"]
        assert manifest_image.split(":")[0] == compose_image.split(":")[0], shlex.join([manifest_image, compose_image])
