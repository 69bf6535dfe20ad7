"""Use case: collect every configured file and SQL source before a checkpoint."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from steering.domain.definition import ProgrammeDefinition
from steering.io_retries import SOURCE_PAUSES
from steering.ports.sources import ImportFailed, Sources
from steering.ports.store import UnitOfWork
from steering.services.importing import import_source


@dataclass(frozen=True)
class Collected:
    """How one source fared: imported, unchanged, failed (its data then counts as missing)."""

    source: str
    status: str
    rows: int = 0
    message: str = ""


def collect_sources(
    definition: ProgrammeDefinition,
    definition_file: Path,
    *,
    sources: Sources,
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
    actor: str = "checkpoint",
    retry_delays: Sequence[float] = SOURCE_PAUSES,
    lang: str = "de",
) -> list[Collected]:
    """Import the sources checkpoints collect (files with a path, SQL); none stops the rest.

    A source that cannot be read is reported as failed (its values then count as missing).
    Our own store failing is no verdict on any source: StoreUnavailable is raised at once.
    Surveys are imported with their period by the evaluation flow or `steer import`.
    """
    results = []
    for source in definition.sources:
        reader = sources.reader(source)
        if reader is None or not reader.collects(source):
            continue
        results.append(
            _collect_one(
                definition,
                definition_file,
                source.key,
                _Attempt(sources, uow_factory, now, actor, lang),
                retry_delays,
            )
        )
    return results


@dataclass(frozen=True)
class _Attempt:
    """What each attempt to import a source needs besides its key."""

    sources: Sources
    uow_factory: Callable[[], UnitOfWork]
    now: datetime
    actor: str
    lang: str


def _collect_one(
    definition: ProgrammeDefinition,
    definition_file: Path,
    key: str,
    with_: _Attempt,
    retry_delays: Sequence[float],
) -> Collected:
    for attempt in range(len(retry_delays) + 1):
        store = with_.uow_factory()
        try:
            outcome = import_source(
                definition,
                definition_file,
                source_key=key,
                sources=with_.sources,
                uow=store,
                now=with_.now,
                actor=with_.actor,
                lang=with_.lang,
            )
            return Collected(key, outcome.status, outcome.rows)
        except ImportFailed as exc:
            if not exc.transient:
                # Bad content does not get better by retrying; the data stays missing.
                return Collected(key, "failed", 0, str(exc))
            message = str(exc)
        except Exception as exc:
            fault = store.store_fault(exc)
            if fault is not None:
                # Our store failed, not the source: its values must not count as missing.
                raise fault from exc
            message = f"{type(exc).__name__}: {exc}"
        if attempt < len(retry_delays):
            time.sleep(retry_delays[attempt])
    return Collected(key, "failed", 0, message)
