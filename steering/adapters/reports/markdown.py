"""The period report as Markdown (also published as a Prefect artifact)."""

from __future__ import annotations

from steering.adapters.reports.texts import (
    light_word,
    met_word,
    revision_text,
    trend_word,
    words,
)
from steering.domain.evaluation.light_scale import alarming, change_arrow
from steering.domain.reporting.formats import number
from steering.domain.reporting.period import DIMENSIONS, PeriodReport
from steering.domain.vocabulary import label
from steering.markup import md_text


def _cell(text: object) -> str:
    """User text (names, reasons, comments): one line, no HTML, links, images or emphasis."""
    return md_text(text)


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def render_markdown(report: PeriodReport) -> str:
    """All parts of the report, in the order a funder reads them."""
    w = words(report.lang)
    lang = report.lang
    stamp = revision_text(report.revision, report.revised_at, lang)
    lines = [
        f"# {w['report']} {report.period} – {_cell(report.title)}",
        "",
        f"{w['period']}: {report.period} · "
        f"{w['as_of']}: {w['checkpoint']} `{report.checkpoint}`, {stamp}"
        + (f" · {w['funder']}: {_cell(report.funder)}" if report.funder else ""),
        "",
        f"## {w['timeline']}",
        "",
    ]
    header = [
        w["indicator"],
        *[f"{p} {w['target']} / {w['actual']}" for p in report.periods],
        w["trend"],
    ]
    rows: list[list[object]] = []
    for row in report.timeline:
        cells = []
        for period in report.periods:
            cell = row.cells.get(period)
            cells.append(
                "" if cell is None else f"{cell.target} / {cell.shown} ({met_word(cell.met, lang)})"
            )
        rows.append([row.title, *cells, trend_word(row.trend, lang)])
    lines += _table(header, rows)
    lines += ["", f"## {w['matrix']}", "", f"_{w['matrix_note']}_", ""]
    lines += _table(
        [w["organisation"], *[label(d, lang) for d in DIMENSIONS], w["decision"]],
        [
            [
                m.name,
                *[
                    (
                        light_word(m.lights[d], lang) + " " + change_arrow(m.changes.get(d, ""))
                    ).strip()
                    if d in m.lights
                    else "–"
                    for d in DIMENSIONS
                ],
                label(m.decision, lang),
            ]
            for m in report.matrix
        ],
    )
    lines += ["", f"### {w['reasons']}", ""]
    for m in report.matrix:
        for dim in DIMENSIONS:
            if alarming(m.lights.get(dim)):
                lines.append(
                    f"- **{_cell(m.name)}** · {label(dim, lang)} · {_cell(m.reasons[dim])}"
                )
    lines += ["", f"## {w['decisions']}", ""]
    lines += [f"- {_cell(d)}" for d in report.decisions] or [w["none"]]
    lines += ["", f"## {w['organisations']}", ""]
    for part in report.organisations:
        lines += [
            f"### {_cell(part.name)}",
            "",
            f"- {w['cycle']} {part.cycle}, {w['phase']}: {_cell(part.phase)}",
            f"- {w['steps']}: "
            + ("; ".join(f"{d} {done}/{total}" for d, done, total in part.drivers) or "–"),
            f"- {w['decision']}: {label(part.decision, lang)}"
            + (f" ({_cell('; '.join(part.matched))})" if part.matched else ""),
        ]
        if part.lead_decision:
            lines.append(f"- {w['lead']}: {_cell(part.lead_decision)} – {_cell(part.lead_comment)}")
        lines += [f"- {w['mitigations']}: {_cell(m)}" for m in part.mitigations]
        lines += [f"- {w['overdue']}: {_cell(i)}" for i in part.overdue_items]
        lines += [f"- {w['open']}: {_cell(i)}" for i in part.open_items]
        lines.append("")
    lines += [f"## {w['surveys']}", ""]
    for survey in report.surveys:
        lines += [f"### {_cell(survey.title)}", ""]
        lines += _table(
            [w["organisation"], w["indicator"], w["value"]],
            [[o, t, "–" if v is None else number(v, lang)] for o, t, v in survey.figures],
        )
        if survey.distribution:
            scale = range(survey.scale[0], survey.scale[1] + 1)
            lines.append("")
            lines += _table(
                [w["question"], w["answers"], w["mean"], *[f"{v:+d}" for v in scale]],
                [
                    [
                        d["question"],
                        d["count"],
                        "–" if d["mean"] is None else number(d["mean"], lang),
                        *[d["counts"][v] for v in scale],
                    ]
                    for d in survey.distribution
                ],
            )
        lines.append("")
    lines += [f"## {w['notifications']}", ""]
    lines += (
        _table(
            [w["recipient"], w["kind"], w["channel"], w["status"], w["count"]],
            [
                [n["recipient"], n["kind"], n["channel"], n["status"], n["count"]]
                for n in report.notifications
            ],
        )
        if report.notifications
        else [w["none"]]
    )
    return "\n".join(lines) + "\n"
