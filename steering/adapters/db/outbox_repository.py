"""The outbox and the notice log: what was told to whom, what waits to be sent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from steering.adapters.db.models import AbortDecisionRow, NoticeLogRow, OutboxRow
from steering.adapters.db.repository import SqlRepository
from steering.domain.notifications.reminders import History
from steering.ports.records import DROPPED, HELD, HeldNotice, QueuedMessage

_ADDED = "outbox_added"  # session.info: messages this transaction queued, by key
_FLUSH_EVERY = 500  # unflushed messages (with their notices) at most
_REMINDER_KINDS = ("step_due", "step_overdue", "phase_due", "phase_overdue")
# HELD, DROPPED and the two records live with the ports; importing them from here still works.
__all__ = ["DROPPED", "HELD", "HeldNotice", "OutboxRepository", "QueuedMessage"]


def _queued(r: OutboxRow) -> QueuedMessage:
    return QueuedMessage(
        r.id,
        r.recipient,
        r.channel_hint,
        r.subject,
        r.status,
        r.attempts,
        r.last_error,
        r.next_attempt_at,
        r.created_at,
        r.given_up_at,
        r.kind,
        r.claimed_until,
    )


class OutboxRepository:
    """Queries and writes on the outbox and the notice log, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # the notice log ----------------------------------------------------------------
    def told(self, programme_id: str, recipients: Iterable[str]) -> set[tuple[str, str]]:
        """(recipient, notice key) pairs already queued for these recipients."""
        query = select(NoticeLogRow.recipient, NoticeLogRow.notice_key).where(
            NoticeLogRow.programme_id == programme_id,
            NoticeLogRow.recipient.in_(sorted(set(recipients))),
        )
        return {(r, k) for r, k in self.session.execute(query)}

    def histories(self, programme_id: str, *, tz: tzinfo) -> dict[tuple[str, str], History]:
        """(organisation, item) -> how often and when it was last reminded, and escalated."""
        sent: dict[tuple[str, str], set[str]] = defaultdict(set)
        last: dict[tuple[str, str], datetime] = {}
        escalated: set[tuple[str, str]] = set()
        query = select(
            NoticeLogRow.scope_key,
            NoticeLogRow.item,
            NoticeLogRow.kind,
            NoticeLogRow.occasion,
            NoticeLogRow.created_at,
        ).where(
            NoticeLogRow.programme_id == programme_id,
            NoticeLogRow.kind.in_([*_REMINDER_KINDS, "escalation"]),
        )
        for org, item, kind, occasion, at in self.session.execute(query):
            key = (org, item)
            if kind == "escalation":
                escalated.add(key)
                continue
            sent[key].add(occasion)
            last[key] = max(last.get(key, at), at)
        keys = set(sent) | escalated
        return {
            k: History(
                sent=len(sent.get(k, ())),
                last_sent=last[k].astimezone(tz).date() if k in last else None,
                escalated=k in escalated,
            )
            for k in keys
        }

    def log_notice(
        self,
        programme_id: str,
        recipient: str,
        *,
        key: str,
        kind: str,
        organisation: str,
        item: str,
        occasion: str,
        message_key: str,
        now: datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Remember that `recipient` was told the notice `key` in message `message_key`."""
        self.session.add(
            NoticeLogRow(
                programme_id=programme_id,
                recipient=recipient,
                notice_key=key,
                kind=kind,
                scope_key=organisation,
                item=item,
                occasion=occasion,
                message_key=message_key,
                created_at=now,
                notice_data=data,
            )
        )

    def held(self, programme_id: str) -> list[HeldNotice]:
        """Notices kept for people without a channel, oldest first."""
        query = (
            select(NoticeLogRow)
            .where(
                NoticeLogRow.programme_id == programme_id,
                NoticeLogRow.message_key == HELD,
                NoticeLogRow.notice_data.is_not(None),
            )
            .order_by(NoticeLogRow.created_at, NoticeLogRow.id)
        )
        return [
            HeldNotice(
                r.id,
                r.recipient,
                r.kind,
                r.scope_key,
                r.item,
                r.occasion,
                dict(r.notice_data or {}),
                r.created_at,
            )
            for r in self.session.scalars(query)
        ]

    def settle_held(self, log_id: int, message_key: str) -> bool:
        """Point a kept notice at the message that now carries it (or at DROPPED).

        Conditional: False when a concurrent run settled it first.
        """
        done = self.session.execute(
            update(NoticeLogRow)
            .where(NoticeLogRow.id == log_id, NoticeLogRow.message_key == HELD)
            .values(message_key=message_key)
        )
        return bool(getattr(done, "rowcount", 0))

    # the outbox --------------------------------------------------------------------
    def enqueue(
        self,
        programme_id: str,
        *,
        key: str,
        recipient: str,
        channel: str,
        kind: str,
        subject: str,
        text: str,
        html: str,
        now: datetime,
    ) -> bool:
        """Queue a message unless one with this key exists; True when queued."""
        # Messages added in this transaction are looked up in memory, not flushed one by one
        # before each query (a flush per message cost about 2 ms each).
        added: dict[str, OutboxRow] = self.session.info.setdefault(_ADDED, {})
        earlier = added.get(key)
        if earlier is not None and earlier in self.session:  # (gone after a rollback)
            return False
        with self.session.no_autoflush:
            exists = self.session.scalar(
                select(OutboxRow.id).where(OutboxRow.idempotency_key == key)
            )
        if exists is not None:
            return False
        added[key] = OutboxRow(
            idempotency_key=key,
            programme_id=programme_id,
            recipient=recipient,
            channel_hint=channel,
            kind=kind,
            subject=subject,
            body_text=text,
            body_html=html,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        self.session.add(added[key])
        if len(added) >= _FLUSH_EVERY:  # written in batches: memory stays bounded
            self.session.flush()
            added.clear()  # the key check finds them in the table now
        return True

    def drop_unsent(self, programme_id: str, organisation: str, item: str, now: datetime) -> int:
        """Drop unsent messages (not being sent) whose every notice is about this item.

        A message that also tells of other things still goes out: those are news.
        """
        about = select(NoticeLogRow.message_key).where(
            NoticeLogRow.programme_id == programme_id,
            NoticeLogRow.scope_key == organisation,
            NoticeLogRow.item == item,
        )
        other = select(NoticeLogRow.message_key).where(
            NoticeLogRow.programme_id == programme_id,
            or_(NoticeLogRow.scope_key != organisation, NoticeLogRow.item != item),
        )
        dropped = self.session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.programme_id == programme_id,
                OutboxRow.status.in_(("pending", "failed")),
                OutboxRow.idempotency_key.in_(about),
                OutboxRow.idempotency_key.not_in(other),
                # A message a sender holds and has started on may be on its way already.
                or_(
                    OutboxRow.sending_at.is_(None),
                    OutboxRow.claimed_until.is_(None),
                    OutboxRow.claimed_until < now,
                ),
            )
            .values(status="dropped", next_attempt_at=None)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(dropped, "rowcount", 0))

    def given_up(self, programme_id: str) -> list[QueuedMessage]:
        """Dead letters, oldest first."""
        query = select(OutboxRow).where(
            OutboxRow.programme_id == programme_id, OutboxRow.status == "dead"
        )
        return [_queued(r) for r in self.session.scalars(query.order_by(OutboxRow.id))]

    def revive(self, programme_id: str, message_id: int | None, now: datetime) -> list[OutboxRow]:
        """Dead letters (one, or all with None) become pending again, due now, attempts reset."""
        query = select(OutboxRow).where(
            OutboxRow.programme_id == programme_id, OutboxRow.status == "dead"
        )
        if message_id is not None:
            query = query.where(OutboxRow.id == message_id)
        rows = list(self.session.scalars(query.order_by(OutboxRow.id).with_for_update()))
        for row in rows:
            row.status, row.attempts, row.next_attempt_at = "pending", 0, now
            row.claimed_at, row.claimed_by, row.claimed_until = None, None, None
            row.sending_at, row.given_up_at = None, None
        return rows

    def find(self, programme_id: str, message_id: int) -> OutboxRow | None:
        """One message of a programme by id, if it exists."""
        row = self.session.get(OutboxRow, message_id)
        return row if row is not None and row.programme_id == programme_id else None

    def waiting(self, programme_id: str | None = None) -> list[QueuedMessage]:
        """Pending, failed and given-up messages, oldest first."""
        query = select(OutboxRow).where(OutboxRow.status.in_(["pending", "failed", "dead"]))
        if programme_id is not None:
            query = query.where(OutboxRow.programme_id == programme_id)
        return [_queued(r) for r in self.session.scalars(query.order_by(OutboxRow.id))]

    def counts(self, programme_id: str) -> dict[str, int]:
        """Messages per status."""
        query = (
            select(OutboxRow.status, func.count())
            .where(OutboxRow.programme_id == programme_id)
            .group_by(OutboxRow.status)
        )
        return {status: int(n) for status, n in self.session.execute(query)}

    def created_between(
        self, programme_id: str, start: datetime, end: datetime
    ) -> list[dict[str, object]]:
        """Messages created in [start, end] per recipient, kind, channel and status."""
        query = (
            select(
                OutboxRow.recipient,
                OutboxRow.kind,
                OutboxRow.channel_hint,
                OutboxRow.status,
                func.count(),
            )
            .where(
                OutboxRow.programme_id == programme_id,
                OutboxRow.created_at >= start,
                OutboxRow.created_at <= end,
            )
            .group_by(OutboxRow.recipient, OutboxRow.kind, OutboxRow.channel_hint, OutboxRow.status)
            .order_by(OutboxRow.recipient, OutboxRow.kind, OutboxRow.channel_hint)
        )
        return [
            {"recipient": r, "kind": k, "channel": c, "status": s, "count": int(n)}
            for r, k, c, s, n in self.session.execute(query)
        ]

    # abort reviews -----------------------------------------------------------------
    def open_abort_reviews(self, programme_id: str) -> set[str]:
        """Organisations whose latest programme checkpoint asks for an abort review that the
        lead has not decided yet (evaluations and interim checkpoints do not count)."""
        repo = SqlRepository(self.session)
        latest = repo.latest_checkpoint(programme_id)
        if latest is None:
            return set()
        query = select(AbortDecisionRow.scope_key).where(
            AbortDecisionRow.checkpoint_id == latest.id,
            AbortDecisionRow.decision == "abort_review",
        )
        decided = {
            r.organisation_id for r in repo.lead_decisions(programme_id, period=latest.period)
        }
        return set(self.session.scalars(query)) - decided
