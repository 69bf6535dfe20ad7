"""The period report as one self-contained HTML file (inline CSS and SVG, no external assets)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import jinja2

from steering.adapters.reports.charts import heatmap, trend
from steering.adapters.reports.texts import (
    light_word,
    met_word,
    revision_text,
    trend_word,
)
from steering.domain.evaluation.light_scale import change_arrow
from steering.domain.reporting.formats import number
from steering.domain.reporting.period import DIMENSIONS, PeriodReport
from steering.domain.vocabulary import label
from steering.i18n import translator


@cache
def _environment(lang: str) -> jinja2.Environment:
    # Autoescape everything: organisation names, notes and reasons come from users.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("steering", "templates/reports"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    # Old-style gettext: a text is escaped like any other value (newstyle would trust it).
    env.install_gettext_translations(translator(lang), newstyle=False)  # type: ignore[attr-defined]
    return env


def render_html(report: PeriodReport) -> str:
    """The report as HTML with a heatmap of the lights and trend charts against targets."""
    return "".join(html_chunks(report))


def html_chunks(report: PeriodReport) -> Iterator[str]:
    """The report's HTML piece by piece (a file can take it without one 26 MB string)."""
    lang = report.lang
    trends = [
        (row.title, chart)
        for row in report.timeline
        if (chart := trend(row, report.periods, lang)) is not None
    ]
    stamp = revision_text(report.revision, report.revised_at, lang)
    return (
        _environment(lang)
        .get_template("period.html.j2")
        .generate(
            r=report,
            lang=lang,
            generated=stamp,
            dims=DIMENSIONS,
            heatmap=heatmap(report.matrix, lang),
            trends=trends,
            dim_label=lambda d: label(d, lang),
            label=lambda v: label(v, lang),
            light_word=lambda v: light_word(v, lang),
            met_word=lambda m: met_word(m, lang),
            met_class=lambda m: "met-none" if m is None else ("met-yes" if m else "met-no"),
            trend_word=lambda t: trend_word(t, lang),
            arrow=change_arrow,
            num=lambda v: "–" if v is None else number(v, lang),
        )
    )
