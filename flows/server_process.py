"""`prefect server start` as a child process on a free loopback port (tests, production checks)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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

    port = free_port()
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
