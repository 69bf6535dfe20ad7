"""Files written atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path next to `path` to write to; it replaces `path` once writing is done."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    yield temporary
    temporary.replace(path)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text atomically and return the path."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return path


def write_chunks(path: Path, chunks: Iterable[str]) -> Path:
    """Write UTF-8 text piece by piece, atomically, and return the path."""
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8") as out:
        out.writelines(chunks)
    return path


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes atomically and return the path."""
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return path
