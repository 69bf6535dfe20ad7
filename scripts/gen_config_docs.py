"""Regenerate the key reference in docs/configuration.md from the pydantic schema."""

from __future__ import annotations

import sys
from pathlib import Path

from steering.definition_docs import render_reference

BEGIN = "<!-- BEGIN GENERATED REFERENCE -->"
END = "<!-- END GENERATED REFERENCE -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def updated(text: str) -> str:
    """The document with its generated section replaced by the current reference."""
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{render_reference()}\n{END}{tail}"


if __name__ == "__main__":
    new = updated(DOC.read_text(encoding="utf-8"))
    if "--check" in sys.argv:
        sys.exit(0 if new == DOC.read_text(encoding="utf-8") else 1)
    DOC.write_text(new, encoding="utf-8")
