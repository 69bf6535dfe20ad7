"""The period report (Sachbericht) as one read model, independent of the format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from steering.domain.vocabulary import Dimension

DIMENSIONS = [d.value for d in Dimension]


@dataclass(frozen=True)
class Cell:
    """One indicator in one half-year: target text, actual value, met or not."""

    target: str
    actual: float | None
    shown: str
    met: bool | None
    lower: float | None = None
    upper: float | None = None


@dataclass(frozen=True)
class TimelineRow:
    """One indicator across the half-years, as in the plan's timeline table."""

    indicator: str
    title: str
    unit: str
    scope: str
    cells: dict[str, Cell]
    trend: str


@dataclass(frozen=True)
class MatrixRow:
    """One organisation (or the programme) with its lights, changes, reasons and decision."""

    organisation: str
    name: str
    lights: dict[str, str]
    changes: dict[str, str]  # dimension -> 'worse' | 'better' | ''
    reasons: dict[str, str]
    decision: str


@dataclass(frozen=True)
class OrganisationPart:
    """Where an organisation stands: PDCA, steps per driver, decision, open and overdue items."""

    organisation: str
    name: str
    cycle: int
    phase: str
    drivers: list[tuple[str, int, int]]  # driver label, done, total
    decision: str
    matched: list[str]
    mitigations: list[str]
    open_items: list[str]
    overdue_items: list[str]
    lead_decision: str = ""  # the project lead's decision, if recorded
    lead_comment: str = ""  # and the reason given (user text)


@dataclass(frozen=True)
class SurveyPart:
    """A survey's results: mean, responses, participation and the answer distribution."""

    source: str
    title: str
    scale: tuple[int, int]
    figures: list[tuple[str, str, float | None]]  # organisation name, indicator title, value
    distribution: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class PeriodReport:
    """Everything a period report shows, independent of the format."""

    programme_id: str
    title: str
    funder: str
    period: str
    periods: list[str]
    checkpoint: str
    revision: int  # how often the checkpoint has been evaluated: the report shows the newest
    revised_at: datetime  # when that revision was made, in the programme's timezone
    lang: str
    timeline: list[TimelineRow]
    matrix: list[MatrixRow]
    organisations: list[OrganisationPart]
    surveys: list[SurveyPart]
    notifications: list[dict[str, Any]]
    decisions: list[str]
