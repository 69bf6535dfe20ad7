"""Render the HTML period report in headless Chromium to a PNG, to look at it.

Usage: .venv/bin/python scripts/render_report.py [--config config/digital-und-sozial.yaml]
       [--period 2019-H2] [--out out/report] [--height 5200]
Runs the demo first when the store has no checkpoint for the period. Needs Debian's chromium.
Writes <out>/sachbericht.html and <out>/sachbericht.png (the top of the page, 1300 px wide).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEER = str(Path(sys.executable).with_name("steer"))


def main() -> None:
    """Write the HTML report and its screenshot."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default=str(ROOT / "config" / "digital-und-sozial.yaml"))
    parser.add_argument("--period", default="2019-H2")
    parser.add_argument("--out", default=str(ROOT / "out" / "report"))
    parser.add_argument("--height", type=int, default=5200)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    html = out / "sachbericht.html"
    command = [STEER, "report", args.config, "--period", args.period, "--format", "html"]
    if subprocess.run([*command, "--out", str(html)], check=False).returncode != 0:
        subprocess.run([STEER, "demo"], check=True, cwd=ROOT)
        subprocess.run([*command, "--out", str(html)], check=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    png = out / "sachbericht.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
                f"--window-size=1300,{args.height}",
                f"--screenshot={png}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    print(f"{png} <- {html}")


if __name__ == "__main__":
    main()
