"""What the Prefect UI shows at a glance: severity order, signals, keys, tables that fit."""

from __future__ import annotations

import pytest

from steering.domain.lagebild import escalated, needs_the_lead, severity_key
from steering.services.lagebild_markdown import signal
from steering.services.presentation import artifact_key
from steering.services.table_width import TABLE_PX, fit_rows, rendered_px, text_width


def test_abort_reviews_come_before_escalations_before_watched_then_more_red_then_name() -> None:
    rows = [
        ("Zeta", "continue", {"cost": "red"}),
        ("Alpha", "watch", {"cost": "green"}),
        ("Beta", "abort_review", {"cost": "green"}),
        ("Gamma", "escalate", {"cost": "red", "time": "red"}),
        ("Delta", "escalate", {"cost": "red", "time": "green"}),
        ("alpha", "continue", {"cost": "red"}),
    ]

    ordered = sorted(rows, key=lambda r: severity_key(r[1], r[2], r[0]))

    assert [r[0] for r in ordered] == ["Beta", "Gamma", "Delta", "Alpha", "alpha", "Zeta"]


def test_the_lead_is_needed_for_more_than_continue_or_a_red_light() -> None:
    assert needs_the_lead("watch", {"cost": "green"})
    assert needs_the_lead("continue", {"cost": "red"})
    assert not needs_the_lead("continue", {"cost": "yellow", "time": "no_data"})


def test_watch_to_abort_review_is_an_escalation_and_the_way_back_is_not() -> None:
    assert escalated("watch", "abort_review")
    assert not escalated("abort_review", "watch")
    assert not escalated(None, "abort_review")


@pytest.mark.parametrize(
    ("lights", "decision", "phase", "expected"),
    [
        (
            {"cost": "red", "staff": "green", "time": "green"},
            "abort_review",
            "do",
            "🔴 Kosten · Abbruchprüfung · Do",
        ),
        (
            {"cost": "yellow", "staff": "green", "time": "yellow"},
            "continue",
            "plan",
            "🟡 Kosten, Zeit · fortsetzen · Plan",
        ),
        ({"cost": "green"}, "continue", None, "🟢 grün · fortsetzen"),
    ],
)
def test_an_artifact_description_carries_the_signal(
    lights: dict[str, str], decision: str, phase: str | None, expected: str
) -> None:
    assert signal(lights, decision, phase) == expected


def test_keys_say_a_word_once_even_when_an_organisation_id_repeats_it() -> None:
    assert artifact_key("integration", "integration-leipzig", "cloud") == (
        "integration-leipzig-cloud"
    )
    assert artifact_key("status", "Werkstätten Nordhausen") == "status-werkstaetten-nordhausen"
    assert artifact_key("lagebild", "digital-und-sozial") == "lagebild-digital-und-sozial"


def test_a_wide_table_has_its_widest_column_cut_until_it_fits_1440_px() -> None:
    name = "Lebenshilfe für Menschen mit Behinderung Erfurt e. V. (fiktiv)"
    rows = [
        {
            "Organisation": name + " – Standort Nord",
            "Qualität": "🟢 grün ↗",
            "Kosten": "🔴 rot ↘",
            "Personal": "⚪ keine Daten",
            "Zeit": "🟡 gelb",
            "Entscheidung": "Abbruchprüfung → fortsetzen",
        },
        {
            **dict.fromkeys(["Organisation", "Qualität", "Kosten", "Personal", "Zeit"], "–"),
            "Entscheidung": "fortsetzen",
        },
    ]
    assert rendered_px(rows) > TABLE_PX

    fitted = fit_rows(rows)

    assert rendered_px(fitted) <= TABLE_PX
    assert [list(r) for r in fitted] == [list(r) for r in rows]
    assert fitted[0]["Organisation"].endswith("…")
    assert fitted[0]["Organisation"].startswith("Lebenshilfe für Menschen")
    assert {k: v for k, v in fitted[0].items() if k != "Organisation"} == {
        k: v for k, v in rows[0].items() if k != "Organisation"
    }


def test_a_table_that_fits_is_left_as_it_is() -> None:
    rows = [{"Indikator": "Geschulte Mitarbeitende", "Soll": "≥ 5", "Ist": "4"}]

    assert fit_rows(rows) == rows


def test_a_light_symbol_counts_as_three_characters() -> None:
    assert text_width("🔴 rot") == 3 + 4
