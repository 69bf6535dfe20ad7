"""The delivery's writes on the outbox: leased claims and outcomes, each committed at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, true, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from steering.adapters.db.models import OutboxRow
from steering.adapters.db.uow import SqlUnitOfWork
from steering.services.ports import LeaseLost, StoreUnavailable

_OPEN = ("pending", "failed")


@dataclass(frozen=True)
class LeasedMessage:
    """A message a sender holds: what to send, and what its outcome depends on."""

    id: int
    recipient: str
    channel: str
    subject: str
    text: str
    html: str
    attempts: int
    created_at: datetime
    # A previous sender began an attempt and died before recording it: it may have gone out.
    interrupted: bool


class OutboxLeases:
    """Claims, renewals and outcomes of one sender (`owner`), each in its own transaction.

    A locked or unreachable store raises StoreUnavailable; a claim that another sender took
    over raises LeaseLost (on recording) or reads as False (before sending).
    """

    def __init__(self, uow_factory: Callable[[], SqlUnitOfWork], owner: str) -> None:
        self._uow_factory = uow_factory
        self.owner = owner

    @contextmanager
    def _unit(self) -> Iterator[SqlUnitOfWork]:
        try:
            with self._uow_factory() as uow:
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
        with self._unit() as uow:
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

    def renew(self, until: datetime) -> int:
        """Extend the lease on every message held; how many are held."""
        with self._unit() as uow:
            return self._renew(uow, until)

    def _renew(self, uow: SqlUnitOfWork, until: datetime) -> int:
        renewed = uow.session.execute(
            update(OutboxRow)
            .where(OutboxRow.claimed_by == self.owner, OutboxRow.status.in_(_OPEN))
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(renewed, "rowcount", 0))

    def sent(self, message_id: int, now: datetime) -> None:
        """The channel accepted the message."""
        with self._unit() as uow:
            row = self._held(uow, message_id)
            row.status, row.sent_at, row.last_error = "sent", now, None
            row.attempts += 1
            _free(row)

    def failed(self, message_id: int, error: str, *, retry_at: datetime) -> None:
        """The channel failed; keep the (masked) reason and try again later."""
        with self._unit() as uow:
            row = self._held(uow, message_id)
            row.status, row.last_error, row.next_attempt_at = "failed", error[:1000], retry_at
            row.attempts += 1
            _free(row)

    def dead(self, message_id: int, error: str, now: datetime) -> None:
        """The last attempt failed: give the message up (a dead letter, kept for revival)."""
        with self._unit() as uow:
            row = self._held(uow, message_id)
            row.status, row.last_error, row.next_attempt_at = "dead", error[:1000], None
            row.given_up_at = now
            row.attempts += 1
            _free(row)

    def release(self) -> None:
        """Give back the messages held but not attempted (the sender stops early)."""
        with self._unit() as uow:
            uow.session.execute(
                update(OutboxRow)
                .where(
                    OutboxRow.claimed_by == self.owner,
                    OutboxRow.status.in_(_OPEN),
                    OutboxRow.sending_at.is_(None),
                )
                .values(claimed_by=None, claimed_at=None, claimed_until=None)
                .execution_options(synchronize_session=False)
            )

    def _held(self, uow: SqlUnitOfWork, message_id: int) -> OutboxRow:
        row = uow.session.scalars(
            select(OutboxRow)
            .where(OutboxRow.id == message_id, OutboxRow.claimed_by == self.owner)
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise LeaseLost(f"#{message_id}: von einem anderen Sender übernommen")
        return row


def _free(row: OutboxRow) -> None:
    row.claimed_by, row.claimed_at, row.claimed_until, row.sending_at = None, None, None, None


def _reason(failure: BaseException) -> str:
    """The driver's first line, without the statement and parameters SQLAlchemy appends."""
    original = getattr(failure, "orig", None) or failure
    return f"{type(original).__name__}: {original}".splitlines()[0][:300]
