"""Shared helpers of the flows: loading the definition and wiring, once per process."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from prefect.runtime import flow_run

from flows.publish import PrefectPublisher
from steering import clock
from steering.bootstrap import Wiring, read_definition, store_unreachable, wire
from steering.domain.definition import ProgrammeDefinition
from steering.ports.publishing import Publishing


@lru_cache(maxsize=8)
def _definition(path: str, mtime: float) -> ProgrammeDefinition:
    return read_definition(path)


def definition(path: str) -> ProgrammeDefinition:
    """The validated definition at `path` (re-read when the file changes)."""
    return _definition(path, Path(path).stat().st_mtime)


@lru_cache(maxsize=1)
def wiring() -> Wiring:
    """The adapters of this worker process, with the store migrated."""
    wired = wire()
    wired.migrate()
    return wired


def now() -> datetime:
    """The current time (UTC)."""
    return clock.now()


def publishing() -> Publishing:
    """Where this worker's results go: Prefect artifacts and the report files."""
    return wiring().publishing(PrefectPublisher())


def run_id() -> str | None:
    """The current flow run's id, None outside a run."""
    found = flow_run.get_id()
    return str(found) if found else None


def retry_if_store_unreachable(task: Any, task_run: Any, state: Any) -> bool:
    """Retry only when the store could not be reached (locked, connection refused)."""
    try:
        state.result()
    except Exception as failure:
        return store_unreachable(failure)
    return False
