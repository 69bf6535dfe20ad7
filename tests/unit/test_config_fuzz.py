"""Fuzzing the loader: whatever a file holds, the result is a definition or a ConfigError.

A ConfigError lists problems that each carry a message; any other exception is a bug.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from steering.adapters.config import ConfigError, load_definition
from steering.domain.definition import ProgrammeDefinition

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "config" / "minimal.yaml"
FUZZ = settings(
    max_examples=examples(200),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz") / "fuzzed.yaml"


def _load_bytes(file: Path, raw: bytes) -> ProgrammeDefinition | ConfigError:
    file.write_bytes(raw)
    try:
        return load_definition(file)
    except ConfigError as error:
        return error


def _assert_definition_or_readable_error(outcome: ProgrammeDefinition | ConfigError) -> None:
    if isinstance(outcome, ProgrammeDefinition):
        return
    assert outcome.problems, "a ConfigError without problems"
    for problem in outcome.problems:
        assert isinstance(problem.message, str)
        assert problem.message.strip(), f"empty message in {problem!r}"
        assert problem.line >= 0


# Pieces of YAML and of the schema, so that random text often gets past the YAML parser.
_TOKENS = st.sampled_from(
    [
        "\n",
        "  ",
        "    ",
        "- ",
        ": ",
        ":",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "&a ",
        "*a",
        "!!str ",
        "!!binary ",
        "!!timestamp ",
        "!!python/object:os.system ",
        "? ",
        "|\n",
        ">\n",
        "'",
        '"',
        "#",
        "\t",
        "---\n",
        "...\n",
        "~",
        "null",
        "true",
        "0x1F",
        "1e400",
        ".nan",
        "-.inf",
        "2025-13-45",
        "2025-02-30",
        "2025-H1",
        "2019-H3",
        "programme",
        "people",
        "organisations",
        "indicators",
        "periods",
        "id",
        "lead",
        "targets",
        "formula",
        "\\x00",
        "ä",
        "\u2028",
        "\ufeff",
    ]
)
YAMLISH_TEXT = st.lists(_TOKENS | st.text(max_size=5), max_size=60).map("".join)


@FUZZ
@given(text=st.text(max_size=400) | YAMLISH_TEXT)
def test_any_text_yields_a_definition_or_a_config_error_with_messages(
    scratch: Path, text: str
) -> None:
    _assert_definition_or_readable_error(
        _load_bytes(scratch, text.encode("utf-8", errors="surrogatepass"))
    )


@FUZZ
@given(raw=st.binary(max_size=400))
def test_any_bytes_yield_a_definition_or_a_config_error_with_messages(
    scratch: Path, raw: bytes
) -> None:
    _assert_definition_or_readable_error(_load_bytes(scratch, raw))


def _minimal_data() -> dict[str, Any]:
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into the data, containers included (a container is a leaf to replace, too)."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*prefix, index))
    return out


MINIMAL_DATA = _minimal_data()
MINIMAL_PATHS = _paths(MINIMAL_DATA)

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "2019-H3", "2025-H1", "XX", "money", "__import__('os')", "a + b"])
    | st.dates(min_value=dt.date(1, 1, 1))
    | st.just("x" * 20_000)
)
RANDOM_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    mutated = copy.deepcopy(data)
    target = mutated
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return mutated


def _delete(data: Any, path: tuple[Any, ...]) -> Any:
    mutated = copy.deepcopy(data)
    target = mutated
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return mutated


@FUZZ
@given(path=st.sampled_from(MINIMAL_PATHS), value=RANDOM_VALUES)
def test_minimal_yaml_with_any_value_replaced_yields_a_definition_or_a_config_error(
    scratch: Path, path: tuple[Any, ...], value: Any
) -> None:
    text = yaml.safe_dump(_replace(MINIMAL_DATA, path, value), allow_unicode=True)
    _assert_definition_or_readable_error(_load_bytes(scratch, text.encode("utf-8")))


@FUZZ
@given(
    path=st.sampled_from(MINIMAL_PATHS),
    key=st.text(max_size=12) | st.sampled_from(["id", "kind", "period", "range", "formula"]),
    value=RANDOM_VALUES,
    delete=st.booleans(),
)
def test_minimal_yaml_with_a_key_added_or_removed_yields_a_definition_or_a_config_error(
    scratch: Path, path: tuple[Any, ...], key: str, value: Any, delete: bool
) -> None:
    if delete:
        mutated = _delete(MINIMAL_DATA, path)
    else:
        holder = MINIMAL_DATA
        for part in path:
            holder = holder[part]
        if not isinstance(holder, dict):
            return
        mutated = _replace(MINIMAL_DATA, (*path, key), value)
    text = yaml.safe_dump(mutated, allow_unicode=True)
    _assert_definition_or_readable_error(_load_bytes(scratch, text.encode("utf-8")))
