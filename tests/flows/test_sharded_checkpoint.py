"""A checkpoint split by organisation shard over two process workers equals a single run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import CONFIG, ROOT
from sqlalchemy import create_engine, text

from flows import common
from flows.checkpoint import checkpoint
from flows.checkpoint_shards import SHARD_FLOW, checkpoint_shard
from steering.settings import get_settings

pytestmark = pytest.mark.prefect

POOL = "steering-shards"
FIRST, SECOND = "2019-H1", "2019-H2"


def _use_store(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point this process's flows at the store in `folder`."""
    monkeypatch.setenv("STEERING_DATA_DIR", str(folder))
    get_settings.cache_clear()
    common.wiring.cache_clear()


def _rows(folder: Path, period: str) -> dict[str, list[tuple[Any, ...]]]:
    """The stored lights, reasons and decisions of the period's checkpoint, in key order."""
    engine = create_engine(f"sqlite:///{folder / 'steering.sqlite'}")
    checkpoint_of = "(SELECT id FROM checkpoints WHERE period = :period)"
    try:
        with engine.connect() as connection:
            lights = connection.execute(
                text(
                    "SELECT scope_key, dimension, light, raw_light, breach_streak, recover_streak,"
                    " red_streak, aggregate, reasons FROM assessments"
                    f" WHERE checkpoint_id = {checkpoint_of} ORDER BY scope_key, dimension"
                ),
                {"period": period},
            ).all()
            decisions = connection.execute(
                text(
                    "SELECT scope_key, decision, evidence, mitigations FROM abort_decisions"
                    f" WHERE checkpoint_id = {checkpoint_of} ORDER BY scope_key"
                ),
                {"period": period},
            ).all()
    finally:
        engine.dispose()
    return {"lights": [tuple(r) for r in lights], "decisions": [tuple(r) for r in decisions]}


def _run(*command: str, env: dict[str, str]) -> None:
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=120)


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A process work pool with two `prefect worker` subprocesses on the test's server."""
    from prefect.settings import PREFECT_API_URL

    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "STEERING_DATA_DIR": str(tmp_path / "sharded"),
    }
    prefect = str(Path(sys.executable).with_name("prefect"))
    _run(prefect, "work-pool", "create", POOL, "--type", "process", "--overwrite", env=env)
    workers = [
        subprocess.Popen(
            [prefect, "worker", "start", "--pool", POOL, "--type", "process", "--name", name],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in ("worker-1", "worker-2")
    ]
    try:
        yield env
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a busy machine: a worker slow to stop
                worker.kill()
                worker.wait()


def _deploy_shards(env: dict[str, str]) -> None:
    """Deploy the shard flow on the pool, as `prefect deploy` does from prefect.yaml."""
    name = f"digital-und-sozial-{SHARD_FLOW}"
    flow = checkpoint_shard.from_source(str(ROOT), "flows/checkpoint_shards.py:checkpoint_shard")
    flow.deploy(
        name, work_pool_name=POOL, parameters={"config": str(CONFIG)}, print_next_steps=False
    )


def _shard_runs() -> list[Any]:
    """The shard flow's runs on the server."""
    from prefect import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[SHARD_FLOW])))


def test_a_checkpoint_in_two_shards_on_two_workers_stores_what_a_single_run_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_workers: dict[str, str]
) -> None:
    started = time.monotonic()
    _deploy_shards(two_workers)
    single, sharded = tmp_path / "single", tmp_path / "sharded"
    _use_store(single, monkeypatch)
    checkpoint(config=str(CONFIG), period=FIRST)
    checkpoint(config=str(CONFIG), period=SECOND)  # with the first's lights as history
    _use_store(sharded, monkeypatch)
    checkpoint(config=str(CONFIG), period=FIRST)
    result = checkpoint(config=str(CONFIG), period=SECOND, shards=2)

    expected, got = _rows(single, SECOND), _rows(sharded, SECOND)
    assert len(expected["lights"]) > 20 and len(expected["decisions"]) > 5
    assert got["lights"] == expected["lights"]
    assert got["decisions"] == expected["decisions"]
    assert sum(result["lights"].values()) == len(expected["lights"])
    runs = _shard_runs()
    assert len(runs) == 2
    assert {(r.work_pool_name, r.state_name) for r in runs} == {(POOL, "Completed")}
    assert all(r.infrastructure_pid for r in runs)  # each in a worker's subprocess
    assert time.monotonic() - started < 120
