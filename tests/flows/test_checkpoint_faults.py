"""A checkpoint whose own store fails: retried, then failed, storing and telling nothing."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from loopback import MailServer
from paths import ROOT
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from programmes import copy_demo, release_data_roots
from sqlalchemy import func, select

from flows import common
from flows.checkpoint import checkpoint
from steering.adapters.db.models import AssessmentRow, CheckpointRow, OutboxRow
from steering.settings import get_settings


def _rows(model: type[Any]) -> int:
    with common.wiring().uow() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _task_runs(state: Any) -> dict[str, int]:
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    return {r.name.rsplit("-", 1)[0]: r.run_count for r in runs}


def _programme(folder: Path) -> Path:
    """A copy of the example programme whose key figures for 2019-H2 have not arrived yet."""
    config = copy_demo(folder)
    figures = folder / "examples" / "digital-und-sozial" / "kennzahlen.csv"
    lines = figures.read_bytes().splitlines(keepends=True)
    figures.write_bytes(b"".join(line for line in lines if b"2. Halbjahr 2019" not in line))
    return config


def _figures_arrive(config: Path) -> None:
    """The key figures for 2019-H2 arrive: the full file."""
    source = ROOT / "examples" / "digital-und-sozial" / "kennzahlen.csv"
    shutil.copy(source, config.parents[1] / "examples" / "digital-und-sozial" / source.name)


@pytest.fixture
def mailing(
    store: Path, tmp_path: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> MailServer:
    """Mail goes to the loopback SMTP server; store faults are retried after 0.2 s; the
    programme copies read their data from ../examples, released as data roots."""
    roots = [tmp_path / name / "examples" for name in ("programme", "undisturbed")]
    release_data_roots(monkeypatch, *roots)
    monkeypatch.setenv("STEERING_MAIL_URL", mail_server.url())
    monkeypatch.setenv("STEERING_SQLITE_BUSY_TIMEOUT_MS", "200")
    monkeypatch.setenv("STEERING_RETRY_SECONDS", "[0.2, 0.2]")
    get_settings.cache_clear()
    common.wiring.cache_clear()
    return mail_server


def test_a_store_locked_while_collecting_fails_the_checkpoint_and_tells_nobody(
    mailing: MailServer, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = _programme(tmp_path / "programme")
    checkpoint(config=str(programme), period="2019-H1")  # tells its first red/yellow lights
    _figures_arrive(programme)
    mailing.messages.clear()
    mailing.envelopes.clear()
    queued = _rows(OutboxRow)
    lights = _rows(AssessmentRow)
    locked, done = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        # A backup holds the write lock for the whole run: longer than collecting may retry
        # (0.2 s busy wait, 2 retries after 0.2 s). Held to the end, not for a fixed time, so
        # a slow machine cannot let a late retry through.
        with sqlite3.connect(store / "steering.sqlite", isolation_level=None) as connection:
            connection.execute("BEGIN IMMEDIATE")
            locked.set()
            done.wait(120)
            connection.execute("ROLLBACK")

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(5)
    try:
        failed = checkpoint(config=str(programme), period="2019-H2", return_state=True)
    finally:
        done.set()
        holder.join()

    assert failed.is_failed()
    runs = _task_runs(failed)
    assert runs["Quellen sammeln"] == 3  # the first try and two retries
    assert not any(name.startswith("Ampeln") for name in runs)  # never evaluated
    assert _rows(CheckpointRow) == 1  # only 2019-H1: nothing stored for 2019-H2
    assert (_rows(AssessmentRow), _rows(OutboxRow)) == (lights, queued)
    assert mailing.messages == []

    # The lock gone, the checkpoint tells what an undisturbed run tells, no more.
    correct = checkpoint(config=str(programme), period="2019-H2")
    told = len(mailing.messages)
    monkeypatch.setenv("STEERING_DATA_DIR", str(tmp_path / "undisturbed-data"))
    get_settings.cache_clear()
    common.wiring.cache_clear()
    undisturbed = _programme(tmp_path / "undisturbed")
    checkpoint(config=str(undisturbed), period="2019-H1")
    _figures_arrive(undisturbed)
    before = len(mailing.messages)
    checkpoint(config=str(undisturbed), period="2019-H2")

    assert {s["source"]: s["status"] for s in correct["sources"]}["kennzahlen"] == "imported"
    assert told == correct["notifications"]["sent"] == len(mailing.messages) - before > 0
