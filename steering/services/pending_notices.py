"""Notices a checkpoint stores with its lights, as records, until they are queued."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.notices import Notice, NoticeKind
from steering.ports.store import UnitOfWork


def notice_record(notice: Notice) -> dict[str, Any]:
    """A notice as stored (JSON)."""
    return {
        "kind": str(notice.kind),
        "organisation": notice.organisation,
        "item": notice.item,
        "occasion": notice.occasion,
        "facts": notice.facts,
        "dimension": notice.dimension,
    }


def notice_from(record: dict[str, Any]) -> Notice:
    """A stored notice."""
    return Notice(
        NoticeKind(record["kind"]),
        record["organisation"],
        record["item"],
        record["occasion"],
        dict(record.get("facts") or {}),
        record.get("dimension", ""),
    )


@dataclass(frozen=True)
class Pending:
    """Checkpoints whose notices are not queued yet, and those notices."""

    ids: tuple[int, ...] = ()
    checkpoints: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()


def load_pending(definition: ProgrammeDefinition, *, uow: UnitOfWork) -> Pending:
    """What checkpoints of the programme stored to be told and was not queued yet."""
    with uow:
        rows = uow.pending.unqueued(definition.programme.id)
    return Pending(
        tuple(i for i, _, _ in rows),
        tuple(key for _, key, _ in rows),
        tuple(notice_from(record) for _, _, records in rows for record in records),
    )


def mark_queued(pending: Pending, *, uow: UnitOfWork, now: datetime) -> None:
    """Every notice of these checkpoints is in the outbox or the notice log now."""
    if not pending.ids:
        return
    with uow:
        uow.pending.mark_queued(pending.ids, now)
        uow.commit()
