"""Reminder lifecycle with a fixed clock: working days in Thuringia, repeats, limits, escalation.

Calendar used: 2019-09-20 (Fri) is Weltkindertag, a public holiday only in Thuringia;
2019-10-03 (Thu) is German Unity Day; 2019-09-14/15 and 21/22 are weekends.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from steering.domain.definition.operations import Reminders
from steering.domain.notifications.calendar import WorkingCalendar
from steering.domain.notifications.reminders import (
    History,
    Stage,
    active_offset,
    due_reminders,
)

THURINGIA = WorkingCalendar("TH")
BAVARIA = WorkingCalendar("BY")
POLICY = Reminders(
    due_lead_days=[7, 2], repeat_every_days=7, max_per_item=3, escalate_after_working_days=2
)
FRI_DUE = date(2019, 9, 13)


def run(
    due: date,
    start: date,
    days: int,
    *,
    policy: Reminders = POLICY,
    calendar: WorkingCalendar = THURINGIA,
    done_on: date | None = None,
    history: History | None = None,
) -> list[tuple[date, Stage]]:
    """Run the daily reminder job from `start` for `days` days, remembering what it sent."""
    history = history or History()
    sent: list[tuple[date, Stage]] = []
    for offset in range(days):
        today = start + timedelta(days=offset)
        done = done_on is not None and today >= done_on
        for reminder in due_reminders(
            due, today, done=done, history=history, policy=policy, calendar=calendar
        ):
            sent.append((today, reminder.stage))
            if reminder.stage is Stage.ESCALATE:
                history = History(history.sent, history.last_sent, escalated=True)
            else:
                history = History(history.sent + 1, today, history.escalated)
    return sent


def test_weltkindertag_is_a_holiday_in_thuringia_but_not_in_bavaria() -> None:
    assert THURINGIA.holiday(date(2019, 9, 20)) == "Weltkindertag"
    assert BAVARIA.holiday(date(2019, 9, 20)) is None
    assert THURINGIA.is_quiet(date(2019, 9, 20))
    assert THURINGIA.is_quiet(date(2019, 9, 21))  # Saturday
    assert not THURINGIA.is_quiet(date(2019, 9, 19))


def test_working_days_skip_weekends_and_state_holidays() -> None:
    # From Thu 19.09. to Tue 24.09.: Fri is Weltkindertag, Sat/Sun weekend -> Mon, Tue.
    assert THURINGIA.working_days_between(date(2019, 9, 19), date(2019, 9, 24)) == 2
    assert BAVARIA.working_days_between(date(2019, 9, 19), date(2019, 9, 24)) == 3


def test_the_lifecycle_before_due_overdue_repeat_and_escalation() -> None:
    sent = run(FRI_DUE, date(2019, 9, 1), 30)
    assert sent == [
        (date(2019, 9, 6), Stage.DUE),  # 7 days before
        (date(2019, 9, 11), Stage.DUE),  # 2 days before
        (date(2019, 9, 16), Stage.OVERDUE),  # Monday after the due Friday (weekend is quiet)
        (date(2019, 9, 17), Stage.ESCALATE),  # 2 working days overdue: Mon, Tue
    ]


def test_no_reminder_on_a_saturday_it_comes_on_monday() -> None:
    # Due Tue 17.09. (the 7-day reminder went out on 10.09.): the 2-day reminder would fall
    # on Sunday 15.09. and comes on Monday 16.09.
    week_before = History(sent=1, last_sent=date(2019, 9, 10))
    sent = run(date(2019, 9, 17), date(2019, 9, 11), 6, history=week_before)
    assert sent == [(date(2019, 9, 16), Stage.DUE)]
    assert all(d.weekday() < 5 for d, _ in run(FRI_DUE, date(2019, 9, 1), 60))


def test_no_reminder_on_a_thuringian_holiday_but_in_bavaria() -> None:
    # Due Sun 22.09.: the 2-day reminder falls on Fri 20.09., Weltkindertag in Thuringia;
    # there the next message is Monday's overdue reminder.
    due = date(2019, 9, 22)
    week_before = History(sent=1, last_sent=date(2019, 9, 15))
    thuringia = run(due, date(2019, 9, 20), 4, history=week_before)
    bavaria = run(due, date(2019, 9, 20), 4, calendar=BAVARIA, history=week_before)
    assert thuringia == [(date(2019, 9, 23), Stage.OVERDUE)]
    assert bavaria == [(date(2019, 9, 20), Stage.DUE), (date(2019, 9, 23), Stage.OVERDUE)]


def test_escalation_counts_working_days_and_waits_for_one() -> None:
    # Due Thu 19.09.: Fri is a holiday, so Mon 23.09. is the 1st and Tue 24.09. the 2nd
    # working day overdue; in Bavaria it is Mon 23.09. (Fri and Mon).
    due = date(2019, 9, 19)
    escalation = [d for d, s in run(due, due, 10) if s is Stage.ESCALATE]
    bavarian = [d for d, s in run(due, due, 10, calendar=BAVARIA) if s is Stage.ESCALATE]
    assert escalation == [date(2019, 9, 24)]
    assert bavarian == [date(2019, 9, 23)]


def test_reminders_stop_once_the_step_is_done() -> None:
    sent = run(FRI_DUE, date(2019, 9, 1), 40, done_on=date(2019, 9, 10))
    assert sent == [(date(2019, 9, 6), Stage.DUE)]


def test_the_maximum_number_of_reminders_is_respected() -> None:
    policy = Reminders(due_lead_days=[7, 2], repeat_every_days=7, max_per_item=3)
    routine = [s for _, s in run(FRI_DUE, date(2019, 9, 1), 120, policy=policy) if s != "escalate"]
    assert routine == [Stage.DUE, Stage.DUE, Stage.OVERDUE]


def test_overdue_reminders_repeat_at_the_interval() -> None:
    policy = Reminders(due_lead_days=[], repeat_every_days=7, max_per_item=10)
    overdue = [d for d, s in run(FRI_DUE, FRI_DUE, 30, policy=policy) if s is Stage.OVERDUE]
    assert overdue == [date(2019, 9, 16), date(2019, 9, 23), date(2019, 9, 30), date(2019, 10, 7)]


def test_a_rerun_on_the_same_day_sends_nothing_new() -> None:
    today = date(2019, 9, 16)
    first = due_reminders(
        FRI_DUE,
        today,
        done=False,
        history=History(2, date(2019, 9, 11)),
        policy=POLICY,
        calendar=THURINGIA,
    )
    again = due_reminders(
        FRI_DUE, today, done=False, history=History(3, today), policy=POLICY, calendar=THURINGIA
    )
    assert [r.stage for r in first] == [Stage.OVERDUE]
    assert again == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2019, 6, 15), None),  # before -14
        (date(2019, 6, 16), -14),
        (date(2019, 6, 27), -3),
        (date(2019, 7, 7), 7),
        (date(2019, 7, 14), 7),  # the last window lasts a week
        (date(2019, 7, 15), None),  # then the period is history, not a reminder
    ],
)
def test_data_reminders_follow_days_relative_to_the_period_end(
    today: date, expected: int | None
) -> None:
    end = date(2019, 6, 30)
    assert active_offset(end, [-14, -3, 7], today, last_window_days=7) == expected
