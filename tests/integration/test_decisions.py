"""Evaluations leave other organisations alone; the lead's decision closes the loop.

The programme is config/digital-und-sozial.yaml with its example data, on SQLite and
PostgreSQL. The checkpoints of 2019-H1 and 2019-H2 ran on 15.01.2020: werkstaetten-nordhausen
is under abort review, three organisations are watched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from paths import CONFIG
from programmes import demo_definition
from sqlalchemy import Engine

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import AbortDecisionRow, AssessmentRow, CheckpointRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.services.checkpoints import checkpoint_key, run_checkpoint
from steering.services.collection import collect_sources
from steering.services.decisions import DecisionRefused, LeadView, lead_views, record_decision
from steering.services.demo_seed import STEPS_FILE, seed_progress
from steering.services.integration import complete_step, ensure_integrations
from steering.services.notify import reminder_notices
from steering.services.pdca import auto_advance, record_evidence
from steering.services.period_report import period_report
from steering.services.status import programme_status

DEFINITION = demo_definition()
A = "lebenshilfe-erfurt"
REVIEWED = "werkstaetten-nordhausen"
CHECKPOINTS_RUN = datetime(2020, 1, 15, 7, 0, tzinfo=UTC)
LATER = datetime(2020, 2, 12, 9, 0, tzinfo=UTC)
REMINDER_DAY = date(2019, 9, 25)  # a week before every step 1 is due (planned 02.09.2019)


@dataclass
class Programme:
    engine: Engine

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(self.engine)


@pytest.fixture
def programme(store: Engine) -> Iterator[Programme]:
    made = Programme(store)
    ensure_integrations(DEFINITION, uow=made.uow(), today=date(2019, 9, 2))
    # The steps the demo organisations reported, so the time light is not red everywhere.
    seed_progress(DEFINITION, CONFIG.parent / STEPS_FILE, uow_factory=made.uow)
    collect_sources(
        DEFINITION,
        CONFIG,
        sources=indicator_sources(),
        uow_factory=made.uow,
        now=CHECKPOINTS_RUN,
        lang="de",
    )
    for period in ("2019-H1", "2019-H2"):
        run_checkpoint(DEFINITION, uow=made.uow(), period=period, now=CHECKPOINTS_RUN)
    yield made


def _decide(
    programme: Programme, organisation: str, period: str, decision: str, comment: str
) -> LeadView:
    """The lead decides on the command line (`steer decide`), after the checkpoints."""
    return record_decision(
        DEFINITION,
        organisation=organisation,
        period=period,
        decision=decision,
        comment=comment,
        actor="projektleitung",
        reference="cli",
        uow=programme.uow(),
        now=LATER,
    )


def _evaluate(programme: Programme, organisation: str, period: str, now: datetime) -> None:
    """What the evaluation flow does before it waits for the lead."""
    run_checkpoint(
        DEFINITION,
        uow=programme.uow(),
        period=period,
        key=checkpoint_key(DEFINITION, period, f"evaluation-{organisation}"),
        now=now,
        only=[organisation],
    )


def _stored_rows_of_everyone_but(programme: Programme, organisation: str) -> dict[str, Any]:
    """Every stored light, streak and decision (with its checkpoint key), the status rows
    and the reminders of all organisations but this one."""
    with programme.engine.connect() as connection:
        lights = connection.execute(
            sa.select(CheckpointRow.key, AssessmentRow)
            .join(CheckpointRow, AssessmentRow.checkpoint_id == CheckpointRow.id)
            .where(AssessmentRow.scope_key != organisation)
            .order_by(CheckpointRow.key, AssessmentRow.scope_key, AssessmentRow.dimension)
        )
        decisions = connection.execute(
            sa.select(CheckpointRow.key, AbortDecisionRow)
            .join(CheckpointRow, AbortDecisionRow.checkpoint_id == CheckpointRow.id)
            .where(AbortDecisionRow.scope_key != organisation)
            .order_by(CheckpointRow.key, AbortDecisionRow.scope_key)
        )
        stored = {
            "lights": [{k: v for k, v in r._mapping.items() if k != "id"} for r in lights],
            "decisions": [{k: v for k, v in r._mapping.items() if k != "id"} for r in decisions],
        }
    status = programme_status(DEFINITION, uow=programme.uow(), now=CHECKPOINTS_RUN)
    stored["status"] = [
        (r.organisation, r.lights, r.decision, r.lead)
        for r in status.rows
        if r.organisation != organisation
    ] + [status.checkpoint_key]
    stored["reminders"] = sorted(
        n.key
        for n in reminder_notices(DEFINITION, uow=programme.uow(), today=REMINDER_DAY)
        if n.organisation != organisation
    )
    return stored


def test_an_evaluation_of_one_organisation_leaves_every_row_of_the_others_unchanged(
    programme: Programme,
) -> None:
    before = _stored_rows_of_everyone_but(programme, A)
    assert before["lights"] and before["decisions"] and before["reminders"]

    _evaluate(programme, A, "2019-H2", LATER)

    assert _stored_rows_of_everyone_but(programme, A) == before


def test_an_evaluation_stores_only_its_organisations_lights_and_decision(
    programme: Programme,
) -> None:
    _evaluate(programme, A, "2019-H2", LATER)

    with programme.engine.connect() as connection:
        key = checkpoint_key(DEFINITION, "2019-H2", f"evaluation-{A}")
        scopes = connection.execute(
            sa.select(AssessmentRow.scope_key, AbortDecisionRow.scope_key)
            .join(CheckpointRow, AssessmentRow.checkpoint_id == CheckpointRow.id)
            .join(AbortDecisionRow, AbortDecisionRow.checkpoint_id == CheckpointRow.id)
            .where(CheckpointRow.key == key)
        ).all()
    assert {tuple(s) for s in scopes} == {(A, A)}


def test_the_next_periods_streaks_count_the_programme_checkpoint_never_evaluations_or_interims(
    programme: Programme,
) -> None:
    first = run_checkpoint(DEFINITION, uow=programme.uow(), period="2020-H1", now=LATER)
    before = _stored_rows_of_everyone_but(programme, "")

    for organisation in [o.id for o in DEFINITION.organisations]:
        _evaluate(programme, organisation, "2019-H2", LATER)
    interim = checkpoint_key(DEFINITION, "2019-H2", "zwischenstand")
    run_checkpoint(DEFINITION, uow=programme.uow(), period="2019-H2", key=interim, now=LATER)
    again = run_checkpoint(DEFINITION, uow=programme.uow(), period="2020-H1", now=LATER)

    assert first.previous_key == again.previous_key == "digital-und-sozial/2019-H2"
    after = _stored_rows_of_everyone_but(programme, "")
    key = "digital-und-sozial/2020-H1"
    assert [r for r in after["lights"] if r["key"] == key] == [
        r for r in before["lights"] if r["key"] == key
    ]
    assert after["status"] == before["status"]
    assert after["reminders"] == before["reminders"]


def test_continue_closes_the_abort_review_and_routine_reminders_resume(
    programme: Programme,
) -> None:
    def reminded() -> set[str]:
        notices = reminder_notices(DEFINITION, uow=programme.uow(), today=REMINDER_DAY)
        return {n.organisation for n in notices}

    assert REVIEWED not in reminded()

    view = _decide(programme, REVIEWED, "2019-H2", "continue", "Neue Leitung, Schulungen laufen")

    assert (view.decision, view.review, view.decided_by) == (
        "continue",
        "abort_review",
        "projektleitung",
    )
    assert REVIEWED in reminded()
    row = next(
        r
        for r in programme_status(DEFINITION, uow=programme.uow(), now=LATER).rows
        if r.organisation == REVIEWED
    )
    assert row.decision == "abort_review" and row.lead == view


def test_the_leads_decision_survives_a_rerun_of_the_checkpoint(programme: Programme) -> None:
    _decide(programme, REVIEWED, "2019-H2", "adapt", "Zeitplan strecken")

    run_checkpoint(DEFINITION, uow=programme.uow(), period="2019-H2", now=LATER)

    views = lead_views(DEFINITION, uow=programme.uow(), period="2019-H2")
    assert (views[REVIEWED].decision, views[REVIEWED].comment) == ("adapt", "Zeitplan strecken")
    notices = reminder_notices(DEFINITION, uow=programme.uow(), today=REMINDER_DAY)
    assert REVIEWED in {n.organisation for n in notices}


def test_abort_ends_the_participation_and_keeps_the_history(programme: Programme) -> None:
    _decide(programme, REVIEWED, "2019-H2", "abort", "Träger steigt aus")

    notices = reminder_notices(DEFINITION, uow=programme.uow(), today=REMINDER_DAY)
    assert REVIEWED not in {n.organisation for n in notices}
    later = run_checkpoint(DEFINITION, uow=programme.uow(), period="2020-H1", now=LATER)
    assert REVIEWED not in set(later.evaluation.lights["organisation"].astype(str))
    assert REVIEWED not in later.evaluation.decision_by_organisation
    status = programme_status(DEFINITION, uow=programme.uow(), now=LATER)
    row = next(r for r in status.rows if r.organisation == REVIEWED)
    assert status.period == "2020-H1" and row.lights == {} and row.lead is not None
    assert row.lead.aborted and row.lead.period == "2019-H2"
    with programme.engine.connect() as connection:
        history = connection.execute(
            sa.select(CheckpointRow.period)
            .join(AssessmentRow, AssessmentRow.checkpoint_id == CheckpointRow.id)
            .where(AssessmentRow.scope_key == REVIEWED)
        ).scalars()
        assert set(history) == {"2019-H1", "2019-H2"}
    report = period_report(DEFINITION, uow_factory=programme.uow, period="2020-H1")
    part = next(p for p in report.organisations if p.organisation == REVIEWED)
    assert part.decision == "aborted"
    assert part.lead_decision == "abgebrochen (2019-H2, projektleitung, 12.02.2020)"
    assert part.lead_comment == "Träger steigt aus"
    row = next(m for m in report.matrix if m.organisation == REVIEWED)
    assert (row.decision, row.lights) == ("aborted", {})  # as the checkpoint stored it


def _finish_the_plan_phase(programme: Programme, organisation: str) -> None:
    """Steps 1-4 of every driver done and the strategy document recorded: the gate is met."""
    for driver in DEFINITION.organisation(organisation).drivers:
        for step in (1, 2, 3, 4):
            complete_step(
                DEFINITION,
                organisation,
                driver.value,
                step,
                evidence_url=None,
                uow=programme.uow(),
                now=LATER,
                actor="test",
            )
    record_evidence(
        DEFINITION,
        organisation,
        "strategy_document",
        "https://dms.example/strategie.pdf",
        uow=programme.uow(),
        now=LATER,
        actor="test",
    )


def test_an_aborted_organisation_does_not_move_on_in_its_pdca_cycle(programme: Programme) -> None:
    _decide(programme, REVIEWED, "2019-H2", "abort", "Träger steigt aus")
    for organisation in (A, REVIEWED):
        _finish_the_plan_phase(programme, organisation)

    moved = auto_advance(DEFINITION, uow=programme.uow(), now=LATER, organisations=[A, REVIEWED])

    assert [t.organisation_id for t in moved] == [A]


def test_deciding_needs_the_periods_checkpoint_and_an_open_review(programme: Programme) -> None:
    def decide(organisation: str, period: str) -> None:
        _decide(programme, organisation, period, "continue", "weiter")

    with pytest.raises(DecisionRefused, match="keinen Checkpoint"):
        decide(REVIEWED, "2020-H1")
    with pytest.raises(DecisionRefused, match=r"keine Prüfung offen .*fortsetzen"):
        decide(A, "2019-H2")
    decide(REVIEWED, "2019-H2")
    with pytest.raises(DecisionRefused, match="bereits entschieden: fortsetzen"):
        decide(REVIEWED, "2019-H2")


def test_the_migration_carries_earlier_decisions_over_to_the_organisations_period(
    db_url: str,
) -> None:
    upgrade(db_url, "0002")
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            # The tables as revision 0002 made them (later revisions add columns).
            old = sa.MetaData()
            checkpoints = sa.Table("checkpoints", old, autoload_with=connection)
            abort_decisions = sa.Table("abort_decisions", old, autoload_with=connection)
            for checkpoint_id, key in (
                (1, "digital-und-sozial/2019-H2"),
                (2, f"digital-und-sozial/2019-H2/evaluation-{REVIEWED}"),
            ):
                connection.execute(
                    sa.insert(checkpoints).values(
                        id=checkpoint_id,
                        key=key,
                        programme_id="digital-und-sozial",
                        period="2019-H2",
                        scheduled_for=CHECKPOINTS_RUN,
                        started_at=CHECKPOINTS_RUN,
                        finished_at=LATER,
                        status="completed",
                    )
                )
            connection.execute(
                sa.insert(abort_decisions).values(
                    id=1,
                    checkpoint_id=2,
                    organisation_id=REVIEWED,
                    scope_key=REVIEWED,
                    decision="abort_review",
                    criterion_key="",
                    evidence={},
                    mitigations=[],
                    decided_by="projektleitung",
                    human_decision="adapt",
                    human_comment="Zeitplan strecken",
                    created_at=LATER,
                )
            )
        upgrade(db_url)

        with SqlUnitOfWork.for_engine(engine) as uow:
            (row,) = uow.repo.lead_decisions("digital-und-sozial")
            assert (row.organisation_id, row.period, row.decision, row.comment) == (
                REVIEWED,
                "2019-H2",
                "adapt",
                "Zeitplan strecken",
            )
            assert (row.decided_by, row.decided_at, row.review) == (
                "projektleitung",
                LATER,
                "abort_review",
            )
    finally:
        engine.dispose()
