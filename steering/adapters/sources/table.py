"""Map a CSV/XLSX table (long or wide format) onto indicator rows and validate them."""

from __future__ import annotations

import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.found import found_columns
from steering.adapters.sources.frame import Table, TableOptions, read_table
from steering.adapters.sources.messages import msg
from steering.adapters.sources.result import FileProblem, ImportRow, RowError
from steering.adapters.sources.textfile import SEPARATORS
from steering.adapters.sources.validate import RAW_COLUMNS, split_duplicates, validate_frame
from steering.domain.definition.sources import TableSource
from steering.gc_pause import gc_paused
from steering.i18n import ntr

FIELDS = ("indicator", "organisation", "period", "value", "note")
# Rows validated at a time: bounds the frames' memory on files of a million lines.
CHUNK_ROWS = 100_000


def _options(source: TableSource) -> TableOptions:
    return TableOptions(
        source.format, source.encoding, source.separator, source.decimal, source.sheet
    )


def _configured(source: TableSource) -> dict[str, str]:
    mapping = source.columns.model_dump()
    return {name: mapping[name] for name in FIELDS if mapping[name]}


def _positions(table: Table, wanted: list[str], lang: str) -> dict[str, int]:
    found = found_columns(table.header, lang)
    if len(table.header) == 1 and any(sep in table.header[0] for sep in SEPARATORS):
        found += f" ({msg('hint_separator', lang)})"
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for name in wanted:
        matches = table.position(name)
        if not matches:
            errors.append(
                RowError(0, name, "", msg("missing_column", lang, column=name, found=found), lang)
            )
        elif len(matches) > 1:
            shown = ", ".join(str(m + 1) for m in matches)
            errors.append(
                RowError(
                    0, name, "", msg("ambiguous_column", lang, column=name, positions=shown), lang
                )
            )
        else:
            positions[name] = matches[0]
    if errors:
        raise FileProblem(errors)
    return positions


def _check_fixed(source: TableSource, catalog: Catalog) -> list[RowError]:
    lang = catalog.lang
    checks = [(f"fixed.{k}", v, k) for k, v in source.fixed.items()]
    checks += [(f"value_columns.{c}", key, "indicator") for c, key in source.value_columns.items()]
    errors = []
    for label, text, kind in checks:
        _, reason = getattr(catalog, kind)(text)
        if reason:
            errors.append(
                RowError(0, "", text, msg("fixed_invalid", lang, field=label, reason=reason), lang)
            )
    return errors


def _raw_frame(
    table: Table, frame: pd.DataFrame, source: TableSource, positions: dict[str, int]
) -> pd.DataFrame:
    columns = _configured(source)
    fixed: dict[str, str] = {str(k): v for k, v in source.fixed.items()}
    base = pd.DataFrame({"line": frame.index.to_numpy()}, index=frame.index)
    for name in ("indicator", "organisation", "period", "note"):
        if name in columns:
            base[name] = frame[positions[columns[name]]]
        else:
            base[name] = fixed.get(name, "")
    pairs = list(source.value_columns.items()) or [(columns["value"], base["indicator"])]
    parts = []
    for order, (column, indicator) in enumerate(pairs):
        part = base.assign(
            indicator=indicator,
            value=frame[positions[column]],
            value_column=table.header[positions[column]],
            order=order,
        )
        parts.append(part)
    # A frame's lines ascend already; only several value columns need interleaving.
    raw = (
        parts[0]
        if len(parts) == 1
        else pd.concat(parts).sort_values(["line", "order"], kind="stable")
    )
    raw = raw[raw["value"].str.strip() != ""]
    broken = set(table.overflow) | set(table.short)
    return raw[~raw["line"].isin(broken)][list(RAW_COLUMNS)]


def _formula_errors(table: Table, positions: dict[str, int], lang: str) -> list[RowError]:
    used = set(positions.values())
    return [
        RowError(
            line,
            table.header[col],
            formula,
            msg("formula_without_value", lang, formula=formula),
            lang,
        )
        for (line, col), formula in sorted(table.formulas.items())
        if col in used
    ]


def read_table_source(
    raw: bytes, source: TableSource, catalog: Catalog, *, chunk_rows: int = CHUNK_ROWS
) -> tuple[list[ImportRow], list[RowError]]:
    """Read, map and validate a table source; file-level problems raise FileProblem."""
    with gc_paused():
        return _read_table_source(raw, source, catalog, chunk_rows)


def _read_table_source(
    raw: bytes, source: TableSource, catalog: Catalog, chunk_rows: int
) -> tuple[list[ImportRow], list[RowError]]:
    lang = catalog.lang
    if fixed_errors := _check_fixed(source, catalog):
        raise FileProblem(fixed_errors)
    columns = _configured(source)
    wanted = list(columns.values()) + list(source.value_columns)
    values = [columns["value"]] if "value" in columns else list(source.value_columns)
    table = read_table(raw, _options(source), lang, expected=wanted, values=values)
    positions = _positions(table, wanted, lang)
    errors = _formula_errors(table, positions, lang)
    errors += [
        RowError(
            line,
            "",
            "",
            msg(
                "too_many_fields",
                lang,
                count=count,
                expected=len(table.header),
                sep=table.separator,
            ),
            lang,
        )
        for line, count in sorted(table.overflow.items())
    ] + [
        RowError(
            line,
            "",
            "",
            ntr(
                "{n} field, the header has {expected}; was the line written with another "
                "separator than '{sep}'?",
                "{n} fields, the header has {expected}; was the line written with another "
                "separator than '{sep}'?",
                count,
                lang,
                expected=len(table.header),
                sep=table.separator,
            ),
            lang,
        )
        for line, count in sorted(table.short.items())
    ]
    labels = {name: table.header[positions[columns[name]]] for name in columns if name != "value"}
    labels.setdefault("indicator", "")
    labels.setdefault("organisation", "")
    labels.setdefault("period", "")
    rows, row_errors = _validated(table, source, positions, catalog, labels, chunk_rows)
    errors += row_errors
    errors.sort(key=lambda e: e.line)
    return rows, errors


def _validated(
    table: Table,
    source: TableSource,
    positions: dict[str, int],
    catalog: Catalog,
    labels: dict[str, str],
    chunk_rows: int,
) -> tuple[list[ImportRow], list[RowError]]:
    """Validate the table chunk by chunk, then find values given twice across chunks."""
    chunks: list[list[ImportRow]] = []
    errors: list[RowError] = []
    for frame in table.drain(chunk_rows):
        rows, row_errors = validate_frame(
            _raw_frame(table, frame, source, positions),
            catalog,
            decimal=table.decimal,
            labels=labels,
        )
        chunks.append(rows)
        errors += row_errors
    rows = [row for chunk in reversed(chunks) for row in chunk]  # drained from the end
    del chunks
    kept, doubles = split_duplicates(rows, catalog.lang)
    return kept, errors + doubles
