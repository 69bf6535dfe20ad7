"""Pause Python's cycle collector while building many acyclic objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (it is restored as it was afterwards)."""
    # A million new tuples, strings and rows trigger repeated full collections that find
    # nothing: seconds of an import of a million values.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
