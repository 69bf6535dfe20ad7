"""Use case: deliver what is due in the outbox, one message at a time per sender, each
outcome durable before the next message is sent."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.organisations import Person
from steering.domain.notifications.delivery import GiveUp, Lease, gives_up, retry_after
from steering.domain.notifications.message import Message
from steering.io_retries import STORE_RECORD_PAUSES
from steering.ports import LeaseLost, StoreUnavailable
from steering.ports.outbox import LeasedMessage, LeasesFor, OutboxLeasing, Outcome
from steering.ports.sender import Sender

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

# A write to the store (a claim, an attempt's mark, an outcome) is retried after these
# pauses when the store is locked or unreachable (see io_retries).
RECORD_RETRIES = STORE_RECORD_PAUSES


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)
    # Recipients who had news but no channel (no e-mail URL, no notify URL, no tag).
    unreachable: list[str] = field(default_factory=list)
    # Messages whose earlier sender died mid-send: they may have reached the recipient twice.
    interrupted: list[str] = field(default_factory=list)


class DeliveryIncomplete(RuntimeError):
    """The store failed: sending stopped, and an outcome may be unrecorded (the run failed)."""


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


def _retrying(write: Callable[[], _T], pauses: Sequence[float]) -> _T:
    """Run a store write, again after each pause while the store is locked or unreachable."""
    for pause in pauses:
        try:
            return write()
        except StoreUnavailable as hiccup:
            _log.warning("Speicher nicht erreichbar, neuer Versuch in %.1f s: %s", pause, hiccup)
            time.sleep(pause)
    return write()


class _Heartbeat:
    """Renews a sender's lease in the background, also while a message is sent or stored."""

    def __init__(self, renew: Callable[[], object], every: timedelta) -> None:
        self._renew = renew
        self._every = every.total_seconds()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="outbox-lease", daemon=True)

    def _beat(self) -> None:
        while not self._done.wait(self._every):
            try:
                self._renew()
            except Exception as failure:  # retried at the next beat; the lease outlasts two
                _log.debug("Verlängerung fehlgeschlagen: %s", type(failure).__name__)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def _owner() -> str:
    """A sender's name in the outbox: host, process and a random part (unique per sender)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(6)}"


@dataclass
class _Run:
    """What the senders of one run share: the clock, the limit, the outcomes, the stop."""

    definition: ProgrammeDefinition
    leases_for: LeasesFor
    sender: Sender
    now: datetime
    lease: Lease
    give_up: GiveUp
    record_retries: Sequence[float]
    ignore_backoff: bool
    left: int
    result: Delivery = field(default_factory=Delivery)
    problems: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.monotonic)
    people: dict[str, Person] = field(init=False)

    def __post_init__(self) -> None:
        self.people = {p.id: p for p in self.definition.people}

    def clock(self) -> datetime:
        """The run's instant plus the time it has taken so far: leases follow real time."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def until(self) -> datetime:
        """When a lease taken or renewed now ends."""
        return self.clock() + self.lease.length

    def take(self, wanted: int) -> int:
        """How many more messages this run may claim (`limit` in all)."""
        with self.lock:
            granted = min(wanted, self.left)
            self.left -= granted
            return granted

    def failed_store(self, problem: str) -> None:
        """The store failed for good: every sender stops after its message in flight."""
        with self.lock:
            self.problems.append(problem)
        self.stop.set()


def deliver_outbox(
    definition: ProgrammeDefinition,
    *,
    leases_for: LeasesFor,
    sender: Sender,
    now: datetime,
    limit: int = 10_000,
    workers: int = 1,
    ignore_backoff: bool = False,
    give_up: GiveUp = GiveUp(),  # noqa: B008 (frozen value)
    lease: Lease = Lease(),  # noqa: B008 (frozen value)
    record_retries: Sequence[float] = RECORD_RETRIES,
) -> Delivery:
    """Send every due message; each outcome is durable before the sender's next message.

    Each of the `workers` senders claims `lease.batch` messages at a time and, message by
    message, renews its lease and marks the attempt in one commit, sends, and commits the
    outcome (with the next message's mark) before the next send, retrying the store for
    about a minute; a heartbeat renews its lease all along. A channel being down is
    recorded (retried later, or given up by the `give_up` rule) and never raises. A sender
    that cannot write to the store stops; the others stop after their message in flight,
    their unsent claims are given back, and DeliveryIncomplete is raised (the run failed).
    A message whose outcome could not be recorded stays leased and is sent again once the
    lease lapsed: the only message a failure or crash can repeat is the one in flight, per
    sender.
    """
    run = _Run(
        definition,
        leases_for,
        sender,
        now,
        lease,
        give_up,
        record_retries,
        ignore_backoff,
        left=limit,
    )
    senders = [
        threading.Thread(target=_sending, args=(run,), name=f"outbox-sender-{n}")
        for n in range(1, workers)
    ]
    for thread in senders:
        thread.start()
    _sending(run)  # the first sender is this thread
    for thread in senders:
        thread.join()
    if run.problems:
        r = run.result
        raise DeliveryIncomplete(
            f"{r.sent} gesendet, {r.failed} fehlgeschlagen, dann: " + "; ".join(run.problems)
        )
    return run.result


def _sending(run: _Run) -> None:
    """One sender: claim a small batch, send it message by message, claim the next; its
    lease is renewed in the background all along, and with every outcome."""
    leases = run.leases_for(_owner())
    sending = _Sender(run, leases)
    after = 0
    try:
        with _Heartbeat(lambda: leases.renew(run.until()), run.lease.renew_every):
            while not run.stop.is_set():
                wanted = run.take(run.lease.batch)
                if not wanted:
                    return
                batch = _retrying(partial(_claim, run, leases, after, wanted), run.record_retries)
                if not batch:
                    return
                after = batch[-1].id
                sending.batch(batch)
    except StoreUnavailable as failure:
        run.failed_store(f"Speicher nicht erreichbar, nichts mehr gesendet: {failure}")
    except Exception as failure:  # an unexpected store error must still stop every sender
        run.failed_store(f"{type(failure).__name__}: {mask_credentials(str(failure))[:300]}")
    finally:
        if run.stop.is_set():
            # Best effort: otherwise the unsent claims lapse after the lease.
            with contextlib.suppress(Exception):
                leases.release(sending.marked)


def _claim(run: _Run, leases: OutboxLeasing, after: int, wanted: int) -> list[LeasedMessage]:
    at = run.clock()
    return leases.claim(
        run.definition.programme.id,
        due_at=run.now,
        at=at,
        until=at + run.lease.length,
        after_id=after,
        limit=wanted,
        ignore_backoff=run.ignore_backoff,
    )


@dataclass
class _Sender:
    """Sends a batch message by message: each attempt is marked before it is sent, and its
    outcome stored before the next one, in the commit that marks the next attempt."""

    run: _Run
    leases: OutboxLeasing
    marked: int | None = None  # marked for an attempt, not sent yet

    def batch(self, batch: list[LeasedMessage]) -> None:
        run = self.run
        for n, message in enumerate(batch):
            if run.stop.is_set():
                return
            if self.marked != message.id:
                start = partial(self.leases.start, message.id, at=run.clock(), until=run.until())
                if not _retrying(start, run.record_retries):
                    continue  # another sender took it over: it is theirs to send
            self.marked = None
            following = batch[n + 1].id if n + 1 < len(batch) else None
            if not self.one(message, following):
                return

    def one(self, message: LeasedMessage, following: int | None) -> bool:
        """Send one marked message and store its outcome; False when the store failed."""
        run = self.run
        label = f"#{message.id} {message.recipient}/{message.channel}"
        if message.interrupted:
            _log.warning("%s: der vorige Versand brach ab; die Nachricht geht erneut hinaus", label)
            with run.lock:
                run.result.interrupted.append(label)
        error = _attempt(
            run.sender,
            run.people.get(message.recipient),
            message.recipient,
            message.channel,
            Message(message.subject, message.text, message.html),
        )
        outcome = _outcome(run, message, error)
        following = None if run.stop.is_set() else following
        record = partial(self.leases.record, message.id, outcome, then=following, until=run.until())
        try:
            next_held = _retrying(record, run.record_retries)
        except (StoreUnavailable, LeaseLost) as failure:
            run.failed_store(f"{label}: Ergebnis nicht gespeichert ({failure})")
            return False
        except Exception as failure:  # the store refused the write: stop all the same
            reason = f"{type(failure).__name__}: {failure}".splitlines()[0][:300]
            run.failed_store(f"{label}: Ergebnis nicht gespeichert ({mask_credentials(reason)})")
            return False
        self.marked = following if next_held else None
        with run.lock:
            if outcome.status == "sent":
                run.result.sent += 1
            else:
                run.result.failed += 1
                run.result.given_up += outcome.status == "dead"
                run.result.errors.append(f"{message.recipient}/{message.channel}: {error}")
        return True


def _outcome(run: _Run, message: LeasedMessage, error: str | None) -> Outcome:
    """Sent, failed (with its next attempt) or given up, by the domain's retry rules."""
    if error is None:
        return Outcome("sent", run.now)
    attempts = message.attempts + 1
    if gives_up(attempts, run.give_up, queued_for=run.now - message.created_at):
        return Outcome("dead", run.now, error)
    return Outcome("failed", run.now, error, retry_at=run.now + retry_after(attempts))
