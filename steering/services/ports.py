"""Failures the adapters signal through the services' ports, free of any driver's types."""

from __future__ import annotations


class StoreUnavailable(RuntimeError):
    """The store was locked or unreachable: the same write may well succeed a moment later."""


class LeaseLost(RuntimeError):
    """Another sender holds the message now: this sender's claim had lapsed."""
