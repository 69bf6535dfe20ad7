"""Which period a checkpoint evaluates, given the day it runs."""

from __future__ import annotations

from datetime import date

from steering.domain.definition.programme import Period


def due_period(periods: list[Period], today: date) -> str:
    """The latest period that has ended before `today`; the first one if none has ended."""
    ended = [p for p in periods if p.end < today]
    return (ended[-1] if ended else periods[0]).id
