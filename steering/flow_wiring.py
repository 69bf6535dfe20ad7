"""What flows need from adapters beside steering.bootstrap: definitions, report files, faults."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import InterfaceError, OperationalError

from steering.adapters.config import load_definition
from steering.adapters.reports.writer import default_name, write_report_file
from steering.domain.definition import ProgrammeDefinition
from steering.domain.reporting.period import PeriodReport
from steering.ports import StoreUnavailable


def read_definition(path: str) -> ProgrammeDefinition:
    """The validated programme definition at `path`."""
    return load_definition(path)


def write_period_report(report: PeriodReport, fmt: str, folder: Path) -> Path:
    """Write `report` as `fmt` under its default name in `folder`; the written file."""
    return write_report_file(report, fmt, folder / default_name(report, fmt))[0]


def store_unreachable(error: BaseException) -> bool:
    """Whether `error` means our store could not be reached (locked, connection refused)."""
    return isinstance(error, (OperationalError, InterfaceError, StoreUnavailable))
