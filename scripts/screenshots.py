"""Run the demo against a local `prefect server` and screenshot what the project lead sees.

Usage: .venv/bin/python scripts/screenshots.py [--out out/screenshots]
Needs Debian's chromium (/usr/bin/chromium), the `playwright` package (no browser download:
it drives that chromium) and `fonts-noto-color-emoji` for the light symbols. Writes, at
1440×900: runs.png (the runs list), artifacts.png (the checkpoint run's artifacts, the
Lagebild first), lagebild.png (and lagebild-full.png, 1440×3000 to read it whole), matrix.png,
soll-ist.png, status.png (one organisation), form.png (the evaluation deployment's run
form) and resume.png (the resume dialog of an evaluation that waits for the lead); then the
portal's pages at 1440 and 390 px (scripts/portal_screenshots.py, on the demo's store).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "digital-und-sozial.yaml"
CHROMIUM = "/usr/bin/chromium"
WAITING_ORG = "werkstaetten-nordhausen"


def _api(url: str, path: str, body: dict[str, object] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{url}{path}",
        data=data,
        headers={"Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _latest_artifact_id(api: str, key: str) -> str:
    found = _api(
        api,
        "/artifacts/filter",
        {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 1},
    )
    return str(found[0]["id"])


def _run_id(api: str, name: str, *, paused: bool = False) -> str | None:
    body: dict[str, Any] = {
        "flow_runs": {"name": {"any_": [name]}},
        "sort": "START_TIME_DESC",
        "limit": 1,
    }
    if paused:
        body["flow_runs"]["state"] = {"type": {"any_": ["PAUSED"]}}
    runs = _api(api, "/flow_runs/filter", body)
    return str(runs[0]["id"]) if runs else None


def _apply_deployments(env: dict[str, str]) -> None:
    """Register the served deployments (without serving them): the run form needs them."""
    code = (
        "from pathlib import Path\n"
        "from steering import clock\n"
        "from steering.bootstrap import read_definition\n"
        "from flows.deployments import build_deployments\n"
        f"config = Path({str(CONFIG)!r})\n"
        "definition = read_definition(str(config))\n"
        "for d in build_deployments(config, definition, today=clock.now().date()):\n"
        "    d.apply()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def _start_waiting_evaluation(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """An evaluation run in its own process that pauses for the lead's decision."""
    code = (
        "from flows.evaluation import evaluation\n"
        f"evaluation(config={str(CONFIG)!r}, organisation={WAITING_ORG!r}, "
        "period='2019-H2', wait_hours=1)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _shoot(page: Any, url: str, target: Path, *, ready: str | None = None) -> None:
    """Open `url`, wait until `ready` (a text) shows, and save a picture of the page."""
    page.goto(url, wait_until="networkidle")
    if ready:
        page.get_by_text(ready).first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # the UI renders after its API calls return
    page.screenshot(path=str(target))
    print(f"{target} <- {url}")


def main() -> None:
    """Start a server, run the demo and a waiting evaluation, take the screenshots, stop."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "screenshots")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {
        **os.environ,
        "PREFECT_HOME": str(out / "prefect"),
        "STEERING_DATA_DIR": str(out / "data"),
    }
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from flows.local_server import prefect_server_process

    with prefect_server_process(out / "prefect", env=env) as api:
        base = api.removesuffix("/api")
        env = {**env, "PREFECT_API_URL": api, "STEERING_PREFECT_UI_URL": base}
        steer = str(Path(sys.executable).with_name("steer"))
        subprocess.run([steer, "demo"], env=env, check=True, cwd=ROOT)
        _apply_deployments(env)
        waiting = _start_waiting_evaluation(env)
        try:
            name = f"evaluation/{WAITING_ORG}/2019-H2"
            deadline = time.monotonic() + 120
            while (run := _run_id(api, name, paused=True)) is None:
                if time.monotonic() > deadline or waiting.poll() is not None:
                    raise SystemExit("the evaluation never paused")
                time.sleep(1)
            checkpoint = _run_id(api, "checkpoint/digital-und-sozial/2019-H2")
            deployment = _api(api, "/deployments/name/evaluation/digital-und-sozial-evaluation")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="de-DE")
                _shoot(page, f"{base}/runs", out / "runs.png", ready="checkpoint/digital")
                page.goto(f"{base}/runs/flow-run/{checkpoint}", wait_until="networkidle")
                page.get_by_text("Artifacts", exact=True).first.click()
                page.get_by_text("lagebild-digital-und-sozial").first.wait_for(timeout=30_000)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / "artifacts.png"))
                lagebild = f"{base}/artifacts/artifact/" + _latest_artifact_id(
                    api, "lagebild-digital-und-sozial"
                )
                _shoot(page, lagebild, out / "lagebild.png")
                # The page scrolls inside the UI, not the window: a tall window shows it all.
                page.set_viewport_size({"width": 1440, "height": 3000})
                _shoot(page, lagebild, out / "lagebild-full.png")
                page.set_viewport_size({"width": 1440, "height": 900})
                for picture, key in (
                    ("matrix", "ampelmatrix-digital-und-sozial"),
                    ("soll-ist", "soll-ist-digital-und-sozial"),
                    ("status", "status-werkstaetten-nordhausen"),
                ):
                    artifact = _latest_artifact_id(api, key)
                    _shoot(page, f"{base}/artifacts/artifact/{artifact}", out / f"{picture}.png")
                _shoot(
                    page, f"{base}/deployments/deployment/{deployment['id']}/run", out / "form.png"
                )
                page.goto(f"{base}/runs/flow-run/{run}", wait_until="networkidle")
                page.get_by_role("button", name="Resume").first.click()
                page.wait_for_timeout(2000)
                page.screenshot(path=str(out / "resume.png"))
                print(f"{out / 'resume.png'} <- resume dialog of {name}")
                from portal_screenshots import shoot_portal

                shoot_portal(browser, out, out / "data")
                browser.close()
        finally:
            waiting.terminate()
            waiting.wait(timeout=30)


if __name__ == "__main__":
    main()
