"""The entry points' clock: the real time, or the instant `STEERING_NOW` fixes."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time

CLOCK_ENV = "STEERING_NOW"
# A fixed date alone means that day's morning run: 07:00 UTC is 08:00/09:00 in Berlin.
_MORNING = time(7, 0, tzinfo=UTC)


class ClockError(ValueError):
    """STEERING_NOW holds no ISO date or time."""


def parse_instant(text: str) -> datetime:
    """An ISO date (that day, 07:00 UTC) or an ISO date-time (naive means UTC)."""
    try:
        if len(text.strip()) == 10:
            return datetime.combine(date.fromisoformat(text.strip()), _MORNING)
        instant = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ClockError(f"{CLOCK_ENV}={text!r}: kein ISO-Datum ({error})") from error
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def now() -> datetime:
    """The current instant (aware): `STEERING_NOW` if set (rehearsals, tests), else real time."""
    fixed = os.environ.get(CLOCK_ENV, "").strip()
    if fixed:
        return parse_instant(fixed)
    # The one place that reads the real clock; everything below takes time as an argument.
    return datetime.now(UTC)
