"""The production topology without Docker: PostgreSQL, `prefect server start` with basic
auth, `steer serve`, a checkpoint triggered through the API, digests to an SMTP sink.

Runs against the PostgreSQL of STEERING_TEST_POSTGRES_URL (CI sets it); every process is
started here, stopped by its id, and both databases are dropped afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from loopback import MailServer, Webhook
from paths import CONFIG, POSTGRES_ENV, POSTGRES_SKIP_REASON
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from flows.local_server import prefect_server_process

pytestmark = pytest.mark.postgres
AUTH = "leitung:" + secrets.token_urlsafe(12)
DB_PASSWORD = "Db-Geheim-" + secrets.token_hex(6)  # trust auth on loopback ignores it
WEBHOOK_TOKEN = "Teams-Token-" + secrets.token_hex(6)
SECRETS = (AUTH.split(":", 1)[1], DB_PASSWORD, WEBHOOK_TOKEN)
STEER = str(Path(sys.executable).with_name("steer"))


@dataclass
class Topology:
    api: str
    steering_url: str
    mail: MailServer
    hook: Webhook
    work: Path


def _request(url: str, body: dict[str, Any] | None = None, *, auth: str | None = AUTH) -> Any:
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, headers=headers, method="POST" if data else "GET"
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read() or b"null")


def _wait(predicate: Any, what: str, timeout: float, process: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what}: the process ended with {process.returncode}")
        try:
            found = predicate()
            if found:
                return found
        except (OSError, urllib.error.HTTPError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(POSTGRES_SKIP_REASON)
    suffix = secrets.token_hex(4)
    names = {"prefect": f"prefect_{suffix}", "steering": f"steering_{suffix}"}
    admin = sa.create_engine(base, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names.values():
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(base)
    prefect_db = url.set(drivername="postgresql+asyncpg", database=names["prefect"])
    steering_db = url.set(database=names["steering"], password=DB_PASSWORD).render_as_string(
        hide_password=False
    )
    work = tmp_path_factory.mktemp("production")
    mail = MailServer()
    mail.start()
    hook = Webhook()
    common = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    common.pop("PREFECT_API_URL", None)
    service = None
    try:
        with prefect_server_process(
            work / "server-home",
            env={
                **common,
                "PREFECT_API_DATABASE_CONNECTION_URL": prefect_db.render_as_string(
                    hide_password=False
                ),
                "PREFECT_UI_ENABLED": "false",
            },
            auth=AUTH,
        ) as api:
            service = subprocess.Popen(
                [STEER, "serve", str(CONFIG)],
                env={
                    **common,
                    "PREFECT_HOME": str(work / "service-home"),
                    "PREFECT_API_URL": api,
                    "PREFECT_API_AUTH_STRING": AUTH,
                    "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "false",
                    "STEERING_DATABASE_URL": steering_db,
                    "STEERING_DATA_DIR": str(work / "data"),
                    "STEERING_MAIL_URL": mail.url(),
                    "STEERING_PREFECT_UI_URL": api.removesuffix("/api"),
                    # The lead's Teams channel (config: ${STEERING_TEAMS_WEBHOOK_URL}).
                    "STEERING_TEAMS_WEBHOOK_URL": (
                        f"json://steuerung:{WEBHOOK_TOKEN}@127.0.0.1:{hook.port}/teams"
                    ),
                    "PREFECT_LOGGING_LEVEL": "DEBUG",
                },
                stdout=(work / "serve.log").open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                _wait(
                    lambda: _request(
                        f"{api}/deployments/name/checkpoint/digital-und-sozial-checkpoint"
                    ),
                    "the served checkpoint deployment",
                    120,
                    service,
                )
                yield Topology(api, steering_db, mail, hook, work)
            finally:
                _stop(service)
    finally:
        mail.stop()
        hook.close()
        with admin.connect() as connection:
            for name in names.values():
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _run_checkpoint(topology: Topology, period: str) -> dict[str, Any]:
    api = topology.api
    deployment = _request(f"{api}/deployments/name/checkpoint/digital-und-sozial-checkpoint")
    run = _request(
        f"{api}/deployments/{deployment['id']}/create_flow_run", {"parameters": {"period": period}}
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        state = _request(f"{api}/flow_runs/{run['id']}")["state"]
        if state and state["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            assert state["type"] == "COMPLETED", state
            return dict(run)
        time.sleep(1)
    raise AssertionError(f"the checkpoint run for {period} did not finish")


def test_a_checkpoint_triggered_through_the_api_runs_end_to_end(topology: Topology) -> None:
    _run_checkpoint(topology, "2019-H1")
    run = _run_checkpoint(topology, "2019-H2")

    engine = sa.create_engine(topology.steering_url, poolclass=NullPool)
    with engine.connect() as connection:
        keys = set(connection.execute(sa.text("SELECT key FROM checkpoints")).scalars())
        lights = connection.execute(sa.text("SELECT count(*) FROM assessments")).scalar_one()
        queued = connection.execute(sa.text("SELECT count(*) FROM outbox")).scalar_one()
    engine.dispose()
    artifacts = _request(
        f"{topology.api}/artifacts/filter",
        {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}},
    )
    deadline = time.monotonic() + 30
    while len(topology.mail.messages) == 0 and time.monotonic() < deadline:
        time.sleep(0.5)

    assert keys == {"digital-und-sozial/2019-H1", "digital-und-sozial/2019-H2"}
    assert lights > 40 and queued > 0
    assert {"ampelmatrix-digital-und-sozial", "sachbericht-digital-und-sozial"} <= {
        a["key"] for a in artifacts
    }
    assert topology.mail.messages, "no digest reached the SMTP sink"
    subjects = {str(m["Subject"]) for m in topology.mail.messages}
    assert all(s.startswith("[digit@l und sozi@l") for s in subjects)


def test_the_api_refuses_requests_without_credentials(topology: Topology) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        _request(f"{topology.api}/flow_runs/filter", {}, auth=None)
    with pytest.raises(urllib.error.HTTPError) as wrong:
        _request(f"{topology.api}/flow_runs/filter", {}, auth="leitung:falsch")
    assert refused.value.code == wrong.value.code == 401


def test_no_credential_appears_in_logs_artifacts_reports_or_the_store(topology: Topology) -> None:
    _run_checkpoint(topology, "2019-H1")
    _run_checkpoint(topology, "2019-H2")
    logs = _request(f"{topology.api}/logs/filter", {"limit": 200})
    artifacts = _request(f"{topology.api}/artifacts/filter", {"limit": 200})
    engine = sa.create_engine(topology.steering_url, poolclass=NullPool)
    with engine.connect() as connection:
        stored = [
            repr(connection.execute(sa.text(f"SELECT * FROM {table}")).all())
            for table in ("outbox", "notice_log", "audit_log", "checkpoints", "imports")
        ]
    engine.dispose()
    files = [
        p.read_bytes().decode("utf-8", "replace")
        for p in topology.work.rglob("*")
        if p.is_file() and p.suffix in (".md", ".html", ".csv", ".log", ".json")
    ]
    outputs = [json.dumps(logs), json.dumps(artifacts), *stored, *files]

    assert topology.hook.posts, "the lead's webhook (with its token) was used"
    assert logs and artifacts and files
    for secret in SECRETS:
        assert not [o for o in outputs if secret in o], secret
