"""The outbox's retry rule: capped exponential backoff, then the message is given up."""

from __future__ import annotations

from datetime import timedelta

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
# 1, 2, 4 ... 256 minutes, then every 6 hours: 20 attempts span about 3 days (68.5 hours).
DEFAULT_MAX_ATTEMPTS = 20


def retry_after(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (the exponent is capped first)."""
    doublings = 0
    delay = FIRST_RETRY
    while doublings < attempts - 1 and delay < LONGEST_RETRY:
        delay *= 2
        doublings += 1
    return min(delay, LONGEST_RETRY)


def gives_up(attempts: int, max_attempts: int) -> bool:
    """After `attempts` failed attempts, is the message a dead letter?"""
    return attempts >= max_attempts


def retry_span(max_attempts: int) -> timedelta:
    """How long a message is retried before it is given up (when retried as soon as due)."""
    return sum((retry_after(n) for n in range(1, max_attempts)), timedelta())
