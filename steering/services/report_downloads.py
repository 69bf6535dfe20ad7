"""The lead's downloads: the Sachbericht (HTML, XLSX, CSV) and the checkpoint report as bytes."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from steering.domain.definition import ProgrammeDefinition
from steering.ports.publishing import ReportWriter
from steering.ports.store import UnitOfWork
from steering.services.period_report import ReportUnavailable, period_report

SACHBERICHT_FORMATS = ("html", "xlsx", "csv")
_MEDIA = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",  # one CSV file per part, zipped
    "md": "text/markdown; charset=utf-8",
}


@dataclass(frozen=True)
class Download:
    """A file to hand out: its name, content and media type."""

    name: str
    content: bytes
    media_type: str


def report_path(portal_url: str, period: str, name: str) -> str:
    """The portal address where the lead downloads a report of the period."""
    return f"{portal_url.rstrip('/')}/reports/{period}/{name}"


def link_target(portal_url: str | None, period: str, name: str, path: Path) -> str:
    """Where a report link points: into the portal when it is configured, else the file."""
    return report_path(portal_url, period, name) if portal_url else path.resolve().as_uri()


def _known(definition: ProgrammeDefinition, period: str) -> None:
    if period not in {p.id for p in definition.programme.periods}:
        raise ReportUnavailable(period)


def sachbericht(
    definition: ProgrammeDefinition,
    *,
    uow_factory: Callable[[], UnitOfWork],
    writer: ReportWriter,
    period: str,
    fmt: str,
    lang: str,
) -> Download:
    """The period's Sachbericht as the checkpoint stored it, in `fmt` (CSV parts as a ZIP)."""
    _known(definition, period)
    if fmt not in SACHBERICHT_FORMATS:
        raise ValueError(fmt)
    report = period_report(definition, uow_factory=uow_factory, period=period, lang=lang)
    with tempfile.TemporaryDirectory(prefix="sachbericht-") as folder:
        name = writer.default_name(report, fmt)
        written = writer.write(report, fmt, Path(folder) / name)
        if fmt != "csv":
            return Download(written[0].name, written[0].read_bytes(), _MEDIA[fmt])
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in written:
                archive.write(part, part.name)
        return Download(f"{name}.zip", packed.getvalue(), _MEDIA["csv"])


def checkpoint_report(definition: ProgrammeDefinition, *, data_dir: Path, period: str) -> Download:
    """The checkpoint report (Markdown) the period's checkpoint wrote."""
    _known(definition, period)
    path = data_dir / "reports" / f"{definition.programme.id}-{period}.md"
    if not path.is_file():
        raise ReportUnavailable(period)
    return Download(path.name, path.read_bytes(), _MEDIA["md"])
