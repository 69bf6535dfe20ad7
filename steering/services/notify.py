"""Use cases: queue digests in the outbox (idempotently) and deliver what is due."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.delivery import GiveUp, Lease
from steering.domain.notifications.digest import Digest, build_digests
from steering.domain.notifications.message import Message
from steering.domain.notifications.notices import DELIVERY_PROBLEMS, Notice
from steering.domain.notifications.reminders import History
from steering.ports import StoreConflict
from steering.ports.outbox import LeasesFor
from steering.ports.records import DROPPED, HELD
from steering.ports.sender import Sender
from steering.ports.store import UnitOfWork
from steering.services.delivery import (
    Delivery,
    DeliveryIncomplete,
    deliver_outbox,
    mask_credentials,
)
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
    phase_notices,
    step_notices,
    without_inhibited,
)
from steering.services.notification_texts import render_digest
from steering.services.pending_notices import load_pending, mark_queued
from steering.services.portal_links import PortalLinks

# deliver_outbox and its types live in steering.services.delivery; importable from here too.
__all__ = [
    "Delivery",
    "DeliveryIncomplete",
    "NoticesNotQueued",
    "Planned",
    "Queued",
    "Sender",
    "deliver_outbox",
    "mask_credentials",
    "notify",
    "plan_digests",
    "queue_digests",
    "queue_notices",
    "reminder_notices",
]


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


def reminder_notices(
    definition: ProgrammeDefinition, *, uow: UnitOfWork, today: date
) -> list[Notice]:
    """Due and overdue steps, escalations, missing data and upcoming events for `today`."""
    pid = definition.programme.id
    tz = ZoneInfo(definition.programme.timezone)
    with uow:
        ids = [o.id for o in definition.organisations]
        progress = uow.progress(definition.programme.id)
        steps = progress.steps_by_organisation(ids, tz=tz)
        cycles = progress.newest_cycles(ids)
        starts = progress.phase_starts(ids)
        histories = uow.outbox.histories(pid, tz=tz)
        measurements = uow.repo.measurements_frame(pid)
        inhibited = uow.outbox.open_abort_reviews(pid)
        stopped = set(uow.repo.aborted_organisations(pid))

    def history(org: str, item: str) -> History:
        return histories.get((org, item), History())

    notices = [
        *step_notices(definition, steps, history, today),
        *phase_notices(definition, cycles, starts, history, today),
        *data_missing_notices(definition, measurements, today),
        *event_notices(definition, today),
    ]
    # An aborted organisation's participation has ended: it hears of nothing any more.
    return without_inhibited([n for n in notices if n.organisation not in stopped], inhibited)


def _digest_key(pid: str, digest: Digest, channel: str) -> str:
    keys = "\n".join(sorted(n.key for n in digest.notices))
    digest_hash = hashlib.sha256(f"{pid}\n{channel}\n{keys}".encode()).hexdigest()[:32]
    return f"{digest.recipient}:{digest_hash}"


def plan_digests(
    definition: ProgrammeDefinition,
    notices: Sequence[Notice],
    *,
    uow: UnitOfWork,
    sender: Sender,
    ui_url: str | None,
    now: datetime,
    portal: PortalLinks | None = None,
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
            done = done_step_items(uow.progress(pid).steps_by_organisation(ids, tz=tz))
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
        message = render_digest(definition, digest, ui_url=ui_url, portal=portal)
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
    uow: UnitOfWork,
    now: datetime,
) -> int:
    """Persist the digests (one message per channel) and their notices; returns messages.

    A concurrent run that queued the same notices first wins: the unique keys refuse the
    second writer, which then queues only digests none of whose notices were told.
    """
    lost_race: tuple[type[Exception], ...] = (StoreConflict, *uow.refused)
    for attempt in (1, 2):
        try:
            return _queue(definition, planned, uow=uow, now=now, skip_told=attempt == 2)
        except lost_race:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _queue(
    definition: ProgrammeDefinition,
    planned: Sequence[Planned],
    *,
    uow: UnitOfWork,
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
                    raise StoreConflict("kept notices released concurrently")
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


class NoticesNotQueued(RuntimeError):
    """Notices for someone are neither queued nor told before: the run failed, and what
    checkpoints stored to be told stays pending for the next run."""


@dataclass(frozen=True)
class Queued:
    """What one run queued: notices considered, messages queued, who has no channel."""

    notices: int
    messages: int
    unreachable: list[str]
    checkpoints: tuple[str, ...] = ()  # whose stored notices this run queued


def _check_told(
    definition: ProgrammeDefinition, notices: Sequence[Notice], *, uow: UnitOfWork
) -> None:
    """Raise unless every recipient of every notice has it in the notice log now."""
    expected = {(d.recipient, n.key) for d in build_digests(definition, notices) for n in d.notices}
    if not expected:
        return
    with uow:
        told = uow.outbox.told(definition.programme.id, {r for r, _ in expected})
    missing = sorted(expected - told)
    if missing:
        shown = ", ".join(f"{r}: {k}" for r, k in missing[:5])
        raise NoticesNotQueued(
            f"{len(missing)} von {len(expected)} Hinweisen nicht eingereiht ({shown})"
        )


def queue_notices(
    definition: ProgrammeDefinition,
    notices: Sequence[Notice],
    *,
    uow_factory: Callable[[], UnitOfWork],
    sender: Sender,
    now: datetime,
    ui_url: str | None,
    portal: PortalLinks | None = None,
) -> Queued:
    """Queue digests for these notices and for what checkpoints stored to be told.

    Checkpoints store their notices with their lights, so notices of a run that died
    before telling are queued by the next run of any kind. Raises when the store fails or
    a notice did not reach the outbox (NoticesNotQueued); nothing is marked queued then.
    """
    pending = load_pending(definition, uow=uow_factory())
    everything = list({n.key: n for n in [*pending.notices, *notices]}.values())
    planned = plan_digests(
        definition,
        everything,
        uow=uow_factory(),
        sender=sender,
        ui_url=ui_url,
        now=now,
        portal=portal,
    )
    messages = queue_digests(definition, planned, uow=uow_factory(), now=now)
    _check_told(definition, everything, uow=uow_factory())
    mark_queued(pending, uow=uow_factory(), now=now)
    unreachable = [p.recipient for p in planned if not p.channels]
    return Queued(len(everything), messages, unreachable, pending.checkpoints)


def notify(
    definition: ProgrammeDefinition,
    notices: Sequence[Notice],
    *,
    uow_factory: Callable[[], UnitOfWork],
    leases_for: LeasesFor,
    sender: Sender,
    now: datetime,
    ui_url: str | None,
    portal: PortalLinks | None = None,
    give_up: GiveUp = GiveUp(),  # noqa: B008 (frozen value)
    lease: Lease = Lease(),  # noqa: B008 (frozen value)
    workers: int = 1,
) -> tuple[int, Delivery]:
    """Queue the digests for these notices and the pending ones, then deliver what is due.

    Raises when the store fails (DeliveryIncomplete among others) or a notice could not be
    queued (NoticesNotQueued); a channel that is down does not raise.
    """
    queued = queue_notices(
        definition,
        notices,
        uow_factory=uow_factory,
        sender=sender,
        now=now,
        ui_url=ui_url,
        portal=portal,
    )
    delivery = deliver_outbox(
        definition,
        leases_for=leases_for,
        sender=sender,
        now=now,
        give_up=give_up,
        lease=lease,
        workers=workers,
    )
    delivery.unreachable = queued.unreachable
    return queued.messages, delivery
