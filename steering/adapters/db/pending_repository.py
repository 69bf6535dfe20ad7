"""Notices a checkpoint stored with its lights and that still wait to be queued."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from steering.adapters.db.models import CheckpointRow, PendingNoticesRow


class PendingNoticeRepository:
    """Reads and writes of pending notices, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(
        self, checkpoint_id: int, programme_id: str, notices: list[dict[str, Any]], now: datetime
    ) -> None:
        """Store what the checkpoint has to tell, replacing what an earlier run stored."""
        self.session.execute(
            delete(PendingNoticesRow).where(PendingNoticesRow.checkpoint_id == checkpoint_id)
        )
        self.session.add(
            PendingNoticesRow(
                checkpoint_id=checkpoint_id,
                programme_id=programme_id,
                notices=notices,
                created_at=now,
            )
        )

    def unqueued(self, programme_id: str) -> list[tuple[int, str, list[dict[str, Any]]]]:
        """(id, checkpoint key, notices) of every checkpoint not queued yet, oldest first."""
        query = (
            select(PendingNoticesRow.id, CheckpointRow.key, PendingNoticesRow.notices)
            .join(CheckpointRow, CheckpointRow.id == PendingNoticesRow.checkpoint_id)
            .where(
                PendingNoticesRow.programme_id == programme_id,
                PendingNoticesRow.queued_at.is_(None),
            )
            .order_by(PendingNoticesRow.id)
        )
        return [(i, key, list(notices)) for i, key, notices in self.session.execute(query)]

    def mark_queued(self, ids: Iterable[int], now: datetime) -> None:
        """These checkpoints' notices are all in the outbox or the notice log."""
        self.session.execute(
            update(PendingNoticesRow)
            .where(
                PendingNoticesRow.id.in_(sorted(set(ids))), PendingNoticesRow.queued_at.is_(None)
            )
            .values(queued_at=now)
        )
