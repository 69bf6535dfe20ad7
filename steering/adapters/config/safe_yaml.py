"""A strict YAML reader: no aliases, no duplicate keys, bounded depth, positions kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 40
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem(Exception):
    """A problem found while reading YAML, with the 1-based line it is on."""

    line: int
    code: str
    params: dict[str, Any]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors/aliases before expanding anything."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, AliasEvent):
            raise YamlProblem(line, "yaml_alias", {})
        if isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent) and event.anchor:
            raise YamlProblem(line, "yaml_alias", {})
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlProblem(line, "yaml_too_deep", {"limit": MAX_DEPTH})
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


def compose(text: str) -> Node | None:
    """Parse text into a node tree; YAML errors become YamlProblem with a line."""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" ")
        if stripped.startswith("\t"):
            raise YamlProblem(number, "yaml_tab", {})
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise YamlProblem(line, "yaml_unprintable", {"code": f"U+{exc.character:04X}"}) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        reason = " ".join(str(exc.problem or exc.context or exc).split())
        raise YamlProblem(line, "yaml_syntax", {"reason": reason}) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, "yaml_syntax", {"reason": str(exc)}) from None
    finally:
        loader.dispose()


def to_data(node: Node, lines: dict[Path, int], path: Path = ()) -> Any:
    """Convert a node tree to plain data, recording each path's line."""
    lines[path] = node.start_mark.line + 1
    if not isinstance(node, ScalarNode) and node.tag not in _COLLECTION_TAGS:
        raise YamlProblem(lines[path], "yaml_tag", {"tag": _shown_tag(node.tag)})
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(key_line, "yaml_bad_key", {"kind": key_node.id})
            key = _scalar(key_node)
            if not isinstance(key, str):
                key = str(key_node.value)  # as written: '~' or 'null', not 'None'
            if key in first_line:
                raise YamlProblem(
                    key_line, "yaml_duplicate_key", {"key": key, "first": first_line[key]}
                )
            first_line[key] = key_line
            out[key] = to_data(value_node, lines, (*path, key))
            lines[(*path, key)] = key_line
        return out
    if isinstance(node, SequenceNode):
        return [to_data(item, lines, (*path, i)) for i, item in enumerate(node.value)]
    return _scalar(node)


_CONSTRUCTOR = yaml.SafeLoader("")
_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _shown_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _scalar(node: Node) -> Any:
    if node.tag not in _CONSTRUCTOR.yaml_constructors:
        raise YamlProblem(node.start_mark.line + 1, "yaml_tag", {"tag": _shown_tag(node.tag)})
    try:
        return _CONSTRUCTOR.construct_object(node, deep=False)
    except Exception as exc:  # PyYAML's constructors fail in many ways on odd scalars
        # Broken !!binary, impossible dates such as 2025-02-30, an empty !!timestamp, ...
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        value = str(node.value)
        shown = value if len(value) <= 40 else value[:37] + "…"
        raise YamlProblem(
            node.start_mark.line + 1, "yaml_bad_value", {"value": shown, "reason": reason}
        ) from None
