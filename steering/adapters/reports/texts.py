"""Headings and words shared by the report formats (German and English)."""

from __future__ import annotations

from datetime import datetime

from steering.domain.vocabulary import label

SYMBOLS = {"green": "🟢", "yellow": "🟡", "red": "🔴", "no_data": "⚪"}
COLOURS = {"green": "2E9E44", "yellow": "F2C12E", "red": "D9372B", "no_data": "B8B8B8"}
HEADINGS = {
    "de": {
        "report": "Sachbericht",
        "period": "Berichtszeitraum",
        "checkpoint": "Checkpoint",
        "as_of": "Stand",
        "revision": "Revision {revision} vom {at}",
        "funder": "Zuwendungsgeber",
        "timeline": "Soll/Ist nach Halbjahren",
        "matrix": "Ampelmatrix",
        "matrix_note": "↘ schlechter, ↗ besser als beim vorigen Checkpoint",
        "decisions": "Entscheidungen nach Abbruchkriterien",
        "none": "Keine.",
        "organisations": "Organisationen",
        "surveys": "Feedback und Befragungen",
        "notifications": "Benachrichtigungen im Zeitraum",
        "indicator": "Indikator",
        "unit": "Einheit",
        "target": "Soll",
        "actual": "Ist",
        "met": "erfüllt",
        "trend": "Trend",
        "organisation": "Organisation",
        "decision": "Entscheidung",
        "lead": "Entscheidung der Projektleitung",
        "comment": "Begründung",
        "reasons": "Gründe",
        "cycle": "Zyklus",
        "phase": "Phase",
        "steps": "Schritte je Treiber",
        "mitigations": "Gegenmaßnahmen",
        "open": "Offen",
        "overdue": "Überfällig",
        "question": "Frage",
        "answers": "Antworten",
        "mean": "Mittelwert",
        "value": "Wert",
        "recipient": "Empfänger",
        "kind": "Art",
        "channel": "Kanal",
        "status": "Status",
        "count": "Anzahl",
        "yes": "ja",
        "no": "nein",
        "no_data": "keine Daten",
        "heatmap": "Ampeln je Organisation und Dimension",
        "trends": "Verlauf gegen das Soll",
        "dimension": "Dimension",
        "change": "Veränderung",
        "worse": "schlechter",
        "better": "besser",
    },
    "en": {
        "report": "Progress report",
        "period": "Reporting period",
        "checkpoint": "Checkpoint",
        "as_of": "As of",
        "revision": "revision {revision} of {at}",
        "funder": "Funder",
        "timeline": "Planned vs actual by half-year",
        "matrix": "Traffic-light matrix",
        "matrix_note": "↘ worse, ↗ better than at the previous checkpoint",
        "decisions": "Decisions from abort criteria",
        "none": "None.",
        "organisations": "Organisations",
        "surveys": "Feedback and surveys",
        "notifications": "Notifications in the period",
        "indicator": "Indicator",
        "unit": "Unit",
        "target": "Target",
        "actual": "Actual",
        "met": "met",
        "trend": "Trend",
        "organisation": "Organisation",
        "decision": "Decision",
        "lead": "Project lead's decision",
        "comment": "Reason",
        "reasons": "Reasons",
        "cycle": "Cycle",
        "phase": "Phase",
        "steps": "Steps per driver",
        "mitigations": "Mitigations",
        "open": "Open",
        "overdue": "Overdue",
        "question": "Question",
        "answers": "Answers",
        "mean": "Mean",
        "value": "Value",
        "recipient": "Recipient",
        "kind": "Kind",
        "channel": "Channel",
        "status": "Status",
        "count": "Count",
        "yes": "yes",
        "no": "no",
        "no_data": "no data",
        "heatmap": "Lights per organisation and dimension",
        "trends": "Trend against the target",
        "dimension": "Dimension",
        "change": "Change",
        "worse": "worse",
        "better": "better",
    },
}


def words(lang: str) -> dict[str, str]:
    """The headings of a language (German unless English is asked for)."""
    return HEADINGS["en" if lang == "en" else "de"]


def revision_text(revision: int, at: datetime, lang: str) -> str:
    """'Revision 2 vom 03.02.2020 10:15': the checkpoint's evaluation the report shows."""
    stamp = f"{at:%d.%m.%Y %H:%M}" if lang == "de" else f"{at:%Y-%m-%d %H:%M}"
    return words(lang)["revision"].format(revision=revision, at=stamp)


def light_word(light: str, lang: str) -> str:
    """'🟢 grün' and the like."""
    return f"{SYMBOLS.get(light, '')} {label(light, lang)}".strip()


def met_word(met: bool | None, lang: str) -> str:
    """ja / nein / keine Daten."""
    w = words(lang)
    return w["no_data"] if met is None else (w["yes"] if met else w["no"])


def change_arrow(change: str) -> str:
    """↘ for worse, ↗ for better, nothing otherwise."""
    return {"worse": "↘", "better": "↗"}.get(change, "")


TRENDS = {
    "improving": ("↗ besser", "↗ better"),
    "worsening": ("↘ schlechter", "↘ worse"),
    "stable": ("→ gleich", "→ stable"),
}


def trend_word(trend: str, lang: str) -> str:
    """The trend since the previous half-year as arrow and word."""
    de, en = TRENDS.get(trend, ("", ""))
    return de if lang == "de" else en
