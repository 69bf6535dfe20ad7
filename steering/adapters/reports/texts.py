"""Headings and words shared by the report formats, translated through the catalogue."""

from __future__ import annotations

from datetime import datetime

from steering.domain.evaluation.light_scale import SYMBOLS
from steering.domain.vocabulary import label
from steering.i18n import N_, format_moment, tr

COLOURS = {"green": "2E9E44", "yellow": "F2C12E", "red": "D9372B", "no_data": "B8B8B8"}
# The report's headings and words by key: English msgids, translated by words().
WORDS = {
    "report": N_("Progress report"),
    "period": N_("Reporting period"),
    "checkpoint": N_("Checkpoint"),
    "as_of": N_("As of"),
    "revision": N_("revision {revision} of {at}"),
    "funder": N_("Funder"),
    "timeline": N_("Planned vs actual by half-year"),
    "matrix": N_("Traffic-light matrix"),
    "matrix_note": N_("↘ worse, ↗ better than at the previous checkpoint"),
    "decisions": N_("Decisions from abort criteria"),
    "none": N_("None."),
    "organisations": N_("Organisations"),
    "surveys": N_("Feedback and surveys"),
    "notifications": N_("Notifications in the period"),
    "indicator": N_("Indicator"),
    "unit": N_("Unit"),
    "target": N_("Target"),
    "actual": N_("Actual"),
    "met": N_("met"),
    "trend": N_("Trend"),
    "organisation": N_("Organisation"),
    "decision": N_("Decision"),
    "lead": N_("Project lead's decision"),
    "comment": N_("Reason"),
    "reasons": N_("Reasons"),
    "cycle": N_("Cycle"),
    "phase": N_("Phase"),
    "steps": N_("Steps per driver"),
    "mitigations": N_("Mitigations"),
    "open": N_("Open"),
    "overdue": N_("Overdue"),
    "question": N_("Question"),
    "answers": N_("Answers"),
    "mean": N_("Mean"),
    "value": N_("Value"),
    "recipient": N_("Recipient"),
    "kind": N_("Kind"),
    "channel": N_("Channel"),
    "status": N_("Status"),
    "count": N_("Count"),
    "yes": N_("yes"),
    "no": N_("no"),
    "no_data": N_("no data"),
    "heatmap": N_("Lights per organisation and dimension"),
    "trends": N_("Trend against the target"),
    "dimension": N_("Dimension"),
    "change": N_("Change"),
    "worse": N_("worse"),
    "better": N_("better"),
}


def words(lang: str) -> dict[str, str]:
    """The headings of a language (German unless English is asked for)."""
    return {key: tr(msgid, lang) for key, msgid in WORDS.items()}


def revision_text(revision: int, at: datetime, lang: str) -> str:
    """'Revision 2 vom 03.02.2020 10:15': the checkpoint's evaluation the report shows."""
    stamp = format_moment(at, lang)
    return words(lang)["revision"].format(revision=revision, at=stamp)


def light_word(light: str, lang: str) -> str:
    """'🟢 grün' and the like."""
    return f"{SYMBOLS.get(light, '')} {label(light, lang)}".strip()


def met_word(met: bool | None, lang: str) -> str:
    """ja / nein / keine Daten."""
    w = words(lang)
    return w["no_data"] if met is None else (w["yes"] if met else w["no"])


TRENDS = {"improving": N_("↗ better"), "worsening": N_("↘ worse"), "stable": N_("→ stable")}


def trend_word(trend: str, lang: str) -> str:
    """The trend since the previous half-year as arrow and word."""
    return tr(TRENDS[trend], lang) if trend in TRENDS else ""
