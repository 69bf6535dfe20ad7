"""Rich renderings shared by CLI commands: the traffic-light matrix."""

from __future__ import annotations

from rich.table import Table

from steering.domain.evaluation.explain import explain
from steering.domain.evaluation.light_scale import SYMBOLS, alarming
from steering.domain.vocabulary import label
from steering.i18n import tr
from steering.services.presentation import decision_text
from steering.services.status import DIMENSIONS, ProgrammeStatus

STYLES = {"green": "green", "yellow": "yellow", "red": "bold red", "no_data": "dim"}


def light_cell(light: str | None, lang: str) -> str:
    """A light as colour symbol and word, e.g. '🔴 rot'."""
    if light is None:
        return "[dim]–[/dim]"
    return f"[{STYLES[light]}]{SYMBOLS[light]} {label(light, lang)}[/{STYLES[light]}]"


def matrix_table(status: ProgrammeStatus, lang: str) -> Table:
    """Organisations x dimensions with lights, plus the abort decision."""
    title = tr(
        "Traffic-light matrix {period} – {title}", lang, period=status.period, title=status.title
    )
    table = Table(title=title, title_justify="left")
    table.add_column("Organisation", overflow="fold")
    for dimension in DIMENSIONS:
        table.add_column(label(dimension, lang))
    table.add_column(tr("Decision", lang))
    for row in status.rows:
        decision = row.decision
        shown = decision_text(decision, row.lead, lang)
        if row.lead is not None:  # decided: no longer calls for attention
            shown = f"[dim]{shown}[/dim]" if row.lead.aborted else shown
        elif decision in ("escalate", "abort_review"):
            shown = f"[bold red]{shown}[/bold red]"
        elif decision == "watch":
            shown = f"[yellow]{shown}[/yellow]"
        table.add_row(
            f"[bold]{row.name}[/bold]" if not row.organisation else row.organisation,
            *(light_cell(row.lights.get(d), lang) for d in DIMENSIONS),
            shown,
        )
    return table


def reason_lines(status: ProgrammeStatus, lang: str) -> list[str]:
    """One line per red or yellow light: organisation, dimension and why."""
    lines = []
    for row in status.rows:
        for dimension in DIMENSIONS:
            light = row.lights.get(dimension)
            if alarming(light):
                why = explain(row.reasons[dimension], light, lang)
                lines.append(f"{row.organisation or row.name} · {label(dimension, lang)} · {why}")
    return lines


def lead_lines(status: ProgrammeStatus, lang: str) -> list[str]:
    """One line per organisation the lead decided on: decision, period, who, when, why."""
    return [f"{row.organisation} · {row.lead.text(lang)}" for row in status.rows if row.lead]
