"""Loading programme definitions: every problem named with file, line, path and a readable message.

The corpus in tests/data/broken_configs holds small variations of config/minimal.yaml with one
problem each; the table below lists the exact lines a project lead sees for each of them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from steering.adapters.config import ConfigError, ConfigProblem, load_definition
from steering.domain.definition import ProgrammeDefinition

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "broken_configs"
MINIMAL = ROOT / "config" / "minimal.yaml"
FULL_EXAMPLE = ROOT / "config" / "digital-und-sozial.yaml"

# file name -> the rendered problems without the leading "<file>:" (German, the default).
EXPECTED: dict[str, list[str]] = {
    # references between sections
    "unknown_owner.yaml": [
        "25: organisations[0].owners[0]: unbekannte Person 'gf-unbekannt'",
    ],
    "unknown_lead.yaml": [
        "6: programme.lead: unbekannte Person 'frau-mueller'",
    ],
    "lead_with_wrong_role.yaml": [
        "6: programme.lead: 'gf-beispiel' ist als Projektleitung eingetragen, "
        "hat aber die Rolle 'owner'",
    ],
    "progress_source_with_unknown_indicator.yaml": [
        "33: sources[1].steps_done_indicator: unbekannter Indikator 'treiberschritte'",
    ],
    "unknown_source.yaml": [
        "37: indicators[0].source: unbekannte Datenquelle 'excel-export'",
    ],
    "indicator_fed_by_two_sources.yaml": [
        "38: sources[1].value_columns.Mitarbeitende geschult: Indikator "
        "'geschulte-mitarbeitende' wird schon von der Quelle 'schulungen-a' gespeist "
        "(sources[0].value_columns.Geschulte); ein Indikator hat genau eine Quelle",
    ],
    "indicator_fed_by_another_source.yaml": [
        "35: sources[1].fixed.indicator: Indikator 'geschulte-mitarbeitende' kommt laut "
        "indicators.source aus der Quelle 'manuell'; ein Indikator hat genau eine Quelle",
    ],
    "unknown_risk_in_abort_criterion.yaml": [
        "49: abort_criteria[0].risks[0]: unbekanntes Risiko 'personalmangel'",
    ],
    "unknown_indicator_weight.yaml": [
        "45: traffic_lights[0].weights.fortbildungen: unbekannter Indikator 'fortbildungen'",
    ],
    # unique ids
    "duplicate_organisation_id.yaml": [
        "27: organisations[1].id: doppelte ID 'beispiel-ev' (schon bei organisations[0])",
    ],
    "duplicate_indicator_key.yaml": [
        "42: indicators[1].key: doppelte ID 'geschulte-mitarbeitende' (schon bei indicators[0])",
    ],
    # schema: keys, types, values
    "unknown_top_level_key.yaml": [
        "9: budget: unbekannter Schlüssel",
    ],
    "unknown_nested_key.yaml": [
        "24: organisations[0].website: unbekannter Schlüssel",
    ],
    "missing_required_field.yaml": [
        "21: organisations[0].name: Pflichtfeld fehlt",
    ],
    "string_where_number_expected.yaml": [
        "43: traffic_lights[0].yellow_within: Zahl erwartet, nicht 'zwanzig Prozent'",
    ],
    "list_where_text_expected.yaml": [
        "5: programme.title: Text erwartet, nicht eine Liste",
    ],
    "invalid_federal_state.yaml": [
        "23: organisations[0].state: ungültiger Wert 'XX'; erlaubt: 'BW', 'BY', 'BE', 'BB', "
        "'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH' oder 'TH'",
    ],
    "invalid_dimension.yaml": [
        "36: indicators[0].dimension: ungültiger Wert 'money'; "
        "erlaubt: 'quality', 'cost', 'staff' oder 'time'",
    ],
    "invalid_id.yaml": [
        "21: organisations[0].id: 'Beispiel eV' ist keine gültige ID "
        "(Kleinbuchstaben, Ziffern, '-' und '_', höchstens 63 Zeichen)",
    ],
    "unknown_source_kind.yaml": [
        "29: sources[0]: unbekannte Art 'excel'; "
        "erlaubt: 'table', 'moodle_feedback', 'limesurvey', 'sql', 'json', 'manual', 'progress'",
    ],
    "unknown_timezone.yaml": [
        "6: programme.timezone: unbekannte Zeitzone 'Europe/Bonn' (z. B. Europe/Berlin)",
    ],
    # traffic lights and abort criteria
    "yellow_bound_narrower_than_green.yaml": [
        "43: traffic_lights[0].yellow_within: die Gelb-Grenze 0.2 liegt innerhalb der "
        "Grün-Grenze 0.3; die Gelb-Grenze muss die weitere sein",
    ],
    "recovery_bound_wider_than_green.yaml": [
        "43: traffic_lights[0].recovery_within: die Rückkehr-Grenze 0.2 ist weiter als die "
        "Grün-Grenze 0.1; die Rückkehr zu Grün muss mindestens so streng sein wie Grün",
    ],
    "abort_criterion_that_continues.yaml": [
        "49: abort_criteria[0].decision: ein Abbruchkriterium muss zu watch, escalate oder "
        "abort_review führen",
    ],
    # periods
    "overlapping_periods.yaml": [
        "9: programme.periods[1].start: Zeitraum '2025-H2' beginnt vor dem Ende von '2025-H1' "
        "(Zeiträume müssen geordnet und überschneidungsfrei sein)",
    ],
    "unordered_periods.yaml": [
        "7: programme.periods[1]: Zeitraum '2025-H1' beginnt vor dem Ende von '2025-H2' "
        "(Zeiträume müssen geordnet und überschneidungsfrei sein)",
    ],
    "bad_period_id.yaml": [
        "7: programme.periods[2]: '2019-H3' ist kein Halbjahr wie 2019-H1",
    ],
    # targets and scales
    "target_period_not_in_programme.yaml": [
        "40: indicators[0].targets[1].period: unbekannter Zeitraum '2026-H1' "
        "(nicht unter programme.periods)",
    ],
    "target_minimum_above_maximum.yaml": [
        "40: indicators[0].targets[1].minimum: Minimum 10 ist größer als Maximum 8",
    ],
    "target_with_two_forms.yaml": [
        "40: indicators[0].targets[1]: ein Ziel braucht genau eine Form: "
        "exact, approx oder minimum/maximum/range",
    ],
    "score_indicator_without_scale.yaml": [
        "33: indicators[0].scale: ein Indikator der Art 'score' braucht eine Skala ('scale'), "
        "z. B. [-2, 2]",
    ],
    "target_outside_score_scale.yaml": [
        "42: indicators[0].targets[1]: Zielwert 3 liegt außerhalb der Skala -2 bis 2",
    ],
    # computed indicators
    "formula_unknown_indicator.yaml": [
        "45: indicators[1].formula: unbekannter Indikator 'beschaeftigte'",
    ],
    "formula_cycle.yaml": [
        "45: indicators[1].formula: berechnete Indikatoren bilden einen Zyklus: a -> b -> a",
    ],
    "formula_with_function_call.yaml": [
        "45: indicators[1].formula: Formel ungültig: '__import__('os')' ist in einer Formel "
        "nicht erlaubt (nur + - * /, Zahlen und Indikatorschlüssel)",
    ],
    # operations
    "inline_password_in_apprise_url.yaml": [
        "15: people[0].notify[0]: Zugangsdaten gehören nicht in die Datei; "
        "Passwörter als ${UMGEBUNGSVARIABLE} angeben",
    ],
    "invalid_cron.yaml": [
        "46: schedules.checkpoint: 'jeden ersten Montag' ist kein Cron-Ausdruck mit 5 Feldern "
        "(Minute Stunde Tag Monat Wochentag)",
    ],
    "event_for_unknown_organisation.yaml": [
        "50: events[0].organisations[1]: unbekannte Organisation 'anderer-ev'",
    ],
    "event_with_invalid_organisation_list.yaml": [
        "50: events[0].organisations: ungültiger Wert 'alle'; erlaubt: 'all'",
    ],
    "source_without_kind.yaml": [
        "29: sources[0]: Schlüssel 'kind' fehlt",
    ],
    # the YAML itself
    "impossible_date.yaml": [
        "27: der Wert '2025-02-30' kann nicht gelesen werden: day is out of range for month",
    ],
    "unknown_yaml_tag.yaml": [
        "5: der YAML-Tag '!!python/object/apply:os.system' ist nicht erlaubt",
    ],
    "alias_bomb.yaml": [
        "2: YAML-Anker und -Aliase (&/*) sind nicht erlaubt (Schutz vor Alias-Bomben)",
    ],
    "duplicate_yaml_key.yaml": [
        "6: doppelter Schlüssel 'title' (zuerst in Zeile 5)",
    ],
    "tab_indentation.yaml": [
        "23: Tabulatorzeichen zur Einrückung sind in YAML nicht erlaubt",
    ],
    "deep_nesting.yaml": [
        "4: Verschachtelung tiefer als 40 Ebenen",
    ],
    "empty.yaml": [
        "1: die Datei muss ein YAML-Objekt (Schlüssel: Wert) enthalten",
    ],
    "top_level_list.yaml": [
        "1: die Datei muss ein YAML-Objekt (Schlüssel: Wert) enthalten",
    ],
}

EXPECTED_EN: dict[str, list[str]] = {
    "unknown_owner.yaml": [
        "25: organisations[0].owners[0]: unknown person 'gf-unbekannt'",
    ],
    "lead_with_wrong_role.yaml": [
        "6: programme.lead: 'gf-beispiel' is the project lead but has role 'owner'",
    ],
    "yellow_bound_narrower_than_green.yaml": [
        "43: traffic_lights[0].yellow_within: yellow bound 0.2 lies inside the green bound 0.3; "
        "the yellow bound must be the wider one",
    ],
    "invalid_dimension.yaml": [
        "36: indicators[0].dimension: invalid value 'money'; "
        "allowed: 'quality', 'cost', 'staff' or 'time'",
    ],
    "bad_period_id.yaml": [
        "7: programme.periods[2]: '2019-H3' is not a half-year such as 2019-H1",
    ],
    "formula_with_function_call.yaml": [
        "45: indicators[1].formula: invalid formula: '__import__('os')' is not allowed in a "
        "formula (only + - * / numbers and indicator keys)",
    ],
    "tab_indentation.yaml": [
        "23: tab characters are not allowed for indentation in YAML",
    ],
}


def _rendered(file: Path, lang: str = "de") -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_definition(file, lang=lang)
    return [str(problem) for problem in caught.value.problems]


def _write_variant(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    file = tmp_path / "variant.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def test_the_corpus_holds_at_least_25_broken_configs_and_each_has_an_expectation() -> None:
    names = sorted(p.name for p in CORPUS.glob("*.yaml"))
    assert len(names) >= 25
    assert names == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_config_is_reported_with_exactly_the_expected_file_line_path_and_message(
    name: str,
) -> None:
    file = CORPUS / name
    assert _rendered(file) == [f"{file}:{line}" for line in EXPECTED[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED_EN))
def test_with_lang_en_the_same_problems_are_reported_in_english(name: str) -> None:
    file = CORPUS / name
    assert _rendered(file, lang="en") == [f"{file}:{line}" for line in EXPECTED_EN[name]]


def test_an_owner_who_is_not_a_person_is_named_with_file_line_and_path() -> None:
    file = CORPUS / "unknown_owner.yaml"
    with pytest.raises(ConfigError) as caught:
        load_definition(file)
    assert caught.value.problems == [
        ConfigProblem(
            str(file), 25, "organisations[0].owners[0]", "unbekannte Person 'gf-unbekannt'"
        )
    ]
    assert str(caught.value) == f"{file}:25: organisations[0].owners[0]: " + (
        "unbekannte Person 'gf-unbekannt'"
    )


def test_three_independent_semantic_problems_are_all_listed_at_once(tmp_path: Path) -> None:
    file = _write_variant(
        tmp_path,
        ("lead: leitung", "lead: niemand"),
        ("owners: [gf-beispiel]", "owners: [gf-unbekannt]"),
        ("source: manuell", "source: excel-export"),
    )
    assert _rendered(file) == [
        f"{file}:6: programme.lead: unbekannte Person 'niemand'",
        f"{file}:25: organisations[0].owners[0]: unbekannte Person 'gf-unbekannt'",
        f"{file}:37: indicators[0].source: unbekannte Datenquelle 'excel-export'",
    ]


def test_three_independent_schema_problems_are_all_listed_at_once(tmp_path: Path) -> None:
    file = _write_variant(
        tmp_path,
        ("state: TH", "state: XX"),
        ("dimension: staff\n", "dimension: money\n"),
        ("yellow_within: 0.2", "yellow_within: viel"),
    )
    assert [line.split(": ", 2)[:2] for line in _rendered(file)] == [
        [f"{file}:23", "organisations[0].state"],
        [f"{file}:36", "indicators[0].dimension"],
        [f"{file}:43", "traffic_lights[0].yellow_within"],
    ]


def test_the_alias_bomb_is_refused_in_well_under_a_second() -> None:
    started = time.perf_counter()
    with pytest.raises(ConfigError):
        load_definition(CORPUS / "alias_bomb.yaml")
    assert time.perf_counter() - started < 1.0


def test_a_file_in_windows_1252_is_refused_naming_the_line_of_the_first_umlaut(
    tmp_path: Path,
) -> None:
    file = tmp_path / "windows.yaml"
    file.write_bytes(
        "programme:\n  id: mein-programm\n  title: Übergänge gestalten\n".encode("cp1252")
    )
    assert _rendered(file) == [f"{file}:3: Datei ist nicht UTF-8-kodiert (Byte 40)"]
    assert _rendered(file, lang="en") == [f"{file}:3: file is not UTF-8 encoded (byte 40)"]


def test_a_control_character_is_refused_naming_its_line(tmp_path: Path) -> None:
    file = tmp_path / "control.yaml"
    file.write_bytes(b"programme:\n  id: mein-programm\n  title: Klingel\x07\n")
    assert _rendered(file) == [f"{file}:3: unzulässiges Steuerzeichen U+0007 in der Datei"]


def test_a_key_that_is_not_text_is_named_as_written(tmp_path: Path) -> None:
    file = _write_variant(tmp_path, ("  id: mein-programm\n", "  id: mein-programm\n  ~: x\n"))
    assert _rendered(file) == [f"{file}:5: programme.~: unbekannter Schlüssel"]


def test_a_date_where_text_is_expected_is_shown_as_a_date(tmp_path: Path) -> None:
    file = _write_variant(tmp_path, ('title: "Mein Digitalisierungsprogramm"', "title: 2025-01-01"))
    assert _rendered(file) == [f"{file}:5: programme.title: Text erwartet, nicht 2025-01-01"]


def test_a_missing_file_is_reported_without_a_line(tmp_path: Path) -> None:
    file = tmp_path / "gibt-es-nicht.yaml"
    assert _rendered(file) == [f"{file}: Datei nicht gefunden"]


def test_a_utf8_file_with_byte_order_mark_loads(tmp_path: Path) -> None:
    file = tmp_path / "bom.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert isinstance(load_definition(file), ProgrammeDefinition)


def test_a_target_range_with_text_bounds_points_at_the_range_item(tmp_path: Path) -> None:
    file = _write_variant(
        tmp_path, ("{period: 2025-H2, minimum: 10}", "{period: 2025-H2, range: [acht, 12]}")
    )
    assert _rendered(file) == [
        f"{file}:40: indicators[0].targets[1].range[0]: Zahl erwartet, nicht 'acht'",
    ]


def test_a_target_period_that_is_no_half_year_points_at_the_period_key(tmp_path: Path) -> None:
    file = _write_variant(
        tmp_path, ("{period: 2025-H2, minimum: 10}", "{period: 2025-H7, minimum: 10}")
    )
    assert _rendered(file) == [
        f"{file}:40: indicators[0].targets[1].period: '2025-H7' ist kein Halbjahr wie 2019-H1",
    ]


def test_a_scale_with_one_number_names_the_missing_item(tmp_path: Path) -> None:
    file = _write_variant(
        tmp_path,
        ("    dimension: staff\n", "    dimension: staff\n    kind: score\n    scale: [5]\n"),
    )
    assert _rendered(file) == [f"{file}:38: indicators[0].scale[1]: Eintrag fehlt"]


def test_the_minimal_example_loads() -> None:
    definition = load_definition(MINIMAL)
    assert definition.programme.lead == "leitung"
    assert definition.period_ids() == ["2025-H1", "2025-H2"]


def test_the_full_example_programme_models_the_plan() -> None:
    definition = load_definition(FULL_EXAMPLE)

    assert len(definition.organisations) == 12
    assert definition.period_ids() == [
        "2018-H1",
        "2018-H2",
        "2019-H1",
        "2019-H2",
        "2020-H1",
        "2020-H2",
    ]
    survey = definition.indicator("mo-befragung-antworten").targets[0]
    assert (survey.base, survey.minimum, survey.periods) == (350, 0.30, ["2019-H2"])
    feedback = definition.indicator("weiterbildung-feedback")
    assert feedback.scale == (-2, 2) and feedback.targets[0].bounds() == (1.0, 1.5)
    assert definition.indicator("entwicklungszirkel-teilnehmende").targets[0].periods == [
        "2018-H2",
        "2019-H1",
        "2019-H2",
        "2020-H1",
        "2020-H2",
    ]
    assert {r.id for r in definition.risks} == {
        "strategie-verknuepfung",
        "kreativraeume",
        "technikangst",
        "finanzierung-infrastruktur",
    }
    assert {str(o.experiment_fields[0]) for o in definition.organisations} == {
        "leistungserbringung",
        "verwaltung_4_0",
        "interne_kommunikation",
    }
