"""A huge value in a definition: the error names its place and shows only its start.

Part of the corpus of bad input (see README, "Reliability and data protection").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from steering.adapters.config import ConfigError, load_definition

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "config" / "minimal.yaml"
HUGE = "A" * 2_000_000  # a 2 MB scalar: the file is still below the 5 MB limit

# where the value goes (old -> new in config/minimal.yaml), the path the error names
PLACES = [
    ("programme-id", ("id: mein-programm", f"id: {HUGE}"), "programme.id"),
    ("programme-lead", ("lead: leitung", f"lead: {HUGE}"), "programme.lead"),
    ("a-period", ("[2025-H1, 2025-H2]", f"[2025-H1, {HUGE}]"), "programme.periods[1]"),
    ("a-time-zone", ("  lead: leitung", f"  lead: leitung\n  timezone: {HUGE}"), "timezone"),
    ("a-source-kind", ("kind: manual", f"kind: {HUGE}"), "sources[0]"),
    ("an-indicator-source", ("source: manuell", f"source: {HUGE}"), "indicators[0].source"),
]


@pytest.mark.parametrize(
    ("replacement", "where"), [p[1:] for p in PLACES], ids=[p[0] for p in PLACES]
)
def test_a_2_mb_value_is_echoed_cut_to_200_characters_with_its_length(
    tmp_path: Path, replacement: tuple[str, str], where: str
) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    assert text.count(replacement[0]) == 1
    file = tmp_path / "riesig.yaml"
    file.write_text(text.replace(*replacement), encoding="utf-8")

    with pytest.raises(ConfigError) as refused:
        load_definition(file)

    [problem] = [p for p in refused.value.problems if where in p.path]
    assert "A" * 200 + "… (2.000.000 Zeichen)" in problem.message
    assert "A" * 201 not in problem.message
    assert len(str(refused.value)) < 2_000


def test_in_english_the_length_is_counted_in_characters(tmp_path: Path) -> None:
    file = tmp_path / "riesig.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace("lead: leitung", f"lead: {HUGE}")
    file.write_text(text, encoding="utf-8")

    with pytest.raises(ConfigError) as refused:
        load_definition(file, lang="en")

    assert "A" * 200 + "… (2,000,000 characters)" in str(refused.value)
