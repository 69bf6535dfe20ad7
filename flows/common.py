"""Shared helpers of the flows: loading the definition and wiring, once per process."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from steering import clock
from steering.bootstrap import Wiring, read_definition, wire
from steering.domain.definition import ProgrammeDefinition


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
