"""Steps and cycles keyed by programme and by PDCA cycle, on SQLite and PostgreSQL.

Two programmes list the same organisation id (lebenshilfe-erfurt, drivers online platforms
and AI); each keeps its own steps, cycles and evidence. A new cycle starts a new pass of the
steps; the earlier pass stays as history.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from programmes import demo_definition
from sqlalchemy import Engine

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import StepStatus
from steering.domain.pdca import Cycle
from steering.domain.vocabulary import Phase
from steering.services.integration import complete_step, integration_overview
from steering.services.pdca import advance_phase, phase_status, record_evidence

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
FIRST = demo_definition()
SECOND = FIRST.model_copy(
    update={"programme": FIRST.programme.model_copy(update={"id": "zweites-programm"})}
)
ORG = "lebenshilfe-erfurt"
DRIVERS = ("online_platforms", "ai")
NOW = datetime(2019, 3, 1, 9, 0, tzinfo=UTC)
LEAD = "projektleitung"


@pytest.fixture
def uow(store: Engine) -> Iterator[SqlUnitOfWork]:
    yield SqlUnitOfWork.for_engine(store)


def _complete(
    definition: ProgrammeDefinition, uow: SqlUnitOfWork, through: int, now: datetime = NOW
) -> None:
    for driver in DRIVERS:
        for step in range(1, through + 1):
            complete_step(
                definition, ORG, driver, step, evidence_url=None, uow=uow, now=now, actor="gf"
            )


def _done(definition: ProgrammeDefinition, uow: SqlUnitOfWork) -> dict[str, int]:
    rows = integration_overview(definition, uow=uow, today=NOW.date())
    return {r.driver: r.done for r in rows if r.organisation_id == ORG}


def test_a_step_done_in_one_programme_is_not_done_in_another_with_the_same_organisation_id(
    uow: SqlUnitOfWork,
) -> None:
    _complete(FIRST, uow, 3)

    outcome = complete_step(
        SECOND, ORG, "online_platforms", 1, evidence_url=None, uow=uow, now=NOW, actor="gf"
    )

    assert outcome.completed, "step 1 was reported as already done in the second programme"
    assert (outcome.done, outcome.total) == (1, 12)
    assert _done(FIRST, uow) == {"online_platforms": 3, "ai": 3}
    assert _done(SECOND, uow) == {"online_platforms": 1, "ai": 0}


def test_two_programmes_with_the_same_organisation_id_keep_their_own_cycles_and_evidence(
    uow: SqlUnitOfWork,
) -> None:
    _complete(FIRST, uow, 4)
    record_evidence(FIRST, ORG, "strategy_document", "a.pdf", uow=uow, now=NOW, actor="gf")
    advance_phase(FIRST, ORG, to="do", reason="", actor=LEAD, override=False, uow=uow, now=NOW)

    record_evidence(SECOND, ORG, "evaluation", "b.pdf", uow=uow, now=NOW, actor="gf")

    first, second = (phase_status(d, ORG, uow=uow) for d in (FIRST, SECOND))
    assert first.cycle == Cycle(1, Phase.DO)
    assert second.cycle == Cycle(1, Phase.PLAN)
    assert [e.kind for e in first.evidence] == ["strategy_document"]
    assert [e.kind for e in second.evidence] == ["evaluation"]
    assert [t.to_phase for t in first.history] == [Phase.DO]
    assert second.history == []


def test_a_new_cycle_starts_a_new_pass_of_the_steps_and_keeps_the_previous_pass(
    uow: SqlUnitOfWork,
) -> None:
    _complete(FIRST, uow, 12)
    for kind in ("strategy_document", "evaluation", "recommendations"):
        record_evidence(FIRST, ORG, kind, f"{kind}.pdf", uow=uow, now=NOW, actor="gf")
    for target in ("do", "check", "act"):
        advance_phase(
            FIRST, ORG, to=target, reason="", actor=LEAD, override=False, uow=uow, now=NOW
        )
    later = NOW + timedelta(days=10)

    advance_phase(
        FIRST, ORG, to="plan", reason="weiter", actor=LEAD, override=False, uow=uow, now=later
    )

    assert _done(FIRST, uow) == {"online_platforms": 0, "ai": 0}
    with uow:
        repo = ProgressRepository(uow.session, FIRST.programme.id)
        assert repo.step_passes(ORG) == [1, 2]
        history = repo.steps(ORG, cycle=1)
        current = repo.steps(ORG)
    assert len(history) == 24 and all(s.status is StepStatus.DONE for s in history)
    assert [(s.driver, s.step, s.status) for s in current if s.status is not StepStatus.LOCKED] == [
        ("ai", 1, StepStatus.OPEN),
        ("online_platforms", 1, StepStatus.OPEN),
    ]
    first_due = {s.due_date for s in current if s.step == 1}
    assert first_due == {later.date() + timedelta(days=30)}


def test_the_migration_keys_existing_progress_by_its_programme_and_cycle_1(db_url: str) -> None:
    upgrade(db_url, "0002")
    engine = make_engine(db_url)
    at = datetime(2019, 3, 1, tzinfo=UTC)
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (id, programme_id, name, state, "
                    "experiment_fields, drivers, active, synced_at) VALUES "
                    "(:o, :p, 'L', 'TH', '[]', '[]', true, :at)"
                ),
                {"o": ORG, "p": FIRST.programme.id, "at": at},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO pdca_cycles (organisation_id, number, phase, started_at) "
                    "VALUES (:o, 1, 'do', :at)"
                ),
                {"o": ORG, "at": at},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO step_progress (organisation_id, driver, step, status, owner) "
                    "VALUES (:o, 'ai', 1, 'done', 'gf-lebenshilfe'), "
                    "('nie-synchronisiert', 'ai', 1, 'open', NULL)"
                ),
                {"o": ORG},
            )
        upgrade(db_url)

        with engine.connect() as connection:
            steps = connection.execute(
                sa.text(
                    "SELECT organisation_id, programme_id, cycle, owner FROM step_progress "
                    "ORDER BY organisation_id"
                )
            ).all()
        uow = SqlUnitOfWork.for_engine(engine)
        assert phase_status(FIRST, ORG, uow=uow).cycle == Cycle(1, Phase.DO)
        assert _done(FIRST, uow) == {"online_platforms": 0, "ai": 1}
        assert _done(SECOND, uow) == {"online_platforms": 0, "ai": 0}
        record_evidence(SECOND, ORG, "note", "x", uow=uow, now=NOW, actor="gf")  # shares the id
        assert phase_status(SECOND, ORG, uow=uow).cycle == Cycle(1, Phase.PLAN)
    finally:
        engine.dispose()
    # The only programme in the store takes steps of an organisation never synced; the
    # planning default owner goes, so all of the organisation's owners stay reminded.
    assert [tuple(r) for r in steps] == [
        (ORG, FIRST.programme.id, 1, None),
        ("nie-synchronisiert", FIRST.programme.id, 1, None),
    ]
