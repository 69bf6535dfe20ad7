"""Run the demo against a local `prefect server` and screenshot its UI in headless Chromium.

Usage: .venv/bin/python scripts/screenshots.py [--out out/screenshots]
Needs Debian's chromium (/usr/bin/chromium). Writes artifacts.png (the checkpoint flow
run's artifacts tab), matrix.png (the traffic-light matrix artifact), status.png (one
organisation's status artifact) and runs.png.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=1500,1100",
    "--virtual-time-budget=30000",
    "--run-all-compositor-stages-before-draw",
]


def _api(url: str, path: str, body: dict[str, object] | None = None) -> object:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{url}{path}",
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _shoot(chromium: str, page: str, target: Path, user_data: Path) -> None:
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", f"--screenshot={target}", page],
        check=True,
        capture_output=True,
        timeout=120,
    )
    print(f"{target} <- {page}")


def main() -> None:
    """Start a server, run the demo against it, take the screenshots, stop the server."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {
        **os.environ,
        "PREFECT_HOME": str(out / "prefect"),
        "STEERING_DATA_DIR": str(out / "data"),
    }
    sys.path.insert(0, str(ROOT))
    from flows.local_server import prefect_server_process

    with prefect_server_process(out / "prefect", env=env) as api:
        base = api.removesuffix("/api")
        steer = str(Path(sys.executable).with_name("steer"))
        subprocess.run(
            [steer, "demo"], env={**env, "PREFECT_API_URL": f"{base}/api"}, check=True, cwd=ROOT
        )
        runs = _api(
            f"{base}/api",
            "/flow_runs/filter",
            {
                "flow_runs": {"name": {"like_": "checkpoint/"}},
                "sort": "START_TIME_DESC",
                "limit": 1,
            },
        )
        run_id = runs[0]["id"]  # type: ignore[index]
        profile = out / "chromium"
        _shoot(
            chromium, f"{base}/runs/flow-run/{run_id}?tab=artifacts", out / "artifacts.png", profile
        )
        for name, key in (
            ("matrix", "ampelmatrix-digital-und-sozial"),
            ("status", "status-werkstaetten-nordhausen"),
            ("soll-ist", "soll-ist-digital-und-sozial"),
        ):
            latest = _api(
                f"{base}/api",
                "/artifacts/filter",
                {
                    "artifacts": {"key": {"any_": [key]}},
                    "sort": "CREATED_DESC",
                    "limit": 1,
                },
            )
            artifact_id = latest[0]["id"]  # type: ignore[index]
            _shoot(
                chromium, f"{base}/artifacts/artifact/{artifact_id}", out / f"{name}.png", profile
            )
        _shoot(chromium, f"{base}/runs", out / "runs.png", profile)


if __name__ == "__main__":
    main()
