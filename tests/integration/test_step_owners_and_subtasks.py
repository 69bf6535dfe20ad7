"""Step owners, due dates and sub-task ticks: who is reminded, what the status artifact shows.

The programme is config/digital-und-sozial.yaml: lebenshilfe-erfurt (owners gf-lebenshilfe
and dt-lebenshilfe) selected online platforms and AI; the steps are planned on 01.01.2020,
so each driver's step 1 is due on 31.01.2020. 24.01.2020 is a Friday, a working day in
Thuringia, seven days before that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from paths import CONFIG
from sqlalchemy import Engine

from steering.adapters.config import load_definition
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.notifications.digest import build_digests
from steering.services.integration import assign_step, ensure_integrations, tick_subtask
from steering.services.notify import reminder_notices
from steering.services.progress_view import progress_lines

DEFINITION = load_definition(CONFIG)
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
