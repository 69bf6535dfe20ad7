"""Abort criteria (Abbruchkriterien): rules over the lights lead to decision records.

A matched criterion escalates to the project lead or asks for an abort review; nothing ever
stops an organisation silently. The lights below are written as (organisation, dimension,
light, red_streak) rows, as `dimension_lights` returns them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pydantic
import pytest
from evaluation_fixtures import ORG, checkpoints, indicator, programme, rule, series

from steering.domain.definition.rules import AbortCriterion
from steering.domain.evaluation.abort import DecisionRecord, decide
from steering.domain.evaluation.frames import PROGRAMME
from steering.domain.vocabulary import Decision

RISKS = [
    {
        "id": "teilstrategien",
        "title": "Schulung und Strategie greifen nicht ineinander",
        "mitigation": "Mit Teilstrategien beginnen",
        "dimensions": ["quality"],
    },
    {
        "id": "kommunikationsraum",
        "title": "Kein Kreativ- und Kommunikationsraum in der Organisation",
        "mitigation": "Coaching für Führungskräfte",
        "dimensions": ["staff", "quality"],
    },
    {
        "id": "technikangst",
        "title": "Ängste der Mitarbeitenden vor der technischen Umgebung bleiben",
        "mitigation": "Individuelle Schulung am Arbeitsplatz",
        "dimensions": ["staff"],
    },
    {
        "id": "finanzierung",
        "title": "Kein Geld für die digitale Infrastruktur",
        "mitigation": "Beratung durch den Verband, Stiftungen ansprechen",
        "dimensions": ["cost"],
    },
    {"id": "allgemein", "title": "Ohne Dimension", "mitigation": "Gespräch führen"},
]


def _lights(*rows: tuple[str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["organisation", "dimension", "light", "red_streak"])


def _criterion(id_: str, when: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": id_, "title": id_.replace("-", " "), "when": when, **extra}


def _decide(
    criteria: list[dict[str, Any]], lights: pd.DataFrame, active: int = 3
) -> dict[str, DecisionRecord]:
    definition = programme(abort_criteria=criteria, risks=RISKS)
    records = decide(definition, lights, active_organisations=active)
    return {r.organisation: r for r in records}


TWICE_RED = _criterion("zweimal-rot", {"kind": "consecutive_red", "checkpoints": 2})
THRICE_RED = _criterion("dreimal-rot", {"kind": "consecutive_red", "checkpoints": 3})
COST_TWICE_RED = _criterion(
    "kosten-zweimal-rot", {"kind": "consecutive_red", "checkpoints": 2, "dimensions": ["cost"]}
)
TWO_RED = _criterion(
    "zwei-dimensionen-rot", {"kind": "red_dimensions", "at_least": 2}, decision="abort_review"
)
TOO_FEW = _criterion(
    "zu-wenige-traeger",
    {"kind": "active_organisations_below", "threshold": 10},
    decision="abort_review",
)

# criterion, lights of awo-nord, active organisations -> decision of awo-nord, evidence
RULE_CASES = [
    pytest.param(
        TWICE_RED, [("quality", "red", 2)], 3, "escalate", ["quality"], id="red-twice-in-a-row"
    ),
    pytest.param(TWICE_RED, [("quality", "red", 1)], 3, "continue", None, id="red-once"),
    pytest.param(
        TWICE_RED, [("quality", "yellow", 0)], 3, "continue", None, id="yellow-is-not-red"
    ),
    pytest.param(THRICE_RED, [("quality", "red", 2)], 3, "continue", None, id="red-2-of-3"),
    pytest.param(
        THRICE_RED, [("quality", "red", 3)], 3, "escalate", ["quality"], id="red-3-in-a-row"
    ),
    pytest.param(
        THRICE_RED,
        [("quality", "red", 5), ("cost", "red", 4), ("staff", "red", 2)],
        3,
        "escalate",
        ["cost", "quality"],
        id="every-long-red-dimension-is-evidence",
    ),
    pytest.param(
        COST_TWICE_RED, [("quality", "red", 5)], 3, "continue", None, id="other-dimension-ignored"
    ),
    pytest.param(
        COST_TWICE_RED, [("cost", "red", 2)], 3, "escalate", ["cost"], id="restricted-dimension"
    ),
    pytest.param(
        TWO_RED,
        [("quality", "red", 1), ("cost", "red", 1)],
        3,
        "abort_review",
        ["cost", "quality"],
        id="two-dimensions-red-at-once",
    ),
    pytest.param(
        TWO_RED,
        [("quality", "red", 1), ("cost", "yellow", 0), ("staff", "no_data", 0)],
        3,
        "continue",
        None,
        id="one-red-dimension-is-not-two",
    ),
]


@pytest.mark.parametrize(("criterion", "rows", "active", "decision", "evidence"), RULE_CASES)
def test_each_rule_kind_matches_organisations(
    criterion: dict[str, Any],
    rows: list[tuple[str, str, int]],
    active: int,
    decision: str,
    evidence: list[str] | None,
) -> None:
    lights = _lights(*[(ORG, *row) for row in rows], ("caritas-sued", "quality", "green", 0))
    records = _decide([criterion], lights, active)
    assert records[ORG].decision == decision
    if evidence is None:
        assert records[ORG].matched == ()
        assert records[ORG].evidence == {}
    else:
        assert records[ORG].matched == (criterion["id"],)
        assert records[ORG].evidence == {criterion["id"]: evidence}
    assert records["caritas-sued"].decision == "continue"


@pytest.mark.parametrize(
    ("active", "decision"),
    [
        pytest.param(9, "abort_review", id="9-of-threshold-10"),
        pytest.param(10, "continue", id="exactly-the-threshold"),
        pytest.param(12, "continue", id="above-the-threshold"),
    ],
)
def test_too_few_active_organisations_concern_the_programme(active: int, decision: str) -> None:
    lights = _lights((ORG, "quality", "green", 0))
    records = _decide([TOO_FEW], lights, active)
    assert records[PROGRAMME].decision == decision
    assert records[ORG].decision == "continue"
    if decision != "continue":
        assert records[PROGRAMME].evidence == {"zu-wenige-traeger": active}


WATCH_ONE_RED = _criterion(
    "eine-dimension-rot", {"kind": "red_dimensions", "at_least": 1}, decision="watch"
)

# lights of awo-nord -> decision and every matched criterion, in definition order
SEVERITY_CASES = [
    pytest.param([("quality", "red", 1)], "watch", ("eine-dimension-rot",), id="watch-only"),
    pytest.param(
        [("quality", "red", 2)],
        "escalate",
        ("eine-dimension-rot", "zweimal-rot"),
        id="escalate-beats-watch",
    ),
    pytest.param(
        [("quality", "red", 1), ("cost", "red", 1)],
        "abort_review",
        ("eine-dimension-rot", "zwei-dimensionen-rot"),
        id="abort-review-beats-watch",
    ),
    pytest.param(
        [("quality", "red", 2), ("cost", "red", 2)],
        "abort_review",
        ("eine-dimension-rot", "zweimal-rot", "zwei-dimensionen-rot"),
        id="abort-review-beats-all",
    ),
    pytest.param([("quality", "green", 0)], "continue", (), id="nothing-matches"),
]


@pytest.mark.parametrize(("rows", "decision", "matched"), SEVERITY_CASES)
def test_the_most_severe_decision_wins_and_every_match_is_listed(
    rows: list[tuple[str, str, int]], decision: str, matched: tuple[str, ...]
) -> None:
    records = _decide([WATCH_ONE_RED, TWICE_RED, TWO_RED], _lights(*[(ORG, *row) for row in rows]))
    assert records[ORG].decision == decision
    assert records[ORG].matched == matched
    assert set(records[ORG].evidence) == set(matched)


def _risk_ids(record: DecisionRecord) -> list[str]:
    return [m["risk"] for m in record.mitigations]


# criteria, red dimensions of awo-nord -> suggested risks
MITIGATION_CASES = [
    pytest.param(
        [{**TWICE_RED, "risks": ["finanzierung"]}],
        ["quality"],
        ["finanzierung"],
        id="named-risks-of-the-criterion-only",
    ),
    pytest.param(
        [TWICE_RED], ["quality"], ["teilstrategien", "kommunikationsraum"], id="by-red-dimension"
    ),
    pytest.param([TWICE_RED], ["staff"], ["kommunikationsraum", "technikangst"], id="staff-risks"),
    pytest.param(
        [TWICE_RED],
        ["cost", "staff"],
        ["kommunikationsraum", "technikangst", "finanzierung"],
        id="union-over-red-dimensions-in-catalogue-order",
    ),
    pytest.param(
        [{**TWICE_RED, "risks": ["technikangst"]}, {**TWO_RED, "risks": ["finanzierung"]}],
        ["cost", "quality"],
        ["technikangst", "finanzierung"],
        id="named-risks-of-every-matched-criterion",
    ),
]


@pytest.mark.parametrize(("criteria", "red", "risks"), MITIGATION_CASES)
def test_mitigations_come_from_named_risks_or_the_red_dimensions(
    criteria: list[dict[str, Any]], red: list[str], risks: list[str]
) -> None:
    lights = _lights(*[(ORG, dimension, "red", 2) for dimension in red])
    record = _decide(criteria, lights)[ORG]
    assert _risk_ids(record) == risks
    assert all(m["title"] and m["mitigation"] for m in record.mitigations)


def test_a_mitigation_names_the_risk_and_its_countermeasure() -> None:
    record = _decide([TWICE_RED], _lights((ORG, "cost", "red", 2)))[ORG]
    assert record.mitigations == (
        {
            "risk": "finanzierung",
            "title": "Kein Geld für die digitale Infrastruktur",
            "mitigation": "Beratung durch den Verband, Stiftungen ansprechen",
        },
    )


def test_every_organisation_and_the_programme_get_a_record() -> None:
    lights = _lights(
        ("awo-nord", "quality", "red", 2),
        ("caritas-sued", "quality", "yellow", 0),
        ("diakonie-ost", "cost", "no_data", 0),
    )
    definition = programme(abort_criteria=[TWICE_RED], risks=RISKS)
    records = decide(definition, lights, active_organisations=3)
    assert [(r.organisation, r.decision) for r in records] == [
        (PROGRAMME, "continue"),
        ("awo-nord", "escalate"),
        ("caritas-sued", "continue"),
        ("diakonie-ost", "continue"),
    ]
    quiet = [r for r in records if r.decision == "continue"]
    assert all(r.matched == () and r.mitigations == () for r in quiet)


def test_without_criteria_everybody_continues() -> None:
    lights = _lights((ORG, "quality", "red", 12))
    records = decide(programme(), lights, active_organisations=1)
    assert {r.organisation: r.decision for r in records} == {PROGRAMME: "continue", ORG: "continue"}


def test_there_is_no_silent_stop() -> None:
    assert {d.value for d in Decision} == {"continue", "watch", "escalate", "abort_review"}
    base = {"id": "x", "title": "x", "when": {"kind": "red_dimensions"}}
    for decision in ("abort", "stop"):
        with pytest.raises(pydantic.ValidationError):
            AbortCriterion.model_validate({**base, "decision": decision})
    # A criterion that leads nowhere is a configuration error, not a quiet no-op.
    with pytest.raises(pydantic.ValidationError, match="watch, escalate or abort_review"):
        AbortCriterion.model_validate({**base, "decision": "continue"})
    assert AbortCriterion.model_validate(base).decision == "escalate"


@pytest.mark.parametrize(
    ("needed", "first_escalation"),
    [
        pytest.param(2, 2, id="two-checkpoints"),
        pytest.param(3, 3, id="three-checkpoints"),
    ],
)
def test_consecutive_red_checkpoints_escalate_through_the_evaluation(
    needed: int, first_escalation: int
) -> None:
    definition = programme(
        [indicator("kennzahl", {"minimum": 10})],
        traffic_lights=[rule()],
        abort_criteria=[
            _criterion("rot-in-folge", {"kind": "consecutive_red", "checkpoints": needed})
        ],
        risks=RISKS,
    )
    results = checkpoints(definition, series("kennzahl", [5, 5, 5, 10]), count=4)
    decisions = [{r.organisation: r.decision for r in res.decisions}[ORG] for res in results]
    expected = ["continue"] * (first_escalation - 1) + ["escalate"] * (4 - first_escalation)
    assert decisions == [*expected, "continue"]
    escalated = {r.organisation: r for r in results[first_escalation - 1].decisions}[ORG]
    assert escalated.evidence == {"rot-in-folge": ["quality"]}
    assert _risk_ids(escalated) == ["teilstrategien", "kommunikationsraum"]
