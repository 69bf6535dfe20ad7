"""The one place that chooses adapters: database, notifier, sources, from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

# Entry points reach these adapters only through the composition root.
from steering.adapters.config import ConfigError as ConfigError
from steering.adapters.config import load_definition
from steering.adapters.db.engine import make_engine
from steering.adapters.db.engine import shown_url as shown_url
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.portal_repository import SqlAccessStore
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.files.evidence_store import EvidenceFolder
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.adapters.reports.ics import render_ics as render_ics
from steering.adapters.reports.ics import write_ics as write_ics
from steering.adapters.reports.writer import FORMATS, default_name, write_report_file
from steering.adapters.sources.json_records import parse_json_records
from steering.adapters.sources.manual import check_entered_value
from steering.adapters.sources.reader import (
    FileSourceReader,
    SqlSourceReader,
    parse_survey,
    parse_table,
)
from steering.domain.definition import ProgrammeDefinition
from steering.domain.reporting.calendar import Entry
from steering.domain.reporting.period import PeriodReport
from steering.ports import StoreUnavailable
from steering.ports.portal import AccessStore, EvidenceFiles
from steering.ports.publishing import Publisher, Publishing, ReportWriter
from steering.ports.sender import Sender
from steering.ports.sources import ImportResult, ReadRequest, SourceReader, Sources, SourceSpec
from steering.ports.store import UnitOfWork
from steering.services.portal_links import PortalLinks, portal_links
from steering.settings import Settings, get_settings

# Type-checked here: the adapters keep the ports the services are written against.
_UNIT_OF_WORK: type[UnitOfWork] = SqlUnitOfWork
_SENDER: type[Sender] = AppriseSender


# The reader of each source kind of the definition (domain/definition/sources.py). Kinds
# without one (manual, progress) are never read: values are typed in or measured.
SOURCE_READERS: dict[str, SourceReader[Any]] = {
    "table": FileSourceReader(parse_table),
    "moodle_feedback": FileSourceReader(parse_survey, collected=False),
    "limesurvey": FileSourceReader(parse_survey, collected=False),
    "sql": SqlSourceReader(),
    "json": FileSourceReader(parse_json_records),
}


def indicator_sources() -> Sources:
    """The indicator sources: a reader per source kind and the check of values typed in."""
    return Sources(SOURCE_READERS, check_entered_value)


class ReportFiles:
    """The period report writers of adapters/reports, one per format."""

    formats: tuple[str, ...] = FORMATS

    def default_name(self, report: PeriodReport, fmt: str) -> str:
        """e.g. 'digital-und-sozial-2019-H2-sachbericht.html' (a folder name for CSV)."""
        return default_name(report, fmt)

    def write(
        self, report: PeriodReport, fmt: str, out: Path, *, dialect: str = "de"
    ) -> list[Path]:
        """Write the report to `out`; the written files (one per part for CSV)."""
        return write_report_file(report, fmt, out, dialect=dialect)


_REPORT_WRITER: type[ReportWriter] = ReportFiles


@dataclass
class Wiring:
    """Adapters chosen for one process."""

    settings: Settings

    @cached_property
    def database_url(self) -> str:
        """The store's URL (the embedded SQLite file unless configured)."""
        return self.settings.resolved_database_url()

    @cached_property
    def engine(self) -> Engine:
        """The store's engine, created on first use."""
        return make_engine(self.database_url, busy_timeout_ms=self.settings.sqlite_busy_timeout_ms)

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work on the store."""
        return SqlUnitOfWork.for_engine(self.engine)

    @property
    def sources(self) -> Sources:
        """The indicator sources by kind."""
        return indicator_sources()

    @property
    def report_writer(self) -> ReportWriter:
        """The writer of period report files (md, html, xlsx, csv)."""
        return ReportFiles()

    def publishing(self, publisher: Publisher) -> Publishing:
        """Where results go: through `publisher`, report files under the data directory."""
        return Publishing(
            publisher=publisher,
            writer=self.report_writer,
            uow_factory=self.uow,
            data_dir=self.settings.data_dir,
            status_mode=self.settings.status_artifacts,
            status_all_up_to=self.settings.status_artifacts_all_up_to,
            summary_organisations=self.settings.summary_organisations,
            portal_url=self.settings.portal_url,
        )

    def outbox_leases(self, owner: str) -> OutboxLeases:
        """The outbox leases of one sender (`owner`) on the store."""
        return OutboxLeases(self.uow, owner)

    @cached_property
    def access(self) -> AccessStore:
        """The portal's sign-in links, sessions and attempts on the store."""
        return SqlAccessStore.for_engine(self.engine)

    @cached_property
    def evidence_files(self) -> EvidenceFiles:
        """Where evidence files uploaded in the portal are kept."""
        return EvidenceFolder(self.settings.data_dir.resolve() / "portal" / "evidence")

    def ui_url(self, definition: ProgrammeDefinition) -> str | None:
        """Where links in messages point: the programme's UI URL, else the environment's."""
        return definition.notifications.ui_url or self.settings.prefect_ui_url

    def portal_links(self, definition: ProgrammeDefinition, now: datetime) -> PortalLinks | None:
        """Links into the portal for messages, when STEERING_PORTAL_URL is set."""
        if not self.settings.portal_url:
            return None
        return portal_links(
            definition, self.settings.portal_url, store=self.access, uow_factory=self.uow, now=now
        )

    def sender(self) -> AppriseSender:
        """The notifier: apprise, with secrets from the environment or Prefect blocks."""
        lookup = None
        if self.settings.prefect_secrets:
            from steering.adapters.notify.prefect_secrets import prefect_secret

            lookup = prefect_secret
        return AppriseSender(
            mail_url=self.settings.mail_url,
            config_file=self.settings.apprise_config,
            secrets=lookup,
        )

    def migrate(self) -> None:
        """Bring the store's schema to the newest revision."""
        upgrade(self.database_url, busy_timeout_ms=self.settings.sqlite_busy_timeout_ms)


def wire(settings: Settings | None = None) -> Wiring:
    """Wire the adapters for these settings (the process settings by default)."""
    return Wiring(settings or get_settings())


# What flows need from adapters beside the wiring: definitions, report files, faults.
def read_definition(path: str | Path, lang: str = "de") -> ProgrammeDefinition:
    """The validated programme definition at `path` (ConfigError names what is wrong)."""
    return load_definition(path, lang)


def read_source(
    source: SourceSpec,
    path: Path | None,
    definition: ProgrammeDefinition,
    lang: str = "de",
    *,
    period: str | None = None,
    definition_file: Path | None = None,
    confine: bool = False,
) -> ImportResult:
    """Read and validate one source with the reader of its kind; nothing is stored."""
    request = ReadRequest(definition, definition_file, path, period, lang, confine)
    return indicator_sources().read(source, request)


def render_calendar(
    title: str, entries: list[Entry], *, programme_id: str, now: datetime, timezone: str
) -> bytes:
    """An ICS calendar of these entries (the portal's feeds)."""
    return render_ics(title, entries, programme_id=programme_id, now=now, timezone=timezone)


def store_unreachable(error: BaseException) -> bool:
    """Whether `error` means our store could not be reached (locked, connection refused)."""
    return isinstance(error, (OperationalError, InterfaceError, StoreUnavailable))
