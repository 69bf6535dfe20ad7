"""The one place that chooses adapters: database, notifier, sources, from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from steering.adapters.config import load_definition
from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.portal_repository import SqlAccessStore
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.files.evidence_store import EvidenceFolder
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.adapters.reports.writer import default_name, write_report_file
from steering.domain.definition import ProgrammeDefinition
from steering.domain.reporting.period import PeriodReport
from steering.ports import StoreUnavailable
from steering.ports.portal import AccessStore, EvidenceFiles
from steering.ports.store import UnitOfWork
from steering.settings import Settings, get_settings

# Type-checked here: the SQL unit of work keeps the port the services are written against.
_UNIT_OF_WORK: type[UnitOfWork] = SqlUnitOfWork


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
def read_definition(path: str) -> ProgrammeDefinition:
    """The validated programme definition at `path`."""
    return load_definition(path)


def write_period_report(report: PeriodReport, fmt: str, folder: Path) -> Path:
    """Write `report` as `fmt` under its default name in `folder`; the written file."""
    return write_report_file(report, fmt, folder / default_name(report, fmt))[0]


def store_unreachable(error: BaseException) -> bool:
    """Whether `error` means our store could not be reached (locked, connection refused)."""
    return isinstance(error, (OperationalError, InterfaceError, StoreUnavailable))
