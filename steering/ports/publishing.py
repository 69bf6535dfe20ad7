"""Where results go: the artifact publisher (Prefect) and the period report writers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from steering.domain.reporting.period import PeriodReport
from steering.ports.store import UnitOfWork

# key -> (rows, description)
Tables = Mapping[str, tuple[list[dict[str, Any]], str]]
# key -> (markdown or percent done, description)
Documents = Mapping[str, tuple[str, str]]
Progress = Mapping[str, tuple[float, str]]


class Publisher(Protocol):
    """Publishes results under stable keys for people to look at (Prefect artifacts)."""

    def tables(self, tables: Tables) -> None:
        """Publish tables: key -> (rows, description)."""
        ...

    def markdown(self, documents: Documents) -> None:
        """Publish Markdown documents: key -> (markdown, description)."""
        ...

    def link(self, key: str, link: str, text: str, description: str) -> None:
        """Publish a link (e.g. to a written report file)."""
        ...

    def progress(self, items: Progress) -> None:
        """Publish progress bars: key -> (percent done, description)."""
        ...


class ReportWriter(Protocol):
    """Writes a period report as files: md, html, xlsx, csv (a folder of files)."""

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats it writes."""
        ...

    def default_name(self, report: PeriodReport, fmt: str) -> str:
        """The report's file name in `fmt` (a folder name for CSV)."""
        ...

    def write(
        self, report: PeriodReport, fmt: str, out: Path, *, dialect: str = "de"
    ) -> list[Path]:
        """Write the report to `out`; the written files (one per part for CSV)."""
        ...


@dataclass(frozen=True)
class Publishing:
    """Where results go: the publisher, the report writer and the data directory."""

    publisher: Publisher
    writer: ReportWriter
    uow_factory: Callable[[], UnitOfWork]
    data_dir: Path
    # Status artifacts: 'auto', 'all' or 'attention' (see Settings.status_artifacts).
    status_mode: str = "auto"
    status_all_up_to: int = 50
    # At most this many organisations in a large programme's summary and matrix artifacts.
    summary_organisations: int = 100
    # Report links point at the portal's downloads when it has an address, else at the files.
    portal_url: str | None = None
