"""Which organisations get a status artifact: all in small programmes, decisions in large ones."""

from __future__ import annotations

import pytest
from evaluation_fixtures import ORGS, checkpoints, indicator, programme, rule, series

from steering.services.presentation import publishes_attention_only, status_organisations

RED, YELLOW, GREEN = 5.0, 9.0, 10.0  # against a minimum of 10: 50 % off, 10 % off, met
DEFINITION = programme(
    [indicator("kennzahl", {"minimum": 10})],
    traffic_lights=[rule()],
    abort_criteria=[
        {
            "id": "rot",
            "title": "Rot",
            "when": {"kind": "red_dimensions", "at_least": 1},
            "decision": "escalate",
        }
    ],
)
AWO, CARITAS, DIAKONIE = ORGS
RESULTS = checkpoints(
    DEFINITION,
    [
        *series("kennzahl", [RED, RED], AWO),
        *series("kennzahl", [YELLOW, RED], CARITAS),
        *series("kennzahl", [GREEN, GREEN], DIAKONIE),
    ],
    count=2,
    organisations=ORGS,
)


def _previous(checkpoint: int) -> dict[tuple[str, str], str]:
    if checkpoint == 0:
        return {}
    lights = RESULTS[checkpoint - 1].lights
    return {
        (str(o), str(d)): str(light)
        for o, d, light in zip(
            lights["organisation"], lights["dimension"], lights["light"], strict=True
        )
    }


@pytest.mark.parametrize(
    ("organisations", "mode", "all_up_to", "attention_only"),
    [
        (50, "auto", 50, False),
        (51, "auto", 50, True),
        (10_000, "all", 50, False),
        (3, "attention", 50, True),
    ],
)
def test_large_programmes_or_attention_mode_publish_attention_only(
    organisations: int, mode: str, all_up_to: int, attention_only: bool
) -> None:
    assert publishes_attention_only(organisations, mode=mode, all_up_to=all_up_to) is attention_only


def test_a_small_programme_publishes_every_organisations_status() -> None:
    chosen = status_organisations(DEFINITION, RESULTS[0], _previous(0), mode="auto", all_up_to=50)
    assert chosen == set(ORGS)


def test_a_large_programme_publishes_only_new_calls_for_a_decision() -> None:
    first = status_organisations(DEFINITION, RESULTS[0], _previous(0), mode="auto", all_up_to=2)
    second = status_organisations(DEFINITION, RESULTS[1], _previous(1), mode="auto", all_up_to=2)
    # First checkpoint: only the red organisation escalates. Second: the one that turned red
    # escalates anew; the one still red has not changed and keeps its earlier artifact.
    assert first == {AWO}
    assert second == {CARITAS}


def test_mode_all_overrides_the_size_limit() -> None:
    chosen = status_organisations(DEFINITION, RESULTS[1], _previous(1), mode="all", all_up_to=2)
    assert chosen == set(ORGS)
