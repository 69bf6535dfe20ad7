"""Which period a checkpoint evaluates, given the day it runs."""

from __future__ import annotations

from datetime import date, timedelta

from steering.domain.definition.programme import Period


def due_period(periods: list[Period], today: date) -> str:
    """The latest period that has ended before `today`; the first one if none has ended."""
    ended = [p for p in periods if p.end < today]
    return (ended[-1] if ended else periods[0]).id


def _field_values(text: str, low: int, high: int) -> set[int]:
    """The values a cron field admits: '*', 'a', 'a-b', with '/step', comma-separated."""
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if base == "*":
            first, last = low, high
        elif "-" in base:
            first, last = (int(x) for x in base.split("-"))
        else:
            first = int(base)
            last = high if step_text else first
        values.update(range(first, last + 1, step))
    return values


def cron_moments(cron: str, start: date, end: date) -> list[tuple[date, int, int]]:
    """Days in [start, end] a five-field cron expression fires on, with its first hour:minute.

    Cron's rule applies: when both day-of-month and day-of-week are restricted, either
    matching is enough.
    """
    minute, hour, dom, month, dow = cron.split()
    minutes, hours = _field_values(minute, 0, 59), _field_values(hour, 0, 23)
    days, months = _field_values(dom, 1, 31), _field_values(month, 1, 12)
    weekdays = {d % 7 for d in _field_values(dow, 0, 7)}  # 0 and 7 are Sunday
    either = dom != "*" and dow != "*"
    out = []
    day = start
    while day <= end:
        by_dom = day.day in days
        by_dow = (day.isoweekday() % 7) in weekdays
        if day.month in months and ((by_dom or by_dow) if either else (by_dom and by_dow)):
            out.append((day, min(hours), min(minutes)))
        day += timedelta(days=1)
    return out
