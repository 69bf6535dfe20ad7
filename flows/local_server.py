"""A local Prefect API server inside this process, for the demo on the embedded default.

A separate `prefect server start` process would import Prefect a second time (several
seconds); serving the API from a thread of the demo's own process avoids that. Runs,
logs and artifacts land in PREFECT_HOME, so `prefect server start` shows them later.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# Where callers found these before they moved (the demo, tests).
from flows.prefect_home import TEMPLATE, prepare_environment, seed_database
from flows.server_process import free_port, prefect_server_process

__all__ = [
    "TEMPLATE",
    "free_port",
    "local_prefect_server",
    "prefect_server_process",
    "prepare_environment",
    "seed_database",
]


@contextmanager
def local_prefect_server(startup_timeout: float = 120.0) -> Iterator[str]:
    """Serve the Prefect API from a thread; yield its URL; stop it on exit."""
    import uvicorn
    from prefect.logging.handlers import APILogWorker
    from prefect.server.api.server import create_app
    from prefect.settings import PREFECT_API_URL, temporary_settings

    port = free_port()
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
