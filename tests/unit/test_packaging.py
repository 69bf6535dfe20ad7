"""The wheel carries the demo programme and all of its example data (package data)."""

from __future__ import annotations

import os
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from steering.adapters.config import load_definition
from steering.builtin import demo_config

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "steering"


def _package_data() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(pyproject["tool"]["setuptools"]["package-data"]["steering"])


def _shipped(path: Path) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(fnmatch(relative, pattern) for pattern in _package_data())


def test_every_file_the_demo_programme_reads_is_package_data() -> None:
    config = demo_config()
    assert config.parent == PACKAGE / "builtin" / "config"  # inside the package
    assert _shipped(config)
    definition = load_definition(config)
    paths = [Path(s.path) for s in definition.sources if getattr(s, "path", None)]
    assert paths
    for path in paths:
        data = Path(os.path.normpath(config.parent / path))  # not resolve(): links stay
        assert data.is_file(), data
        assert _shipped(data), path


def test_every_example_data_file_is_package_data() -> None:
    examples = PACKAGE / "builtin" / "examples"
    files = [f for f in examples.rglob("*") if f.is_file() and f.suffix != ".py"]
    assert files
    assert [f.name for f in files if not _shipped(f)] == []
