"""Use case: the period report (Sachbericht) as one read model that every format renders.

A report shows what its checkpoint stored (lights, reasons, decisions and the snapshot of
Soll/Ist, surveys and progress, see report_snapshot), as of the checkpoint's newest
revision. Only the lead's decisions and the period's notifications are read as they are
now: they are records about the checkpoint, not values it evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.sources import SurveySource
from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.evaluation.light_scale import light_change
from steering.domain.integration import overdue, progress, subtask_summary
from steering.domain.pdca import phase_title
from steering.domain.periods import parse_half_year
from steering.domain.reporting.formats import day_text, number, percent
from steering.domain.reporting.period import (
    Cell,
    MatrixRow,
    OrganisationPart,
    PeriodReport,
    SurveyPart,
    TimelineRow,
)
from steering.domain.vocabulary import label
from steering.i18n import tr
from steering.ports.store import UnitOfWork
from steering.services.checkpoints import checkpoint_key
from steering.services.decisions import LeadView, lead_views
from steering.services.report_snapshot import Snapshot

Lights = dict[str, dict[str, tuple[str, str]]]  # organisation -> dim -> (light, why as text)


class ReportUnavailable(LookupError):
    """No checkpoint has evaluated the requested period yet."""


class ReportNotStored(ReportUnavailable):
    """The checkpoint ran before reports were stored with it: it has to run again."""


@dataclass(frozen=True)
class DecisionView:
    """What the abort criteria concluded for one organisation (or the programme)."""

    organisation: str
    decision: str
    matched: list[str]
    mitigations: list[dict[str, str]]


def timeline(
    definition: ProgrammeDefinition, stored: list[dict[str, Any]], lang: str
) -> list[TimelineRow]:
    """Indicators x half-years: programme values as numbers, organisations as 'x/y met'."""
    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for row in stored:
        by_indicator.setdefault(row["indicator"], []).append(row)
    rows = []
    for indicator in definition.indicators:
        mine = by_indicator.get(indicator.key)
        if not mine:
            continue
        cells: dict[str, Cell] = {}
        trend = ""
        for row in mine:
            actual = row["actual"]
            if row["programme"]:
                shown = "–" if actual is None else number(actual, lang)
                if row["share"] is not None:  # a target against a base population: the rate
                    shown += f" ({percent(row['share'], lang)})"
                # The trend of the latest period; a period without data has none.
                trend = "" if row["trend"] is None else str(row["trend"])
            else:
                shown = f"{int(actual)}/{row['organisations']}" + (tr(" orgs", lang))
            cells[row["period"]] = Cell(
                row["target"], actual, shown, row["met"], row["lower"], row["upper"]
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
    lights: Lights,
    decisions: list[DecisionView],
    previous: dict[tuple[str, str], str],
    lang: str,
) -> list[MatrixRow]:
    """Organisations x dimensions: light, change since the previous checkpoint, reason."""
    names = {o.id: o.name for o in definition.organisations}
    names[PROGRAMME] = tr("Programme as a whole", lang)
    decided = {d.organisation: d.decision for d in decisions}
    rows = []
    for org in [PROGRAMME, *sorted(names, key=lambda o: (o != PROGRAMME, names[o]))[1:]]:
        mine = lights.get(org, {})
        if org == PROGRAMME and not mine:
            continue
        changes = {}
        for dim, (light, _) in mine.items():
            before = previous.get((org, dim))
            changes[dim] = light_change(before, light)
        rows.append(
            MatrixRow(
                org,
                names.get(org, org),
                {dim: light for dim, (light, _) in mine.items()},
                changes,
                {dim: why for dim, (_, why) in mine.items()},
                decided.get(org, "continue"),
            )
        )
    return rows


def _lead_decisions(lead: dict[str, LeadView], lang: str) -> dict[str, tuple[str, str]]:
    """Organisation -> (decision, comment) as the lead decided for the period (or an
    earlier abort, shown as 'abgebrochen')."""
    return {
        org: (
            f"{label('aborted' if view.aborted else view.decision, lang)} ({view.context(lang)})",
            view.comment,
        )
        for org, view in lead.items()
    }


def organisation_parts(
    definition: ProgrammeDefinition,
    snapshot: Snapshot,
    decisions: list[DecisionView],
    *,
    lang: str,
    lead: dict[str, tuple[str, str]] | None = None,
) -> list[OrganisationPart]:
    """PDCA phase and cycle, steps per driver, decision with mitigations, open and overdue.

    As the checkpoint run saw them: "overdue" means overdue on the day of that run.
    """
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    records = {d.organisation: d for d in decisions}
    criteria = {c.id: c.title for c in definition.abort_criteria}
    parts = []
    for org in sorted(definition.organisations, key=lambda o: o.name):
        mine = snapshot.steps(org.id)
        cycle = snapshot.cycle(org.id)
        drivers = [(label(str(d), lang), *progress(mine, str(d))) for d in org.drivers]
        record = records.get(org.id)

        def item(step: Any) -> str:
            due = day_text(step.due_date) if step.due_date else "–"
            text = f"{label(step.driver, lang)}: " + tr(
                "Step {step} „{title}“ (due {due})",
                lang,
                step=step.step,
                title=titles.get(step.step, ""),
                due=due,
            )
            ticks = subtask_summary(step, definition.driver_integration, lang)
            return f"{text} – {ticks}" if ticks else text

        late = overdue(mine, snapshot.today)
        open_now = [s for s in mine if str(s.status) == "open" and s not in late]
        parts.append(
            OrganisationPart(
                org.id,
                org.name,
                cycle.number,
                phase_title(definition, cycle.phase),
                drivers,
                record.decision if record else "continue",
                [criteria.get(m, m) for m in record.matched] if record else [],
                [f"{m['title']}: {m['mitigation']}" for m in record.mitigations] if record else [],
                [item(s) for s in open_now],
                [item(s) for s in late],
                *(lead or {}).get(org.id, ("", "")),
            )
        )
    return parts


def survey_parts(
    definition: ProgrammeDefinition, snapshot: Snapshot, *, lang: str
) -> list[SurveyPart]:
    """Each survey's indicator values and answer distribution, as imported before the run."""
    names = {o.id: o.name for o in definition.organisations}
    names[""] = tr("Programme", lang)
    titles = {i.key: i.title for i in definition.indicators}
    parts = []
    for source in definition.sources:
        if not isinstance(source, SurveySource):
            continue
        stored = snapshot.survey(source.key)
        figures: list[tuple[str, str, float | None]] = []
        for org, ind, actual, share in stored["figures"]:
            name, title = names.get(org, org), titles.get(ind, ind)
            figures.append((name, title, actual))
            if share is not None:  # participation against the base population, in per cent
                suffix = tr("share of base, %", lang)
                figures.append((name, f"{title} ({suffix})", round(share * 100, 1)))
        scale = range(source.scale[0], source.scale[1] + 1)
        distribution = [
            {
                "question": q["question"],
                "count": int(q["count"]),
                "mean": q["mean"],
                "counts": {v: int(q["counts"].get(str(v), 0)) for v in scale},
            }
            for q in stored["questions"]
        ]
        parts.append(
            SurveyPart(source.key, source.title or source.key, source.scale, figures, distribution)
        )
    return parts


def notification_rows(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, period: str
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


@dataclass(frozen=True)
class _Stored:
    """A checkpoint as stored: its snapshot, lights and the criteria's decisions."""

    snapshot: Snapshot
    lights: Lights
    decisions: list[DecisionView]


def _read_stored(uow: UnitOfWork, key: str, lang: str) -> _Stored:
    with uow:
        repo = uow.repo
        row = repo.checkpoint(key)
        if row is None:
            raise ReportUnavailable(key)
        found = repo.snapshot(row.id)
        if found is None:
            raise ReportNotStored(key)
        snapshot = Snapshot(found.revision, found.made_at, dict(found.data))
        lights: Lights = {}
        # Streamed and explained one at a time: all reasons decoded at once take 150 MB at
        # 10,000 organisations, their texts a tenth of it.
        for org, dim, light, reasons in repo.stored_lights(row.id):
            why = explain(reasons, light, lang, with_light=False)
            lights.setdefault(org, {})[dim] = (light, why)
        rows = repo.decisions(row.id)
        decisions = [
            DecisionView(
                r.scope_key,
                r.decision,
                [str(m) for m in (r.evidence or {}).get("matched", [])],
                list(r.mitigations or []),
            )
            for r in rows
            if r.criterion_id is None
        ]
    return _Stored(snapshot, lights, decisions)


def period_report(
    definition: ProgrammeDefinition,
    *,
    uow_factory: Callable[[], UnitOfWork],
    period: str,
    key: str | None = None,
    lang: str = "de",
) -> PeriodReport:
    """The report of the stored checkpoint of `period`, as of its newest revision.

    Raises ReportUnavailable when no checkpoint evaluated the period, ReportNotStored when
    it ran before reports were stored with checkpoints (run it again).
    """
    key = key or checkpoint_key(definition, period)
    stored = _read_stored(uow_factory(), key, lang)
    snapshot = stored.snapshot
    names = {o.id: o.name for o in definition.organisations}
    titles = {c.id: c.title for c in definition.abort_criteria}
    decisions = [
        f"{names.get(d.organisation, d.organisation or definition.programme.title)}: "
        f"{label(d.decision, lang)} ({'; '.join(titles.get(m, m) for m in d.matched)})"
        for d in stored.decisions
        if d.decision != "continue"
    ]
    # The lead's decisions are read as they are now (see the module docstring).
    lead = lead_views(definition, uow=uow_factory(), period=period)
    aborted = {org for org, view in lead.items() if view.aborted}
    return PeriodReport(
        programme_id=definition.programme.id,
        title=definition.programme.title,
        funder=definition.programme.funder or "",
        period=period,
        periods=snapshot.periods,
        checkpoint=key,
        revision=snapshot.revision,
        revised_at=snapshot.made_at.astimezone(ZoneInfo(definition.programme.timezone)),
        lang=lang,
        timeline=timeline(definition, snapshot.timeline, lang),
        matrix=[
            replace(r, decision="aborted") if r.organisation in aborted else r
            for r in matrix(
                definition, stored.lights, stored.decisions, snapshot.previous_lights, lang
            )
        ],
        organisations=[
            replace(p, decision="aborted") if p.organisation in aborted else p
            for p in organisation_parts(
                definition,
                snapshot,
                stored.decisions,
                lang=lang,
                lead=_lead_decisions(lead, lang),
            )
        ],
        surveys=survey_parts(definition, snapshot, lang=lang),
        notifications=notification_rows(definition, uow=uow_factory(), period=period),
        decisions=decisions,
    )
