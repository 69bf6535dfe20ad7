"""Step owners, due dates, sub-task ticks and phase due dates: who is reminded of what, and
what the status artifact shows.

The programme is config/digital-und-sozial.yaml: lebenshilfe-erfurt (owners gf-lebenshilfe
and dt-lebenshilfe) selected online platforms and AI; the steps are planned on 01.01.2020,
so each driver's step 1 is due on 31.01.2020. 24.01.2020 is a Friday, a working day in
Thuringia, seven days before that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from programmes import demo_definition
from sqlalchemy import Engine

from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.notifications.digest import build_digests
from steering.domain.reporting.calendar import Entry
from steering.services.calendar_feed import calendar_entries
from steering.services.integration import assign_step, ensure_integrations, tick_subtask
from steering.services.notification_texts import sentence
from steering.services.notify import reminder_notices
from steering.services.pdca import record_evidence
from steering.services.progress_view import progress_lines

DEFINITION = demo_definition()
ORG = "lebenshilfe-erfurt"
NOW = datetime(2020, 1, 2, 9, 0, tzinfo=UTC)
WEEK_BEFORE = date(2020, 1, 24)


@pytest.fixture
def uow(store: Engine) -> Iterator[SqlUnitOfWork]:
    made = SqlUnitOfWork.for_engine(store)
    ensure_integrations(DEFINITION, uow=made, today=date(2020, 1, 1))
    yield made


def _reminded(uow: SqlUnitOfWork) -> dict[str, set[str]]:
    notices = reminder_notices(DEFINITION, uow=uow, today=WEEK_BEFORE)
    return {
        digest.recipient: {n.item for n in digest.notices if n.organisation == ORG}
        for digest in build_digests(DEFINITION, notices)
        if any(n.organisation == ORG for n in digest.notices)
    }


def test_a_step_with_an_owner_reminds_that_person_only(uow: SqlUnitOfWork) -> None:
    assign_step(
        DEFINITION, ORG, "ai", 1, owner="dt-lebenshilfe", due=None, uow=uow, now=NOW, actor="pl"
    )

    assert _reminded(uow) == {
        "gf-lebenshilfe": {"step:online_platforms:1"},
        "dt-lebenshilfe": {"step:online_platforms:1", "step:ai:1"},
    }


def test_an_assigned_due_date_moves_the_reminder(uow: SqlUnitOfWork) -> None:
    assign_step(
        DEFINITION, ORG, "ai", 1, owner=None, due=date(2020, 3, 31), uow=uow, now=NOW, actor="pl"
    )

    assert _reminded(uow) == {
        "gf-lebenshilfe": {"step:online_platforms:1"},
        "dt-lebenshilfe": {"step:online_platforms:1"},
    }


def test_the_status_lines_show_the_ticked_sub_tasks_of_open_steps(uow: SqlUnitOfWork) -> None:
    tick_subtask(DEFINITION, ORG, "online_platforms", 1, 0, uow=uow, now=NOW, actor="gf")

    lines = progress_lines(DEFINITION, uow=uow, now=NOW)[ORG]

    (platforms,) = [line for line in lines if line.startswith("- Online-Plattformen")]
    assert platforms == (
        "- Online-Plattformen: 0/12 Schritte; offen: 1 Bedarfsanalyse und Zielsetzung "
        "(fällig 31.01.2020) [Teilaufgaben 1/2: ✓ Bedarfe der Zielgruppe und Beitrag digitaler "
        "Technologien ermitteln; ☐ Klare Projektziele festlegen]"
    )


def test_a_phase_is_due_its_duration_after_it_began_and_its_owners_are_reminded(
    uow: SqlUnitOfWork,
) -> None:
    # Cycle 1 begins in plan on 02.01.2020; plan lasts 120 days: due on 01.05.2020.
    record_evidence(DEFINITION, ORG, "note", "start", uow=uow, now=NOW, actor="gf")

    before = reminder_notices(DEFINITION, uow=uow, today=date(2020, 4, 24))
    after = reminder_notices(DEFINITION, uow=uow, today=date(2020, 5, 11))

    (due,) = [n for n in before if n.organisation == ORG and n.item == "phase:1:plan"]
    (late,) = [n for n in after if n.organisation == ORG and n.item == "phase:1:plan"]
    assert sentence(due) == (
        "Phase Plan „Plan – Digitalisierungsstrategie entwickeln“ (Zyklus 1) soll am "
        "01.05.2020 abgeschlossen sein (noch 7 Tage)."
    )
    assert sentence(late, "en") == (
        "Phase Plan 'Plan – Digitalisierungsstrategie entwickeln' (cycle 1) is 10 days "
        "overdue (due on 2020-05-01)."
    )
    recipients = {d.recipient for d in build_digests(DEFINITION, [late])}
    assert recipients == {"gf-lebenshilfe", "dt-lebenshilfe"}


def test_a_persons_calendar_holds_the_steps_reminded_to_them(uow: SqlUnitOfWork) -> None:
    assign_step(
        DEFINITION, ORG, "ai", 1, owner="evaluation", due=None, uow=uow, now=NOW, actor="pl"
    )

    _, assignee = calendar_entries(DEFINITION, uow=uow, person="evaluation")
    _, owner = calendar_entries(DEFINITION, uow=uow, person="gf-lebenshilfe")

    def steps(entries: list[Entry]) -> set[str]:
        return {e.uid for e in entries if e.uid.startswith(f"step-{ORG}")}

    assert steps(assignee) == {f"step-{ORG}-ai-1"}
    assert steps(owner) == {f"step-{ORG}-online_platforms-1"}


def test_the_status_lines_show_when_the_phase_is_due_and_how_late_it_is(
    uow: SqlUnitOfWork,
) -> None:
    record_evidence(DEFINITION, ORG, "note", "start", uow=uow, now=NOW, actor="gf")

    in_time = progress_lines(DEFINITION, uow=uow, now=NOW)[ORG][0]
    late = progress_lines(DEFINITION, uow=uow, now=datetime(2020, 5, 3, 9, tzinfo=UTC))[ORG][0]

    assert in_time == (
        "- Zyklus 1, Phase **Plan – Digitalisierungsstrategie entwickeln** (fällig 01.05.2020)"
    )
    assert late.endswith("(fällig 01.05.2020, **2 Tage überfällig**)")


def test_nobody_is_asked_for_figures_the_checkpoint_measures_from_the_steps(
    uow: SqlUnitOfWork,
) -> None:
    # 16.06.2020 is 14 days before 2020-H1 ends: the first reminder of missing data.
    notices = reminder_notices(DEFINITION, uow=uow, today=date(2020, 6, 16))

    (missing,) = [n for n in notices if n.organisation == ORG and n.kind == "data_missing"]
    assert missing.facts["indicators"] == [
        "Besuchte Entwicklungszirkel der Geschäftsführung",
        "Geschulte Mitarbeitende",
    ]
