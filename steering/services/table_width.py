"""How wide a table artifact renders in the Prefect UI, and cutting long cells so it fits.

Measured on Prefect 3's artifact page at a 1440 px wide window: the navigation (≈ 270 px)
and the details panel (≈ 285 px) leave ≈ 885 px for the table. Its 14 px Inter text
measured 6.6 px per character in names and 7.7 px in a word like "Abbruchprüfung"
(7.5 px taken), a coloured light symbol ≈ 2.5 characters (3 taken), and each column adds
≈ 24 px of padding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

TABLE_PX = 880  # what a table may take at 1440 px, with a little margin
CHAR_PX = 7.5
PADDING_PX = 24
EMOJI_CHARS = 3  # an emoji renders about three characters wide
SHORTEST_CELL = 12  # never cut a column below this many characters


def text_width(text: str) -> int:
    """Width of a cell's text in characters, an emoji counted as EMOJI_CHARS."""
    return sum(EMOJI_CHARS if ord(c) >= 0x1F000 else 1 for c in text)


def column_widths(rows: Sequence[dict[str, str]]) -> dict[str, int]:
    """Each column's widest text (header included), in characters."""
    if not rows:
        return {}
    return {
        column: max(text_width(column), *(text_width(str(r.get(column, ""))) for r in rows))
        for column in rows[0]
    }


def rendered_px(rows: Sequence[dict[str, str]]) -> int:
    """The table's rendered width in pixels (text plus padding per column)."""
    return math.ceil(sum(w * CHAR_PX + PADDING_PX for w in column_widths(rows).values()))


def _cut(text: str, chars: int) -> str:
    if text_width(text) <= chars:
        return text
    kept = ""
    for c in text:
        if text_width(kept + c) > chars - 1:
            break
        kept += c
    return kept.rstrip() + "…"


def fit_rows(rows: list[dict[str, str]], budget_px: int = TABLE_PX) -> list[dict[str, str]]:
    """The rows with the widest column's long cells cut ('…') until the table fits."""
    fitted = [dict(r) for r in rows]
    while fitted and rendered_px(fitted) > budget_px:
        widths = column_widths(fitted)
        column = max(widths, key=lambda c: widths[c])
        over = math.ceil((rendered_px(fitted) - budget_px) / CHAR_PX)
        target = max(widths[column] - over, SHORTEST_CELL, text_width(column))
        if target >= widths[column]:
            break  # nothing left to cut without making the table unreadable
        for row in fitted:
            row[column] = _cut(str(row[column]), target)
    return fitted
