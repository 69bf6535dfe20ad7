"""Turn a checkpoint's evaluation into tables and Markdown for people (artifacts, reports)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd

from steering.domain.definition import ProgrammeDefinition
from steering.domain.evaluation.abort import DecisionRecord
from steering.domain.evaluation.evaluate import Evaluation
from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.evaluation.light_scale import SYMBOLS, change_arrow, light_change
from steering.domain.lagebild import severity_key
from steering.domain.reporting.formats import number, percent
from steering.domain.vocabulary import Dimension, label
from steering.i18n import N_, tr
from steering.markup import md_text
from steering.services.decisions import LeadView
from steering.services.status import ProgrammeStatus

DIMENSIONS = [d.value for d in Dimension]


def escape(text: object) -> str:
    """Text from a definition or a user for Markdown that Prefect renders as HTML: no raw tags,
    no links or images, no emphasis; shown as written."""
    return md_text(text)


def _no_tags(line: str) -> str:
    """A Markdown line built by the engine (its user parts escaped): HTML tags neutralised."""
    return line.replace("<", "&lt;").replace(">", "&gt;")


def artifact_key(*parts: str) -> str:
    """A stable Prefect artifact key: lowercase letters, digits and dashes only."""
    text = "-".join(parts).lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    words = re.sub(r"[^a-z0-9-]", "-", text).split("-")
    # 'integration' + 'integration-leipzig' says the word once: no doubled words.
    kept = [w for i, w in enumerate(words) if w and (i == 0 or w != words[i - 1])]
    return "-".join(kept)


def light_text(light: str | None, lang: str = "de") -> str:
    """A light as colour symbol and word, e.g. '🔴 rot'."""
    if light is None:
        return "–"
    return f"{SYMBOLS[light]} {label(light, lang)}"


def _names(definition: ProgrammeDefinition, lang: str) -> dict[str, str]:
    names = {o.id: o.name for o in definition.organisations}
    names[PROGRAMME] = tr("Programme", lang)
    return names


def _lights_by_org(evaluation: Evaluation) -> dict[str, dict[str, tuple[str, dict[str, Any]]]]:
    return evaluation.by_organisation


def change_word(before: str | None, after: str | None, lang: str) -> str:
    """How a light moved since the previous checkpoint: ↘ worse, ↗ better, '' unchanged."""
    return change_arrow(light_change(before, after))


def decision_text(criteria: str, lead: LeadView | None, lang: str = "de") -> str:
    """The decision column: the abort criteria's word, the lead's decision after an arrow,
    or 'abgebrochen' once the lead ended the participation."""
    if lead is not None and lead.aborted:
        return label("aborted", lang)
    word = label(criteria, lang)
    return f"{word} → {label(lead.decision, lang)}" if lead is not None else word


def matrix_rows(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    previous: dict[tuple[str, str], str],
    lang: str = "de",
    lead: Mapping[str, LeadView] | None = None,
    only: Sequence[str] | None = None,
) -> list[dict[str, str]]:
    """Organisations (`only` these, in their order) x dimensions with lights, plus the decision."""
    names = _names(definition, lang)
    by_org = _lights_by_org(evaluation)
    decisions = {d.organisation: d for d in evaluation.decisions}
    rows = []
    shown = by_severity(definition, evaluation) if only is None else only
    for org in [PROGRAMME, *shown]:
        row = {"Organisation": names.get(org, org)}
        for dim in DIMENSIONS:
            light = by_org.get(org, {}).get(dim, (None, {}))[0]
            text = light_text(light, lang)
            moved = change_word(previous.get((org, dim)), light, lang)
            row[label(dim, lang)] = f"{text} {moved}" if moved else text
        decision = decisions.get(org)
        row[tr("Decision", lang)] = decision_text(
            str(decision.decision) if decision else "continue", (lead or {}).get(org), lang
        )
        rows.append(row)
    return rows


def by_severity(definition: ProgrammeDefinition, evaluation: Evaluation) -> list[str]:
    """The organisations' ids, most severe decision first, then more red lights, then name."""
    decisions = evaluation.decision_by_organisation
    lights = evaluation.by_organisation
    return sorted(
        (o.id for o in definition.organisations),
        key=lambda org: severity_key(
            decisions.get(org, "continue"),
            {dim: light for dim, (light, _) in lights.get(org, {}).items()},
            definition.organisation(org).name,
        ),
    )


def status_matrix_rows(view: ProgrammeStatus, lang: str = "de") -> list[dict[str, str]]:
    """The stored matrix (what `steer status` shows) as artifact rows."""
    rows = []
    ordered = sorted(
        view.rows,
        key=lambda r: (r.organisation != PROGRAMME, severity_key(r.decision, r.lights, r.name)),
    )
    for status_row in ordered:
        row = {"Organisation": status_row.name}
        for dim in DIMENSIONS:
            row[label(dim, lang)] = light_text(status_row.lights.get(dim), lang)
        row[tr("Decision", lang)] = decision_text(status_row.decision, status_row.lead, lang)
        rows.append(row)
    return rows


def reason_lines(
    definition: ProgrammeDefinition, evaluation: Evaluation, org: str, lang: str = "de"
) -> list[str]:
    """One line per light of an organisation: dimension, light and why."""
    lines = []
    for dim, (light, reasons) in sorted(_lights_by_org(evaluation).get(org, {}).items()):
        why = explain(reasons, light, lang, with_light=False)
        lines.append(f"**{label(dim, lang)}** {light_text(light, lang)} – {escape(why)}")
    return lines


def soll_ist_rows(
    definition: ProgrammeDefinition,
    table: pd.DataFrame,
    lang: str = "de",
    *,
    period: str | None = None,
) -> list[dict[str, str]]:
    """Planned vs actual per indicator and period: programme values, organisations summarised.

    With `period` only that period's rows, without a period column (the artifact's view).
    """
    rows = []
    targeted = table[table["has_target"]]
    if period is not None:
        targeted = targeted[targeted["period"].astype(str) == period]
    for (_indicator, group_period), group in targeted.groupby(
        ["indicator", "period"], observed=True, sort=False
    ):
        first = group.iloc[0]
        if str(first["scope"]) == "programme":
            actual = first["actual"]
            shown = "–" if pd.isna(actual) else number(actual, lang)
            if not pd.isna(first["share"]):
                shown += f" ({percent(first['share'], lang)})"
            met = first["met"]
            verdict = (
                tr("no data", lang)
                if pd.isna(met)
                else (tr("met", lang) if met else tr("not met", lang))
            )
        else:
            known = group["met"].dropna()
            shown = f"{int(known.sum())}/{len(group)}" + (tr(" orgs met", lang))
            verdict = tr("{value} without data", lang, value=len(group) - len(known))
        trend = first["trend"] if str(first["scope"]) == "programme" else None
        when = {} if period is not None else {tr("Period", lang): str(group_period)}
        rows.append(
            {
                (tr("Indicator", lang)): str(first["title"]),
                **when,
                (tr("Target", lang)): str(first["target_text"]),
                (tr("Actual", lang)): shown,
                (tr("Assessment", lang)): verdict,
                "Trend": _trend_word(trend, lang),
            }
        )
    return rows


def _trend_word(trend: Any, lang: str) -> str:
    if trend is None or pd.isna(trend):
        return ""
    words = {"improving": N_("↗ better"), "worsening": N_("↘ worse"), "stable": N_("→ stable")}
    return tr(words[str(trend)], lang)


def rule_titles(definition: ProgrammeDefinition, matched: Sequence[str]) -> str:
    """The titles of matched abort criteria (their ids if unknown)."""
    titles = {c.id: c.title for c in definition.abort_criteria}
    return "; ".join(titles.get(m, m) for m in matched)


def decision_lines(
    decisions: Sequence[DecisionRecord],
    names: dict[str, str],
    lang: str,
    definition: ProgrammeDefinition,
) -> list[str]:
    """The non-routine decisions with matched rules (their titles) and mitigations."""
    titles = {c.id: c.title for c in definition.abort_criteria}
    lines = []
    for d in decisions:
        if str(d.decision) == "continue":
            continue
        rules = "; ".join(titles.get(m, m) for m in d.matched)
        lines.append(
            f"- **{escape(names.get(d.organisation, d.organisation))}**: "
            f"{label(str(d.decision), lang)} ({escape(rules)})"
        )
        for m in d.mitigations:
            lines.append(f"  - {escape(m['title'])} → {escape(m['mitigation'])}")
    return lines


def markdown_table(rows: list[dict[str, str]]) -> str:
    """A list of dicts as a Markdown table (pipes and HTML escaped)."""
    if not rows:
        return ""
    headers = list(rows[0])

    def cell(value: str) -> str:
        return escape(value)  # pipes and line breaks too

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(r[h]) for h in headers) + " |" for r in rows]
    return "\n".join(lines)


@dataclass(frozen=True)
class CheckpointParts:
    """A checkpoint's tables and lines for people, built once: the report, its attention-only
    summary and the matrix and Soll/Ist artifacts all show these."""

    matrix: list[dict[str, str]]
    decisions: list[str]
    reasons: dict[str, list[str]]  # organisation (PROGRAMME first) -> one line per light
    soll_ist: list[dict[str, str]]


def checkpoint_parts(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    previous: dict[tuple[str, str], str],
    lang: str = "de",
    lead: Mapping[str, LeadView] | None = None,
) -> CheckpointParts:
    """Build the matrix, decisions, reasons and Soll/Ist of a checkpoint once."""
    names = _names(definition, lang)
    return CheckpointParts(
        matrix_rows(definition, evaluation, previous, lang, lead),
        decision_lines(evaluation.decisions, names, lang, definition),
        {
            org: reason_lines(definition, evaluation, org, lang)
            for org in [PROGRAMME, *sorted(o.id for o in definition.organisations)]
        },
        soll_ist_rows(definition, evaluation.soll_ist, lang),
    )


def focused_parts(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    built: CheckpointParts,
    only: Sequence[str],
    previous: dict[tuple[str, str], str],
    lang: str = "de",
    lead: Mapping[str, LeadView] | None = None,
) -> CheckpointParts:
    """The parts of the programme and `only` these organisations (in this order), from `built`."""
    kept = {PROGRAMME, *only}
    return CheckpointParts(
        matrix_rows(definition, evaluation, previous, lang, lead, only),
        decision_lines(
            [d for d in evaluation.decisions if d.organisation in kept],
            _names(definition, lang),
            lang,
            definition,
        ),
        {org: built.reasons.get(org, []) for org in [PROGRAMME, *only]},
        built.soll_ist,
    )


def checkpoint_report(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    *,
    key: str,
    at: datetime,
    previous: dict[tuple[str, str], str],
    lang: str = "de",
    attention_only: bool = False,
    lead: Mapping[str, LeadView] | None = None,
    built: CheckpointParts | None = None,
    note: str = "",
) -> str:
    """The checkpoint as one Markdown document; `attention_only` keeps non-green reasons.

    `built` are the checkpoint's tables and lines if already built (see checkpoint_parts);
    `note` is quoted under the title.
    """
    names = _names(definition, lang)
    local = at.astimezone(ZoneInfo(definition.programme.timezone))
    built = built or checkpoint_parts(definition, evaluation, previous, lang, lead)
    parts = [
        f"# Checkpoint {evaluation.period} – {escape(definition.programme.title)}",
        "",
        *([f"> {note}", ""] if note else []),
        tr(
            "Checkpoint `{key}`, evaluated on {at:%Y-%m-%d %H:%M} {zone}.",
            lang,
            key=key,
            at=local,
            zone=local.tzname(),
        ),
        "",
        "## " + (tr("Traffic-light matrix", lang)),
        "",
        markdown_table(built.matrix),
        "",
        "## " + (tr("Decisions from abort criteria", lang)),
        "",
        *(built.decisions or [tr("Nothing to report.", lang)]),
        "",
        "## " + (tr("Reasons per organisation", lang)),
        "",
    ]
    for org, lines in built.reasons.items():
        if attention_only and org and not evaluation.needs_attention(org):
            continue
        if lines:
            parts += [
                f"### {escape(names.get(org, org))}",
                "",
                *[f"- {line}" for line in lines],
                "",
            ]
    parts += [
        "## Soll/Ist",
        "",
        markdown_table(built.soll_ist),
        "",
    ]
    return "\n".join(parts)


def organisation_status(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    org: str,
    progress_lines: Sequence[str] = (),
    lang: str = "de",
    lead: LeadView | None = None,
) -> str:
    """Markdown status of one organisation: phase and steps, lights with reasons, decision."""
    decision = next((d for d in evaluation.decisions if d.organisation == org), None)
    return status_markdown(
        definition,
        org,
        evaluation.period,
        _lights_by_org(evaluation).get(org, {}),
        (str(decision.decision), decision.matched, decision.mitigations) if decision else None,
        progress_lines,
        lang,
        lead,
    )


def stored_organisation_status(
    definition: ProgrammeDefinition,
    view: ProgrammeStatus,
    org: str,
    progress_lines: Sequence[str] = (),
    lang: str = "de",
) -> str:
    """The status of one organisation as its programme checkpoint stored it."""
    row = next(r for r in view.rows if r.organisation == org)
    lights = {dim: (light, row.reasons[dim]) for dim, light in row.lights.items()}
    return status_markdown(
        definition,
        org,
        view.period or "",
        lights,
        (row.decision, row.matched, row.mitigations),
        progress_lines,
        lang,
        row.lead,
    )


def status_markdown(
    definition: ProgrammeDefinition,
    org: str,
    period: str,
    lights: Mapping[str, tuple[str, dict[str, Any]]],
    decision: tuple[str, Sequence[str], Sequence[dict[str, str]]] | None,
    progress_lines: Sequence[str],
    lang: str,
    lead: LeadView | None,
) -> str:
    """Markdown status of one organisation from its lights, decision and the lead's decision."""
    organisation = definition.organisation(org)
    parts = [
        f"# {escape(organisation.name)}",
        "",
        (tr("Checkpoint {period} · experiment fields: ", lang, period=period))
        + ", ".join(label(str(f), lang) for f in organisation.experiment_fields)
        + " · "
        + (tr("drivers: ", lang))
        + (", ".join(label(str(d), lang) for d in organisation.drivers) or "–"),
        "",
    ]
    if lead is not None and lead.aborted:
        parts += [
            (
                tr(
                    "**Participation ended ({label})** – {text}",
                    lang,
                    label=label("aborted", lang),
                    text=escape(lead.text(lang)),
                )
            ),
            "",
        ]
    if progress_lines:
        parts += [
            "## " + (tr("PDCA and driver integration", lang)),
            "",
            *[_no_tags(line) for line in progress_lines],
            "",
        ]
    parts += ["## " + (tr("Traffic lights", lang)), ""]
    parts += [
        f"- **{label(dim, lang)}** {light_text(light, lang)} – "
        + escape(explain(reasons, light, lang, with_light=False))
        for dim, (light, reasons) in sorted(lights.items())
    ] or ["–"]
    if decision is not None:
        word, matched, mitigations = decision
        parts += [
            "",
            "## " + (tr("Decision", lang)),
            "",
            f"{label(word, lang)}"
            + (f": {escape(rule_titles(definition, matched))}" if matched else ""),
        ]
        parts += [f"- {escape(m['title'])} → {escape(m['mitigation'])}" for m in mitigations]
    if lead is not None:
        parts += [
            "",
            "## " + (tr("The project lead's decision", lang)),
            "",
            escape(lead.text(lang)),
        ]
    return "\n".join(parts) + "\n"


def integration_rows(
    definition: ProgrammeDefinition, overview: Sequence[Any], today: Any, lang: str = "de"
) -> list[dict[str, str]]:
    """One row per organisation x driver: progress, open step with due date, overdue steps."""
    titles = {s.number: s.title for s in definition.driver_integration.steps}
    names = {o.id: o.name for o in definition.organisations}
    rows = []
    for row in overview:
        open_text = "; ".join(
            f"{s.step} {titles.get(s.step, '')}"
            + (tr(" (due {day:%Y-%m-%d})", lang, day=s.due_date) if s.due_date else "")
            for s in row.open
        )
        rows.append(
            {
                "Organisation": names.get(row.organisation_id, row.organisation_id),
                (tr("Driver", lang)): label(row.driver, lang),
                (tr("Progress", lang)): f"{row.done}/{row.total}",
                (tr("Open", lang)): open_text or "–",
                (tr("Overdue", lang)): ", ".join(str(s.step) for s in row.overdue) or "–",
            }
        )
    return rows


def most_urgent(definition: ProgrammeDefinition, evaluation: Evaluation) -> list[str]:
    """Organisations needing attention, most severe first (see by_severity)."""
    return [org for org in by_severity(definition, evaluation) if evaluation.needs_attention(org)]


def publishes_attention_only(organisations: int, *, mode: str, all_up_to: int) -> bool:
    """Large programmes publish attention-only artifacts (Prefect stores each one thrice)."""
    return mode == "attention" or (mode == "auto" and organisations > all_up_to)


def status_organisations(
    definition: ProgrammeDefinition,
    evaluation: Evaluation,
    previous: dict[tuple[str, str], str],
    *,
    mode: str,
    all_up_to: int,
) -> set[str]:
    """Organisations that get a status artifact at this checkpoint.

    Small programmes (or mode 'all'): every organisation. Large ones (or mode 'attention'):
    only those whose abort criteria call for the lead's decision and whose lights moved;
    the checkpoint summary and the report file still give every organisation's reasons.
    """
    everyone = {o.id for o in definition.organisations}
    if not publishes_attention_only(len(everyone), mode=mode, all_up_to=all_up_to):
        return everyone
    return {
        org
        for org in everyone
        if evaluation.calls_for_decision(org)
        and any(
            previous.get((org, dim)) != light
            for dim, (light, _) in evaluation.by_organisation.get(org, {}).items()
        )
    }
