"""What a message is about: one notice per item, later bundled into digests."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from steering.i18n import N_, N_plural


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
    DATA_MISSING_LONG = "data_missing_long"


@dataclass(frozen=True)
class KindRules:
    """How one kind of notice is routed, ordered and worded: a new kind is one entry in KINDS."""

    audience: str  # the programme's routing list that names the recipients
    label: str  # msgid: the kind in a digest's subject
    routine: bool = False  # quiet on weekends and holidays, yields to an open abort review
    urgent: bool = False  # the digest's subject says so
    owned: bool = False  # "owners" means the item's own owner (a step assigned to a person)
    about_delivery: bool = False  # about other notices' delivery: never held or reported itself
    # The digest line: a msgid filled in with the notice's facts, or (singular, plural) counted
    # by facts["count"]; empty when notification_texts words the kind in code.
    sentence: tuple[str, ...] = ()


# In digest order within an organisation: the lead's matters first, reminders after.
KINDS: dict[NoticeKind, KindRules] = {
    NoticeKind.ABORT_DECISION: KindRules("abort_decision", N_("abort criteria"), urgent=True),
    # Whoever decides on the lights' consequences hears that they are held back.
    NoticeKind.LIGHT_SWING: KindRules("abort_decision", N_("lights held back"), urgent=True),
    NoticeKind.ESCALATION: KindRules("escalation", N_("escalation"), urgent=True),
    NoticeKind.DATA_MISSING_LONG: KindRules(
        "escalation",
        N_("data missing for long"),
        sentence=N_plural(
            "{n} indicator for {period} is still missing now that {next} has closed too: "
            "{indicators}.",
            "{n} indicators for {period} are still missing now that {next} has closed too: "
            "{indicators}.",
        ),
    ),
    NoticeKind.LIGHT_WORSE: KindRules("light_change", N_("light got worse")),
    NoticeKind.LIGHT_RECOVERED: KindRules("light_change", N_("light recovered")),
    NoticeKind.EVALUATION_WAITING: KindRules(
        "evaluation_waiting",
        N_("evaluation waiting"),
        sentence=(N_("The evaluation of checkpoint {checkpoint} waits for your decision."),),
    ),
    NoticeKind.STEP_OVERDUE: KindRules("reminder", N_("step overdue"), routine=True, owned=True),
    NoticeKind.PHASE_OVERDUE: KindRules("reminder", N_("phase overdue"), routine=True),
    NoticeKind.STEP_DUE: KindRules("reminder", N_("step due"), routine=True, owned=True),
    NoticeKind.PHASE_DUE: KindRules("reminder", N_("phase due"), routine=True),
    NoticeKind.DATA_MISSING: KindRules("data_missing", N_("data missing"), routine=True),
    NoticeKind.EVENT: KindRules("event", N_("event"), routine=True),
    NoticeKind.MESSAGE_GIVEN_UP: KindRules(
        "delivery_problems", N_("delivery given up"), about_delivery=True
    ),
    NoticeKind.RECIPIENT_UNREACHABLE: KindRules(
        "delivery_problems", N_("unreachable"), about_delivery=True
    ),
}
ORDER = list(KINDS)
DELIVERY_PROBLEMS = {kind for kind, rules in KINDS.items() if rules.about_delivery}


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
    def rules(self) -> KindRules:
        """How notices of this kind are routed, ordered and worded."""
        return KINDS[self.kind]

    @property
    def audience(self) -> str:
        """The routing list that names the recipients."""
        return self.rules.audience

    @property
    def routine(self) -> bool:
        """A reminder that waits for a working day and yields to an open abort review."""
        return self.rules.routine
