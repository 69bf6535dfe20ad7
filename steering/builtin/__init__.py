"""The demo programme and its example data, shipped with the package.

`config` and `examples` are links to the repository's folders of the same names (one copy,
kept in the repository); building a wheel copies their files in, so an installed package
runs `steer demo` from any directory.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEMO_CONFIG_NAME = "digital-und-sozial.yaml"


def demo_config() -> Path:
    """The shipped definition of the demo programme (its sources point at the shipped data)."""
    path = Path(str(files("steering.builtin") / "config" / DEMO_CONFIG_NAME))
    if not path.is_file():  # a broken installation, not a user error
        raise FileNotFoundError(path)
    return path
