"""The outbox leases a sender holds: claims, renewals and outcomes, each durable at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Outcome:
    """What became of an attempt: 'sent', 'failed' (retried at `retry_at`) or 'dead'."""

    status: str
    at: datetime
    error: str | None = None
    retry_at: datetime | None = None


@dataclass(frozen=True)
class LeasedMessage:
    """A message a sender holds: what to send, and what its outcome depends on."""

    id: int
    recipient: str
    channel: str
    subject: str
    text: str
    html: str
    attempts: int
    created_at: datetime
    # A previous sender began an attempt and died before recording it: it may have gone out.
    interrupted: bool


class OutboxLeasing(Protocol):
    """Claims, renewals and outcomes of one sender, each committed at once.

    A locked or unreachable store raises StoreUnavailable; a claim that another sender took
    over raises LeaseLost (on recording) or reads as False (before sending).
    """

    @property
    def owner(self) -> str:
        """The sender's name in the outbox."""
        ...

    def claim(
        self,
        programme_id: str,
        *,
        due_at: datetime,
        at: datetime,
        until: datetime,
        after_id: int,
        limit: int,
        ignore_backoff: bool = False,
    ) -> list[LeasedMessage]:
        """Lease up to `limit` due messages with an id above `after_id` that nobody holds."""
        ...

    def start(self, message_id: int, *, at: datetime, until: datetime) -> bool:
        """Renew the lease and mark the attempt; False if the message is not held any more."""
        ...

    def renew(self, until: datetime) -> int:
        """Extend the lease on every message held; how many are held."""
        ...

    def record(
        self, message_id: int, outcome: Outcome, *, then: int | None = None, until: datetime
    ) -> bool:
        """Store the outcome and free the message; with `then`, whether that one is held."""
        ...

    def release(self, marked: int | None = None) -> None:
        """Give back the messages held but not attempted, and the one `marked`."""
        ...


# Opens the leases of one sender, by its name (`owner`).
LeasesFor = Callable[[str], OutboxLeasing]
