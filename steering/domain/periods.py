"""Half-year reporting periods: parsing the ways Germans write them, and their dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CANONICAL = re.compile(r"^(\d{4})-H([12])$", re.ASCII)
# Written forms seen in real spreadsheets: "2019-H1", "H1/2019", "1/2019", "1. HJ 2019",
# "I. HJ 2019", "II. Halbjahr 2019", "1. Halbjahr 2019", "HJ1 2019", "2019/1", "2019 H1".
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]\s*H(?:J)?\s*(?P<h>[12])$", re.I | re.ASCII),
    re.compile(r"^H(?:J)?\s*(?P<h>[12])\s*[-/ ]\s*(?P<y>\d{4})$", re.I | re.ASCII),
    re.compile(r"^(?P<h>[12])\s*/\s*(?P<y>\d{4})$", re.ASCII),
    re.compile(r"^(?P<y>\d{4})\s*/\s*(?P<h>[12])$", re.ASCII),
    re.compile(
        r"^(?P<h>[12]|I{1,2})\s*\.?\s*(?:HJ|Halbjahr|Hj\.?)\s*\.?\s*(?P<y>\d{4})$", re.I | re.ASCII
    ),
)


class PeriodError(ValueError):
    """A text that is not a recognisable half-year."""


@dataclass(frozen=True, order=True)
class HalfYear:
    """One half-year such as 2019-H2."""

    year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2) or not 1900 <= self.year <= 2200:
            raise PeriodError(f"{self.year}-H{self.half}")

    @property
    def id(self) -> str:
        """Canonical id, e.g. '2019-H2'."""
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> date:
        """First day of the half-year."""
        return date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> date:
        """Last day of the half-year."""
        return date(self.year, 6, 30) if self.half == 1 else date(self.year, 12, 31)

    def previous(self) -> HalfYear:
        """The half-year before this one."""
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)

    def next(self) -> HalfYear:
        """The half-year after this one."""
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def __str__(self) -> str:
        return self.id


def parse_half_year(text: object) -> HalfYear:
    """Parse a half-year written in any common German or ISO-like form."""
    if not isinstance(text, str):
        raise PeriodError(repr(text))
    cleaned = " ".join(text.strip().split())
    match = _CANONICAL.match(cleaned)
    if match:
        return HalfYear(int(match.group(1)), int(match.group(2)))
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match:
            half_text = match.group("h").upper()
            half = {"1": 1, "2": 2, "I": 1, "II": 2}[half_text]
            return HalfYear(int(match.group("y")), half)
    raise PeriodError(text)


def is_canonical_period_id(text: str) -> bool:
    """True for the canonical form 'YYYY-H1' / 'YYYY-H2'."""
    return bool(_CANONICAL.match(text))
