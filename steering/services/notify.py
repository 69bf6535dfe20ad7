"""Use cases: queue digests in the outbox (idempotently) and deliver what is due."""

from __future__ import annotations

import contextlib
import hashlib
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from steering.adapters.db.outbox_repository import DROPPED, HELD
from steering.adapters.db.progress_repository import ProgressRepository
from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Person
from steering.domain.notifications.delivery import (
    DEFAULT_MAX_ATTEMPTS,
    gives_up,
    retry_after,
)
from steering.domain.notifications.digest import Digest, build_digests
from steering.domain.notifications.message import Message
from steering.domain.notifications.notices import DELIVERY_PROBLEMS, Notice
from steering.domain.notifications.reminders import History
from steering.services.delivery_problems import (
    PROBLEMS_ONLY,
    dead_letter_notices,
    done_step_items,
    held_data,
    releases,
    unreachable_notices,
)
from steering.services.notices import (
    data_missing_notices,
    event_notices,
    step_notices,
    without_inhibited,
)
from steering.services.notification_texts import render_digest

# Retries: see steering.domain.notifications.delivery. A claim older than 10 minutes is a
# sender that died mid-send, and its message is taken again (at least once).
CLAIM_LEASE = timedelta(minutes=10)
# Recording an outcome is retried after these pauses when the store is briefly unreachable.
RECORD_RETRIES = (0.5, 2.0)


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
    # Notice-log rows of notices kept for this person while they had no channel: carried by
    # this message now (`settle`), or dropped because their item closed meanwhile (`drop`).
    settle: tuple[int, ...] = ()
    drop: tuple[int, ...] = ()
    released: frozenset[str] = frozenset()  # keys of the notices that were kept


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)
    # Recipients who had news but no channel (no e-mail URL, no notify URL, no tag).
    unreachable: list[str] = field(default_factory=list)


class DeliveryIncomplete(RuntimeError):
    """Outcomes of sent or attempted messages could not be recorded: the run failed."""


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
        steps = ProgressRepository(uow.session).steps_by_organisation(ids, tz=tz)
        histories = uow.outbox.histories(pid, tz=tz)
        measurements = uow.repo.measurements_frame(pid)
        inhibited = uow.outbox.open_abort_reviews(pid)

    def history(org: str, item: str) -> History:
        return histories.get((org, item), History())

    notices = [
        *step_notices(definition, steps, history, today),
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
    now: datetime,
) -> list[Planned]:
    """One digest per recipient with only the notices they were not told yet.

    Besides `notices`: given-up messages and people without a channel, for the lead (once
    each); and notices kept for people who now have a channel, if their item is still open.
    """
    pid = definition.programme.id
    tz = ZoneInfo(definition.programme.timezone)
    people = {p.id: p for p in definition.people}
    channels = {p.id: sender.channels(p) for p in definition.people}
    with uow:
        given_up = uow.outbox.given_up(pid)
        held = [h for h in uow.outbox.held(pid) if h.recipient in people]
        reachable = {h.recipient for h in held if channels[h.recipient]}
        done: set[tuple[str, str]] = set()
        reviews: set[str] = set()
        if reachable:
            ids = [o.id for o in definition.organisations]
            done = done_step_items(
                ProgressRepository(uow.session).steps_by_organisation(ids, tz=tz)
            )
            reviews = uow.outbox.open_abort_reviews(pid)
        told = uow.outbox.told(pid, people)
    news = [*notices, *dead_letter_notices(definition, given_up)]
    digests = build_digests(definition, news)
    unheard = [
        Digest(d.recipient, tuple(n for n in d.notices if (d.recipient, n.key) not in told))
        for d in digests
    ]
    digests = build_digests(
        definition, [*news, *unreachable_notices(definition, unheard, channels)]
    )
    kept = releases(
        definition,
        held,
        reachable=reachable,
        done_steps=done,
        open_reviews=reviews,
        today=now.astimezone(tz).date(),
    )
    fresh_by_person = {
        d.recipient: tuple(n for n in d.notices if (d.recipient, n.key) not in told)
        for d in digests
    }
    planned = []
    for person in people:
        release = kept.get(person)
        fresh = fresh_by_person.get(person, ())
        # A kept notice about an item today's news speaks of too is carried silently.
        today_items = {(f.organisation, f.item) for f in fresh}
        released = tuple(
            n
            for n in (release.notices if release else ())
            if (n.organisation, n.item) not in today_items
        )
        if not fresh and not released:
            continue  # (kept notices carried by nothing stay kept until the next message)
        digest = Digest(person, (*released, *fresh))
        message = render_digest(definition, digest, ui_url=ui_url)
        planned.append(
            Planned(
                person,
                channels[person],
                message,
                digest.notices,
                settle=release.settle if release else (),
                drop=release.drop if release else (),
                released=frozenset(n.key for n in released),
            )
        )
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
        still_held = {h.id for h in uow.outbox.held(pid)} if skip_told else set()
        for plan in planned:
            if skip_told and not set(plan.settle) <= still_held:
                continue  # a concurrent run released these kept notices and queued them
            if any(
                (plan.recipient, n.key) in told and n.key not in plan.released for n in plan.notices
            ):
                continue
            digest = Digest(plan.recipient, plan.notices)
            kind = "digest-urgent" if digest.urgent else "digest"
            if all(n.kind in DELIVERY_PROBLEMS for n in plan.notices):
                kind = PROBLEMS_ONLY
            first_key = ""
            if plan.channels and plan.settle:
                key = _digest_key(pid, digest, plan.channels[0])
                # A concurrent run that released these kept notices first has queued them.
                if not all(uow.outbox.settle_held(i, key) for i in plan.settle):
                    uow.rollback()
                    raise IntegrityError("kept notices released concurrently", None, Exception())
            for log_id in plan.drop:
                uow.outbox.settle_held(log_id, DROPPED)
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
                if notice.key in plan.released:
                    continue
                uow.outbox.log_notice(
                    pid,
                    plan.recipient,
                    key=notice.key,
                    kind=str(notice.kind),
                    organisation=notice.organisation,
                    item=notice.item,
                    occasion=notice.occasion,
                    # Without a channel the notice is kept with its facts, and told once the
                    # person has a channel (if its item is still open then).
                    message_key=first_key or HELD,
                    now=now,
                    data=None if first_key else held_data(notice),
                )
        uow.commit()
    return queued


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
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    record_retries: Sequence[float] = RECORD_RETRIES,
) -> Delivery:
    """Send every due message, recording each outcome in its own transaction right away.

    A channel being down is recorded (retry later, or given up after `max_attempts`) and
    never raises. An outcome that cannot be recorded stops further sending; the other
    outcomes are still recorded, then DeliveryIncomplete is raised (the run failed).
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
    stop = threading.Event()
    unrecorded: list[str] = []
    not_tried: list[int] = []

    def send_and_record(
        message_id: int, recipient: str, channel: str, message: Message
    ) -> tuple[str, str | None]:
        """(status, error): the outcome is durable before the next message is taken."""
        if stop.is_set():
            return "not-tried", None
        error = _attempt(sender, people.get(recipient), recipient, channel, message)
        try:
            status = _record(uow_factory, message_id, error, now, max_attempts, record_retries)
        except Exception as failure:  # the store failed: no more sending, the rest recorded
            stop.set()
            return "unrecorded", _reason(failure)
        return status, error

    with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
        futures = {pool.submit(send_and_record, *claim): claim[:3] for claim in claimed}
        for future in as_completed(futures):
            message_id, recipient, channel = futures[future]
            status, error = future.result()
            if status == "not-tried":
                not_tried.append(message_id)
            elif status == "unrecorded":
                unrecorded.append(f"#{message_id} {recipient}/{channel}: {error}")
            elif status == "sent":
                result.sent += 1
            else:
                result.failed += 1
                result.given_up += status == "dead"
                result.errors.append(f"{recipient}/{channel}: {error}")
    if not_tried:
        # Best effort: the store already failed once; otherwise the claims lapse after the lease.
        with contextlib.suppress(Exception), uow_factory() as uow:
            uow.outbox.release(not_tried, now)
            uow.commit()
    if unrecorded:
        results = "1 Ergebnis" if len(unrecorded) == 1 else f"{len(unrecorded)} Ergebnisse"
        raise DeliveryIncomplete(
            f"{results} nicht gespeichert, Zustellung abgebrochen "
            f"({result.sent} gesendet, {result.failed} fehlgeschlagen, {len(not_tried)} nicht "
            f"versucht): " + "; ".join(unrecorded)
        )
    return result


def _reason(failure: BaseException) -> str:
    return mask_credentials(f"{type(failure).__name__}: {failure}".splitlines()[0])[:300]


def _record(
    uow_factory: Callable[[], SqlUnitOfWork],
    message_id: int,
    error: str | None,
    now: datetime,
    max_attempts: int,
    pauses: Sequence[float],
) -> str:
    """Store one outcome durably; retried when the store is briefly unreachable."""
    for pause in (*pauses, None):
        try:
            with uow_factory() as uow:
                row = uow.outbox.get(message_id)
                if error is None:
                    uow.outbox.mark_sent(row, now)
                elif gives_up(row.attempts + 1, max_attempts):
                    uow.outbox.mark_dead(row, error, now)
                else:
                    retry_at = now + retry_after(row.attempts + 1)
                    uow.outbox.mark_failed(row, error, retry_at=retry_at)
                status = row.status
                uow.commit()
            return status
        except (OperationalError, InterfaceError):
            if pause is None:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")


def notify(
    definition: ProgrammeDefinition,
    notices: Sequence[Notice],
    *,
    uow_factory: Callable[[], SqlUnitOfWork],
    sender: Sender,
    now: datetime,
    ui_url: str | None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> tuple[int, Delivery]:
    """Queue the digests for these notices, then deliver everything due (older ones too).

    Raises when the store fails (DeliveryIncomplete among others); a channel that is down
    does not raise.
    """
    planned = plan_digests(
        definition, notices, uow=uow_factory(), sender=sender, ui_url=ui_url, now=now
    )
    queued = queue_digests(definition, planned, uow=uow_factory(), now=now)
    delivery = deliver_outbox(
        definition, uow_factory=uow_factory, sender=sender, now=now, max_attempts=max_attempts
    )
    delivery.unreachable = [p.recipient for p in planned if not p.channels]
    return queued, delivery
