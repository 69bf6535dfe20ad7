"""Use case: write a checkpoint report file into the data directory."""

from __future__ import annotations

from pathlib import Path


def write_report(data_dir: Path, programme_id: str, period: str, markdown: str) -> Path:
    """Write the Markdown report atomically and return its path."""
    folder = data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{programme_id}-{period}.md"
    temporary = path.with_suffix(".md.tmp")
    temporary.write_text(markdown, encoding="utf-8")
    temporary.replace(path)
    return path
