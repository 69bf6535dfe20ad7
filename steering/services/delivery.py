"""Use case: deliver what is due in the outbox, each outcome recorded right after sending."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.exc import InterfaceError, OperationalError

from steering.adapters.db.uow import SqlUnitOfWork
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Person
from steering.domain.notifications.delivery import GiveUp, gives_up, retry_after
from steering.domain.notifications.message import Message

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
    give_up: GiveUp = GiveUp(),  # noqa: B008 (frozen value)
    record_retries: Sequence[float] = RECORD_RETRIES,
) -> Delivery:
    """Send every due message, recording each outcome in its own transaction right away.

    A channel being down is recorded (retry later, or given up by the `give_up` rule) and
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
            status = _record(uow_factory, message_id, error, now, give_up, record_retries)
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
    give_up: GiveUp,
    pauses: Sequence[float],
) -> str:
    """Store one outcome durably; retried when the store is briefly unreachable."""
    for pause in (*pauses, None):
        try:
            with uow_factory() as uow:
                row = uow.outbox.get(message_id)
                if error is None:
                    uow.outbox.mark_sent(row, now)
                elif gives_up(row.attempts + 1, give_up, queued_for=now - row.created_at):
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
