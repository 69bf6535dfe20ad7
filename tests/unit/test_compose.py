"""docker-compose.yml: valid against the Compose schema, every variable in .env.example; the
three bugs the compose smoke test (scripts/compose_smoke.sh) found stay fixed; its override
files keep to loopback and to host networking."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from paths import ROOT

from steering.settings import placeholders_left

COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
# The Compose specification's JSON schema, as Debian's docker-compose 1.29 ships it
# (Apache-2.0, github.com/docker/compose): validation needs no Docker engine.
SCHEMA = ROOT / "tests" / "data" / "compose_spec.json"
HOSTNET = ROOT / "deploy" / "test" / "compose.hostnet.yml"
STANDINS = ROOT / "deploy" / "test" / "compose.standins.yml"
# The machine's own services (PostgreSQL, MariaDB, Redis, RabbitMQ, Mosquitto, NATS) and the
# topology's usual ports, which the smoke test's services must not take.
TAKEN_PORTS = {5432, 3306, 6379, 5672, 1883, 4222, 4200, 8025, 1025, 4369, 25672}
RESET = object()  # compose's `!reset` tag


class _ComposeLoader(yaml.SafeLoader):
    """YAML with compose's `!reset` tag (it drops a value of the files before)."""


_ComposeLoader.add_constructor("!reset", lambda loader, node: RESET)


def _compose() -> dict[str, object]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _example() -> dict[str, str]:
    pairs = [
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    return {k: v for k, v in pairs}


def test_the_compose_file_matches_the_compose_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator(schema).validate(_compose())


def test_every_variable_the_compose_file_uses_is_named_in_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))
    assert used <= set(_example()), used - set(_example())


def test_the_services_of_the_production_topology() -> None:
    services = _compose()["services"]
    assert isinstance(services, dict)
    postgres, server, steering = (
        services["postgres"],
        services["prefect-server"],
        services["steering"],
    )
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert any("pgdata" in v for v in postgres["volumes"])
    assert set(server["environment"]) >= {
        "PREFECT_API_DATABASE_CONNECTION_URL",
        "PREFECT_SERVER_API_AUTH_STRING",
        "PREFECT_SERVER_ENCRYPTION_KEY",
    }
    assert all(p.startswith("127.0.0.1:") for p in server["ports"])  # localhost only
    assert "healthcheck" in server
    assert steering["environment"]["PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"] == "false"
    assert {"PREFECT_API_URL", "PREFECT_API_AUTH_STRING", "STEERING_DATABASE_URL"} <= set(
        steering["environment"]
    )
    assert "mailpit" in services and services["worker"]["profiles"] == ["workers"]


def test_the_example_env_holds_placeholders_the_service_refuses() -> None:
    left = placeholders_left(_example())
    assert left == ["POSTGRES_PASSWORD", "PREFECT_AUTH_STRING", "PREFECT_SERVER_ENCRYPTION_KEY"]


def test_the_dockerfile_runs_as_a_non_root_user_on_a_slim_base() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim$", dockerfile, re.M)
    assert re.search(r"^FROM \$\{PYTHON_IMAGE\}$", dockerfile, re.M)
    assert re.search(r"^USER steering$", dockerfile, re.M)
    assert re.search(r'^ENTRYPOINT \["steer"\]$', dockerfile, re.M)


def test_the_image_makes_the_data_volume_mount_point_as_the_non_root_user() -> None:
    """Bug 2: without it, Docker creates the steering-data volume owned by root and the
    first checkpoint fails with PermissionError on /home/steering/data/reports."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    after_user = dockerfile.split("\nUSER steering\n", 1)[1]
    assert re.search(r"^RUN mkdir -p /home/steering/data$", after_user, re.M)
    assert "STEERING_DATA_DIR=/home/steering/data" in after_user
    volumes = _compose()["services"]["steering"]["volumes"]
    assert "steering-data:/home/steering/data" in volumes


def test_services_of_the_app_image_do_not_append_a_shell_to_its_steer_entrypoint() -> None:
    """Bug 1: `command: ["sh", "-c", ...]` after ENTRYPOINT ["steer"] ran `steer sh -c ...`
    ("No such command 'sh'"); a service that runs a shell or prefect names its entrypoint."""
    services = _compose()["services"]
    assert isinstance(services, dict)
    built = {name: s for name, s in services.items() if "build" in s}
    assert set(built) == {"steering", "portal", "worker", "steering-deploy"}
    for name, service in built.items():
        command = service.get("command", [])
        if "entrypoint" not in service:
            assert not command or command[0] not in ("sh", "bash", "prefect", "steer"), name
    assert services["steering"]["entrypoint"] == ["sh", "-c"]
    assert services["steering"]["command"][0].startswith("steer db upgrade && exec steer serve")


def test_steering_deploy_creates_the_work_pool_before_it_deploys() -> None:
    """Bug 3: run before any worker, `prefect deploy --all` failed: "work pool 'steering'
    does not exist". The README's order is deploy first, then the workers."""
    deploy = _compose()["services"]["steering-deploy"]
    assert deploy["entrypoint"] == ["sh", "-c"]
    script = " ".join(deploy["command"])
    create = script.index("prefect work-pool create steering --type process")
    assert create < script.index("prefect --no-prompt deploy --all")
    assert "--overwrite" not in script  # an existing pool (and its settings) stays


def test_the_build_context_leaves_out_the_env_file_and_the_venv() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".venv", ".git"} <= set(ignored)


def _override(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ComposeLoader)
    assert isinstance(data, dict)
    return data


def test_the_smoke_override_runs_every_service_on_the_host_network() -> None:
    override = _override(HOSTNET)
    services = override["services"]
    assert set(services) == set(_compose()["services"])
    assert "networks" not in override  # never a bridge network
    for name, service in services.items():
        assert service["network_mode"] == "host", name
        assert "networks" not in service, name
        assert service.get("ports", RESET) is RESET, name  # published ports: dropped
        if "build" in service:
            assert service["build"]["network"] == "host", name


def test_the_smoke_override_changes_networking_only() -> None:
    """The topology's own fixes live in docker-compose.yml and the Dockerfile: the override
    may not work around them (no entrypoint, volume, user or extra service)."""
    allowed = {"network_mode", "ports", "environment", "command", "healthcheck", "build"}
    for name, service in _override(HOSTNET)["services"].items():
        assert set(service) <= allowed, (name, set(service) - allowed)
        if "command" in service:
            assert name in ("postgres", "prefect-server"), name  # listen address and port
        if "build" in service:
            assert set(service["build"]) <= {"context", "network", "secrets"}, name


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_the_smoke_override_listens_on_loopback_on_free_ports_only() -> None:
    override = _override(HOSTNET)
    values = list(_strings(override))
    hosts = [h for v in values for h in re.findall(r"://(?:[^@/\s]*@)?([^:/\s'\"]+)", v)]
    env = {
        k: v for svc in override["services"].values() for k, v in svc.get("environment", {}).items()
    }
    hosts += [str(v).rsplit(":", 1)[0] for k, v in env.items() if k.endswith("_BIND_ADDR")]
    commands = [svc.get("command", []) for svc in override["services"].values()]
    hosts += [c[c.index("--host") + 1] for c in commands if "--host" in c]
    hosts += [a.split("=", 1)[1] for c in commands for a in c if a.startswith("listen_addresses=")]
    assert len(hosts) >= 8 and set(hosts) == {"127.0.0.1"}, hosts

    text = "\n".join(values)
    ports = {int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", text)}
    ports |= {int(env["PGPORT"])}
    ports |= {int(c[c.index("--port") + 1]) for c in commands if "--port" in c}
    assert ports == {55432, 54200, 51025, 58025, 58400}, ports
    assert not ports & TAKEN_PORTS
    assert "0.0.0.0" not in text


def test_the_stand_ins_have_names_of_their_own_and_build_on_the_host_network() -> None:
    """A stand-in never shadows a registry image of the same name on an operator's host."""
    services = _override(STANDINS)["services"]
    for name in ("postgres", "mailpit", "prefect-server"):
        assert services[name]["image"].startswith("steering-smoke/"), name
        assert services[name]["build"]["network"] == "host", name
        dockerfile = ROOT / services[name]["build"]["context"] / "Dockerfile"
        assert "Stand-in for the registry image" in dockerfile.read_text(encoding="utf-8")
    for name in ("steering", "portal", "worker", "steering-deploy"):
        image = services[name]["build"]["args"]["PYTHON_IMAGE"]
        assert image.startswith("steering-smoke/"), name


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason=(
        "needs Debian's docker-compose (apt install docker-compose; this project's CI machine "
        "has it); the schema test above validates the file without it"
    ),
)
def test_docker_compose_config_accepts_the_file_with_the_example_env(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "--env-file", str(env), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
