"""Serialise the writers of one subject across processes; name lost races as port errors."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from steering.ports import StoreBusy, StoreConflict

# PostgreSQL: unique violation; deadlock and serialisation failure (both retryable);
# lock_not_available (a lock_timeout ran out).
_UNIQUE, _RETRYABLE, _LOCK_TIMEOUT = "23505", ("40P01", "40001"), "55P03"


def lock_id(subject: str) -> int:
    """A stable signed 64-bit number for a subject (PostgreSQL advisory locks take one)."""
    return int.from_bytes(hashlib.sha256(subject.encode()).digest()[:8], "big", signed=True)


def take_lock(session: Session, subject: str) -> None:
    """Wait for the write lock of `subject`, held until the transaction ends.

    PostgreSQL locks the subject alone; SQLite has one write lock for the whole file, taken
    here at once so that what this transaction reads next is what it then writes over.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id(subject)})
    elif dialect == "sqlite":
        # A write that changes nothing starts the write transaction (waiting for busy_timeout).
        session.execute(text("UPDATE imports SET id = id WHERE 0 = 1"))


def _code(error: Exception) -> str:
    return str(getattr(getattr(error, "orig", None), "sqlstate", "") or "")


@contextmanager
def store_errors() -> Iterator[None]:
    """Raise a lost race as StoreConflict and an exhausted lock wait as StoreBusy."""
    try:
        yield
    except IntegrityError as exc:
        if _code(exc) == _UNIQUE or "UNIQUE constraint failed" in str(exc.orig):
            raise StoreConflict(str(exc.orig).splitlines()[0]) from exc
        raise
    except OperationalError as exc:
        if _code(exc) == _LOCK_TIMEOUT or "database is locked" in str(exc.orig):
            raise StoreBusy(str(exc.orig).splitlines()[0]) from exc
        if _code(exc) in _RETRYABLE:
            raise StoreConflict(str(exc.orig).splitlines()[0]) from exc
        raise
