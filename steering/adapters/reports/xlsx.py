"""The period report as an Excel workbook: one sheet per part, German formats, light colours."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from steering.adapters.reports.safety import neutralise
from steering.adapters.reports.tables import parts
from steering.adapters.reports.texts import COLOURS
from steering.services.period_report import PeriodReport

# Excel shows these with the reader's locale: 1.234,56 in a German Excel.
_NUMBER = "#,##0.00"
_INTEGER = "#,##0"


def write_xlsx(report: PeriodReport, path: Path) -> Path:
    """Write the workbook (atomically) and return its path."""
    book = Workbook()
    book.remove(book.active)
    for part in parts(report):
        sheet = book.create_sheet(part.sheet(report.lang))
        sheet.append([neutralise(h) for h in part.header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DCE6F1")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(part.rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=neutralise(value))
                if isinstance(value, float):
                    cell.number_format = _INTEGER if value.is_integer() else _NUMBER
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.number_format = _INTEGER
                light = part.lights[r - 2][c - 1] if part.lights else None
                if light:
                    cell.fill = PatternFill("solid", fgColor=COLOURS[light])
        sheet.freeze_panes = "B2"
        for c, header in enumerate(part.header, start=1):
            longest = max(
                [len(str(header))] + [len(str(row[c - 1] or "")) for row in part.rows[:200]]
            )
            sheet.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 10), 60)
    meta = book.create_sheet("Info")
    meta.append(["Programm" if report.lang == "de" else "Programme", neutralise(report.title)])
    meta.append(["Zeitraum" if report.lang == "de" else "Period", report.period])
    meta.append(["Checkpoint", report.checkpoint])
    stamp = meta.cell(row=4, column=2, value=report.generated_at.replace(tzinfo=None))
    meta.cell(row=4, column=1, value="Erstellt (UTC)" if report.lang == "de" else "Generated (UTC)")
    stamp.number_format = "DD.MM.YYYY HH:MM"
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    book.save(temporary)
    temporary.replace(path)
    return path
