"""Where the tests find the project's files and the PostgreSQL they may use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "digital-und-sozial.yaml"

# The PostgreSQL tests run when this URL is set; CI (.ci/run) always sets it.
POSTGRES_ENV = "STEERING_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = "set STEERING_TEST_POSTGRES_URL to run the PostgreSQL tests (CI sets it)"

# The browser tests drive Debian's Chromium. A developer without it sees them skipped; CI
# (.ci/run installs it and sets STEERING_REQUIRE_BROWSER=1) fails instead, so the real
# path can never be skipped silently there.
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_REQUIRED = os.environ.get("STEERING_REQUIRE_BROWSER") == "1"
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not BROWSER_REQUIRED,
    reason="/usr/bin/chromium is missing (apt-get install -y chromium); CI requires it",
)
