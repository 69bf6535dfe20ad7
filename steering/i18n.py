"""User-facing message catalogue: German by default, English available."""

from __future__ import annotations

from typing import Any

Lang = str

_CATALOGUE: dict[str, tuple[str, str]] = {
    # configuration: semantic checks
    "duplicate_id": (
        "doppelte ID '{id}' (schon bei {first})",
        "duplicate id '{id}' (already at {first})",
    ),
    "unknown_person": ("unbekannte Person '{id}'", "unknown person '{id}'"),
    "unknown_organisation": ("unbekannte Organisation '{id}'", "unknown organisation '{id}'"),
    "unknown_indicator": ("unbekannter Indikator '{id}'", "unknown indicator '{id}'"),
    "unknown_source": ("unbekannte Datenquelle '{id}'", "unknown source '{id}'"),
    "unknown_risk": ("unbekanntes Risiko '{id}'", "unknown risk '{id}'"),
    "unknown_period": (
        "unbekannter Zeitraum '{id}' (nicht unter programme.periods)",
        "unknown period '{id}' (not in programme.periods)",
    ),
    "unknown_step": (
        "Schritt {number} gibt es in der Treiberintegration nicht (1 bis {last})",
        "step {number} does not exist in the driver integration (1 to {last})",
    ),
    "periods_unordered": (
        "Zeitraum '{id}' beginnt vor dem Ende von '{previous}' (Zeiträume müssen geordnet und "
        "überschneidungsfrei sein)",
        "period '{id}' starts before '{previous}' ends (periods must be ordered and must not "
        "overlap)",
    ),
    "duplicate_dimension_rule": (
        "für die Dimension '{id}' gibt es schon eine Ampelregel ({first})",
        "dimension '{id}' already has a traffic-light rule ({first})",
    ),
    "weight_wrong_dimension": (
        "Indikator '{id}' gehört zur Dimension '{actual}', nicht '{expected}'",
        "indicator '{id}' belongs to dimension '{actual}', not '{expected}'",
    ),
    "formula_error": ("Formel ungültig: {reason}", "invalid formula: {reason}"),
    "formula_cycle": (
        "berechnete Indikatoren bilden einen Zyklus: {cycle}",
        "computed indicators form a cycle: {cycle}",
    ),
    "target_outside_scale": (
        "Zielwert {value:g} liegt außerhalb der Skala {low:g} bis {high:g}",
        "target {value:g} lies outside the scale {low:g} to {high:g}",
    ),
    "lead_not_lead": (
        "'{id}' ist als Projektleitung eingetragen, hat aber die Rolle '{role}'",
        "'{id}' is the project lead but has role '{role}'",
    ),
    "no_contact": (
        "Person '{id}' ist nicht erreichbar: weder notify, apprise_tags noch email angegeben",
        "person '{id}' cannot be reached: give notify, apprise_tags or email",
    ),
    # configuration: loading
    "yaml_syntax": ("YAML-Syntaxfehler: {reason}", "YAML syntax error: {reason}"),
    "yaml_duplicate_key": (
        "doppelter Schlüssel '{key}' (zuerst in Zeile {first})",
        "duplicate key '{key}' (first on line {first})",
    ),
    "yaml_alias": (
        "YAML-Anker und -Aliase (&/*) sind nicht erlaubt (Schutz vor Alias-Bomben)",
        "YAML anchors and aliases (&/*) are not allowed (protects against alias bombs)",
    ),
    "yaml_too_deep": (
        "Verschachtelung tiefer als {limit} Ebenen",
        "nesting deeper than {limit} levels",
    ),
    "yaml_too_large": ("Datei größer als {limit} MB", "file larger than {limit} MB"),
    "yaml_not_utf8": (
        "Datei ist nicht UTF-8-kodiert (Byte {position})",
        "file is not UTF-8 encoded (byte {position})",
    ),
    "yaml_tab": (
        "Tabulatorzeichen zur Einrückung sind in YAML nicht erlaubt",
        "tab characters are not allowed for indentation in YAML",
    ),
    "yaml_not_mapping": (
        "die Datei muss ein YAML-Objekt (Schlüssel: Wert) enthalten",
        "the file must hold a YAML mapping (key: value)",
    ),
    "yaml_bad_key": (
        "Schlüssel müssen Texte sein, nicht {kind}",
        "keys must be strings, not {kind}",
    ),
    "file_missing": ("Datei nicht gefunden", "file not found"),
    "env_missing": (
        "Umgebungsvariable '{name}' ist nicht gesetzt",
        "environment variable '{name}' is not set",
    ),
    # pydantic error types
    "pyd_missing": ("Pflichtfeld fehlt", "field required"),
    "pyd_extra_forbidden": ("unbekannter Schlüssel", "unknown key"),
    "pyd_enum": (
        "ungültiger Wert {input!r}; erlaubt: {expected}",
        "invalid value {input!r}; allowed: {expected}",
    ),
    "pyd_literal_error": (
        "ungültiger Wert {input!r}; erlaubt: {expected}",
        "invalid value {input!r}; allowed: {expected}",
    ),
    "pyd_string_type": ("Text erwartet, nicht {input!r}", "text expected, not {input!r}"),
    "pyd_int_parsing": ("ganze Zahl erwartet, nicht {input!r}", "integer expected, not {input!r}"),
    "pyd_int_type": ("ganze Zahl erwartet, nicht {input!r}", "integer expected, not {input!r}"),
    "pyd_int_from_float": (
        "ganze Zahl erwartet, nicht {input!r}",
        "integer expected, not {input!r}",
    ),
    "pyd_float_parsing": ("Zahl erwartet, nicht {input!r}", "number expected, not {input!r}"),
    "pyd_float_type": ("Zahl erwartet, nicht {input!r}", "number expected, not {input!r}"),
    "pyd_bool_parsing": (
        "true oder false erwartet, nicht {input!r}",
        "true or false expected, not {input!r}",
    ),
    "pyd_bool_type": (
        "true oder false erwartet, nicht {input!r}",
        "true or false expected, not {input!r}",
    ),
    "pyd_list_type": ("Liste erwartet", "list expected"),
    "pyd_dict_type": ("Objekt (Schlüssel: Wert) erwartet", "mapping (key: value) expected"),
    "pyd_model_type": ("Objekt (Schlüssel: Wert) erwartet", "mapping (key: value) expected"),
    "pyd_date_from_datetime_parsing": (
        "Datum erwartet (JJJJ-MM-TT), nicht {input!r}",
        "date expected (YYYY-MM-DD), not {input!r}",
    ),
    "pyd_date_parsing": (
        "Datum erwartet (JJJJ-MM-TT), nicht {input!r}",
        "date expected (YYYY-MM-DD), not {input!r}",
    ),
    "pyd_date_type": (
        "Datum erwartet (JJJJ-MM-TT), nicht {input!r}",
        "date expected (YYYY-MM-DD), not {input!r}",
    ),
    "pyd_too_short": (
        "zu wenige Einträge (mindestens {min_length})",
        "too few items (at least {min_length})",
    ),
    "pyd_string_too_short": ("darf nicht leer sein", "must not be empty"),
    "pyd_string_too_long": (
        "zu lang (höchstens {max_length} Zeichen)",
        "too long (at most {max_length} characters)",
    ),
    "pyd_string_pattern_mismatch": ("ungültiges Format {input!r}", "invalid format {input!r}"),
    "pyd_greater_than": ("muss größer als {gt} sein", "must be greater than {gt}"),
    "pyd_greater_than_equal": ("muss mindestens {ge} sein", "must be at least {ge}"),
    "pyd_less_than_equal": ("darf höchstens {le} sein", "must be at most {le}"),
    "pyd_union_tag_invalid": (
        "unbekannte Art {tag!r}; erlaubt: {expected_tags}",
        "unknown kind {tag!r}; allowed: {expected_tags}",
    ),
    "pyd_union_tag_not_found": (
        "Schlüssel '{discriminator}' fehlt",
        "key '{discriminator}' missing",
    ),
    "pyd_value_error": ("{reason}", "{reason}"),
    "pyd_other": ("{reason}", "{reason}"),
    # CLI
    "cli_valid": (
        "{path}: gültig ({organisations} Organisationen, {indicators} Indikatoren)",
        "{path}: valid ({organisations} organisations, {indicators} indicators)",
    ),
    "cli_invalid": ("{count} Fehler gefunden", "{count} errors found"),
    "cli_db_upgraded": ("Datenbank auf dem neuesten Stand: {url}", "database up to date: {url}"),
    "cli_status_title": ("Status: {title}", "Status: {title}"),
    "cli_no_checkpoint": ("noch kein Checkpoint gelaufen", "no checkpoint has run yet"),
}


def t(key: str, lang: Lang = "de", /, **params: Any) -> str:
    """Render a catalogue message in the given language."""
    de, en = _CATALOGUE[key]
    template = en if lang == "en" else de
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has_message(key: str) -> bool:
    """True when the catalogue holds this key."""
    return key in _CATALOGUE
