"""Per-invocation CLI state: language and console."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from rich.console import Console


@dataclass
class CliState:
    """Options shared by all commands."""

    lang: str = "de"
    debug: bool = False  # tracebacks instead of one line for faults of the surroundings
    console: Console = field(default_factory=lambda: Console(highlight=False))
    errors: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))


STATE = CliState()


def current_actor() -> str:
    """Who runs the command (the login name), for the audit log."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"
