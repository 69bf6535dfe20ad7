"""The period report as an Excel workbook: one sheet per part, German formats, light colours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from steering.adapters.reports.safety import neutralise
from steering.adapters.reports.tables import parts
from steering.adapters.reports.texts import COLOURS
from steering.services.period_report import PeriodReport

# Excel shows these with the reader's locale: 1.234,56 in a German Excel.
_NUMBER = "#,##0.00"
_INTEGER = "#,##0"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_WRAP = Alignment(wrap_text=True, vertical="top")
_FILLS = {light: PatternFill("solid", fgColor=colour) for light, colour in COLOURS.items()}


def _cell(sheet: WriteOnlyWorksheet, value: Any, light: str | None) -> WriteOnlyCell:
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
    de = report.lang == "de"
    meta.append(["Programm" if de else "Programme", neutralise(report.title)])
    meta.append(["Zeitraum" if de else "Period", report.period])
    meta.append(["Checkpoint", report.checkpoint])
    stamp = WriteOnlyCell(meta, value=report.generated_at.replace(tzinfo=None))
    stamp.number_format = "DD.MM.YYYY HH:MM"
    meta.append(["Erstellt (UTC)" if de else "Generated (UTC)", stamp])
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    book.save(temporary)
    temporary.replace(path)
    return path
