"""A Prefect home for the demo: an already migrated database and quiet server settings."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

TEMPLATE = Path(__file__).with_name("data") / "prefect-empty.db.gz"


def seed_database(home: Path) -> bool:
    """Give a new PREFECT_HOME an empty, already migrated Prefect database.

    Prefect needs 6-10 s to migrate a new SQLite database; the template (built by
    scripts/make_prefect_template.py for the pinned Prefect version) is copied in well
    under a second. Returns True when it was copied.
    """
    target = home / "prefect.db"
    if target.exists() or not TEMPLATE.is_file():
        return False
    if os.environ.get("PREFECT_API_DATABASE_CONNECTION_URL") or os.environ.get(
        "PREFECT_SERVER_DATABASE_CONNECTION_URL"
    ):
        return False  # a configured database is migrated by the server itself
    partial = target.with_name("prefect.db.part")
    with gzip.open(TEMPLATE, "rb") as source, partial.open("wb") as out:
        shutil.copyfileobj(source, out)
    partial.replace(target)
    return True


def prepare_environment(home: Path) -> None:
    """Point Prefect at `home`; call before anything imports prefect (it reads env once)."""
    home.mkdir(parents=True, exist_ok=True)
    seed_database(home)
    os.environ["PREFECT_HOME"] = str(home.resolve())
    # No network beyond loopback: no telemetry, no update checks.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT", "false")
    # The demo runs one flow by hand: services for schedules, late runs, workers and
    # automations only cost start-up time. Events and task runs are still recorded.
    for service in (
        "SCHEDULER",
        "LATE_RUNS",
        "FOREMAN",
        "CANCELLATION_CLEANUP",
        "PAUSE_EXPIRATIONS",
        "REPOSSESSOR",
        "CLEANUP_RECONCILER",
        "TRIGGERS",
    ):
        os.environ.setdefault(f"PREFECT_SERVER_SERVICES_{service}_ENABLED", "false")
