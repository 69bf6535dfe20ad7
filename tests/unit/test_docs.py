"""The configuration reference is generated from the schema and must stay current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_configuration_reference_matches_the_schema() -> None:
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_config_docs.py"), "--check"],
        capture_output=True,
        cwd=ROOT,
        check=False,
    )
    assert check.returncode == 0, "run: python scripts/gen_config_docs.py"
