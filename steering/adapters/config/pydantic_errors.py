"""Turn pydantic validation errors into data paths and readable (German) messages."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from steering.adapters.config.safe_yaml import Path
from steering.i18n import has_message, t


def _data_path(loc: tuple[str | int, ...], data: Any) -> Path:
    """Drop pydantic's union-tag and validator segments that are not keys in the data."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict):
            if part in current:
                out.append(part)
                current = current[part]
            elif isinstance(part, str) and (
                current.get("kind") == part or "[" in part or part.startswith("function-")
            ):
                continue
            else:
                out.append(part)
                current = None
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            out.append(part)
            current = current[part]
        elif isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        else:
            out.append(part)
            current = None
    return tuple(out)


def _message(error: dict[str, Any], lang: str) -> str:
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    raw_input = error.get("input")
    shown_input = raw_input if isinstance(raw_input, str | int | float | bool) else "…"
    if isinstance(shown_input, str) and len(shown_input) > 60:
        shown_input = shown_input[:57] + "…"
    if kind == "value_error":
        reason = str(ctx.get("error", error["msg"]))
        return t("pyd_value_error", lang, reason=reason)
    key = f"pyd_{kind}"
    if has_message(key):
        return t(key, lang, input=shown_input, **ctx)
    return t("pyd_other", lang, reason=error["msg"])


def describe_validation_error(exc: ValidationError, data: Any, lang: str) -> list[tuple[Path, str]]:
    """(path in the data, message) for every error pydantic found."""
    seen: set[tuple[Path, str]] = set()
    out = []
    for error in exc.errors(include_url=False):
        item = (_data_path(tuple(error["loc"]), data), _message(dict(error), lang))
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
