"""Working days per federal state: reminders stay quiet on weekends and public holidays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _holidays(state: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("DE", subdiv=state, years=year, language="de"))


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days a reminder may go out for organisations in one federal state."""

    state: str
    quiet_on_weekends: bool = True
    quiet_on_holidays: bool = True

    def holiday(self, day: date) -> str | None:
        """The public holiday's name on that day in this state, if any."""
        return _holidays(self.state, day.year).get(day)

    def is_quiet(self, day: date) -> bool:
        """No routine messages on this day."""
        if self.quiet_on_weekends and day.weekday() >= 5:
            return True
        return self.quiet_on_holidays and self.holiday(day) is not None

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday and not a public holiday of the state."""
        return day.weekday() < 5 and self.holiday(day) is None

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        days = 0
        day = start + timedelta(days=1)
        while day <= end:
            days += self.is_working_day(day)
            day += timedelta(days=1)
        return days
