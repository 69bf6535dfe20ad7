"""Errors the store raises in its own terms, so services and the CLI need no SQL driver."""

from __future__ import annotations


class StoreConflict(Exception):
    """Another writer changed the same values at the same moment; trying again may succeed."""


class StoreBusy(StoreConflict):
    """Another writer held the store (or the subject) longer than this writer may wait."""


class StoreUnavailable(RuntimeError):
    """Our own store could not do its work (locked, unreachable, disk full): retry, never
    mistake it for a source that could not be read."""


class LeaseLost(RuntimeError):
    """Another sender holds the message now: this sender's claim had lapsed."""
