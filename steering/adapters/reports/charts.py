"""Inline SVG charts (no external assets): traffic-light heatmap and trends against targets."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from steering.adapters.reports.texts import COLOURS, light_word
from steering.domain.reporting.period import DIMENSIONS, MatrixRow, TimelineRow
from steering.domain.vocabulary import label
from steering.i18n import localise_number


def heatmap(rows: list[MatrixRow], lang: str) -> Markup:
    """Organisations (rows) x dimensions (columns), each cell in its light's colour."""
    label_width, cell_w, cell_h, top = 330, 110, 24, 28
    width = label_width + cell_w * len(DIMENSIONS)
    height = top + cell_h * len(rows) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="heatmap">'
    ]
    for i, dim in enumerate(DIMENSIONS):
        x = label_width + i * cell_w + cell_w / 2
        parts.append(
            f'<text x="{x}" y="18" text-anchor="middle" font-weight="bold">'
            f"{escape(label(dim, lang))}</text>"
        )
    for r, row in enumerate(rows):
        y = top + r * cell_h
        name = row.name if len(row.name) <= 48 else row.name[:47] + "…"
        parts.append(f'<text x="4" y="{y + 16}">{escape(name)}</text>')
        for i, dim in enumerate(DIMENSIONS):
            light = row.lights.get(dim)
            colour = COLOURS.get(light or "", "FFFFFF")
            x = label_width + i * cell_w
            title = f"{row.name} · {label(dim, lang)}: " + (
                f"{light_word(light, lang)} – {row.reasons.get(dim, '')}" if light else "–"
            )
            parts.append(
                f'<rect x="{x + 2}" y="{y + 2}" width="{cell_w - 4}" height="{cell_h - 4}" '
                f'rx="3" fill="#{colour}"><title>{escape(title)}</title></rect>'
            )
            if light:
                parts.append(
                    f'<text x="{x + cell_w / 2}" y="{y + 16}" text-anchor="middle" '
                    f'font-size="11">{escape(label(light, lang))}</text>'
                )
    parts.append("</svg>")
    return Markup("".join(parts))


def trend(row: TimelineRow, periods: list[str], lang: str) -> Markup | None:
    """Actual values per half-year as a line, the target band shaded; None without 2 values."""
    points = [(i, row.cells[p]) for i, p in enumerate(periods) if p in row.cells]
    values = [(i, c.actual) for i, c in points if c.actual is not None]
    if row.scope != "programme" or len(values) < 2:
        return None
    bounds = [
        b for _, c in points for b in (c.lower, c.upper) if b is not None and math.isfinite(b)
    ]
    low = min([v for _, v in values if v is not None] + bounds)
    high = max([v for _, v in values if v is not None] + bounds)
    if high == low:
        high = low + 1
    pad = (high - low) * 0.1
    low, high = low - pad, high + pad
    width, height, left, bottom = 360, 150, 46, 24
    step = (width - left - 34) / max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return 8 + (height - bottom - 8) * (1 - (v - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" class="trend">',
        f"<title>{escape(row.title)}</title>",
    ]
    for i, cell in points:
        lower = cell.lower if cell.lower is not None and math.isfinite(cell.lower) else low
        upper = cell.upper if cell.upper is not None and math.isfinite(cell.upper) else high
        parts.append(
            f'<rect x="{x(i) - step / 2 + 1:.1f}" y="{y(upper):.1f}" width="{step - 2:.1f}" '
            f'height="{max(y(lower) - y(upper), 1):.1f}" fill="#2E9E44" opacity="0.15"/>'
        )
    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in values if v is not None)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1f4e79" stroke-width="2"/>')
    for i, v in values:
        if v is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="#1f4e79"/>')
    for i, period in enumerate(periods):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle" font-size="10">'
            f"{escape(period)}</text>"
        )
    for v in (low + pad, high - pad):
        text = localise_number(f"{v:,.1f}", lang)
        parts.append(
            f'<text x="{left - 4}" y="{y(v) + 3:.1f}" text-anchor="end" font-size="10">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
