"""A local Prefect API server inside this process, for the demo on the embedded default.

A separate `prefect server start` process would import Prefect a second time (several
seconds); serving the API from a thread of the demo's own process avoids that. Runs,
logs and artifacts land in PREFECT_HOME, so `prefect server start` shows them later.
"""

from __future__ import annotations

import gzip
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


@contextmanager
def local_prefect_server(startup_timeout: float = 120.0) -> Iterator[str]:
    """Serve the Prefect API from a thread; yield its URL; stop it on exit."""
    import uvicorn
    from prefect.logging.handlers import APILogWorker
    from prefect.server.api.server import create_app
    from prefect.settings import PREFECT_API_URL, temporary_settings

    port = _free_port()
    config = uvicorn.Config(
        create_app(ephemeral=False),
        host="127.0.0.1",
        port=port,
        log_level="error",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="prefect-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the local Prefect API server did not start")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/api"
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            yield url
            APILogWorker.drain_all(timeout=5)  # deliver the run's logs before the server stops
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@contextmanager
def prefect_server_process(
    home: Path,
    *,
    env: dict[str, str] | None = None,
    auth: str | None = None,
    startup_timeout: float = 180.0,
) -> Iterator[str]:
    """Run `prefect server start` on a free loopback port; yield its API URL.

    The database is SQLite in `home` unless `env` names another; `auth` ('user:password')
    switches basic auth on. The server and its children are stopped as a process group.
    """
    import base64
    import signal
    import urllib.request

    port = _free_port()
    environment = {
        **os.environ,
        **(env or {}),
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api",
        **({"PREFECT_SERVER_API_AUTH_STRING": auth} if auth else {}),
    }
    headers = {"Authorization": "Basic " + base64.b64encode(auth.encode()).decode()} if auth else {}
    command = [
        sys.executable,
        "-m",
        "prefect",
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            try:
                request = urllib.request.Request(f"{url}/health", headers=headers)
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("prefect server did not become healthy") from None
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
