"""Keep configured source files inside the data folders: never /etc/passwd, never a .env."""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

from steering.adapters.sources.messages import msg
from steering.settings import get_settings
from steering.shown import cut


def _shipped_examples() -> Path:
    # The demo definition reads ../examples/...; installed, that folder sits in the package.
    return Path(str(files("steering.builtin") / "examples")).resolve()


def data_roots(definition_file: Path, extra: Sequence[Path] | None = None) -> list[Path]:
    """The folders sources may read: the definition's own, the shipped examples, the configured.

    `extra` defaults to STEERING_DATA_ROOTS; only the operator widens the roots, never the
    definition (whoever writes the YAML must not reach the server's files through it).
    """
    configured = get_settings().data_roots if extra is None else extra
    roots = [definition_file.resolve().parent, _shipped_examples()]
    return roots + [Path(root).expanduser().resolve() for root in configured]


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def refusal(
    written: str, definition_file: Path, lang: str, extra: Sequence[Path] | None = None
) -> str | None:
    """Why a configured source path may not be read, or None when it lies inside the roots.

    Symlinks are resolved first, so a link in the data folder to /etc/shadow is refused too.
    Hidden files and folders (.env, .ssh, .git) are refused even inside a root.
    """
    target = (definition_file.parent / written).resolve()
    roots = data_roots(definition_file, extra)
    shown = cut(written, lang)
    holding = [root for root in roots if _inside(target, root)]
    if not holding:
        return msg("path_outside", lang, path=shown)
    below = target.relative_to(max(holding, key=lambda root: len(root.parts)))
    if any(part.startswith(".") for part in below.parts):
        return msg("path_hidden", lang, path=shown)
    return None
