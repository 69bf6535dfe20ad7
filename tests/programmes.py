"""Copies of the demo programme for tests that change its files, in the repository's layout."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from paths import CONFIG, ROOT

from steering.adapters.config import load_definition
from steering.domain.definition import ProgrammeDefinition
from steering.settings import get_settings

EXAMPLES = ROOT / "examples" / "digital-und-sozial"


def copy_demo(folder: Path, *, edit: Callable[[dict[str, Any]], None] | None = None) -> Path:
    """Copy the demo definition and its example data under `folder` as config/ and examples/
    (so its ../examples paths resolve); `edit` changes the definition first. Returns the
    copied definition's path."""
    shutil.copytree(EXAMPLES, folder / "examples" / EXAMPLES.name)
    config = folder / "config" / CONFIG.name
    config.parent.mkdir(parents=True)
    if edit is None:
        shutil.copy(CONFIG, config)
        return config
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    edit(data)
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return config


def release_data_roots(monkeypatch: pytest.MonkeyPatch, *roots: Path) -> None:
    """Release folders as data roots (as an operator does with STEERING_DATA_ROOTS) and read
    the settings afresh."""
    monkeypatch.setenv("STEERING_DATA_ROOTS", os.pathsep.join(str(root) for root in roots))
    get_settings.cache_clear()


@cache
def demo_definition() -> ProgrammeDefinition:
    """The demo programme (config/digital-und-sozial.yaml), parsed once per test process;
    definitions are frozen, so the tests share it."""
    return load_definition(CONFIG)
