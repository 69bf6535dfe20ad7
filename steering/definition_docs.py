"""Render a reference of every key of the programme definition from the pydantic schema."""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from steering.domain.definition import ProgrammeDefinition


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(get_args(annotation)[0])
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(annotation))
    if origin in (Union, types.UnionType):
        return " | ".join(_type_name(a) for a in get_args(annotation))
    if origin in (list, tuple, dict):
        inner = ", ".join(_type_name(a) for a in get_args(annotation) if a is not Ellipsis)
        return f"{origin.__name__}[{inner}]"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " | ".join(f"`{m.value}`" for m in annotation)
    if annotation is type(None):
        return "null"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: Any) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "(see below)"
        return f"`{value!r}`" if value not in ([], {}) else "empty"
    if field.default is PydanticUndefined or field.default is None:
        return "–"
    value = field.default.value if isinstance(field.default, Enum) else field.default
    return "(see below)" if isinstance(value, BaseModel) else f"`{value!r}`"


def render_reference() -> str:
    """Markdown tables, one per model, listing key, type, default."""
    lines: list[str] = []
    seen: set[type[BaseModel]] = set()
    queue: list[tuple[str, type[BaseModel]]] = [("(top level)", ProgrammeDefinition)]
    while queue:
        path, model = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        doc = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
        lines += [f"### `{path}` – {model.__name__}", "", doc, ""]
        lines += ["| key | type | default |", "|---|---|---|"]
        for name, field in model.model_fields.items():
            type_text = _type_name(field.annotation).replace("|", "\\|")
            lines.append(f"| `{name}` | {type_text} | {_default(field)} |")
            for sub in _models_in(field.annotation):
                child = name if path == "(top level)" else f"{path}.{name}"
                queue.append((child, sub))
        lines.append("")
    return "\n".join(lines)
