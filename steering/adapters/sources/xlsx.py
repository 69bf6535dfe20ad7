"""Read one sheet of an XLSX workbook into records (values of formulas, Excel row numbers)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from steering.adapters.sources.messages import msg
from steering.adapters.sources.result import FileProblem, RowError
from steering.adapters.sources.textfile import Records

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _problem(lang: str, key: str, **params: object) -> FileProblem:
    return FileProblem([RowError(0, "", "", msg(key, lang, **params), lang)])


def _open(raw: bytes, *, data_only: bool, lang: str) -> Any:
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except Exception:  # zipfile, KeyError, openpyxl's own: all mean "not a workbook"
        raise _problem(lang, "not_xlsx") from None


def _is_formula(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith("=")


def _pick_sheet(workbook: Any, sheet: str | None, lang: str) -> str:
    names: list[str] = list(workbook.sheetnames)
    if sheet is not None:
        if sheet in names:
            return str(sheet)
        folded = [name for name in names if name.casefold() == sheet.strip().casefold()]
        if folded:
            return folded[0]
        raise _problem(lang, "sheet_missing", sheet=sheet, found=", ".join(names))
    visible = [str(ws.title) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    if not visible:
        raise _problem(lang, "no_visible_sheet")
    return visible[0]


def xlsx_records(raw: bytes, sheet: str | None, lang: str) -> Records:
    """Rows of the configured (or first visible) sheet; formulas give their stored results."""
    values_book = _open(raw, data_only=True, lang=lang)
    formula_book = _open(raw, data_only=False, lang=lang)
    try:
        name = _pick_sheet(values_book, sheet, lang)
        values_sheet, formula_sheet = values_book[name], formula_book[name]
        values_sheet.reset_dimensions()
        formula_sheet.reset_dimensions()
        records = Records([], [])
        pairs = zip(
            values_sheet.iter_rows(min_row=1, values_only=True),
            formula_sheet.iter_rows(min_row=1, values_only=True),
            strict=False,
        )
        for line, (values, formulas) in enumerate(pairs, start=1):
            row: list[object] = list(values)
            found = {
                col: formula
                for col, formula in enumerate(formulas)
                if col < len(row) and row[col] is None and _is_formula(formula)
            }
            if not found and all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
                continue
            records.formulas.update({(line, col): str(f) for col, f in found.items()})
            records.rows.append(row)
            records.lines.append(line)
        return records
    finally:
        values_book.close()
        formula_book.close()
