"""Use case: give the demo programme realistic step progress from its list of completed steps."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.periods import parse_half_year
from steering.domain.reporting.formats import GERMAN_DATE
from steering.ports.store import UnitOfWork
from steering.services.integration import complete_step, ensure_integrations
from steering.services.pdca import record_evidence

STEPS_FILE = Path("../examples/digital-und-sozial/schritte.csv")
EVIDENCE_AFTER_STEP = 4  # the strategy document is written in step 4 (plan)


class SeedFileError(ValueError):
    """The list of completed steps cannot be read; names the file and line."""


def read_completed_steps(path: Path) -> list[tuple[date, str, str, int]]:
    """Rows (day, organisation, driver, step) of a `;`-separated file with German dates."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, record in enumerate(csv.reader(handle, delimiter=";"), start=1):
            if line == 1 or not any(record):
                continue
            try:
                org, driver, step, day = (field.strip() for field in record)
                rows.append((datetime.strptime(day, GERMAN_DATE).date(), org, driver, int(step)))
            except ValueError as exc:
                raise SeedFileError(f"{path}:{line}: {';'.join(record)} ({exc})") from exc
    return sorted(rows)


def seed_progress(
    definition: ProgrammeDefinition,
    steps_file: Path,
    *,
    uow_factory: Callable[[], UnitOfWork],
) -> int:
    """Plan the steps at the programme's start and complete the listed ones on their days.

    Steps go through the step service with the day as the moment, so due dates, the next
    steps and the progress source follow as if the work had been recorded then. Idempotent:
    a step already done is left alone. Returns how many steps were newly completed.
    """
    tz = ZoneInfo(definition.programme.timezone)
    rows = read_completed_steps(steps_file)
    if not rows:
        return 0
    # The integration starts with the half-year of the first completed step.
    first = rows[0][0]
    start = parse_half_year(f"{first.year}-H{1 if first.month <= 6 else 2}").start
    ensure_integrations(definition, uow=uow_factory(), today=start, actor="demo")
    completed = 0
    for day, org, driver, step in rows:
        moment = datetime.combine(day, time(10), tz)
        outcome = complete_step(
            definition,
            org,
            driver,
            step,
            evidence_url=None,
            uow=uow_factory(),
            now=moment,
            actor="demo",
        )
        completed += outcome.completed
        if outcome.completed and step == EVIDENCE_AFTER_STEP:
            record_evidence(
                definition,
                org,
                "strategy_document",
                f"https://dms.example/{org}/digitalisierungsstrategie.pdf",
                uow=uow_factory(),
                now=moment,
                actor="demo",
            )
    return completed
