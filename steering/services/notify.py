"""Use cases: queue digests in the outbox (idempotently) and deliver what is due."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Person
from steering.domain.notifications.digest import Digest, build_digests
from steering.domain.notifications.message import Message
from steering.domain.notifications.notices import Notice
from steering.domain.notifications.reminders import History
from steering.services.notices import (
    data_missing_notices,
    event_notices,
    phase_notices,
    step_notices,
    without_inhibited,
)
from steering.services.notification_texts import render_digest

# Retries: 1, 2, 4 ... minutes, at most every 6 hours; a claim older than 10 minutes is a
# sender that died mid-send, and its message is taken again (at least once).
_FIRST_RETRY = timedelta(minutes=1)
_LONGEST_RETRY = timedelta(hours=6)
CLAIM_LEASE = timedelta(minutes=10)


class Sender(Protocol):
    """A way to reach people: the apprise adapter in production."""

    def channels(self, person: Person) -> list[str]:
        """Channel hints of a person (never URLs)."""
        ...

    def send(self, person: Person, hint: str, message: Message) -> None:
        """Deliver or raise with a privacy-masked reason."""
        ...

    def describe(self, person: Person, hint: str) -> str:
        """The channel with credentials masked."""
        ...


@dataclass(frozen=True)
class Planned:
    """A digest that would be (or was) queued: recipient, channels, message, notices."""

    recipient: str
    channels: list[str]
    message: Message
    notices: tuple[Notice, ...]


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # Recipients who had news but no channel (no e-mail URL, no notify URL, no tag).
    unreachable: list[str] = field(default_factory=list)


def mask_credentials(text: str) -> str:
    """Replace user:password@ in any URL by user:***@."""
    return re.sub(r"(://[^/:@\s]*:)[^@\s]+@", r"\1***@", text)


def reminder_notices(
    definition: ProgrammeDefinition, *, uow: SqlUnitOfWork, today: date
) -> list[Notice]:
    """Due and overdue steps, escalations, missing data and upcoming events for `today`."""
    pid = definition.programme.id
    tz = ZoneInfo(definition.programme.timezone)
    with uow:
        ids = [o.id for o in definition.organisations]
        progress = ProgressRepository(uow.session, definition.programme.id)
        steps = progress.steps_by_organisation(ids, tz=tz)
        cycles = progress.newest_cycles(ids)
        starts = progress.phase_starts(ids)
        histories = uow.outbox.histories(pid, tz=tz)
        measurements = uow.repo.measurements_frame(pid)
        inhibited = uow.outbox.open_abort_reviews(pid)

    def history(org: str, item: str) -> History:
        return histories.get((org, item), History())

    notices = [
        *step_notices(definition, steps, history, today),
        *phase_notices(definition, cycles, starts, history, today),
        *data_missing_notices(definition, measurements, today),
        *event_notices(definition, today),
    ]
    return without_inhibited(notices, inhibited)


def _digest_key(pid: str, digest: Digest, channel: str) -> str:
    keys = "\n".join(sorted(n.key for n in digest.notices))
    digest_hash = hashlib.sha256(f"{pid}\n{channel}\n{keys}".encode()).hexdigest()[:32]
    return f"{digest.recipient}:{digest_hash}"


def plan_digests(
    definition: ProgrammeDefinition,
    notices: Sequence[Notice],
    *,
    uow: SqlUnitOfWork,
    sender: Sender,
    ui_url: str | None,
) -> list[Planned]:
    """One digest per recipient with only the notices they were not told yet."""
    pid = definition.programme.id
    people = {p.id: p for p in definition.people}
    digests = build_digests(definition, notices)
    with uow:
        told = uow.outbox.told(pid, [d.recipient for d in digests])
    planned = []
    for digest in digests:
        fresh = tuple(n for n in digest.notices if (digest.recipient, n.key) not in told)
        if not fresh:
            continue
        news = Digest(digest.recipient, fresh)
        message = render_digest(definition, news, ui_url=ui_url)
        channels = sender.channels(people[digest.recipient])
        planned.append(Planned(digest.recipient, channels, message, fresh))
    return planned


def queue_digests(
    definition: ProgrammeDefinition,
    planned: Sequence[Planned],
    *,
    uow: SqlUnitOfWork,
    now: datetime,
) -> int:
    """Persist the digests (one message per channel) and their notices; returns messages.

    A concurrent run that queued the same notices first wins: the unique keys refuse the
    second writer, which then queues only digests none of whose notices were told.
    """
    for attempt in (1, 2):
        try:
            return _queue(definition, planned, uow=uow, now=now, skip_told=attempt == 2)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _queue(
    definition: ProgrammeDefinition,
    planned: Sequence[Planned],
    *,
    uow: SqlUnitOfWork,
    now: datetime,
    skip_told: bool,
) -> int:
    pid = definition.programme.id
    queued = 0
    with uow:
        told = uow.outbox.told(pid, [p.recipient for p in planned]) if skip_told else set()
        for plan in planned:
            if any((plan.recipient, n.key) in told for n in plan.notices):
                continue
            digest = Digest(plan.recipient, plan.notices)
            kind = "digest-urgent" if digest.urgent else "digest"
            first_key = ""
            for channel in plan.channels:
                key = _digest_key(pid, digest, channel)
                first_key = first_key or key
                queued += uow.outbox.enqueue(
                    pid,
                    key=key,
                    recipient=plan.recipient,
                    channel=channel,
                    kind=kind,
                    subject=plan.message.subject,
                    text=plan.message.text,
                    html=plan.message.html,
                    now=now,
                )
            for notice in plan.notices:
                uow.outbox.log_notice(
                    pid,
                    plan.recipient,
                    key=notice.key,
                    kind=str(notice.kind),
                    organisation=notice.organisation,
                    item=notice.item,
                    occasion=notice.occasion,
                    # Without a channel nobody can be told; the log keeps it from repeating.
                    message_key=first_key or "ohne-kanal",
                    now=now,
                )
        uow.commit()
    return queued


def _retry_after(attempts: int) -> timedelta:
    backoff: timedelta = _FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(backoff, _LONGEST_RETRY)


def _attempt(
    sender: Sender, person: Person | None, recipient: str, channel: str, message: Message
) -> str | None:
    """Send one message; the masked reason when it failed, None when it went out."""
    if person is None:
        return f"Empfänger {recipient} steht nicht mehr in der Programmdefinition"
    try:
        sender.send(person, channel, message)
    except Exception as failure:  # a channel being down must never fail the run
        return mask_credentials(str(failure)) or type(failure).__name__
    return None


def deliver_outbox(
    definition: ProgrammeDefinition,
    *,
    uow_factory: Callable[[], SqlUnitOfWork],
    sender: Sender,
    now: datetime,
    limit: int = 10_000,
    workers: int = 4,
    ignore_backoff: bool = False,
) -> Delivery:
    """Send every due message; each outcome is committed at once, a failure never raises.

    A few messages travel in parallel: mail servers answer each SMTP step after a network
    round trip, which would otherwise add up for a thousand recipients.
    """
    pid = definition.programme.id
    people = {p.id: p for p in definition.people}
    with uow_factory() as uow:
        claimed = [
            (r.id, r.recipient, r.channel_hint, Message(r.subject, r.body_text, r.body_html or ""))
            for r in uow.outbox.claim_due(
                pid, now=now, lease=CLAIM_LEASE, limit=limit, ignore_backoff=ignore_backoff
            )
        ]
        uow.commit()
    result = Delivery()
    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        futures = {
            pool.submit(_attempt, sender, people.get(recipient), recipient, channel, message): (
                message_id,
                recipient,
                channel,
            )
            for message_id, recipient, channel, message in claimed
        }
        for future in as_completed(futures):
            message_id, recipient, channel = futures[future]
            error = future.result()
            with uow_factory() as uow:
                row = uow.outbox.get(message_id)
                if error is None:
                    uow.outbox.mark_sent(row, now)
                    result.sent += 1
                else:
                    retry_at = now + _retry_after(row.attempts + 1)
                    uow.outbox.mark_failed(row, error, retry_at=retry_at)
                    result.failed += 1
                    result.errors.append(f"{recipient}/{channel}: {error}")
                uow.commit()
    return result


def notify(
    definition: ProgrammeDefinition,
    notices: Sequence[Notice],
    *,
    uow_factory: Callable[[], SqlUnitOfWork],
    sender: Sender,
    now: datetime,
    ui_url: str | None,
) -> tuple[int, Delivery]:
    """Queue the digests for these notices, then deliver everything due (older ones too)."""
    planned = plan_digests(definition, notices, uow=uow_factory(), sender=sender, ui_url=ui_url)
    queued = queue_digests(definition, planned, uow=uow_factory(), now=now)
    delivery = deliver_outbox(definition, uow_factory=uow_factory, sender=sender, now=now)
    delivery.unreachable = [p.recipient for p in planned if not p.channels]
    return queued, delivery
