"""Bulk inserts through the driver's executemany, with SQLAlchemy's type conversions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert


def insert_many(
    connection: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    constants: Mapping[str, Any],
) -> None:
    """Insert `rows` (same keys each) plus `constants` shared by every row."""
    if not rows:
        return
    columns = {name: [row[name] for row in rows] for name in rows[0]}
    insert_columns(connection, table, columns, constants=constants)


def insert_columns(
    connection: Connection,
    table: Table,
    columns: Mapping[str, Sequence[Any]],
    *,
    constants: Mapping[str, Any],
) -> None:
    """Insert rows given column by column (lists of equal length) plus shared `constants`.

    SQLAlchemy's executemany converts every bound value of every row in Python, which costs
    seconds per 100,000 rows; here each column's converter runs only where it exists, and
    the constants are converted once.
    """
    count = len(next(iter(columns.values()), ()))
    if not count:
        return
    dialect = connection.dialect
    names = [*constants, *columns]
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    converted: dict[str, Sequence[Any]] = {}
    for name in names:
        # The dialect's own type (JSON on PostgreSQL adapts dicts; the generic one does not).
        kind = table.c[name].type
        convert = kind.dialect_impl(dialect).bind_processor(dialect)
        if name in constants:
            value = constants[name]
            converted[name] = [convert(value) if convert else value] * count
        else:
            values = columns[name]
            converted[name] = list(map(convert, values)) if convert else values
    # One list per column, zipped into rows only at the end.
    if compiled.positional:
        order = list(compiled.positiontup or [])
        parameters: list[Any] = list(zip(*(converted[name] for name in order), strict=True))
    else:
        parameters = [
            dict(zip(names, values, strict=True))
            for values in zip(*(converted[name] for name in names), strict=True)
        ]
    connection.exec_driver_sql(compiled.string, parameters)
