"""The deployment files, checked without a cluster or a Docker engine (none runs here): the
Kubernetes manifests' structure and cross-references, the compose file's services, the Dockerfile's
stages, and the alert rules against the metrics the app really exposes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
PIPELINE_QUEUES = {"classify", "ocr", "llm", "pipeline", "notify"}


def k8s_documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    documents = []
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((K8S / name).read_text()):
            if document:
                document["_file"] = name
                documents.append(document)
    return documents


DOCS = k8s_documents()


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in DOCS if d["kind"] == kind]


def by_name(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in of_kind(kind)}


def pod_specs() -> list[tuple[str, dict[str, Any]]]:
    return [
        (d["metadata"]["name"], d["spec"]["template"]["spec"]) for d in of_kind("Deployment") + of_kind("Job")
    ]


def queues_of(command: list[str]) -> set[str]:
    if "--queues" not in command:
        return set(PIPELINE_QUEUES)
    return set(command[command.index("--queues") + 1 :])


def known_variables() -> set[str]:
    """TIMETABLER_* variables the code reads: every setting, and those plugins read themselves."""
    names = {f"TIMETABLER_{field.upper()}" for field in Settings.__struct_fields__}
    for folder in ("core", "plugins", "tenants", "admin"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"TIMETABLER_[A-Z0-9_]+", path.read_text(errors="replace")))
    return names


def test_every_file_is_listed_and_every_document_is_whole() -> None:
    listed = set(yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    for document in DOCS:
        assert document.get("apiVersion") and document.get("kind"), document["_file"]
        assert document["metadata"].get("name"), document["_file"]


def test_the_expected_objects_are_there() -> None:
    assert "timetabler-api" in by_name("Deployment") and "timetabler-api" in by_name("Service")
    workers = {n for n in by_name("Deployment") if n.startswith("timetabler-worker-")}
    assert len(workers) >= 2
    assert by_name("Ingress") and by_name("ConfigMap") and by_name("Secret")
    assert by_name("Job")["timetabler-migrate"]["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "timetabler",
        "migrate",
    ]


@pytest.mark.parametrize("name", sorted(by_name("Deployment")))
def test_deployment_has_probes_resources_and_runs_as_non_root(name: str) -> None:
    deployment = by_name("Deployment")[name]
    selector = deployment["spec"]["selector"]["matchLabels"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= labels.items(), "the selector must match the pod's labels"
    spec = deployment["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True and spec["securityContext"]["runAsUser"] != 0
    for container in spec["containers"]:
        for probe in ("livenessProbe", "readinessProbe"):
            assert probe in container, f"{name}/{container['name']} has no {probe}"
            port = container[probe]["httpGet"]["port"]
            ports = {p.get("name") for p in container["ports"]} | {
                p["containerPort"] for p in container["ports"]
            }
            assert port in ports, f"{name}: {probe} names port {port} the container does not open"
        for part in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][part]), f"{name}: {part}"
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False and security["capabilities"]["drop"] == ["ALL"]
        if security.get("readOnlyRootFilesystem"):
            assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}, "metrics files go to /tmp"


def test_api_probes_are_health_and_ready() -> None:
    [api] = by_name("Deployment")["timetabler-api"]["spec"]["template"]["spec"]["containers"]
    assert api["livenessProbe"]["httpGet"]["path"] == "/health"
    assert api["readinessProbe"]["httpGet"]["path"] == "/ready"


def test_every_pipeline_queue_has_a_worker_group_and_a_queue_depth_scaler() -> None:
    consumed: set[str] = set()
    for name, deployment in by_name("Deployment").items():
        if name.startswith("timetabler-worker-"):
            consumed |= queues_of(deployment["spec"]["template"]["spec"]["containers"][0]["command"])
    assert consumed == PIPELINE_QUEUES
    scaled: set[str] = set()
    for scaler in of_kind("ScaledObject"):
        target = by_name("Deployment")[scaler["spec"]["scaleTargetRef"]["name"]]  # exists
        command = target["spec"]["template"]["spec"]["containers"][0]["command"]
        for trigger in scaler["spec"]["triggers"]:
            assert trigger["type"] == "redis"
            queue = trigger["metadata"]["listName"].removeprefix("dramatiq:")
            assert queue in queues_of(command), (
                f"{scaler['metadata']['name']} scales on a queue it does not consume"
            )
            assert trigger["authenticationRef"]["name"] in by_name("TriggerAuthentication")
            scaled.add(queue)
    assert scaled == PIPELINE_QUEUES


def test_the_queue_list_matches_the_actors() -> None:
    from core.jobs.queue import DEFAULT_QUEUE, QUEUES

    assert {*QUEUES.values(), DEFAULT_QUEUE} == PIPELINE_QUEUES


def test_api_scales_on_cpu_and_keeps_one_pod_in_disruptions() -> None:
    [hpa] = of_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] in by_name("Deployment")
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    assert hpa["spec"]["minReplicas"] >= 2
    covered = set()
    for pdb in of_kind("PodDisruptionBudget"):
        wanted = pdb["spec"]["selector"]["matchLabels"].items()
        matches = [
            n
            for n, d in by_name("Deployment").items()
            if wanted <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert matches, f"{pdb['metadata']['name']} selects no pod"
        covered |= set(matches)
    assert covered == set(by_name("Deployment"))


def test_services_and_ingress_point_at_what_exists() -> None:
    deployments = by_name("Deployment")
    for name, service in by_name("Service").items():
        wanted = service["spec"]["selector"].items()
        pods = [
            d for d in deployments.values() if wanted <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert pods, f"service {name} selects no pod"
        container_ports = {p["name"] for p in pods[0]["spec"]["template"]["spec"]["containers"][0]["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in container_ports
    for ingress in of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                service = by_name("Service")[backend["name"]]
                assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}


def test_settings_come_from_the_configmap_and_secret_and_are_real() -> None:
    known = known_variables()
    config, secret = by_name("ConfigMap")["timetabler-config"], by_name("Secret")["timetabler-secrets"]
    for key in [*config["data"], *secret["stringData"]]:
        if key.startswith("TIMETABLER_"):
            assert key in known, f"{key} is read by nothing"
    assert (
        "TIMETABLER_METRICS_TOKEN" in secret["stringData"] and "TIMETABLER_SECRET_KEY" in secret["stringData"]
    )
    assert {"TIMETABLER_DATABASE_URL", "TIMETABLER_MIGRATION_DATABASE_URL"} <= set(secret["stringData"])
    for name, spec in pod_specs():
        refs = {next(iter(e.values()))["name"] for e in spec["containers"][0]["envFrom"]}
        assert refs == {"timetabler-config", "timetabler-secrets"}, name


# --------------------------------------------------------------------------- docker-compose.yml


COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_parts_and_healthchecks() -> None:
    services = COMPOSE["services"]
    assert {"postgres", "redis", "minio", "migrate", "api"} <= set(services)
    workers = {n: s for n, s in services.items() if n.startswith("worker")}
    assert workers
    consumed = set().union(*(queues_of(s["command"]) for s in workers.values()))
    assert consumed == PIPELINE_QUEUES
    for name, service in services.items():
        if service.get("restart") != "no":  # long-running: a healthcheck each
            assert "healthcheck" in service, name
        image = service.get("image", "")
        if "build" not in service:
            tag = image.rsplit(":", 1)[-1] if ":" in image else ""
            assert tag and tag != "latest" and re.search(r"\d", tag), f"{name}: pin {image}"
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["timetabler", "migrate"]
    assert "/ready" in " ".join(services["api"]["healthcheck"]["test"])


def test_compose_environment_is_complete_and_real() -> None:
    known = known_variables()
    api_env = COMPOSE["services"]["api"]["environment"]
    for key in (
        "TIMETABLER_DATABASE_URL",
        "TIMETABLER_REDIS_URL",
        "TIMETABLER_S3_BUCKET",
        "TIMETABLER_S3_ENDPOINT_URL",
    ):
        assert api_env.get(key), key
    assert api_env["TIMETABLER_LOG_FORMAT"] == "json"
    assert "minio:9000" in api_env["TIMETABLER_S3_ENDPOINT_URL"]
    assert COMPOSE["services"]["migrate"]["environment"]["TIMETABLER_MIGRATION_DATABASE_URL"]
    for service in COMPOSE["services"].values():
        for key in service.get("environment") or {}:
            if (
                key.startswith("TIMETABLER_") and key != "TIMETABLER_APP_DB_PASSWORD"
            ):  # read by the init script
                assert key in known, f"{key} is read by nothing"
    init = ROOT / "deploy" / "postgres" / "create-app-role.sh"
    assert "NOBYPASSRLS" in init.read_text() and init.stat().st_mode & 0o111


# --------------------------------------------------------------------------- Dockerfile


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, rest = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), rest.strip()))
    return stages


def test_dockerfile_is_multi_stage_pinned_non_root_with_tesseract_and_a_healthcheck() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    for stage in stages:
        image = stage[0][1].split()[0]
        tag = image.rsplit(":", 1)[-1] if ":" in image else ""
        assert re.fullmatch(r"\d+(\.\d+)+[\w.-]*", tag), f"pin {image} to an exact version"
    final = stages[-1]
    instructions = [i for i, _ in final]
    users = [rest for i, rest in final if i == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert "HEALTHCHECK" in instructions and "/health" in dict(final)["HEALTHCHECK"]
    run = " ".join(rest for i, rest in final if i == "RUN")
    assert "tesseract-ocr" in run and "rm -rf /var/lib/apt/lists" in run
    assert any("uv sync --frozen --no-dev" in rest for stage in stages for i, rest in stage if i == "RUN")
    assert not any(i == "ADD" for stage in stages for i, _ in stage)
    assert "uv" not in " ".join(rest for i, rest in final if i == "COPY" and "--from=uv" in rest)


# --------------------------------------------------------------------------- Prometheus


def exposed_metric_names() -> set[str]:
    """The sample names /metrics really shows (the app's registry, with the scrape-time families)."""
    from prometheus_client import CollectorRegistry

    from core.observability import metrics
    from tests.observability.conftest import parse_metrics

    metrics.DOCUMENTS.labels(kind="pdf", outcome="completed")
    metrics.STAGE_SECONDS.labels(stage="read", result="ok")
    metrics.ROUTES.labels(route="accept")
    metrics.HTTP_REQUESTS.labels(method="GET", route="/health", status="200")
    metrics.HTTP_SECONDS.labels(method="GET", route="/health")
    metrics.STAGE_EVENTS.labels(stage="read", status="running")
    registry = metrics.exposition_registry(None)
    names = {name for name, _ in parse_metrics(metrics.render(registry).decode())}
    extra = CollectorRegistry()
    extra.register(metrics.QueueDepthCollector(_OneQueue()))
    extra.register(metrics.CacheCollector(Settings()))
    names |= {name for name, _ in parse_metrics(metrics.render(extra).decode())}
    return names


class _OneQueue:
    def get_declared_queues(self) -> set[str]:
        return {"ocr"}

    @property
    def queues(self) -> dict[str, Any]:
        import queue

        return {"ocr": queue.Queue()}


def test_alert_rules_are_whole_and_use_metrics_that_exist() -> None:
    rules = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
    scrape = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"] for job in scrape["scrape_configs"]}
    assert "alerts.yml" in scrape["rule_files"]
    exposed = exposed_metric_names()
    alerts = [rule for group in rules["groups"] for rule in group["rules"]]
    assert len(alerts) >= 10
    for rule in alerts:
        assert re.fullmatch(r"Timetabler[A-Za-z]+", rule["alert"])
        assert rule["labels"]["severity"] in ("critical", "warning", "info")
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert re.fullmatch(r"\d+[smh]", rule["for"])
        for metric in re.findall(r"\btimetabler_[a-z_]+", rule["expr"]):
            assert metric in exposed, f"{rule['alert']} uses {metric}, which /metrics does not show"
        for job in re.findall(r'job="([^"]+)"', rule["expr"]):
            assert job in jobs, f"{rule['alert']} names the scrape job {job}"
    names = {rule["alert"] for rule in alerts}
    operations = (ROOT / "docs" / "operations.md").read_text()
    for name in names:
        assert name in operations, f"docs/operations.md has no runbook for {name}"
