"""Everything the store holds about one person: found, exported, pseudonymised."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from steering.adapters.db.models import (
    AbortDecisionRow,
    AuditLogRow,
    EvidenceRow,
    LeadDecisionRow,
    MeasurementRow,
    NoticeLogRow,
    OutboxRow,
    PhaseTransitionRow,
    PortalLinkRow,
    PortalSessionRow,
    StepProgressRow,
)

# (model, column) pairs that name a person (by id or as the acting user).
_PERSON_COLUMNS: list[tuple[type[Any], str]] = [
    (OutboxRow, "recipient"),
    (NoticeLogRow, "recipient"),
    (AuditLogRow, "actor"),
    (AuditLogRow, "subject_id"),
    (StepProgressRow, "owner"),
    (AbortDecisionRow, "decided_by"),
    (LeadDecisionRow, "decided_by"),
    (EvidenceRow, "recorded_by"),
    (PhaseTransitionRow, "actor"),
    (MeasurementRow, "recorded_by"),
    # Sign-in links and sessions: under the pseudonym they let nobody in (no such person).
    (PortalLinkRow, "person_id"),
    (PortalSessionRow, "person_id"),
]
_TEXT_REMOVED = "[gelöscht]"


def _row(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in row.__table__.columns}


class PrivacyRepository:
    """Find and pseudonymise a person's traces, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def traces(self, person: str) -> dict[str, list[dict[str, Any]]]:
        """Table name -> the rows that name the person."""
        found: dict[str, list[dict[str, Any]]] = {}
        for model, column in _PERSON_COLUMNS:
            rows = self.session.scalars(select(model).where(getattr(model, column) == person)).all()
            if rows:
                found.setdefault(model.__tablename__, []).extend(_row(r) for r in rows)
        return found

    def pseudonymise(self, person: str, pseudonym: str) -> dict[str, int]:
        """Replace the person's id by the pseudonym everywhere; drop message texts.

        Figures stay (measurements, lights, step states); only who did or received
        something changes, and the texts sent to the person are removed.
        """
        counts: dict[str, int] = {}
        self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.recipient == person)
            .values(subject=_TEXT_REMOVED, body_text=_TEXT_REMOVED, body_html=None, last_error=None)
        )
        # News kept for the person while they had no channel goes with the message texts.
        self.session.execute(
            update(NoticeLogRow).where(NoticeLogRow.recipient == person).values(notice_data=None)
        )
        for model, column in _PERSON_COLUMNS:
            new_value = None if column == "owner" else pseudonym
            result = self.session.execute(
                update(model).where(getattr(model, column) == person).values({column: new_value})
            )
            key = f"{model.__tablename__}.{column}"
            counts[key] = int(getattr(result, "rowcount", 0) or 0)
        return {k: v for k, v in counts.items() if v}
