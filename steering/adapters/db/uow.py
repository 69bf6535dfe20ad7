"""Unit of work over a SQLAlchemy session: commit explicitly, roll back otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from steering.adapters.db.engine import make_session_factory
from steering.adapters.db.faults import store_fault
from steering.adapters.db.locks import store_errors, take_lock
from steering.adapters.db.outbox_repository import OutboxRepository
from steering.adapters.db.pending_repository import PendingNoticeRepository
from steering.adapters.db.privacy_repository import PrivacyRepository
from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.repository import SqlRepository
from steering.ports import StoreUnavailable


class SqlUnitOfWork:
    """One transaction: `with uow: ...; uow.commit()`; leaving without commit rolls back."""

    # The errors by which the store refuses a write (a unique key taken by another writer):
    # services catch them by this name and need no driver's types.
    refused: tuple[type[Exception], ...] = (IntegrityError,)

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @classmethod
    def for_engine(cls, engine: Engine) -> SqlUnitOfWork:
        """Create a unit of work drawing sessions from the engine."""
        return cls(make_session_factory(engine))

    @property
    def session(self) -> Session:
        """The session of the open unit of work."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open; use it in a 'with' block")
        return self._session

    @property
    def repo(self) -> SqlRepository:
        """The store's queries and writes, in this unit of work's transaction."""
        return SqlRepository(self.session)

    @property
    def outbox(self) -> OutboxRepository:
        """The outbox and the notice log, in this unit of work's transaction."""
        return OutboxRepository(self.session)

    def progress(self, programme_id: str) -> ProgressRepository:
        """One programme's steps, cycles, evidence and transitions, in this transaction."""
        return ProgressRepository(self.session, programme_id)

    @property
    def privacy(self) -> PrivacyRepository:
        """A person's traces across the store, in this unit of work's transaction."""
        return PrivacyRepository(self.session)

    @property
    def pending(self) -> PendingNoticeRepository:
        """Notices checkpoints stored and that wait to be queued, in this transaction."""
        return PendingNoticeRepository(self.session)

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("the unit of work is already open; units of work do not nest")
        self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            session.rollback()
        finally:
            session.close()

    @staticmethod
    def store_fault(error: BaseException) -> StoreUnavailable | None:
        """The store failure behind `error` (locked, unreachable, disk full), else None."""
        return store_fault(error)

    def commit(self) -> None:
        """Make the work done so far durable."""
        self.session.commit()

    def rollback(self) -> None:
        """Discard the work done since the last commit."""
        self.session.rollback()

    @contextmanager
    def serialised(self, subject: str) -> Iterator[Self]:
        """Open the unit of work holding `subject`'s write lock; lost races raise StoreConflict."""
        with store_errors(), self:
            take_lock(self.session, subject)
            yield self
