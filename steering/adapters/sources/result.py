"""What reading a source yields (the types live in steering.ports.sources), and FileProblem."""

from __future__ import annotations

from steering.ports.sources import (
    ImportFailed,
    ImportResult,
    ImportRow,
    RowError,
)

__all__ = [
    "FileProblem",
    "ImportFailed",
    "ImportResult",
    "ImportRow",
    "RowError",
]


class FileProblem(Exception):
    """Reading stopped at a file-level problem (encoding, missing column, ...).

    `transient` marks a source that could not be reached (a database down, a timeout):
    trying again later may work, unlike bad content.
    """

    def __init__(self, errors: list[RowError], *, transient: bool = False) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors
        self.transient = transient
