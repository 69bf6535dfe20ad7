"""The one place that chooses adapters: database, notifier, sources, from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine

from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.outbox_leases import OutboxLeases
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.domain.definition import ProgrammeDefinition
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
