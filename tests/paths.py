"""Where the tests find the project's files and the PostgreSQL they may use."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "digital-und-sozial.yaml"

# The PostgreSQL tests run when this URL is set; CI (.ci/run) always sets it.
POSTGRES_ENV = "STEERING_TEST_POSTGRES_URL"
POSTGRES_SKIP_REASON = "set STEERING_TEST_POSTGRES_URL to run the PostgreSQL tests (CI sets it)"
