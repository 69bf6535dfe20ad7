"""The report's parts as plain tables (header + rows), shared by XLSX and CSV."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from steering.adapters.reports.texts import light_word, met_word, trend_word, words
from steering.domain.evaluation.light_scale import change_arrow
from steering.domain.reporting.period import DIMENSIONS, PeriodReport
from steering.domain.vocabulary import label
from steering.i18n import N_, tr


@dataclass(frozen=True)
class Part:
    """One part of the report as a table: values stay typed (numbers as numbers)."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    lights: list[list[str | None]] | None = None  # per cell: light name for colouring

    def sheet(self, lang: str) -> str:
        """A short sheet name (Excel allows 31 characters and no / \\ ? * [ ] :)."""
        return tr(SHEETS[self.key], lang)


SHEETS = {
    "soll-ist": N_("Planned-actual"),
    "ampelmatrix": N_("Lights"),
    "organisationen": N_("Organisations"),
    "befragungen": N_("Surveys"),
    "benachrichtigungen": N_("Notifications"),
}


def _target(text: str, lang: str) -> str:
    """'= 1' reads as 'genau 1' in a spreadsheet (a leading '=' would be a formula)."""
    if text.startswith("= "):
        return tr("exactly ", lang) + text[2:]
    return text


def _moved(word: str, change: str) -> str:
    """A light's word with the arrow of its change, e.g. 'rot ↘'."""
    arrow = change_arrow(change)
    return f"{word} {arrow}" if arrow else word


def parts(report: PeriodReport) -> list[Part]:
    """Soll/Ist (long form), matrix, organisations, surveys and notifications."""
    w, lang = words(report.lang), report.lang
    timeline = Part(
        "soll-ist",
        w["timeline"],
        [w["indicator"], w["unit"], w["period"], w["target"], w["actual"], w["met"], w["trend"]],
        [
            [
                row.title,
                row.unit,
                period,
                _target(cell.target, lang),
                cell.actual if row.scope == "programme" else cell.shown,
                met_word(cell.met, lang),
                trend_word(row.trend, lang) if period == report.periods[-1] else "",
            ]
            for row in report.timeline
            for period in report.periods
            if (cell := row.cells.get(period)) is not None
        ],
    )
    matrix = Part(
        "ampelmatrix",
        w["matrix"],
        [
            w["organisation"],
            *[label(d, lang) for d in DIMENSIONS],
            w["decision"],
            *[f"{w['reasons']} {label(d, lang)}" for d in DIMENSIONS],
        ],
        [
            [
                m.name,
                *[
                    _moved(light_word(m.lights[d], lang).split(" ", 1)[-1], m.changes.get(d, ""))
                    if d in m.lights
                    else "–"
                    for d in DIMENSIONS
                ],
                label(m.decision, lang),
                *[m.reasons.get(d, "") for d in DIMENSIONS],
            ]
            for m in report.matrix
        ],
        lights=[
            [None, *[m.lights.get(d) for d in DIMENSIONS], None, *[None] * len(DIMENSIONS)]
            for m in report.matrix
        ],
    )
    organisations = Part(
        "organisationen",
        w["organisations"],
        [
            w["organisation"],
            w["cycle"],
            w["phase"],
            w["steps"],
            w["decision"],
            w["lead"],
            w["comment"],
            w["mitigations"],
            w["overdue"],
            w["open"],
        ],
        [
            [
                p.name,
                p.cycle,
                p.phase,
                "; ".join(f"{d} {done}/{total}" for d, done, total in p.drivers),
                label(p.decision, lang) + (f" ({'; '.join(p.matched)})" if p.matched else ""),
                p.lead_decision,
                p.lead_comment,
                "; ".join(p.mitigations),
                "; ".join(p.overdue_items),
                "; ".join(p.open_items),
            ]
            for p in report.organisations
        ],
    )
    surveys = Part(
        "befragungen",
        w["surveys"],
        [w["surveys"], w["question"], w["answers"], w["mean"], "−2", "−1", "0", "1", "2"],
        [
            [
                s.title,
                d["question"],
                d["count"],
                d["mean"],
                *[d["counts"].get(v) for v in range(-2, 3)],
            ]
            for s in report.surveys
            for d in s.distribution
        ]
        + [
            [s.title, f"{o}: {t}", None, v, None, None, None, None, None]
            for s in report.surveys
            for o, t, v in s.figures
        ],
    )
    notifications = Part(
        "benachrichtigungen",
        w["notifications"],
        [w["recipient"], w["kind"], w["channel"], w["status"], w["count"]],
        [
            [n["recipient"], n["kind"], n["channel"], n["status"], n["count"]]
            for n in report.notifications
        ],
    )
    return [timeline, matrix, organisations, surveys, notifications]
