"""Properties of the evaluation for random targets, rules and measurements (hypothesis).

Whatever the numbers: Soll/Ist never raises, `met` is unknown exactly when a target or a value
is missing, a breach is never negative and `met` means "no breach"; every light is one of the
four states, and a programme whose every value lies inside its target is green everywhere.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from evaluation_fixtures import ORGS, PERIODS, Row, checkpoints, indicator, measurements, programme
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from steering.domain.evaluation.soll_ist import soll_ist
from steering.domain.vocabulary import Light

ORGANISATIONS = ORGS[:2]
EVALUATED = PERIODS[:2]
DIMENSIONS = ["quality", "cost"]
LIGHTS = {light.value for light in Light}
# A whole evaluation costs ~0.1 s of fixed pandas overhead, so the light properties run fewer
# examples than the Soll/Ist one; the file stays well under 30 s.
SETTINGS = settings(
    max_examples=examples(100), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
LIGHT_SETTINGS = settings(SETTINGS, max_examples=examples(40))

bound = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).map(lambda x: round(x, 3))
share = st.floats(min_value=0, max_value=1).map(lambda x: round(x, 3))
tolerance = st.floats(min_value=0, max_value=1).map(lambda x: round(x, 3))
base = st.integers(min_value=1, max_value=1000)


@st.composite
def targets(draw: st.DrawFn) -> dict[str, Any] | None:
    """One target of any form, or None for an indicator without a target."""
    form = draw(
        st.sampled_from(["none", "exact", "minimum", "maximum", "range", "approx", "share"])
    )
    if form == "none":
        return None
    if form in ("exact", "minimum", "maximum"):
        return {form: draw(bound)}
    if form == "range":
        low, high = sorted((draw(bound), draw(bound)))
        return {"range": [low, high]}
    if form == "approx":
        return {"approx": draw(bound), "tolerance": draw(tolerance)}
    kind = draw(st.sampled_from(["minimum", "maximum", "range"]))
    shares = sorted((draw(share), draw(share)))
    bounds: dict[str, Any] = {"range": shares} if kind == "range" else {kind: shares[0]}
    return {"base": draw(base), **bounds}


@st.composite
def indicators(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One to three indicators with random targets, directions and no-data policies."""
    out = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        target = draw(targets())
        out.append(
            indicator(
                f"kennzahl-{n}",
                *([target] if target else []),
                dimension=draw(st.sampled_from(DIMENSIONS)),
                direction=draw(st.sampled_from(["higher", "lower", "range"])),
                no_data=draw(st.sampled_from(["no_data", "keep_last", "breach"])),
            )
        )
    return out


values = st.one_of(
    st.none(),
    st.just(math.nan),
    st.floats(allow_nan=False, allow_infinity=True),
    st.floats(min_value=-1e4, max_value=1e4),
)


def _rows(draw: st.DrawFn, specs: list[dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for spec in specs:
        for organisation in ORGANISATIONS:
            for period in EVALUATED:
                value = draw(values)
                if value is not None:
                    rows.append((spec["key"], organisation, period, value))
    return rows


@st.composite
def rules(draw: st.DrawFn, keys: list[str]) -> list[dict[str, Any]]:
    """A consistent light rule for every dimension."""
    out = []
    for dimension in DIMENSIONS:
        green = draw(st.sampled_from([0.0, 0.05, 0.1, 1.0]))
        yellow = green + draw(st.sampled_from([0.0, 0.1, 0.5, 5.0]))
        rule: dict[str, Any] = {
            "dimension": dimension,
            "measure": draw(st.sampled_from(["relative", "absolute"])),
            "green_within": green,
            "yellow_within": yellow,
            "red_after": draw(st.integers(min_value=1, max_value=3)),
            "recover_after": draw(st.integers(min_value=1, max_value=3)),
        }
        if draw(st.booleans()):
            rule["recovery_within"] = green / 2
        if draw(st.booleans()):
            rule["aggregation"] = "weighted"
            rule["weights"] = {key: draw(st.sampled_from([0.5, 1.0, 3.0])) for key in keys[:1]}
        out.append(rule)
    return out


@st.composite
def programmes_with_data(draw: st.DrawFn) -> tuple[Any, list[Row]]:
    specs = draw(indicators())
    keys = [s["key"] for s in specs]
    definition = programme(specs, traffic_lights=draw(rules(keys)))
    return definition, _rows(draw, specs)


@SETTINGS
@given(programmes_with_data())
def test_soll_ist_is_consistent_for_any_values_and_targets(case: tuple[Any, list[Row]]) -> None:
    definition, rows = case
    table = soll_ist(definition, measurements(rows), organisations=ORGANISATIONS, periods=EVALUATED)

    assert len(table) == len(definition.indicators) * len(ORGANISATIONS) * len(EVALUATED)
    has_target = table["has_target"].to_numpy(dtype=bool)
    has_value = table["actual"].notna().to_numpy()
    met_unknown = table["met"].isna().to_numpy()
    assert (met_unknown == (~has_target | ~has_value)).all()

    breach = table["breach_abs"].to_numpy(dtype=float)
    assert (np.isnan(breach) == met_unknown).all()
    assert (breach[~met_unknown] >= 0).all()
    assert (table["breach_rel"].to_numpy(dtype=float)[~met_unknown] >= 0).all()

    met = table["met"].to_numpy(dtype=object)[~met_unknown].astype(bool)
    assert (met == (breach[~met_unknown] == 0)).all()


@LIGHT_SETTINGS
@given(programmes_with_data())
def test_every_light_is_one_of_the_four_states(case: tuple[Any, list[Row]]) -> None:
    definition, rows = case
    results = checkpoints(definition, rows, count=len(EVALUATED), organisations=ORGANISATIONS)
    for result in results:
        assert set(result.lights["light"]) <= LIGHTS
        assert set(result.lights["raw_light"]) <= LIGHTS
        assert len(result.lights) == len(
            result.lights[["organisation", "dimension"]].drop_duplicates()
        )
        assert {r.decision for r in result.decisions} <= {"continue"}  # no criteria configured


@st.composite
def programmes_on_target(draw: st.DrawFn) -> tuple[Any, list[Row]]:
    """Every indicator has a target and every value lies within its bounds."""
    specs = []
    rows: list[Row] = []
    for n in range(draw(st.integers(min_value=1, max_value=3))):
        target = draw(targets().filter(lambda t: t is not None))
        key = f"kennzahl-{n}"
        specs.append(
            indicator(
                key,
                target,
                dimension=draw(st.sampled_from(DIMENSIONS)),
                direction=draw(st.sampled_from(["higher", "lower", "range"])),
                no_data=draw(st.sampled_from(["no_data", "keep_last", "breach"])),
            )
        )
        lower, upper = _bounds(target)
        for organisation in ORGANISATIONS:
            for period in EVALUATED:
                at = draw(st.floats(min_value=0, max_value=1))
                slack = draw(st.floats(min_value=0, max_value=100))
                if lower is not None and upper is not None:
                    value = min(max(lower + at * (upper - lower), lower), upper)
                elif lower is not None:
                    value = lower + slack
                else:
                    value = upper - slack
                if "base" in target:
                    value *= target["base"]
                rows.append((key, organisation, period, value))
    definition = programme(specs, traffic_lights=draw(rules([s["key"] for s in specs])))
    return definition, rows


def _bounds(target: dict[str, Any]) -> tuple[float | None, float | None]:
    if "range" in target:
        return target["range"][0], target["range"][1]
    if "exact" in target:
        return target["exact"], target["exact"]
    if "approx" in target:
        ends = (
            target["approx"] * (1 - target["tolerance"]),
            target["approx"] * (1 + target["tolerance"]),
        )
        return min(ends), max(ends)
    return target.get("minimum"), target.get("maximum")


@LIGHT_SETTINGS
@given(programmes_on_target())
def test_with_all_data_on_target_every_light_is_green(case: tuple[Any, list[Row]]) -> None:
    definition, rows = case
    results = checkpoints(definition, rows, count=len(EVALUATED), organisations=ORGANISATIONS)
    for result in results:
        table = result.comparison.table([result.period])
        assert table["met"].astype(bool).all()
        assert (table["breach_abs"] == 0).all()
        lights = result.lights
        assert len(lights) > 0
        assert (lights["light"] == "green").all(), lights[["dimension", "aggregate", "light"]]
        assert (lights["aggregate"] == 0).all()


def test_the_strategies_cover_every_target_form() -> None:
    """Guard against a strategy that silently stops producing some form."""
    forms: set[str] = set()

    @settings(max_examples=200, deadline=None, database=None)
    @given(targets())
    def collect(target: dict[str, Any] | None) -> None:
        forms.add("none" if target is None else "base" if "base" in target else next(iter(target)))

    collect()
    assert forms == {"none", "exact", "minimum", "maximum", "range", "approx", "base"}
