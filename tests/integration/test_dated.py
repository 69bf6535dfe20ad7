"""Rules that depend on the calendar, run from the test date (`--today`; CI adds awkward dates).

Each test plans from `today` and checks the outcome against an independent reading of the
calendar (the `holidays` package), so Christmas, Good Friday, DST and 29 February are covered.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import icalendar
import pytest
import sqlalchemy as sa
from clock import instant
from loopback import MailServer
from paths import ROOT
from programmes import demo_definition

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.models import NoticeLogRow, StepProgressRow
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.adapters.reports.ics import render_ics
from steering.services.calendar_feed import calendar_entries
from steering.services.integration import ensure_integrations
from steering.services.notify import notify, reminder_notices

DEFINITION = demo_definition()
BERLIN = ZoneInfo("Europe/Berlin")
STATE_OF = {o.id: o.state for o in DEFINITION.organisations}
STEP_KINDS = {"step_due", "step_overdue"}


def _working_day(day: date, state: str) -> bool:
    """Independent of the engine: Monday to Friday and no public holiday of the state."""
    return day.weekday() < 5 and day not in holidays.country_holidays("DE", subdiv=state)


def _nth_working_day_after(due: date, n: int, state: str) -> date:
    day, seen = due, 0
    while seen < n:
        day += timedelta(days=1)
        seen += _working_day(day, state)
    return day


class Store:
    """A migrated SQLite store with the driver integration planned on the test date."""

    def __init__(self, path: Path, today: date) -> None:
        url = f"sqlite:///{path / 'steering.sqlite'}"
        upgrade(url)
        self.engine = make_engine(url)
        ensure_integrations(DEFINITION, uow=self.uow(), today=today)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(self.engine)

    def first_due_dates(self) -> dict[str, date]:
        """The due date of each organisation's open step (all open steps share it)."""
        query = sa.select(StepProgressRow.organisation_id, StepProgressRow.due_date).where(
            StepProgressRow.due_date.is_not(None)
        )
        with self.engine.connect() as connection:
            return {org: due for org, due in connection.execute(query)}

    def told(self) -> list[tuple[date, str, str]]:
        """(day told, notice kind, organisation) of every notice told so far."""
        query = sa.select(NoticeLogRow.created_at, NoticeLogRow.kind, NoticeLogRow.scope_key)
        with self.engine.connect() as connection:
            return [
                (at.astimezone(BERLIN).date(), kind, org)
                for at, kind, org in connection.execute(query)
            ]


@pytest.fixture
def planned(tmp_path: Path, today: date) -> Iterator[Store]:
    store = Store(tmp_path, today)
    try:
        yield store
    finally:
        store.engine.dispose()


def test_reminders_planned_today_go_out_on_working_days_and_escalate_on_the_second(
    planned: Store, today: date, mail_server: MailServer
) -> None:
    sender = AppriseSender(mail_url=mail_server.url())
    due_dates = planned.first_due_dates()
    last_due = max(due_dates.values())
    day = today
    while day <= last_due + timedelta(days=10):  # the daily job, holidays and weekends too
        notices = reminder_notices(DEFINITION, uow=planned.uow(), today=day)
        notify(
            DEFINITION,
            notices,
            uow_factory=planned.uow,
            leases_for=partial(OutboxLeases, planned.uow),
            sender=sender,
            now=instant(day),
            ui_url=None,
        )
        day += timedelta(days=1)
    told = planned.told()

    step_days = [(d, org) for d, kind, org in told if kind in STEP_KINDS]
    assert step_days, "no step reminder at all"
    assert all(_working_day(d, STATE_OF[org]) for d, org in step_days)
    for org, due in due_dates.items():
        before_due = [d for d, o in step_days if o == org and d <= due]
        assert before_due, f"{org}: no reminder before the due date {due}"
        escalations = {d for d, kind, o in told if kind == "escalation" and o == org}
        assert escalations == {_nth_working_day_after(due, 2, STATE_OF[org])}, org
    assert len(mail_server.messages) > 0


def test_a_calendar_made_today_holds_the_steps_planned_today(planned: Store, now: datetime) -> None:
    due_dates = planned.first_due_dates()
    org = "lebenshilfe-erfurt"
    title, entries = calendar_entries(DEFINITION, uow=planned.uow(), organisation=org)

    feed = icalendar.Calendar.from_ical(
        render_ics(title, entries, programme_id="p", now=now, timezone="Europe/Berlin")
    )
    events = list(feed.walk("VEVENT"))
    steps = [e for e in events if str(e["uid"]).startswith(f"step-{org}-")]
    assert {e.decoded("dtstart") for e in steps} == {due_dates[org]}
    assert all(e.decoded("dtstamp") == now.astimezone(UTC) for e in events)


def test_the_scheduled_runs_after_today_keep_local_time_across_dst(now: datetime) -> None:
    from prefect.server.schemas.schedules import CronSchedule

    schedules = DEFINITION.schedules
    assert schedules.reminders is not None and schedules.checkpoint is not None

    def next_runs(cron: str, n: int) -> list[datetime]:
        import asyncio
        import inspect

        computed = CronSchedule(cron=cron, timezone="Europe/Berlin").get_dates(n=n, start=now)
        dates = asyncio.run(computed) if inspect.isawaitable(computed) else computed
        return [d.astimezone(BERLIN) for d in dates]

    reminders = next_runs(schedules.reminders, 40)  # eight weeks: covers any DST change
    checkpoints = next_runs(schedules.checkpoint, 2)

    assert all((d.hour, d.minute) == (8, 0) and d.weekday() < 5 for d in reminders)
    assert reminders[0] >= now and reminders == sorted(reminders)
    assert all((d.day, d.hour) == (15, 7) and d.month in (1, 7) for d in checkpoints)


# Half a minute a run: of the awkward dates it takes 24.12., the March DST change and 29.02.
@pytest.mark.few_dates(3)
def test_the_demo_runs_on_the_test_date(tmp_path: Path, now: datetime) -> None:
    environment = {
        **os.environ,
        "STEERING_DATA_DIR": str(tmp_path / "data"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "STEERING_NOW": now.isoformat(),
    }
    environment.pop("PREFECT_API_URL", None)
    steer = Path(sys.executable).with_name("steer")

    done = subprocess.run(
        [str(steer), "demo"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=240
    )

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Checkpoint digital-und-sozial/2019-H2" in done.stdout
    assert (tmp_path / "data" / "reports").is_dir()
