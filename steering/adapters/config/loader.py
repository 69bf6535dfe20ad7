"""Read, validate and cross-check a programme definition, naming file, line and path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from steering.adapters.config.pydantic_errors import (
    data_path,
    describe_validation_error,
    translate_reason,
)
from steering.adapters.config.safe_yaml import Path, YamlProblem, compose, to_data
from steering.adapters.sources.confine import refusal
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.checks import check_definition, format_path
from steering.i18n import t
from steering.shown import cut

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class ConfigProblem:
    """One readable problem: where it is and what is wrong."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(Exception):
    """A definition with one or more problems; all of them are listed."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _line_of(lines: dict[Path, int], path: Path) -> int:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 0


def _read_text(file: FsPath, shown: str, lang: str) -> str:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(shown, 0, "", t("file_missing", lang))]) from None
    if len(raw) > MAX_BYTES:
        message = t("yaml_too_large", lang, limit=MAX_BYTES // (1024 * 1024))
        raise ConfigError([ConfigProblem(shown, 0, "", message)])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = t("yaml_not_utf8", lang, position=exc.start)
        raise ConfigError([ConfigProblem(shown, line, "", message)]) from None


def read_data(file: FsPath, lang: str = "de") -> tuple[Any, dict[Path, int]]:
    """Read a YAML file into plain data and a map of path -> line."""
    shown = str(file)
    text = _read_text(file, shown, lang)
    lines: dict[Path, int] = {}
    try:
        node = compose(text)
        data = to_data(node, lines) if node is not None else None
    except YamlProblem as problem:
        message = t(problem.code, lang, **problem.params)
        raise ConfigError([ConfigProblem(shown, problem.line, "", message)]) from None
    if not isinstance(data, dict):
        raise ConfigError([ConfigProblem(shown, 1, "", t("yaml_not_mapping", lang))])
    return data, lines


def load_definition(file: str | FsPath, lang: str = "de") -> ProgrammeDefinition:
    """Load and fully validate a programme definition; raise ConfigError listing every problem."""
    path = FsPath(file)
    shown = str(file)
    data, lines = read_data(path, lang)
    try:
        definition = ProgrammeDefinition.model_validate(data)
    except ValidationError as exc:
        problems = [
            ConfigProblem(shown, _line_of(lines, loc), format_path(loc), message)
            for loc, message in describe_validation_error(exc, data, lang)
        ]
        raise ConfigError(problems) from None
    findings = check_definition(definition)
    problems = _source_path_problems(definition, path, shown, lines, lang)
    if findings or problems:
        for finding in findings:
            where = data_path(finding.path, data)
            params = {
                name: translate_reason(str(value), lang)
                if name == "reason"
                else cut(value, lang)
                if isinstance(value, str)
                else value
                for name, value in finding.params.items()
            }
            message = t(finding.code, lang, **params)
            problems.append(
                ConfigProblem(shown, _line_of(lines, where), format_path(where), message)
            )
        raise ConfigError(problems)
    return definition


def _source_path_problems(
    definition: ProgrammeDefinition, file: FsPath, shown: str, lines: dict[Path, int], lang: str
) -> list[ConfigProblem]:
    """Source files outside the data roots, refused before anything reads them."""
    problems = []
    for index, source in enumerate(definition.sources):
        written = getattr(source, "path", None)
        if not written:
            continue
        reason = refusal(written, file, lang)
        if reason is not None:
            where: Path = ("sources", index, "path")
            problems.append(
                ConfigProblem(shown, _line_of(lines, where), format_path(where), reason)
            )
    return problems
