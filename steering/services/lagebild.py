"""Use case: the Lagebild, the programme at a glance for the project lead (a view model)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.integration import overdue
from steering.domain.lagebild import (
    DIMENSION_ORDER,
    escalated,
    light_rank,
    needs_the_lead,
    severity_key,
    worst_dimensions,
)
from steering.domain.pdca import Cycle, phase_days_overdue, phase_due_date
from steering.domain.vocabulary import Phase
from steering.ports.store import UnitOfWork
from steering.services.integration import local_today
from steering.services.status import ProgrammeStatus, StatusRow, programme_status

# Above this many organisations a section lists the attention set in full and counts the rest.
LIST_UP_TO = 50


@dataclass(frozen=True)
class PhaseFacts:
    """Where an organisation stands in its PDCA cycle."""

    phase: str
    days_overdue: int = 0
    overdue_steps: int = 0


@dataclass(frozen=True)
class WaitingEvaluation:
    """An evaluation run that waits for the lead's decision."""

    organisation: str
    period: str
    run_name: str
    url: str
    since: datetime | None = None
    name: str = ""  # the organisation's name, filled in by the Lagebild


@dataclass(frozen=True)
class AttentionLine:
    """One organisation that needs the lead, with what the lead needs to know."""

    organisation: str
    name: str
    lights: dict[str, str]
    worst_dimensions: list[str]
    worst_reason: str
    decision: str
    lead_decision: str | None
    aborted: bool
    phase: str | None
    phase_days_overdue: int
    overdue_steps: int


@dataclass(frozen=True)
class Change:
    """A light or the abort criteria's decision moved since the previous checkpoint."""

    organisation: str
    name: str
    subject: str  # a dimension, or "decision"
    before: str | None
    after: str
    escalation: bool


@dataclass(frozen=True)
class Miss:
    """An indicator that missed its target this period, with who missed it."""

    title: str
    names: list[str]


@dataclass(frozen=True)
class Lagebild:
    """Everything the Lagebild shows, in the order it shows it."""

    title: str
    period: str
    key: str
    at: datetime  # in the programme's time zone
    organisations: int
    attention: list[AttentionLine]
    not_listed: Counter[str]  # decision word -> organisations not listed (large programmes)
    waiting: list[WaitingEvaluation]
    changes: list[Change]
    changes_not_listed: int
    misses: list[Miss]
    phases: dict[str, tuple[int, int]]  # phase -> (organisations, of them overdue)
    stuck: list[tuple[str, str, int]]  # (name, phase, days over the plan), longest first
    stuck_not_listed: int
    aborted: list[str] = field(default_factory=list)
    quiet: list[str] = field(default_factory=list)  # all green, nothing to decide (small)
    decisions: Counter[str] = field(default_factory=Counter)  # of every active organisation


def phase_facts(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, now: datetime
) -> dict[str, PhaseFacts]:
    """Each organisation's phase, days past the phase's plan and overdue steps (bulk read)."""
    today = local_today(definition, now)
    tz = ZoneInfo(definition.programme.timezone)
    ids = [o.id for o in definition.organisations]
    with uow:
        repo = uow.progress(definition.programme.id)
        cycles = repo.newest_cycles(ids)
        starts = repo.phase_starts(ids)
        steps = repo.steps_by_organisation(ids, tz=tz)
    facts = {}
    for org in ids:
        phase = cycles.get(org, Cycle(1, Phase.PLAN)).phase
        late = 0
        if org in starts:
            due = phase_due_date(definition, phase, starts[org].astimezone(tz).date())
            late = phase_days_overdue(due, today)
        facts[org] = PhaseFacts(str(phase), late, len(overdue(steps.get(org, []), today)))
    return facts


def _line(row: StatusRow, facts: PhaseFacts | None, lang: str) -> AttentionLine:
    worst, dims = worst_dimensions(row.lights)
    reason = ""
    if worst is not None and dims and worst != "green":
        reason = explain(row.reasons[dims[0]], worst, lang, with_light=False)
    return AttentionLine(
        organisation=row.organisation,
        name=row.name,
        lights=dict(row.lights),
        worst_dimensions=dims if worst not in (None, "green") else [],
        worst_reason=reason,
        decision=row.decision,
        lead_decision=row.lead.decision if row.lead else None,
        aborted=bool(row.lead and row.lead.aborted),
        phase=facts.phase if facts else None,
        phase_days_overdue=facts.days_overdue if facts else 0,
        overdue_steps=facts.overdue_steps if facts else 0,
    )


def _changes(current: Sequence[StatusRow], previous: ProgrammeStatus | None) -> list[Change]:
    before = {r.organisation: r for r in previous.rows} if previous else {}
    out = []
    for row in current:
        old = before.get(row.organisation)
        if old is None:
            continue
        for dim in DIMENSION_ORDER:
            now_light, then = row.lights.get(dim), old.lights.get(dim)
            if now_light is not None and then is not None and now_light != then:
                worse = light_rank(now_light) < light_rank(then)
                out.append(Change(row.organisation, row.name, dim, then, now_light, worse))
        if row.decision != old.decision:
            out.append(
                Change(
                    row.organisation,
                    row.name,
                    "decision",
                    old.decision,
                    row.decision,
                    escalated(old.decision, row.decision),
                )
            )
    return out


def _misses(rows: Sequence[StatusRow], titles: Mapping[str, str]) -> list[Miss]:
    """Indicators off target (a deviation, or no data counted as missed) and who missed them."""
    missed: dict[str, list[str]] = {}
    for row in rows:
        for reasons in row.reasons.values():
            for item in (reasons or {}).get("indicators", []):
                if item.get("deviation"):
                    missed.setdefault(item["indicator"], []).append(row.name)
    ordered = sorted(missed.items(), key=lambda kv: (-len(kv[1]), titles.get(kv[0], kv[0])))
    return [Miss(titles.get(k, k), sorted(set(names), key=str.casefold)) for k, names in ordered]


def build_lagebild(
    definition: ProgrammeDefinition,
    current: ProgrammeStatus,
    previous: ProgrammeStatus | None,
    facts: Mapping[str, PhaseFacts],
    waiting: Sequence[WaitingEvaluation],
    *,
    at: datetime,
    lang: str = "de",
    list_up_to: int = LIST_UP_TO,
) -> Lagebild:
    """The Lagebild of the latest checkpoint: attention, waiting, changes, misses, phases."""
    large = current.organisations > list_up_to
    active = [r for r in current.rows if not (r.lead and r.lead.aborted)]
    lines = [_line(r, facts.get(r.organisation), lang) for r in active]
    lines.sort(key=lambda line: severity_key(line.decision, line.lights, line.name))
    wanted = [line for line in lines if needs_the_lead(line.decision, line.lights)]
    quiet: list[str] = []
    if not large:
        # A small programme lists every light that is not green too, and names the rest.
        wanted = [line for line in lines if line.worst_dimensions or line.decision != "continue"]
        quiet = [line.name for line in lines if line not in wanted]
    listed = {line.organisation for line in wanted}
    not_listed = Counter(
        line.decision for line in lines if line.organisation not in listed and large
    )
    changes = _changes(active, previous)
    if large:
        keep = [c for c in changes if c.organisation in listed or c.escalation]
        changes_not_listed = len({c.organisation for c in changes} - {c.organisation for c in keep})
        changes = keep
    else:
        changes_not_listed = 0
    titles = {i.key: i.title for i in definition.indicators}
    orgs = [r for r in active if r.organisation != PROGRAMME]
    phases: dict[str, tuple[int, int]] = {}
    stuck = []
    names = {r.organisation: r.name for r in orgs}
    for org, fact in facts.items():
        if org not in names:
            continue
        count, late = phases.get(fact.phase, (0, 0))
        phases[fact.phase] = (count + 1, late + (fact.days_overdue > 0))
        if fact.days_overdue > 0:
            stuck.append((names[org], fact.phase, fact.days_overdue))
    stuck.sort(key=lambda s: (-s[2], s[0].casefold()))
    stuck_shown = stuck[:list_up_to] if large else stuck
    return Lagebild(
        title=definition.programme.title,
        period=current.period or "",
        key=current.checkpoint_key or "",
        at=at.astimezone(ZoneInfo(definition.programme.timezone)),
        organisations=current.organisations,
        attention=wanted,
        not_listed=not_listed,
        waiting=[replace(w, name=names.get(w.organisation, w.organisation)) for w in waiting],
        changes=changes,
        changes_not_listed=changes_not_listed,
        misses=_misses(active, titles),
        phases={p.value: phases[p.value] for p in Phase if p.value in phases},
        stuck=stuck_shown,
        stuck_not_listed=len(stuck) - len(stuck_shown),
        aborted=sorted(r.name for r in current.rows if r.lead and r.lead.aborted),
        quiet=sorted(quiet, key=str.casefold),
        decisions=Counter(line.decision for line in lines if line.organisation != PROGRAMME),
    )


def lagebild(
    definition: ProgrammeDefinition,
    *,
    uow_factory: Callable[[], UnitOfWork],
    now: datetime,
    waiting: Sequence[WaitingEvaluation] = (),
) -> Lagebild:
    """The Lagebild of the latest programme checkpoint as stored, against the one before."""
    current = programme_status(definition, uow=uow_factory(), now=now)
    previous = None
    if current.checkpoint_key:
        with uow_factory() as uow:
            record = uow.repo.checkpoint(current.checkpoint_key)
            before = uow.repo.previous_checkpoint(record) if record else None
            previous_key = before.key if before else None
        if previous_key:
            previous = programme_status(definition, uow=uow_factory(), now=now, key=previous_key)
    facts = phase_facts(definition, uow=uow_factory(), now=now)
    return build_lagebild(
        definition,
        current,
        previous,
        facts,
        waiting,
        at=current.finished_at or now,
        lang=definition.programme.language,
    )
