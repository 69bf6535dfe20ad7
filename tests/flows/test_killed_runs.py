"""A checkpoint whose process is killed (kill -9) does not stay Running for ever."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from paths import CONFIG, ROOT
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.settings import PREFECT_API_URL

from flows import common
from flows.checkpoint import checkpoint
from steering.settings import get_settings

RUN = "checkpoint/digital-und-sozial/2019-H1"


def _runs() -> list[FlowRun]:
    with get_client(sync_client=True) as client:
        return [r for r in client.read_flow_runs() if r.name == RUN]


def _running_elsewhere(deadline: float) -> FlowRun:
    while time.monotonic() < deadline:
        running = [r for r in _runs() if r.state_type == StateType.RUNNING]
        if running:
            return running[0]
        time.sleep(0.2)
    raise AssertionError("the worker's run never started")


def test_a_run_killed_with_kill_9_is_marked_crashed_by_the_next_checkpoint(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STEERING_STALE_RUN_MINUTES", "0")  # any earlier Running run is stale
    get_settings.cache_clear()
    common.wiring.cache_clear()
    common.wiring()  # the store exists and is migrated
    # The worker waits for the store's write lock (held here), so it is surely mid-run.
    lock = sqlite3.connect(store / "steering.sqlite", isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from flows.checkpoint import checkpoint; "
            f"checkpoint(config={str(CONFIG)!r}, period='2019-H1')",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "PREFECT_API_URL": str(PREFECT_API_URL.value()),
            "STEERING_SQLITE_BUSY_TIMEOUT_MS": "120000",
        },
    )
    try:
        killed = _running_elsewhere(time.monotonic() + 90)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
        if worker.poll() is None:
            worker.kill()
    time.sleep(1)
    with get_client(sync_client=True) as client:
        still = client.read_flow_run(killed.id)

    state = checkpoint(config=str(CONFIG), period="2019-H1", return_state=True)

    assert still.state_type == StateType.RUNNING  # nothing else would ever end it
    with get_client(sync_client=True) as client:
        after = client.read_flow_run(killed.id)
        (mine,) = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    assert after.state_type == StateType.CRASHED
    assert after.state is not None and "kill -9" in (after.state.message or "")
    assert mine.name in (after.state.message or "")
    assert state.is_completed()
