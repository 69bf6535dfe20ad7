"""Uploaded evidence files under the data directory, named by their content's digest."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_KEPT_NAME = re.compile(r"^[0-9a-f]{64}\.[a-z0-9]{1,8}$")


class EvidenceFolder:
    """Keeps evidence files as <folder>/<organisation>/<sha256>.<suffix>, never a given name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, organisation_id: str, suffix: str, content: bytes) -> str:
        """Keep the content; returns its reference (organisation/digest.suffix)."""
        # The names come from the definition and the content check, but a path is built from
        # them: refuse anything that is not a plain name rather than trust the callers.
        if not _SAFE.match(organisation_id) or not re.fullmatch(r"[a-z0-9]{1,8}", suffix):
            raise ValueError("organisation or suffix is not a plain name")
        digest = hashlib.sha256(content).hexdigest()
        target = self.folder / organisation_id / f"{digest}.{suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            partial = target.with_suffix(f".{suffix}.part")
            partial.write_bytes(content)
            os.replace(partial, target)
        return f"{organisation_id}/{target.name}"

    def read(self, organisation_id: str, name: str) -> bytes | None:
        """The kept file `name` (digest.suffix) of the organisation, if there is one."""
        if not _SAFE.match(organisation_id) or not _KEPT_NAME.match(name):
            return None  # only names this folder gave out: nothing else is ever opened
        path = self.folder / organisation_id / name
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
