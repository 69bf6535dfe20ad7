"""The swing guard: lights worse at once because data went missing are held back.

Ten organisations with one light each; they were all green at the previous checkpoint.
"""

from __future__ import annotations

from typing import Any

from steering.domain.notifications.swing import SwingGuard, assess_swing, lacks_data

ORGS = [f"org-{i}" for i in range(10)]
PREVIOUS = {(org, "cost"): "green" for org in ORGS}
MISSING = {"missing": 0, "indicators": [{"indicator": "ausgaben", "actual": None}]}
MEASURED = {"missing": 0, "indicators": [{"indicator": "ausgaben", "actual": 1.4}]}


def _lights(red_for_missing: int, red_measured: int = 0) -> list[tuple[str, str, str, Any]]:
    """The first organisations red for missing data, the next ones red by their figures."""
    lights = []
    for i, org in enumerate(ORGS):
        if i < red_for_missing:
            lights.append((org, "cost", "red", MISSING))
        elif i < red_for_missing + red_measured:
            lights.append((org, "cost", "red", MEASURED))
        else:
            lights.append((org, "cost", "green", MEASURED))
    return lights


def test_a_light_lacks_data_when_an_indicator_has_no_value() -> None:
    assert lacks_data(MISSING)
    assert lacks_data({"missing": 2, "indicators": []})
    assert not lacks_data(MEASURED)
    assert not lacks_data(None)


def test_more_than_the_share_worse_for_missing_data_trips_the_guard() -> None:
    swing = assess_swing(PREVIOUS, _lights(4), SwingGuard(share=0.3, minimum=3))

    assert swing.tripped
    assert swing.compared == 10
    assert swing.missing_worse == swing.held == {(org, "cost") for org in ORGS[:4]}


def test_exactly_the_share_does_not_trip_it() -> None:
    assert not assess_swing(PREVIOUS, _lights(3), SwingGuard(share=0.3, minimum=3)).tripped


def test_lights_worse_by_their_figures_do_not_count() -> None:
    swing = assess_swing(PREVIOUS, _lights(2, red_measured=6), SwingGuard(share=0.3, minimum=1))

    assert not swing.tripped and swing.held == frozenset()
    assert swing.missing_worse == {(org, "cost") for org in ORGS[:2]}


def test_a_small_programme_is_not_held_back_for_a_few_lights() -> None:
    # 4 of 10 is above the share, but below the minimum count of lights.
    assert not assess_swing(PREVIOUS, _lights(4), SwingGuard(share=0.3, minimum=5)).tripped


def test_first_lights_compare_with_nothing() -> None:
    swing = assess_swing({}, _lights(10), SwingGuard(share=0.3, minimum=1))

    assert (swing.compared, swing.tripped, swing.held) == (0, False, frozenset())


def test_a_tripped_guard_also_holds_first_lights_that_lack_data() -> None:
    previous = {key: light for key, light in PREVIOUS.items() if key[0] != "org-9"}
    lights = [*_lights(4)[:9], ("org-9", "cost", "red", MISSING)]

    swing = assess_swing(previous, lights, SwingGuard(share=0.3, minimum=3))

    assert swing.tripped and swing.compared == 9
    assert swing.held == {(org, "cost") for org in [*ORGS[:4], "org-9"]}


def test_a_light_gone_to_no_data_is_no_worsening() -> None:
    lights = [(org, "cost", "no_data", {"missing": 1, "indicators": []}) for org in ORGS]

    assert not assess_swing(PREVIOUS, lights, SwingGuard(share=0.1, minimum=1)).tripped
