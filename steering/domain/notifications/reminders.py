"""The reminder lifecycle: before due, overdue, repeated, limited, escalated, then silent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from steering.domain.definition.operations import Reminders
from steering.domain.notifications.calendar import WorkingCalendar


class Stage(StrEnum):
    """Where a reminded item stands."""

    DUE = "due"
    OVERDUE = "overdue"
    ESCALATE = "escalate"


@dataclass(frozen=True)
class History:
    """What was already sent about one item (from the outbox)."""

    sent: int = 0
    last_sent: date | None = None
    escalated: bool = False


@dataclass(frozen=True)
class Reminder:
    """A reminder to send today: its stage, what makes it unique, and the days involved."""

    stage: Stage
    occasion: str
    days: int  # days left before the due date, or days (working days when escalating) overdue


def due_reminders(
    due: date,
    today: date,
    *,
    done: bool,
    history: History,
    policy: Reminders,
    calendar: WorkingCalendar,
) -> list[Reminder]:
    """Reminders for an item due on `due`, as of `today`; none once it is done."""
    if done:
        return []
    out: list[Reminder] = []
    overdue_working = calendar.working_days_between(due, today)
    if (
        today > due
        and not history.escalated
        and overdue_working >= max(policy.escalate_after_working_days, 1)
        and calendar.is_working_day(today)
    ):
        out.append(Reminder(Stage.ESCALATE, "escalation", overdue_working))
    if calendar.is_quiet(today) or history.sent >= policy.max_per_item:
        return out
    if today <= due:
        left = (due - today).days
        lead = min((d for d in policy.due_lead_days if left <= d), default=None)
        window_start = due - timedelta(days=lead) if lead is not None else None
        if window_start is not None and (
            history.last_sent is None or history.last_sent < window_start
        ):
            out.append(Reminder(Stage.DUE, f"due-{lead}", left))
        return out
    last = history.last_sent
    if last is None or last <= due or (today - last).days >= policy.repeat_every_days:
        out.append(Reminder(Stage.OVERDUE, f"overdue-{today.isoformat()}", (today - due).days))
    return out


def active_offset(
    anchor: date, offsets: list[int], today: date, *, last_window_days: int
) -> int | None:
    """The latest offset (days relative to `anchor`) reached by `today`, while it is current.

    Each offset's window lasts until the next one; the last lasts `last_window_days`, so a
    programme started late does not remind of long-past periods.
    """
    ordered = sorted(set(offsets))
    reached = [d for d in ordered if anchor + timedelta(days=d) <= today]
    if not reached:
        return None
    latest = reached[-1]
    if latest == ordered[-1] and today > anchor + timedelta(days=latest + last_window_days):
        return None
    return latest
