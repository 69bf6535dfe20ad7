"""Screenshot the participant portal at desk (1440 px) and phone (390 px) width.

Usage: .venv/bin/python scripts/portal_screenshots.py [--out out/screenshots]
(scripts/screenshots.py calls this after its Prefect pictures, on the demo's store). Writes
portal-<page>-<width>.png: sign-in, organisation, step (the step-done form), upload-error (a
bad upload's row errors), values, calendar and lead (the lead's start page with reports).
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "digital-und-sozial.yaml"
CHROMIUM = "/usr/bin/chromium"
OWNER = "gf-lebenshilfe"
ORG = "lebenshilfe-erfurt"
LEAD = "projektleitung"
WIDTHS = {"desk": (1440, 900), "phone": (390, 844)}
BAD_CSV = (
    "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\n"
    f"teilnehmende-organisationen;{ORG};1. HJ 2019;12;\n"
    f"teilnehmende-organisationen;{ORG};1. HJ 2019;zwölf;Tippfehler\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(data_dir: Path) -> tuple[str, Any, Any]:
    """The portal on the store in `data_dir`, on a loopback port; its URL, server and wiring."""
    import uvicorn

    from steering import clock
    from steering.bootstrap import Wiring, read_definition
    from steering.portal.app import create_app
    from steering.services.integration import ensure_integrations
    from steering.settings import Settings

    wiring = Wiring(Settings(data_dir=data_dir, prefect_secrets=False))
    app = create_app(CONFIG, wiring)
    # The steps must be planned so the organisation page shows a step-done form.
    ensure_integrations(read_definition(CONFIG), uow=wiring.uow(), today=clock.now().date())
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the portal did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, wiring


def _link(base: str, wiring: Any, person: str) -> str:
    from steering import clock
    from steering.bootstrap import read_definition
    from steering.services.portal_access import issue_link

    token = issue_link(
        read_definition(CONFIG),
        person,
        store=wiring.access,
        uow=wiring.uow(),
        now=clock.now(),
        actor="screenshots",
    )
    return f"{base}/sign-in/{token}"


def _save(page: Any, target: Path) -> None:
    page.screenshot(path=str(target), full_page=True)
    print(f"{target} <- {page.url}")


def shoot_portal(browser: Any, out: Path, data_dir: Path) -> None:
    """Take the portal's pictures at each width into `out`."""
    base, server, wiring = _serve(data_dir)
    bad = out / "kennzahlen-fehler.csv"
    bad.write_text(BAD_CSV, encoding="cp1252")
    try:
        for label, (width, height) in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="de-DE"
            )
            page = context.new_page()
            page.goto(_link(base, wiring, OWNER))
            _save(page, out / f"portal-sign-in-{label}.png")
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_load_state()
            page.goto(f"{base}/org/{ORG}")
            _save(page, out / f"portal-organisation-{label}.png")
            step = page.locator("li[id^=step-]").filter(
                has=page.locator("input[name=evidence_url]")
            )
            if step.count():
                step.first.screenshot(path=str(out / f"portal-step-{label}.png"))
                print(f"{out / f'portal-step-{label}.png'} <- step-done form")
            page.goto(f"{base}/org/{ORG}/upload")
            page.locator("select[name=source]").select_option("kennzahlen")
            page.locator("input[name=file]").set_input_files(str(bad))
            page.get_by_role("button", name="Importieren").click()
            page.wait_for_load_state()
            _save(page, out / f"portal-upload-error-{label}.png")
            page.goto(f"{base}/org/{ORG}/values")
            _save(page, out / f"portal-values-{label}.png")
            page.goto(f"{base}/calendar")
            _save(page, out / f"portal-calendar-{label}.png")
            context.close()

            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="de-DE"
            )
            page = context.new_page()
            page.goto(_link(base, wiring, LEAD))
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_load_state()
            page.goto(f"{base}/")
            _save(page, out / f"portal-lead-{label}.png")
            context.close()
    finally:
        server.should_exit = True
        wiring.engine.dispose()


def main() -> None:
    """Portal pictures alone, on a fresh store in `--out`/data (no Prefect server needed)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "portal-screenshots")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            shoot_portal(browser, out, out / "data")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
