"""Pause Python's cycle collector while building many acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (it is resumed even on errors)."""
    # A million new tuples or dicts trigger repeated full collections that walk every live
    # object and find no cycle: seconds at 10,000 organisations.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
