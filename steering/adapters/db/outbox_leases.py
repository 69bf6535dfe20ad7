"""The delivery's writes on the outbox: leased claims and outcomes, each committed at once
(the outcomes and marks of a process's senders in one commit when they write together)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Engine, and_, or_, select, true, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from steering.adapters.db.models import OutboxRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.ports import LeaseLost, StoreUnavailable
from steering.ports.outbox import LeasedMessage, OutboxLeasing, Outcome

_OPEN = ("pending", "failed")
_T = TypeVar("_T")
_Unit = AbstractContextManager["SqlUnitOfWork"]
# One turn per SQLite database among the senders (threads) of this process; see _turn.
_TURNS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_TURNS_LOCK = threading.Lock()


def _turn(engine: Engine) -> AbstractContextManager[object]:
    """The write turn of the senders in this process on a SQLite database (none elsewhere).

    SQLite has one writer at a time; threads that collide wait in its busy handler, which
    sleeps in growing steps and made several senders slower than one. Taking turns here
    first, they queue without sleeping. Other processes still wait in the busy handler.
    """
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _TURNS_LOCK:
        return _TURNS.setdefault(engine, threading.Lock())


@dataclass
class _Write(Generic[_T]):
    """One sender's write waiting for the next common commit."""

    work: Callable[[SqlUnitOfWork], _T]
    done: bool = False
    result: _T | None = None
    error: BaseException | None = None


class _CommonCommit:
    """The outcomes and marks of the senders of this process on one database, committed
    together: a sender that writes while no commit is under way commits every write
    waiting then, its own included, and hands on.

    Each sender still waits for the commit of its own write before it sends again, so the
    rule stays one message in flight per sender; the senders share the commit's cost (a
    sync to disk, during which SQLite holds its only write lock).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: list[_Write[Any]] = []
        self._under_way = False

    def write(self, unit: Callable[[], _Unit], work: Callable[[SqlUnitOfWork], _T]) -> _T:
        """Run `work` in a commit shared with the writes waiting now; its result or error."""
        mine: _Write[_T] = _Write(work)
        writes: list[_Write[Any]] = []
        with self._changed:
            self._waiting.append(mine)
            while self._under_way and not mine.done:
                self._changed.wait()
            if not mine.done:  # this sender commits what waits, its own write included
                self._under_way = True
                writes, self._waiting = self._waiting, []
        if writes:
            self._commit(unit, writes)
        if isinstance(mine.error, StoreUnavailable):
            raise StoreUnavailable(str(mine.error)) from None  # each sender its own
        if mine.error is not None:
            raise mine.error
        return cast(_T, mine.result)

    def _commit(self, unit: Callable[[], _Unit], writes: list[_Write[Any]]) -> None:
        try:
            with unit() as uow:
                for write in writes:
                    try:
                        write.result = write.work(uow)
                    except LeaseLost as lost:  # it wrote nothing; the others still commit
                        write.error = lost
        except BaseException as failure:  # nothing of this commit is stored
            for write in writes:
                write.error = write.error or failure
        finally:
            with self._changed:
                for write in writes:
                    write.done = True
                self._under_way = False
                self._changed.notify_all()


_COMMON: weakref.WeakKeyDictionary[Engine, _CommonCommit] = weakref.WeakKeyDictionary()


def _common_commit(engine: Engine) -> _CommonCommit:
    with _TURNS_LOCK:
        return _COMMON.setdefault(engine, _CommonCommit())


class OutboxLeases:
    """The SQL outbox leases of one sender (`owner`), each call in its own transaction
    (outcomes and marks in one shared with the process's other senders writing then).

    A locked or unreachable store raises StoreUnavailable; a claim that another sender took
    over raises LeaseLost (on recording) or reads as False (before sending).
    """

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], owner: str) -> None:
        self._uow_factory = uow_factory
        self.owner = owner
        self._engine: Engine | None = None  # known after the first unit

    @contextmanager
    def _unit(self) -> Iterator[SqlUnitOfWork]:
        try:
            with self._uow_factory() as uow:
                self._engine = uow.session.get_bind().engine
                with _turn(self._engine):
                    yield uow
                    uow.commit()
        except (OperationalError, InterfaceError) as failure:
            raise StoreUnavailable(_reason(failure)) from None
        except DBAPIError as failure:
            if failure.connection_invalidated:  # the server ended the connection
                raise StoreUnavailable(_reason(failure)) from None
            raise

    def claim(
        self,
        programme_id: str,
        *,
        due_at: datetime,
        at: datetime,
        until: datetime,
        after_id: int,
        limit: int,
        ignore_backoff: bool = False,
    ) -> list[LeasedMessage]:
        """Lease up to `limit` due messages with an id above `after_id` that nobody holds.

        Atomic among concurrent senders: on PostgreSQL the picked rows are locked and rows
        another sender is claiming are skipped (SKIP LOCKED); on SQLite writers take turns
        and the update re-checks that nobody holds the rows.
        """
        retry_due = or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= due_at)
        free = and_(
            OutboxRow.programme_id == programme_id,
            OutboxRow.status.in_(_OPEN),
            true() if ignore_backoff else retry_due,
            or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until < at),
            OutboxRow.id > after_id,
        )
        pick = (
            select(OutboxRow.id)
            .where(free)
            .order_by(OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self._unit() as uow:
            # Two statements: as a subquery of the update, PostgreSQL may run the pick more
            # than once and lease more than `limit` messages.
            ids = list(uow.session.scalars(pick))
            if not ids:
                return []
            uow.session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids), free)
                .values(claimed_by=self.owner, claimed_at=at, claimed_until=until)
                .execution_options(synchronize_session=False)
            )
            rows = uow.session.scalars(
                select(OutboxRow)
                .where(
                    OutboxRow.claimed_by == self.owner,
                    OutboxRow.claimed_at == at,
                    OutboxRow.status.in_(_OPEN),
                )
                .order_by(OutboxRow.id)
            )
            return [
                LeasedMessage(
                    r.id,
                    r.recipient,
                    r.channel_hint,
                    r.subject,
                    r.body_text,
                    r.body_html or "",
                    r.attempts,
                    r.created_at,
                    r.sending_at is not None,
                )
                for r in rows
            ]

    def start(self, message_id: int, *, at: datetime, until: datetime) -> bool:
        """Renew the lease on everything held and mark the attempt; False if the message
        is not held any more (then it must not be sent)."""
        return self._write(lambda uow: self._mark(uow, message_id, at=at, until=until))

    def _write(self, work: Callable[[SqlUnitOfWork], _T]) -> _T:
        """Run a sender's write in a commit shared with the other senders of this process."""
        if self._engine is None:
            with self._unit() as uow:
                return work(uow)
        return _common_commit(self._engine).write(self._unit, work)

    def renew(self, until: datetime) -> int:
        """Extend the lease on every message held; how many are held."""
        with self._unit() as uow:
            return self._renew(uow, until)

    def record(
        self, message_id: int, outcome: Outcome, *, then: int | None = None, until: datetime
    ) -> bool:
        """Store the outcome and free the message (LeaseLost if another sender holds it).

        With `then`, the same commit renews the lease and marks the attempt of the next
        message (one commit per message): whether that one is still held.
        """
        values: dict[str, object] = {
            "status": outcome.status,
            "attempts": OutboxRow.attempts + 1,
            "last_error": outcome.error[:1000] if outcome.error else None,
            "claimed_by": None,
            "claimed_at": None,
            "claimed_until": None,
            "sending_at": None,
        }
        if outcome.status == "sent":
            values["sent_at"] = outcome.at
        elif outcome.status == "failed":
            values["next_attempt_at"] = outcome.retry_at
        else:
            values |= {"next_attempt_at": None, "given_up_at": outcome.at}

        def store(uow: SqlUnitOfWork) -> bool:
            stored = uow.session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.id == message_id,
                    OutboxRow.claimed_by == self.owner,
                    OutboxRow.status.in_(_OPEN),
                )
                .values(values)
                .execution_options(synchronize_session=False)
            )
            if not getattr(stored, "rowcount", 0):
                raise LeaseLost(f"#{message_id}: von einem anderen Sender übernommen")
            return then is not None and self._mark(uow, then, at=outcome.at, until=until)

        return self._write(store)

    def release(self, marked: int | None = None) -> None:
        """Give back the messages held but not attempted (the sender stops early), and the
        one `marked` for an attempt that did not happen."""
        unsent = OutboxRow.sending_at.is_(None)
        with self._unit() as uow:
            uow.session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.claimed_by == self.owner,
                    OutboxRow.status.in_(_OPEN),
                    unsent if marked is None else or_(unsent, OutboxRow.id == marked),
                )
                .values(claimed_by=None, claimed_at=None, claimed_until=None, sending_at=None)
                .execution_options(synchronize_session=False)
            )

    def _mark(self, uow: SqlUnitOfWork, message_id: int, *, at: datetime, until: datetime) -> bool:
        self._renew(uow, until)
        marked = uow.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == message_id,
                OutboxRow.claimed_by == self.owner,
                OutboxRow.status.in_(_OPEN),
            )
            .values(sending_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(marked, "rowcount", 0))

    def _renew(self, uow: SqlUnitOfWork, until: datetime) -> int:
        renewed = uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.claimed_by == self.owner, OutboxRow.status.in_(_OPEN))
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(renewed, "rowcount", 0))


# Type-checked here: the SQL leases keep the port the delivery is written against.
_LEASES: type[OutboxLeasing] = OutboxLeases


def _reason(failure: BaseException) -> str:
    """The driver's first line, without the statement and parameters SQLAlchemy appends."""
    original = getattr(failure, "orig", None) or failure
    return f"{type(original).__name__}: {original}".splitlines()[0][:300]
