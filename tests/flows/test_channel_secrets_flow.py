"""A webhook token never reaches Prefect: the reminder flow logs a failed send masked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from loopback import free_port
from paths import CONFIG
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.logging.handlers import APILogWorker

from flows import common
from flows.notify import reminders
from steering.settings import get_settings

TOKEN = "Gh7x2Kq9TokenWirdNieGezeigt"


def test_a_failed_send_to_a_tagged_webhook_leaves_no_token_in_prefect(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lead is reached through the apprise config file's tag `leitung`, a webhook whose
    token sits in its path; the webhook is down."""
    programme = tmp_path / "programm.yaml"
    examples = CONFIG.parents[1] / "examples"
    programme.write_text(
        CONFIG.read_text(encoding="utf-8")
        .replace('notify: ["${STEERING_TEAMS_WEBHOOK_URL}"]', "apprise_tags: [leitung]")
        .replace("../examples/", f"{examples}/"),
        encoding="utf-8",
    )
    monkeypatch.setenv("STEERING_DATA_ROOTS", str(examples))
    apprise_config = tmp_path / "apprise.txt"
    apprise_config.write_text(
        f"leitung=json://127.0.0.1:{free_port()}/hook/{TOKEN}\n", encoding="utf-8"
    )
    monkeypatch.setenv("STEERING_APPRISE_CONFIG", str(apprise_config))
    get_settings.cache_clear()
    common.wiring.cache_clear()
    with common.wiring().uow() as uow:
        uow.outbox.enqueue(
            "digital-und-sozial",
            key="leitung:1",
            recipient="projektleitung",
            channel="tag:leitung",
            kind="digest",
            subject="Hinweis",
            text="Ein Hinweis.",
            html="<p>Ein Hinweis.</p>",
            now=common.now(),
        )
        uow.commit()

    state = reminders(config=str(programme), on=date(2019, 12, 1), return_state=True)
    APILogWorker.drain_all()  # the run's logs reach the Prefect server in the background
    run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        logs = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
        result = state.result()

    warnings = [log.message for log in logs if "Nicht zugestellt" in log.message]
    assert result["failed"] == 1
    assert len(warnings) == 1 and "json://127.0.0.1:" in warnings[0] and "***" in warnings[0]
    assert all(TOKEN not in log.message for log in logs)
