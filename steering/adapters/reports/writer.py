"""Write a period report in one of the formats: md, html, xlsx, csv (a folder of files)."""

from __future__ import annotations

from pathlib import Path

from steering.adapters.files.atomic import write_chunks, write_text
from steering.adapters.reports.csv_files import write_csv
from steering.adapters.reports.html import html_chunks
from steering.adapters.reports.markdown import render_markdown
from steering.adapters.reports.xlsx import write_xlsx
from steering.domain.reporting.period import PeriodReport

FORMATS = ("md", "html", "xlsx", "csv")


def write_report_file(
    report: PeriodReport, fmt: str, out: Path, *, dialect: str = "de"
) -> list[Path]:
    """The written files (one, or one per part for CSV: into the folder `out`, or next to
    an `out` ending in .csv as `<stem>-<part>.csv`)."""
    if fmt == "md":
        return [write_text(out, render_markdown(report))]
    if fmt == "html":
        return [write_chunks(out, html_chunks(report))]
    if fmt == "xlsx":
        return [write_xlsx(report, out)]
    if fmt == "csv":
        return write_csv(report, out, dialect=dialect)
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def default_name(report: PeriodReport, fmt: str) -> str:
    """e.g. 'digital-und-sozial-2019-H2-sachbericht.html' (a folder name for CSV)."""
    stem = f"{report.programme_id}-{report.period}-sachbericht"
    return stem if fmt == "csv" else f"{stem}.{fmt}"
