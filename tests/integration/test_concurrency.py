"""Two runs of the same checkpoint, or of the same notifications, at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from paths import CONFIG
from programmes import demo_definition
from sqlalchemy import Engine

from steering.adapters.db.models import (
    AbortDecisionRow,
    AssessmentRow,
    CheckpointRow,
    MeasurementRow,
    NoticeLogRow,
    OutboxRow,
)
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.domain.definition.organisations import Person
from steering.domain.definition.sources import ProgressSource
from steering.domain.notifications.message import Message
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.integration import ensure_integrations
from steering.services.notify import plan_digests, queue_digests, reminder_notices

DEFINITION = demo_definition()
NOW = datetime(2020, 1, 15, 6, 0, tzinfo=UTC)


def _together(work: Callable[[], Any], runs: int = 2) -> list[Any]:
    """Start `runs` calls at the same moment; return results (or the exceptions raised)."""
    barrier = threading.Barrier(runs)
    results: list[Any] = [None] * runs

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work()
        except Exception as error:  # collected and asserted on by the test
            results[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _count(engine: Engine, model: type[Any]) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def test_the_same_checkpoint_started_twice_at_once_stores_one_result(store: Engine) -> None:
    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(store)

    collect_sources(DEFINITION, CONFIG, sources=indicator_sources(), uow_factory=uow, now=NOW)
    values = _count(store, MeasurementRow)

    results = _together(lambda: run_checkpoint(DEFINITION, uow=uow(), period="2019-H2", now=NOW))

    assert not [r for r in results if isinstance(r, Exception)], results
    lights = len(results[0].evaluation.lights)
    decisions = len(results[0].evaluation.decisions)
    assert _count(store, CheckpointRow) == 1
    assert _count(store, AssessmentRow) == lights
    assert (
        _count(store, AbortDecisionRow) >= decisions
    )  # one overall record per scope, plus criteria
    with store.connect() as connection:
        scopes = connection.execute(
            sa.select(AbortDecisionRow.scope_key, AbortDecisionRow.criterion_key)
        ).all()
    assert len(scopes) == len(set(scopes))
    # The checkpoint adds only the progress source's figures, once.
    progress = next(s for s in DEFINITION.sources if isinstance(s, ProgressSource))
    active = sum(o.active for o in DEFINITION.organisations)
    assert _count(store, MeasurementRow) == values + active * len(progress.indicator_keys())


class _Silent:
    """A sender with e-mail for everybody that delivers nothing (only queuing is tested)."""

    def channels(self, person: Person) -> list[str]:
        return ["email"]

    def send(self, person: Person, hint: str, message: Message) -> None:
        return None

    def describe(self, person: Person, hint: str) -> str:
        return hint


def test_the_same_reminders_queued_twice_at_once_are_queued_once(store: Engine) -> None:
    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(store)

    ensure_integrations(DEFINITION, uow=uow(), today=date(2019, 9, 2))
    notices = reminder_notices(DEFINITION, uow=uow(), today=date(2019, 9, 25))
    planned = plan_digests(DEFINITION, notices, uow=uow(), sender=_Silent(), ui_url=None, now=NOW)

    results = _together(lambda: queue_digests(DEFINITION, planned, uow=uow(), now=NOW))

    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == [0, len(planned)]
    assert _count(store, OutboxRow) == len(planned)
    assert _count(store, NoticeLogRow) == sum(len(p.notices) for p in planned)
