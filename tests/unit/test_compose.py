"""docker-compose.yml: valid against the Compose schema, every variable in .env.example."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

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
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.M)
    assert re.search(r"^USER steering$", dockerfile, re.M)


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
