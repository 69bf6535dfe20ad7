"""Cross-reference and consistency checks over a structurally valid definition."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from steering.domain.definition.programme import ProgrammeDefinition
from steering.domain.definition.sources import ProgressSource, SurveySource, TableSource
from steering.domain.formula import (
    FormulaError,
    evaluation_order,
    formula_dependencies,
    resolve_reference,
)

Path = tuple[str | int, ...]
_RECIPIENT_KEYWORDS = ("owners", "project_lead")


@dataclass(frozen=True)
class Finding:
    """One problem at a path in the definition, as a catalogue key and its parameters."""

    path: Path
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def format_path(path: Sequence[str | int]) -> str:
    """Render a path like organisations[3].owners[0]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _duplicates(section: str, ids: Iterable[str], attr: str = "id") -> list[Finding]:
    seen: dict[str, int] = {}
    found = []
    for index, ident in enumerate(ids):
        if ident in seen:
            first = format_path((section, seen[ident]))
            found.append(
                Finding((section, index, attr), "duplicate_id", {"id": ident, "first": first})
            )
        else:
            seen[ident] = index
    return found


def check_definition(d: ProgrammeDefinition) -> list[Finding]:
    """All semantic problems of a definition (empty when it is consistent)."""
    findings: list[Finding] = []
    findings += _duplicates("people", (p.id for p in d.people))
    findings += _duplicates("organisations", (o.id for o in d.organisations))
    findings += _duplicates("indicators", (i.key for i in d.indicators), "key")
    findings += _duplicates("sources", (s.key for s in d.sources), "key")
    findings += _duplicates("risks", (r.id for r in d.risks))
    findings += _duplicates("abort_criteria", (a.id for a in d.abort_criteria))
    findings += _duplicates("events", (e.id for e in d.events))
    findings += _check_programme(d)
    findings += _check_people(d)
    findings += _check_organisations(d)
    findings += _check_indicators(d)
    findings += _check_sources(d)
    findings += _check_one_source_per_indicator(d)
    findings += _check_rules(d)
    findings += _check_routing_and_events(d)
    findings += _check_gates(d)
    return findings


def _check_programme(d: ProgrammeDefinition) -> list[Finding]:
    found = []
    people = {p.id: p for p in d.people}
    lead = d.programme.lead
    if lead not in people:
        found.append(Finding(("programme", "lead"), "unknown_person", {"id": lead}))
    elif people[lead].role != "project_lead":
        found.append(
            Finding(("programme", "lead"), "lead_not_lead", {"id": lead, "role": people[lead].role})
        )
    found += _duplicates("programme.periods", (p.id for p in d.programme.periods))
    periods = d.programme.periods
    for index in range(1, len(periods)):
        if periods[index].start <= periods[index - 1].end:
            found.append(
                Finding(
                    ("programme", "periods", index, "start"),
                    "periods_unordered",
                    {"id": periods[index].id, "previous": periods[index - 1].id},
                )
            )
    return [_fix_dotted(f) for f in found]


def _fix_dotted(finding: Finding) -> Finding:
    if finding.path and finding.path[0] == "programme.periods":
        return Finding(("programme", "periods", *finding.path[1:]), finding.code, finding.params)
    return finding


def _check_people(d: ProgrammeDefinition) -> list[Finding]:
    return [
        Finding(("people", i, "id"), "no_contact", {"id": p.id})
        for i, p in enumerate(d.people)
        if not (p.notify or p.apprise_tags or p.email)
    ]


def _check_organisations(d: ProgrammeDefinition) -> list[Finding]:
    people = {p.id for p in d.people}
    return [
        Finding(("organisations", i, "owners", j), "unknown_person", {"id": owner})
        for i, org in enumerate(d.organisations)
        for j, owner in enumerate(org.owners)
        if owner not in people
    ]


def _check_indicators(d: ProgrammeDefinition) -> list[Finding]:
    found = []
    sources = {s.key for s in d.sources}
    orgs = {o.id for o in d.organisations}
    periods = set(d.period_ids())
    keys = {i.key for i in d.indicators}
    formulas: dict[str, str] = {}
    for i, ind in enumerate(d.indicators):
        if ind.source is not None and ind.source not in sources:
            found.append(Finding(("indicators", i, "source"), "unknown_source", {"id": ind.source}))
        for j, org in enumerate(ind.organisations or []):
            if org not in orgs:
                found.append(
                    Finding(
                        ("indicators", i, "organisations", j), "unknown_organisation", {"id": org}
                    )
                )
        for j, target in enumerate(ind.targets):
            for k, period in enumerate(target.periods):
                if period not in periods:
                    path = ("indicators", i, "targets", j, "periods", k)
                    found.append(Finding(path, "unknown_period", {"id": period}))
            scale = ind.value_range()
            if scale and target.base is None:
                for bound in target.bounds():
                    if bound is not None and not scale[0] <= bound <= scale[1]:
                        found.append(
                            Finding(
                                ("indicators", i, "targets", j),
                                "target_outside_scale",
                                {"value": bound, "low": scale[0], "high": scale[1]},
                            )
                        )
        if ind.formula is not None:
            try:
                deps = formula_dependencies(ind.formula)
            except FormulaError as exc:
                found.append(
                    Finding(("indicators", i, "formula"), "formula_error", {"reason": exc})
                )
                continue
            for dep in sorted(d for d in deps if resolve_reference(d, keys) is None):
                found.append(
                    Finding(("indicators", i, "formula"), "unknown_indicator", {"id": dep})
                )
            formulas[ind.key] = ind.formula
    try:
        evaluation_order(formulas)
    except FormulaError:
        index = next(i for i, ind in enumerate(d.indicators) if ind.key in formulas)
        cycle = _describe_cycle(formulas)
        found.append(Finding(("indicators", index, "formula"), "formula_cycle", {"cycle": cycle}))
    return found


def _describe_cycle(formulas: dict[str, str]) -> str:
    try:
        evaluation_order(formulas)
    except FormulaError as exc:
        return str(exc).rsplit(": ", 1)[-1]
    return ""


def _check_sources(d: ProgrammeDefinition) -> list[Finding]:
    found = []
    keys = {i.key for i in d.indicators}
    for i, src in enumerate(d.sources):
        refs: list[tuple[Any, ...]] = []
        if isinstance(src, TableSource):
            refs += [(("value_columns", col), ind) for col, ind in src.value_columns.items()]
            if "indicator" in src.fixed:
                refs.append((("fixed", "indicator"), src.fixed["indicator"]))
        if isinstance(src, SurveySource):
            for attr in ("mean_indicator", "responses_indicator", "participation_indicator"):
                value = getattr(src, attr)
                if value is not None:
                    refs.append(((attr,), value))
        if isinstance(src, ProgressSource):
            refs += [((f"{name}_indicator",), key) for name, key in src.indicator_keys().items()]
        found += [
            Finding(("sources", i, *path), "unknown_indicator", {"id": ind})
            for path, ind in refs
            if ind not in keys
        ]
    return found


def _indicator_refs(src: Any) -> list[tuple[Path, str]]:
    """The indicators a source names explicitly, with their paths inside the source."""
    refs: list[tuple[Path, str]] = []
    for col, ind in (getattr(src, "value_columns", None) or {}).items():
        refs.append((("value_columns", col), ind))
    fixed = getattr(src, "fixed", None) or {}
    if "indicator" in fixed:
        refs.append((("fixed", "indicator"), fixed["indicator"]))
    for name in type(src).model_fields:  # mean_indicator, responses_indicator, ...
        value = getattr(src, name)
        if name.endswith("_indicator") and isinstance(value, str):
            refs.append(((name,), value))
    return refs


def _check_one_source_per_indicator(d: ProgrammeDefinition) -> list[Finding]:
    """An indicator is fed by one source: the one it names, or the only one that names it."""
    found = []
    declared = {i.key: i.source for i in d.indicators}
    first: dict[str, tuple[str, Path]] = {}
    for index, src in enumerate(d.sources):
        for path, ind in _indicator_refs(src):
            if ind not in declared:
                continue  # reported as unknown_indicator
            where: Path = ("sources", index, *path)
            expected = declared[ind]
            if expected is not None and expected != src.key:
                found.append(
                    Finding(where, "indicator_other_source", {"id": ind, "expected": expected})
                )
            elif ind in first and first[ind][0] != src.key:
                key, at = first[ind]
                found.append(
                    Finding(
                        where,
                        "indicator_two_sources",
                        {"id": ind, "other": key, "first": format_path(at)},
                    )
                )
            else:
                first.setdefault(ind, (src.key, where))
    return found


def _check_rules(d: ProgrammeDefinition) -> list[Finding]:
    found = []
    by_key = {i.key: i for i in d.indicators}
    seen: dict[str, int] = {}
    for i, rule in enumerate(d.traffic_lights):
        if rule.dimension in seen:
            first = format_path(("traffic_lights", seen[rule.dimension]))
            found.append(
                Finding(
                    ("traffic_lights", i, "dimension"),
                    "duplicate_dimension_rule",
                    {"id": str(rule.dimension), "first": first},
                )
            )
        seen.setdefault(rule.dimension, i)
        for key in rule.weights:
            path = ("traffic_lights", i, "weights", key)
            if key not in by_key:
                found.append(Finding(path, "unknown_indicator", {"id": key}))
            elif by_key[key].dimension != rule.dimension:
                params = {
                    "id": key,
                    "actual": str(by_key[key].dimension),
                    "expected": str(rule.dimension),
                }
                found.append(Finding(path, "weight_wrong_dimension", params))
    risks = {r.id for r in d.risks}
    for i, crit in enumerate(d.abort_criteria):
        for j, risk in enumerate(crit.risks):
            if risk not in risks:
                found.append(
                    Finding(("abort_criteria", i, "risks", j), "unknown_risk", {"id": risk})
                )
    return found


def _check_routing_and_events(d: ProgrammeDefinition) -> list[Finding]:
    found = []
    people = {p.id for p in d.people}
    orgs = {o.id for o in d.organisations}
    for name, recipients in d.notifications.routing:
        for j, rec in enumerate(recipients):
            if rec in _RECIPIENT_KEYWORDS or ":" in rec:
                continue
            if rec not in people:
                found.append(
                    Finding(("notifications", "routing", name, j), "unknown_person", {"id": rec})
                )
    for i, event in enumerate(d.events):
        if isinstance(event.organisations, list):
            for j, org in enumerate(event.organisations):
                if org not in orgs:
                    found.append(
                        Finding(
                            ("events", i, "organisations", j), "unknown_organisation", {"id": org}
                        )
                    )
    return found


def _check_gates(d: ProgrammeDefinition) -> list[Finding]:
    last = len(d.driver_integration.steps)
    return [
        Finding(
            ("pdca", "phases", i, "exit_gate", "steps_done", j),
            "unknown_step",
            {"number": number, "last": last},
        )
        for i, phase in enumerate(d.pdca.phases)
        for j, number in enumerate(phase.exit_gate.steps_done)
        if not 1 <= number <= last
    ]
