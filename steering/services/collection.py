"""Use case: collect every configured file and SQL source before a checkpoint."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SqlSource, TableSource
from steering.ports.sources import ImportFailed
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
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
    actor: str = "checkpoint",
    retry_delays: Sequence[float] = (1.0, 3.0),
    lang: str = "de",
) -> list[Collected]:
    """Import table sources with a path and SQL sources; a failing source never stops the rest.

    A source that cannot be read is reported as failed (its values then count as missing).
    Our own store failing is no verdict on any source: StoreUnavailable is raised at once.
    Surveys are imported with their period by the evaluation flow or `steer import`.
    """
    results = []
    for source in definition.sources:
        if not (isinstance(source, SqlSource) or (isinstance(source, TableSource) and source.path)):
            continue
        results.append(
            _collect_one(
                definition, definition_file, source.key, uow_factory, now, actor, retry_delays, lang
            )
        )
    return results


def _collect_one(
    definition: ProgrammeDefinition,
    definition_file: Path,
    key: str,
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
    actor: str,
    retry_delays: Sequence[float],
    lang: str,
) -> Collected:
    for attempt in range(len(retry_delays) + 1):
        store = uow_factory()
        try:
            outcome = import_source(
                definition,
                definition_file,
                source_key=key,
                uow=store,
                now=now,
                actor=actor,
                lang=lang,
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
