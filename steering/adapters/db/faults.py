"""Which errors mean that our own store failed, as the port-level StoreUnavailable."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from steering.ports import StoreConflict, StoreUnavailable


def store_fault(error: BaseException) -> StoreUnavailable | None:
    """The store failure behind `error`, or None when the store is not to blame.

    Sources read through SQLAlchemy turn their own errors into source problems before they
    get here (steering.adapters.sources.sql), so any SQLAlchemy error left is the store's:
    locked, unreachable, connection ended, disk full, or a schema it does not expect.
    A writer that kept losing races or waiting for a lock (StoreConflict, StoreBusy) met
    our store at its limits, not a bad source, too.
    """
    if isinstance(error, StoreUnavailable):
        return error
    if isinstance(error, StoreConflict):
        return StoreUnavailable(f"{type(error).__name__}: {error}"[:300])
    if isinstance(error, SQLAlchemyError):
        original = getattr(error, "orig", None) or error
        first = (str(original).strip().splitlines() or [""])[0]
        return StoreUnavailable(f"{type(original).__name__}: {first}"[:300])
    return None
