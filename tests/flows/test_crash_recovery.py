"""A checkpoint killed after storing its values, before telling anyone, is re-run cleanly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from loopback import MailServer
from paths import CONFIG
from sqlalchemy import func, select

from flows import common
from flows.checkpoint import checkpoint
from steering.adapters.db.models import (
    AbortDecisionRow,
    AssessmentRow,
    CheckpointRow,
    ImportRow,
    MeasurementRow,
    NoticeLogRow,
    OutboxRow,
)
from steering.bootstrap import indicator_sources
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.settings import get_settings

TABLES = (
    CheckpointRow,
    AssessmentRow,
    AbortDecisionRow,
    ImportRow,
    MeasurementRow,
    OutboxRow,
    NoticeLogRow,
)


def _counts() -> dict[str, int]:
    with common.wiring().uow() as uow:
        return {
            t.__tablename__: uow.session.scalar(select(func.count()).select_from(t)) or 0
            for t in TABLES
        }


def test_a_rerun_after_a_crash_before_the_notifications_duplicates_nothing(
    store: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    get_settings.cache_clear()
    common.wiring.cache_clear()
    definition = common.definition(str(CONFIG))
    checkpoint(config=str(CONFIG), period="2019-H1")  # tells its first red and yellow lights
    told_before = len(mail_server.messages)
    now = common.now()  # the test clock (tests/conftest.py)
    # The 2019-H2 run got as far as storing its values and lights, then the worker died.
    collect_sources(
        definition, CONFIG, sources=indicator_sources(), uow_factory=common.wiring().uow, now=now
    )
    run_checkpoint(
        definition,
        uow=common.wiring().uow(),
        period="2019-H2",
        now=now,
        key="digital-und-sozial/2019-H2",
    )
    crashed = _counts()

    rerun: dict[str, Any] = checkpoint(config=str(CONFIG), period="2019-H2")
    after = _counts()
    again: dict[str, Any] = checkpoint(config=str(CONFIG), period="2019-H2")

    assert rerun["notifications"]["queued"] > 0  # what the crashed run never sent
    assert {k: after[k] for k in ("checkpoints", "assessments", "abort_decisions")} == {
        k: crashed[k] for k in ("checkpoints", "assessments", "abort_decisions")
    }
    assert after["measurements"] == crashed["measurements"]  # files unchanged: not re-imported
    assert after["imports"] == crashed["imports"]
    assert again["notifications"]["queued"] == 0
    assert _counts() == after
    assert len(mail_server.messages) - told_before == rerun["notifications"]["sent"]


def test_a_briefly_locked_store_is_retried_and_the_checkpoint_written_once(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3
    import threading
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    monkeypatch.setenv("STEERING_SQLITE_BUSY_TIMEOUT_MS", "200")
    monkeypatch.setenv("STEERING_RETRY_SECONDS", "[1, 2, 4]")
    get_settings.cache_clear()
    common.wiring.cache_clear()
    checkpoint(config=str(CONFIG), period="2019-H1")
    locked = threading.Event()

    def hold_the_lock() -> None:
        # Another writer (a backup, a second process) keeps the store busy for 3 s.
        with sqlite3.connect(store / "steering.sqlite", isolation_level=None) as connection:
            connection.execute("BEGIN EXCLUSIVE")
            locked.set()
            time.sleep(3)
            connection.execute("COMMIT")

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(5)
    state = checkpoint(config=str(CONFIG), period="2019-H2", return_state=True)
    holder.join()

    assert state.is_completed()
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    # Collecting writes first (imports take turns on the write lock): it met the lock and
    # was retried, instead of recording the sources as unreadable.
    collecting = next(r for r in runs if r.name.startswith("Quellen"))
    assert collecting.run_count >= 2
    assert {s["status"] for s in state.result()["sources"]} == {"unchanged"}
    with common.wiring().uow() as uow:
        keys = list(uow.session.scalars(select(CheckpointRow.key)))
    assert sorted(keys) == ["digital-und-sozial/2019-H1", "digital-und-sozial/2019-H2"]
