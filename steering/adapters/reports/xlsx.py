"""The period report as an Excel workbook: one sheet per part, German formats, light colours."""

from __future__ import annotations

from datetime import UTC
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from steering.adapters.files.atomic import replacing
from steering.adapters.reports.safety import neutralise
from steering.adapters.reports.tables import parts
from steering.adapters.reports.texts import COLOURS
from steering.domain.reporting.period import PeriodReport
from steering.i18n import tr

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

# Excel shows these with the reader's locale: 1.234,56 in a German Excel.
_NUMBER = "#,##0.00"
_INTEGER = "#,##0"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FILLS = {light: PatternFill("solid", fgColor=colour) for light, colour in COLOURS.items()}


class _StampedZip(ZipFile):
    """A zip whose entries all carry one given time instead of the time of writing."""

    def __init__(self, path: Path, stamp: tuple[int, int, int, int, int, int]) -> None:
        super().__init__(path, "w", ZIP_DEFLATED, allowZip64=True)
        self._stamp = stamp

    def write(
        self,
        filename: str | PathLike[str],
        arcname: str | PathLike[str] | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Add a file's bytes under `arcname`, stamped like every other entry."""
        data = Path(filename).read_bytes()
        self.writestr(str(arcname or filename), data, compress_type, compresslevel)

    def writestr(
        self,
        zinfo_or_arcname: str | ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Add bytes under a name, stamped with the given time."""
        if isinstance(zinfo_or_arcname, str):
            info = ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


def _cell(sheet: WriteOnlyWorksheet, value: Any, light: str | None) -> Any:
    if light is None and (value is None or isinstance(value, str | bool)):
        # A plain value is written like an unstyled cell, without making one (200,000 of
        # them at 10,000 organisations).
        return neutralise(value)
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if isinstance(value, float):
        cell.number_format = _INTEGER if value.is_integer() else _NUMBER
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = _INTEGER
    if light:
        cell.fill = _FILLS[light]
    return cell


def write_xlsx(report: PeriodReport, path: Path) -> Path:
    """Write the workbook (atomically, streaming: large programmes stay fast) and return it."""
    book = Workbook(write_only=True)
    for part in parts(report):
        sheet = book.create_sheet(part.sheet(report.lang))
        sheet.freeze_panes = "B2"
        for c, header in enumerate(part.header, start=1):
            longest = max(
                [len(str(header))] + [len(str(row[c - 1] or "")) for row in part.rows[:200]]
            )
            sheet.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 10), 60)
        headers = []
        for header in part.header:
            cell = WriteOnlyCell(sheet, value=neutralise(header))
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
            headers.append(cell)
        sheet.append(headers)
        for r, row in enumerate(part.rows):
            lights = part.lights[r] if part.lights else [None] * len(row)
            sheet.append([_cell(sheet, v, light) for v, light in zip(row, lights, strict=True)])
    meta = book.create_sheet("Info")
    meta.append([tr("Programme", report.lang), neutralise(report.title)])
    meta.append([tr("Period", report.lang), report.period])
    meta.append(["Checkpoint", report.checkpoint])
    meta.append(["Revision", report.revision])
    stamp = WriteOnlyCell(meta, value=report.revised_at.replace(tzinfo=None))
    stamp.number_format = "DD.MM.YYYY HH:MM"
    zone = str(report.revised_at.tzinfo)
    meta.append([tr("As of ({zone})", report.lang, zone=zone), stamp])
    # No date of writing goes into the file: the same revision gives the same bytes.
    made = report.revised_at.astimezone(UTC).replace(tzinfo=None)  # Excel assumes UTC
    book.properties.created = book.properties.modified = made
    at = report.revised_at
    stamp = (at.year, at.month, at.day, at.hour, at.minute, at.second)
    with replacing(path) as temporary:
        ExcelWriter(book, _StampedZip(temporary, stamp)).save()
    return path
