"""The test clock: every test's "today" comes from here, never from the real date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from dateutil.easter import easter

# An ordinary Wednesday: no holiday near it, no DST change, in the middle of a half-year.
DEFAULT_TODAY = date(2026, 6, 10)
TODAY_ENV = "STEERING_TEST_TODAY"
# The instant of a test day: the morning reminder run (08:00 CET, 09:00 CEST).
MORNING = time(7, 0, tzinfo=UTC)


def awkward_dates(year: int = 2026) -> list[date]:
    """Christmas Eve and Day, Good Friday, the March DST change, New Year's Eve, 29 February."""
    march_31 = date(year + 1, 3, 31)
    last_sunday_of_march = march_31 - timedelta(days=(march_31.weekday() + 1) % 7)
    leap_year = next(y for y in range(year + 1, year + 5) if y % 4 == 0)
    return [
        date(year, 12, 24),
        date(year, 12, 25),
        easter(year + 1) - timedelta(days=2),  # Good Friday
        last_sunday_of_march,
        date(year, 12, 31),
        date(leap_year, 2, 29),
    ]


def parse_dates(text: str) -> list[date]:
    """`2026-12-24,2027-03-26`, or `awkward` for the awkward dates."""
    dates: list[date] = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        dates.extend(awkward_dates() if part == "awkward" else [date.fromisoformat(part)])
    return dates


def instant(day: date) -> datetime:
    """The aware instant the entry points see on `day`."""
    return datetime.combine(day, MORNING)
