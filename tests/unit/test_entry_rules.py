"""Which values participants enter by hand: organisation-scope indicators, open periods."""

from __future__ import annotations

from datetime import date

from steering.domain.definition import ProgrammeDefinition
from steering.domain.entry import enterable_indicators, open_periods


def _definition() -> ProgrammeDefinition:
    return ProgrammeDefinition.model_validate(
        {
            "programme": {
                "id": "p",
                "title": "P",
                "lead": "lead",
                "periods": ["2026-H1", "2026-H2", "2027-H1"],
            },
            "people": [{"id": "lead", "name": "Lead", "email": "l@example.org"}],
            "organisations": [
                {
                    "id": "a",
                    "name": "A",
                    "state": "TH",
                    "experiment_fields": ["verwaltung_4_0"],
                    "owners": ["lead"],
                },
                {
                    "id": "b",
                    "name": "B",
                    "state": "TH",
                    "experiment_fields": ["verwaltung_4_0"],
                    "owners": ["lead"],
                },
            ],
            "sources": [
                {"key": "manuell", "kind": "manual"},
                {
                    "key": "datei",
                    "kind": "table",
                    "columns": {"indicator": "K", "organisation": "T", "period": "Z", "value": "W"},
                },
            ],
            "indicators": [
                {"key": "hand", "title": "Hand", "dimension": "staff", "source": "manuell"},
                {
                    "key": "nur-b",
                    "title": "Nur B",
                    "dimension": "staff",
                    "source": "manuell",
                    "organisations": ["b"],
                },
                {"key": "aus-datei", "title": "Datei", "dimension": "staff", "source": "datei"},
                {
                    "key": "programm",
                    "title": "Programm",
                    "dimension": "staff",
                    "scope": "programme",
                    "source": "manuell",
                },
                {"key": "formel", "title": "Formel", "dimension": "staff", "formula": "hand * 2"},
            ],
        }
    )


def test_owners_enter_the_organisation_scope_indicators_entered_by_hand() -> None:
    definition = _definition()
    assert [i.key for i in enterable_indicators(definition, "a")] == ["hand"]
    assert [i.key for i in enterable_indicators(definition, "b")] == ["hand", "nur-b"]


def test_the_running_period_and_the_last_ended_one_are_open() -> None:
    definition = _definition()
    assert [p.id for p in open_periods(definition, date(2026, 3, 1))] == ["2026-H1"]
    assert [p.id for p in open_periods(definition, date(2026, 7, 1))] == ["2026-H1", "2026-H2"]
    assert [p.id for p in open_periods(definition, date(2027, 12, 24))] == ["2027-H1"]
    assert open_periods(definition, date(2025, 12, 31)) == []
