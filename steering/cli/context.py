"""Per-invocation CLI state: language and console."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console


@dataclass
class CliState:
    """Options shared by all commands."""

    lang: str = "de"
    console: Console = field(default_factory=lambda: Console(highlight=False))
    errors: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))


STATE = CliState()
