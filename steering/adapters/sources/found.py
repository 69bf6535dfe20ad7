"""The header cells a message may show: column names, never a file's content."""

from __future__ import annotations

import re
from collections.abc import Sequence

from steering.adapters.sources.messages import msg
from steering.adapters.sources.textfile import SEPARATORS

MAX_NAME_CHARS = 120  # survey questions are column names too
MAX_SHOWN = 30
# key=value, user:password, scheme://, long tokens: content of a secret file, not a name.
_NOT_A_NAME = re.compile(r"[=\x00-\x1f\x7f]|\S:\S|://|\S{41,}")


def looks_like_column_name(cell: str) -> bool:
    """Short, printable, and nothing like 'KEY=value' or 'root:*:0:0'."""
    return 0 < len(cell) <= MAX_NAME_CHARS and cell.isprintable() and not _NOT_A_NAME.search(cell)


def _shown(cell: str) -> str | None:
    """The cell as a message shows it, or None; a row read with the wrong separator is one
    cell of names ('Kennzahl\\tWert'), shown with its tabs written out."""
    if looks_like_column_name(cell):
        return cell
    for separator in SEPARATORS:
        parts = [part.strip() for part in cell.split(separator)]
        if len(parts) > 1 and all(looks_like_column_name(p) for p in parts if p):
            return cell.replace("\t", "\\t")
    return None


def found_columns(header: Sequence[str], lang: str) -> str:
    """'Kennzahl, Wert' for a message; other cells are counted, not shown."""
    cells = [str(cell).strip() for cell in header if str(cell).strip()]
    names = [shown for cell in cells if (shown := _shown(cell)) is not None]
    hidden = len(cells) - len(names)
    if not names:
        return msg("no_column_names", lang) if cells else "—"
    shown = ", ".join(names[:MAX_SHOWN]) + (" …" if len(names) > MAX_SHOWN else "")
    if hidden:
        shown += " " + msg("hidden_cell" if hidden == 1 else "hidden_cells", lang, count=hidden)
    return shown
