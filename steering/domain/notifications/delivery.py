"""The outbox's rules: capped exponential backoff, giving up, and how senders hold messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# 1, 2, 4 ... 256 minutes, then every 6 hours: 20 attempts span about 3 days (68.5 hours).
DEFAULT_MAX_ATTEMPTS = 20
# Deliveries usually run once a working day (the reminders), not every 6 hours: a message
# is also given up 3 days after it was queued, once it failed at least 3 times.
DEFAULT_GIVE_UP_AFTER = timedelta(hours=72)
LEAST_ATTEMPTS = 3


@dataclass(frozen=True)
class GiveUp:
    """When a failing message becomes a dead letter: after `attempts` failed attempts, or
    `after` its queuing once it failed `least` times (a revived one gets `least` more)."""

    attempts: int = DEFAULT_MAX_ATTEMPTS
    after: timedelta = DEFAULT_GIVE_UP_AFTER
    least: int = LEAST_ATTEMPTS


def retry_after(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (the exponent is capped first)."""
    doublings = 0
    delay = FIRST_RETRY
    while doublings < attempts - 1 and delay < LONGEST_RETRY:
        delay *= 2
        doublings += 1
    return min(delay, LONGEST_RETRY)


def gives_up(attempts: int, rule: GiveUp, *, queued_for: timedelta = timedelta(0)) -> bool:
    """After `attempts` failed attempts, `queued_for` after it was queued: a dead letter?"""
    return attempts >= rule.attempts or (
        attempts >= min(rule.least, rule.attempts) and queued_for >= rule.after
    )


# A sender claims this many messages at a time, each for this long, and renews the lease
# while it works on them (see Lease): a dead sender blocks at most a batch for one lease.
DEFAULT_CLAIM_BATCH = 5
DEFAULT_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Lease:
    """How a sender holds messages: `batch` claimed at once, for `length`, renewed before each
    send and every third of `length` while one is sent or its outcome recorded."""

    batch: int = DEFAULT_CLAIM_BATCH
    length: timedelta = DEFAULT_LEASE

    @property
    def renew_every(self) -> timedelta:
        """The heartbeat: two renewals may fail before another sender can take over."""
        return self.length / 3
