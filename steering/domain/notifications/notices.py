"""What a message is about: one notice per item, later bundled into digests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class NoticeKind(StrEnum):
    """Why somebody is told something."""

    LIGHT_WORSE = "light_worse"
    LIGHT_RECOVERED = "light_recovered"
    ABORT_DECISION = "abort_decision"
    STEP_DUE = "step_due"
    STEP_OVERDUE = "step_overdue"
    PHASE_DUE = "phase_due"
    PHASE_OVERDUE = "phase_overdue"
    ESCALATION = "escalation"
    DATA_MISSING = "data_missing"
    EVENT = "event"
    EVALUATION_WAITING = "evaluation_waiting"
    MESSAGE_GIVEN_UP = "message_given_up"
    RECIPIENT_UNREACHABLE = "recipient_unreachable"
    LIGHT_SWING = "light_swing"


# Which routing list of the programme decides the recipients of each kind.
AUDIENCE = {
    NoticeKind.LIGHT_WORSE: "light_change",
    NoticeKind.LIGHT_RECOVERED: "light_change",
    NoticeKind.ABORT_DECISION: "abort_decision",
    NoticeKind.STEP_DUE: "reminder",
    NoticeKind.STEP_OVERDUE: "reminder",
    NoticeKind.PHASE_DUE: "reminder",
    NoticeKind.PHASE_OVERDUE: "reminder",
    NoticeKind.ESCALATION: "escalation",
    NoticeKind.DATA_MISSING: "data_missing",
    NoticeKind.EVENT: "event",
    NoticeKind.EVALUATION_WAITING: "evaluation_waiting",
    NoticeKind.MESSAGE_GIVEN_UP: "delivery_problems",
    NoticeKind.RECIPIENT_UNREACHABLE: "delivery_problems",
    # Whoever decides on the lights' consequences hears that they are held back.
    NoticeKind.LIGHT_SWING: "abort_decision",
}
# About the delivery of other notices: never held for or reported about themselves.
DELIVERY_PROBLEMS = {NoticeKind.MESSAGE_GIVEN_UP, NoticeKind.RECIPIENT_UNREACHABLE}
# Routine reminders: quiet on weekends and holidays, held back during an open abort review.
ROUTINE = {
    NoticeKind.STEP_DUE,
    NoticeKind.STEP_OVERDUE,
    NoticeKind.PHASE_DUE,
    NoticeKind.PHASE_OVERDUE,
    NoticeKind.DATA_MISSING,
    NoticeKind.EVENT,
}


@dataclass(frozen=True)
class Notice:
    """One thing to tell: about an item (step, light, event ...) of an organisation.

    `item` names the thing across runs (its reminder history is kept under it); `occasion`
    makes this particular notice unique, e.g. the checkpoint key or the reminder's date.
    """

    kind: NoticeKind
    organisation: str  # "" for the programme as a whole
    item: str
    occasion: str
    facts: dict[str, Any] = field(default_factory=dict)
    dimension: str = ""

    @property
    def key(self) -> str:
        """The idempotency key of the notice (the recipient is added when queued)."""
        return f"{self.kind}|{self.organisation}|{self.item}|{self.occasion}"

    @property
    def audience(self) -> str:
        """The routing list that names the recipients."""
        return AUDIENCE[self.kind]

    @property
    def routine(self) -> bool:
        """A reminder that waits for a working day and yields to an open abort review."""
        return self.kind in ROUTINE
