"""Use case: the period report (Sachbericht) as one read model that every format renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SurveySource
from steering.domain.evaluation.evaluate import Evaluation, evaluate
from steering.domain.evaluation.explain import explain, number, percent
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.evaluation.lights import empty_state
from steering.domain.integration import overdue, progress, subtask_summary
from steering.domain.pdca import Cycle, phase_title
from steering.domain.periods import parse_half_year
from steering.domain.vocabulary import Dimension, Phase, label
from steering.services.checkpoints import _state, checkpoint_key
from steering.services.integration import local_today

DIMENSIONS = [d.value for d in Dimension]


class ReportUnavailable(LookupError):
    """No checkpoint has evaluated the requested period yet."""


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
    generated_at: datetime
    lang: str
    timeline: list[TimelineRow]
    matrix: list[MatrixRow]
    organisations: list[OrganisationPart]
    surveys: list[SurveyPart]
    notifications: list[dict[str, Any]]
    decisions: list[str]


def stored_evaluation(
    definition: ProgrammeDefinition, *, uow: SqlUnitOfWork, period: str
) -> tuple[Evaluation, dict[tuple[str, str], str], str]:
    """The stored checkpoint of `period`, evaluated again from the same inputs (read only)."""
    key = checkpoint_key(definition, period)
    pid = definition.programme.id
    with uow:
        repo = uow.repo
        row = repo.checkpoint(key)
        if row is None:
            raise ReportUnavailable(key)
        before = repo.previous_checkpoint(row)
        previous = _state(repo.lights_frame(before.id)) if before else empty_state()
        # What the checkpoint could not read then still counts as missing now.
        without = [(source, period) for source in repo.unavailable_sources(key)]
        evaluation = evaluate(
            definition,
            repo.measurements_frame(pid, without=without),
            period=period,
            previous=previous,
            organisations=repo.active_organisation_ids(pid),
        )
    previous_lights = {
        (str(o), str(d)): str(lt)
        for o, d, lt in zip(
            previous["organisation"], previous["dimension"], previous["light"], strict=True
        )
    }
    return evaluation, previous_lights, key


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def timeline(definition: ProgrammeDefinition, table: pd.DataFrame, lang: str) -> list[TimelineRow]:
    """Indicators x half-years: programme values as numbers, organisations as 'x/y met'."""
    de = lang == "de"
    rows = []
    targeted = table[table["has_target"]]
    for indicator in definition.indicators:
        mine = targeted[targeted["indicator"] == indicator.key]
        if mine.empty:
            continue
        cells: dict[str, Cell] = {}
        trend = ""
        for period, group in mine.groupby("period", observed=True, sort=False):
            first = group.iloc[0]
            if str(first["scope"]) == "programme":
                actual = _float(first["actual"])
                shown = "–" if actual is None else number(actual, lang)
                share = _float(first.get("share"))
                if share is not None:  # a target against a base population: show the rate
                    shown += f" ({percent(share, lang)})"
                met = None if pd.isna(first["met"]) else bool(first["met"])
                trend = str(first["trend"]) if not pd.isna(first["trend"]) else trend
            else:
                known = group["met"].dropna()
                actual = float(known.sum())
                shown = f"{int(known.sum())}/{len(group)}" + (" Org." if de else " orgs")
                met = None if known.empty else bool(known.all())
            cells[str(period)] = Cell(
                str(first["target_text"]),
                actual,
                shown,
                met,
                _float(first.get("lower")),
                _float(first.get("upper")),
            )
        rows.append(
            TimelineRow(
                indicator.key,
                indicator.title,
                indicator.unit or "",
                str(indicator.scope),
                cells,
                trend,
            )
        )
    return rows


def matrix(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    previous: dict[tuple[str, str], str],
    lang: str,
) -> list[MatrixRow]:
    """Organisations x dimensions: light, change since the previous checkpoint, reason."""
    rank = {"green": 0, "no_data": 1, "yellow": 2, "red": 3}
    names = {o.id: o.name for o in definition.organisations}
    names[PROGRAMME] = "Programm insgesamt" if lang == "de" else "Programme as a whole"
    decisions = evaluation.decision_by_organisation
    rows = []
    for org in [PROGRAMME, *sorted(names, key=lambda o: (o != PROGRAMME, names[o]))[1:]]:
        lights = evaluation.by_organisation.get(org, {})
        if org == PROGRAMME and not lights:
            continue
        changes = {}
        for dim, (light, _) in lights.items():
            before = previous.get((org, dim))
            changes[dim] = (
                ""
                if before is None or before == light
                else ("worse" if rank[light] > rank.get(before, 0) else "better")
            )
        rows.append(
            MatrixRow(
                org,
                names.get(org, org),
                {dim: light for dim, (light, _) in lights.items()},
                changes,
                {
                    dim: explain(reasons, light, lang, with_light=False)
                    for dim, (light, reasons) in lights.items()
                },
                decisions.get(org, "continue"),
            )
        )
    return rows


def _lead_decisions(uow: SqlUnitOfWork, key: str, lang: str) -> dict[str, tuple[str, str]]:
    """Organisation -> (decision, comment) as the lead recorded them at this checkpoint."""
    with uow:
        checkpoint = uow.repo.checkpoint(key)
        if checkpoint is None:
            return {}
        return {
            row.scope_key: (label(row.human_decision, lang), row.human_comment or "")
            for row in uow.repo.decisions(checkpoint.id)
            if row.human_decision
        }


def organisation_parts(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    *,
    uow: SqlUnitOfWork,
    now: datetime,
    lang: str,
    lead: dict[str, tuple[str, str]] | None = None,
) -> list[OrganisationPart]:
    """PDCA phase and cycle, steps per driver, decision with mitigations, open and overdue."""
    de = lang == "de"
    today = local_today(definition, now)
    ids = [o.id for o in definition.organisations]
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    with uow:
        repo = ProgressRepository(uow.session, definition.programme.id)
        found = repo.newest_cycles(ids)
        cycles = {org: found.get(org) or Cycle(1, Phase.PLAN) for org in ids}
        steps = repo.steps_by_organisation(ids, tz=ZoneInfo(definition.programme.timezone))
    records = {d.organisation: d for d in evaluation.decisions}
    criteria = {c.id: c.title for c in definition.abort_criteria}
    parts = []
    for org in sorted(definition.organisations, key=lambda o: o.name):
        mine = steps.get(org.id, [])
        drivers = [(label(str(d), lang), *progress(mine, str(d))) for d in org.drivers]
        record = records.get(org.id)

        def item(step: Any) -> str:
            due = f"{step.due_date:%d.%m.%Y}" if step.due_date else "–"
            text = f"{label(step.driver, lang)}: {'Schritt' if de else 'Step'} {step.step} "
            text += f"„{titles.get(step.step, '')}“ ({'fällig' if de else 'due'} {due})"
            ticks = subtask_summary(step, definition.driver_integration, lang)
            return f"{text} – {ticks}" if ticks else text

        late = overdue(mine, today)
        open_now = [s for s in mine if str(s.status) == "open" and s not in late]
        parts.append(
            OrganisationPart(
                org.id,
                org.name,
                cycles[org.id].number,
                phase_title(definition, cycles[org.id].phase),
                drivers,
                str(record.decision) if record else "continue",
                [criteria.get(m, m) for m in record.matched] if record else [],
                [f"{m['title']}: {m['mitigation']}" for m in record.mitigations] if record else [],
                [item(s) for s in open_now],
                [item(s) for s in late],
                *(lead or {}).get(org.id, ("", "")),
            )
        )
    return parts


def survey_parts(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    *,
    period: str,
    definition_file: Path | None,
    lang: str,
) -> list[SurveyPart]:
    """Each survey's indicator values for the period and, from its file, the distribution."""
    table = evaluation.soll_ist
    values = table[table["period"] == period]
    names = {o.id: o.name for o in definition.organisations}
    names[""] = "Programm" if lang == "de" else "Programme"
    titles = {i.key: i.title for i in definition.indicators}
    parts = []
    for source in definition.sources:
        if not isinstance(source, SurveySource):
            continue
        keys = [
            k
            for k in (
                source.mean_indicator,
                source.responses_indicator,
                source.participation_indicator,
            )
            if k
        ]
        figures = []
        for ind, org, actual, share in zip(
            values["indicator"],
            values["organisation"],
            values["actual"],
            values["share"],
            strict=True,
        ):
            if str(ind) not in keys or _float(actual) is None:
                continue
            name, title = names.get(str(org), str(org)), titles.get(str(ind), str(ind))
            figures.append((name, title, _float(actual)))
            rate = _float(share)
            if rate is not None:  # participation against the base population, in per cent
                suffix = "Anteil an der Grundgesamtheit, %" if lang == "de" else "share of base, %"
                figures.append((name, f"{title} ({suffix})", round(rate * 100, 1)))
        distribution, note = _distribution(definition, source, definition_file, period, lang)
        parts.append(
            SurveyPart(
                source.key, source.title or source.key, source.scale, figures, distribution, note
            )
        )
    return parts


def _distribution(
    definition: ProgrammeDefinition,
    source: SurveySource,
    definition_file: Path | None,
    period: str,
    lang: str,
) -> tuple[list[dict[str, Any]], str]:
    """Per question: answers, mean and counts per scale value, read from the survey file."""
    if definition_file is None:
        return [], ""
    from steering.services.importing import read_for_import

    try:
        result = read_for_import(
            definition, definition_file, source_key=source.key, period=period, lang=lang
        )
    except Exception as error:  # a missing or moved export must not stop the report
        return [], f"{type(error).__name__}: {error}"[:200]
    summary = getattr(result, "summary", None)
    if summary is None:
        return [], ""
    rows = []
    for question, row in summary.iterrows():
        rows.append(
            {
                "question": str(question),
                "count": int(row["count"]),
                "mean": _float(row["mean"]),
                "counts": {
                    v: int(row[str(v)]) for v in range(source.scale[0], source.scale[1] + 1)
                },
            }
        )
    return rows, ""


def notification_rows(
    definition: ProgrammeDefinition, *, uow: SqlUnitOfWork, period: str
) -> list[dict[str, Any]]:
    """Messages created during the half-year: recipient, channel, status, count."""
    half = parse_half_year(period)
    tz = ZoneInfo(definition.programme.timezone)
    start = datetime(half.start.year, half.start.month, half.start.day, tzinfo=tz)
    end_day = half.end
    with uow:
        rows = uow.outbox.created_between(
            definition.programme.id,
            start,
            datetime(end_day.year, end_day.month, end_day.day, 23, 59, 59, tzinfo=tz),
        )
    return rows


def build_period_report(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    previous: dict[tuple[str, str], str],
    *,
    key: str,
    uow_factory: Any,
    now: datetime,
    definition_file: Path | None = None,
    lang: str = "de",
) -> PeriodReport:
    """Assemble the report of the evaluated period."""
    period = evaluation.period
    periods = evaluation.comparison.cube.periods
    shown = list(periods[: periods.index(period) + 1])
    names = {o.id: o.name for o in definition.organisations}
    titles = {c.id: c.title for c in definition.abort_criteria}
    decisions = [
        f"{names.get(d.organisation, d.organisation or definition.programme.title)}: "
        f"{label(str(d.decision), lang)} ({'; '.join(titles.get(m, m) for m in d.matched)})"
        for d in evaluation.decisions
        if str(d.decision) != "continue"
    ]
    return PeriodReport(
        programme_id=definition.programme.id,
        title=definition.programme.title,
        funder=definition.programme.funder or "",
        period=period,
        periods=shown,
        checkpoint=key,
        generated_at=now,
        lang=lang,
        timeline=timeline(definition, evaluation.soll_ist, lang),
        matrix=matrix(definition, evaluation, previous, lang),
        organisations=organisation_parts(
            definition,
            evaluation,
            uow=uow_factory(),
            now=now,
            lang=lang,
            lead=_lead_decisions(uow_factory(), key, lang),
        ),
        surveys=survey_parts(
            definition, evaluation, period=period, definition_file=definition_file, lang=lang
        ),
        notifications=notification_rows(definition, uow=uow_factory(), period=period),
        decisions=decisions,
    )
