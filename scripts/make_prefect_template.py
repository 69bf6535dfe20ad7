"""Build flows/data/prefect-empty.db.gz: an empty Prefect database, migrated to the head.

Usage: .venv/bin/python scripts/make_prefect_template.py
Prefect migrates a new SQLite database in 6-10 s; the demo copies this template instead
on its first run. Rebuild it whenever the pinned Prefect version changes (a test fails
until then: tests/unit/test_prefect_template.py).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "flows" / "data" / "prefect-empty.db.gz"


def _create(home: Path) -> None:
    from prefect.server.database import provide_database_interface

    asyncio.run(provide_database_interface().create_db())
    assert (home / "prefect.db").is_file()


def main() -> None:
    """Create the database in a fresh PREFECT_HOME (own process), compact it, gzip it."""
    if len(sys.argv) > 1 and sys.argv[1] == "--create":
        _create(Path(os.environ["PREFECT_HOME"]))
        return
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        subprocess.run(
            [sys.executable, __file__, "--create"],
            env={**os.environ, "PREFECT_HOME": str(home)},
            check=True,
        )
        with sqlite3.connect(home / "prefect.db") as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.execute("PRAGMA journal_mode=DELETE")
            connection.execute("VACUUM")
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        with (home / "prefect.db").open("rb") as source, gzip.open(TARGET, "wb", 9) as out:
            shutil.copyfileobj(source, out)
    print(f"{TARGET} ({TARGET.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
