"""Use cases around undeliverable news: dead letters, people without a channel, revival."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.integration import StepState, StepStatus
from steering.domain.notifications.digest import Digest
from steering.domain.notifications.notices import DELIVERY_PROBLEMS, Notice, NoticeKind
from steering.ports.records import HeldNotice, QueuedMessage
from steering.ports.store import UnitOfWork

# A message that carried only delivery problems: when it dies, nobody is told again (no chain).
PROBLEMS_ONLY = "digest-delivery"


def dead_letter_notices(
    definition: ProgrammeDefinition, given_up: Sequence[QueuedMessage]
) -> list[Notice]:
    """One notice per given-up message; the notice log tells it once per give-up."""
    names = {p.id: p.name for p in definition.people}
    tz = ZoneInfo(definition.programme.timezone)
    notices = []
    for m in given_up:
        if m.kind == PROBLEMS_ONLY or m.given_up_at is None:
            continue
        facts = {
            "message": m.id,
            "person": m.recipient,
            "name": names.get(m.recipient, m.recipient),
            "channel": m.channel,
            "subject": m.subject,
            "attempts": m.attempts,
            "error": (m.last_error or "–")[:200],
            "created": m.created_at.astimezone(tz).date().isoformat(),
        }
        at = m.given_up_at.isoformat(timespec="seconds")
        notices.append(Notice(NoticeKind.MESSAGE_GIVEN_UP, "", f"outbox:{m.id}", at, facts))
    return notices


def unreachable_notices(
    definition: ProgrammeDefinition, digests: Sequence[Digest], channels: Mapping[str, list[str]]
) -> list[Notice]:
    """For the lead: who has news but no channel, once per person and item."""
    names = {p.id: p.name for p in definition.people}
    notices = []
    for digest in digests:
        if channels.get(digest.recipient) or digest.recipient == definition.programme.lead:
            continue
        for n in digest.notices:
            if n.kind in DELIVERY_PROBLEMS:
                continue
            facts = {
                "person": digest.recipient,
                "name": names.get(digest.recipient, digest.recipient),
                "kind": str(n.kind),
                "facts": n.facts,
                "dimension": n.dimension,
            }
            item = f"unreachable:{digest.recipient}:{n.item}"[:200]
            notices.append(
                Notice(NoticeKind.RECIPIENT_UNREACHABLE, n.organisation, item, "", facts)
            )
    return notices


def held_data(notice: Notice) -> dict[str, object]:
    """What the notice log keeps of a notice held back for a person without a channel."""
    return {"facts": notice.facts, "dimension": notice.dimension}


@dataclass(frozen=True)
class Release:
    """Kept notices of one person who now has a channel: to tell, to settle, to drop."""

    notices: tuple[Notice, ...]
    settle: tuple[int, ...]  # log rows carried by the new message (the newest per item and older)
    drop: tuple[int, ...]  # log rows whose item was closed meanwhile


def releases(
    definition: ProgrammeDefinition,
    held: Sequence[HeldNotice],
    *,
    reachable: set[str],
    done_steps: set[tuple[str, str]],
    open_reviews: set[str],
    today: date,
) -> dict[str, Release]:
    """Per reachable person: the newest kept notice per open item (older ones ride along)."""
    active = {o.id for o in definition.organisations if o.active}
    events = {f"event:{e.id}": e.date for e in definition.events}
    newest: dict[tuple[str, str, str], list[HeldNotice]] = {}
    for h in held:  # oldest first
        if h.recipient in reachable:
            newest.setdefault((h.recipient, h.organisation, h.item), []).append(h)
    out: dict[str, tuple[list[Notice], list[int], list[int]]] = {}
    for (person, org, item), rows in newest.items():
        notices, settle, drop = out.setdefault(person, ([], [], []))
        last = rows[-1]
        closed = (
            (org != "" and org not in active)
            or (item.startswith("step:") and (org, item) in done_steps)
            or (item in events and events[item] < today)
            or (last.kind == NoticeKind.ABORT_DECISION and org not in open_reviews)
        )
        if closed:
            drop.extend(r.id for r in rows)
            continue
        facts = dict(last.data.get("facts") or {})
        dimension = str(last.data.get("dimension") or "")
        notices.append(Notice(NoticeKind(last.kind), org, item, last.occasion, facts, dimension))
        settle.extend(r.id for r in rows)
    return {p: Release(tuple(n), tuple(s), tuple(d)) for p, (n, s, d) in out.items()}


def done_step_items(steps: Mapping[str, list[StepState]]) -> set[tuple[str, str]]:
    """(organisation, 'step:driver:n') of every step done."""
    return {
        (org, f"step:{s.driver}:{s.step}")
        for org, states in steps.items()
        for s in states
        if s.status is StepStatus.DONE
    }


class NothingToRevive(LookupError):
    """The message named does not exist or is not given up."""


def revive_dead_letters(
    definition: ProgrammeDefinition,
    *,
    message_id: int | None,
    uow: UnitOfWork,
    now: datetime,
    actor: str,
) -> list[int]:
    """Make one given-up message (or all with None) due again with fresh attempts; audited."""
    pid = definition.programme.id
    with uow:
        if message_id is not None:
            row = uow.outbox.find(pid, message_id)
            if row is None:
                raise NothingToRevive(f"#{message_id}: keine Nachricht dieses Programms")
            if row.status != "dead":
                raise NothingToRevive(f"#{message_id}: nicht aufgegeben (Status {row.status})")
        attempts = {
            r.id: (r.attempts, r.recipient, r.channel)
            for r in uow.outbox.given_up(pid)
            if message_id is None or r.id == message_id
        }
        revived = [row.id for row in uow.outbox.revive(pid, message_id, now)]
        for rid in revived:
            before, recipient, channel = attempts.get(rid, (0, "", ""))
            uow.repo.audit(
                actor=actor,
                action="outbox_revive",
                subject_type="outbox",
                subject_id=str(rid),
                details={"attempts_before": before, "recipient": recipient, "channel": channel},
                now=now,
            )
        uow.commit()
    return revived
