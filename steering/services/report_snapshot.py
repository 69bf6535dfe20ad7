"""What a checkpoint's reports show besides its lights and decisions, captured at its run.

A report renders this snapshot, never today's data: a corrected import shows only once
the checkpoint runs again (a new revision). It holds numbers, keys and dates only, no
texts of a language and no personal data (no step owners, no survey free text).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SurveySource
from steering.domain.evaluation.evaluate import Evaluation
from steering.domain.integration import StepState, StepStatus
from steering.domain.pdca import Cycle
from steering.domain.vocabulary import Phase
from steering.ports.store import UnitOfWork
from steering.services.integration import local_today

VERSION = 1


def number_or_none(value: Any) -> float | None:
    """A finite float, or None for missing (JSON on PostgreSQL has no NaN or infinity)."""
    if value is None or value is pd.NA or isinstance(value, str):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _met(value: Any) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def timeline_snapshot(definition: ProgrammeDefinition, table: pd.DataFrame) -> list[dict[str, Any]]:
    """Per indicator with a target and half-year: the programme's value, or how many met it."""
    targeted = table[table["has_target"].to_numpy(dtype=bool)]
    if targeted.empty:
        return []
    keys = pd.DataFrame(
        {
            "indicator": targeted["indicator"].astype(str).to_numpy(),
            "period": targeted["period"].astype(str).to_numpy(),
            "known": targeted["met"].notna().to_numpy(dtype=bool),
            "met": targeted["met"].fillna(False).to_numpy(dtype=bool),
        }
    )
    counted = keys.groupby(["indicator", "period"], sort=False).agg(
        organisations=("known", "size"), known=("known", "sum"), met=("met", "sum")
    )
    # The first row of each indicator and half-year carries its target and, for programme
    # indicators, its only value.
    first = targeted.iloc[~keys.duplicated(["indicator", "period"]).to_numpy()]
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for row in first.to_dict("records"):
        indicator, period = str(row["indicator"]), str(row["period"])
        organisations, known, met = (int(n) for n in counted.loc[(indicator, period)])
        programme = str(row["scope"]) == "programme"
        by_indicator.setdefault(indicator, []).append(
            {
                "indicator": indicator,
                "period": period,
                "programme": programme,
                "target": str(row["target_text"]),
                "actual": number_or_none(row["actual"]) if programme else float(met),
                "share": number_or_none(row.get("share")) if programme else None,
                "met": _met(row["met"]) if programme else (known == met if known else None),
                "trend": None if not programme or pd.isna(row["trend"]) else str(row["trend"]),
                "lower": number_or_none(row.get("lower")),
                "upper": number_or_none(row.get("upper")),
                "organisations": organisations,
            }
        )
    return [row for i in definition.indicators for row in by_indicator.get(i.key, [])]


def _surveys(
    definition: ProgrammeDefinition,
    table: pd.DataFrame,
    uow: UnitOfWork,
    period: str,
    unavailable: Sequence[str],
) -> dict[str, dict[str, Any]]:
    """Per survey: its indicator values in the period and the answers kept with its import."""
    values = table[table["period"] == period]
    out = {}
    for source in definition.sources:
        if not isinstance(source, SurveySource):
            continue
        keys = {
            k
            for k in (
                source.mean_indicator,
                source.responses_indicator,
                source.participation_indicator,
            )
            if k
        }
        figures = [
            [str(org), str(ind), number_or_none(actual), number_or_none(share)]
            for ind, org, actual, share in zip(
                values["indicator"],
                values["organisation"],
                values["actual"],
                values["share"],
                strict=True,
            )
            if str(ind) in keys and number_or_none(actual) is not None
        ]
        kept = None
        if source.key not in unavailable:
            kept = uow.repo.survey_summary(definition.programme.id, source.key, period)
        out[source.key] = {"figures": figures, "questions": (kept or {}).get("questions", [])}
    return out


def _progress(definition: ProgrammeDefinition, uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Per organisation: the newest PDCA cycle and phase, and every step's state."""
    ids = [o.id for o in definition.organisations]
    repo = uow.progress(definition.programme.id)
    cycles = repo.newest_cycles(ids)
    steps = repo.steps_by_organisation(ids, tz=ZoneInfo(definition.programme.timezone))
    out = {}
    for org in ids:
        cycle = cycles.get(org)
        out[org] = {
            "cycle": cycle.number if cycle else None,
            "phase": str(cycle.phase) if cycle else None,
            "steps": [
                [
                    s.driver,
                    s.step,
                    str(s.status),
                    s.due_date.isoformat() if s.due_date else None,
                    s.done_at.isoformat() if s.done_at else None,
                    list(s.subtasks_done),
                ]
                for s in steps.get(org, [])
            ],
        }
    return out


def capture(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    previous_lights: Mapping[tuple[str, str], str],
    *,
    uow: UnitOfWork,
    now: datetime,
    previous_key: str | None,
    unavailable_sources: Sequence[str] = (),
) -> dict[str, Any]:
    """The snapshot of a checkpoint run, read inside its (open) unit of work."""
    period = evaluation.period
    periods = list(evaluation.comparison.cube.periods)
    table = evaluation.soll_ist
    return {
        "version": VERSION,
        "period": period,
        "periods": periods[: periods.index(period) + 1],
        "today": local_today(definition, now).isoformat(),
        "previous_key": previous_key,
        "previous": [[o, d, light] for (o, d), light in sorted(previous_lights.items())],
        "timeline": timeline_snapshot(definition, table),
        "surveys": _surveys(definition, table, uow, period, unavailable_sources),
        "progress": _progress(definition, uow),
    }


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot, read back with typed accessors."""

    revision: int
    made_at: datetime
    data: dict[str, Any]

    @property
    def periods(self) -> list[str]:
        """The half-years up to the checkpoint's, as the report shows them."""
        return list(self.data["periods"])

    @property
    def today(self) -> date:
        """The day of the run in the programme's timezone (what was overdue then)."""
        return date.fromisoformat(self.data["today"])

    @property
    def previous_lights(self) -> dict[tuple[str, str], str]:
        """(organisation, dimension) -> light at the checkpoint before, as seen by this run."""
        return {(o, d): light for o, d, light in self.data["previous"]}

    @property
    def timeline(self) -> list[dict[str, Any]]:
        """Indicator x half-year rows (see `_timeline`)."""
        return list(self.data["timeline"])

    def survey(self, source: str) -> dict[str, Any]:
        """A survey's figures and per-question answers."""
        found: dict[str, Any] = self.data["surveys"].get(source, {})
        return {"figures": found.get("figures", []), "questions": found.get("questions", [])}

    def cycle(self, organisation: str) -> Cycle:
        """The organisation's PDCA cycle then (cycle 1 in plan when it had none)."""
        found = self.data["progress"].get(organisation) or {}
        if found.get("cycle") is None:
            return Cycle(1, Phase.PLAN)
        return Cycle(int(found["cycle"]), Phase(found["phase"]))

    def steps(self, organisation: str) -> list[StepState]:
        """The organisation's step states then (without owners)."""
        found = self.data["progress"].get(organisation) or {}
        return [
            StepState(
                driver=driver,
                step=int(step),
                status=StepStatus(status),
                due_date=date.fromisoformat(due) if due else None,
                done_at=date.fromisoformat(done) if done else None,
                subtasks_done=tuple(bool(t) for t in ticks),
            )
            for driver, step, status, due, done, ticks in found.get("steps", [])
        ]
