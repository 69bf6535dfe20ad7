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
    "indicator_other_source": (
        "Indikator '{id}' kommt laut indicators.source aus der Quelle '{expected}'; "
        "ein Indikator hat genau eine Quelle",
        "indicator '{id}' comes from source '{expected}' (indicators.source); "
        "an indicator has exactly one source",
    ),
    "indicator_two_sources": (
        "Indikator '{id}' wird schon von der Quelle '{other}' gespeist ({first}); "
        "ein Indikator hat genau eine Quelle",
        "indicator '{id}' is already fed by source '{other}' ({first}); "
        "an indicator has exactly one source",
    ),
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
    "yaml_bad_value": (
        "der Wert '{value}' kann nicht gelesen werden: {reason}",
        "the value '{value}' cannot be read: {reason}",
    ),
    "yaml_tag": (
        "der YAML-Tag '{tag}' ist nicht erlaubt",
        "the YAML tag '{tag}' is not allowed",
    ),
    "yaml_unprintable": (
        "unzulässiges Steuerzeichen {code} in der Datei",
        "control character {code} is not allowed in the file",
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
    "pyd_model_attributes_type": (
        "Objekt (Schlüssel: Wert) erwartet",
        "mapping (key: value) expected",
    ),
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
        "Schlüssel {discriminator} fehlt",
        "key {discriminator} missing",
    ),
    "pyd_value_error": ("{reason}", "{reason}"),
    "pyd_other": ("{reason}", "{reason}"),
    "pyd_missing_item": ("Eintrag fehlt", "item missing"),
    "pyd_too_long": (
        "zu viele Einträge (höchstens {max_length})",
        "too many items (at most {max_length})",
    ),
    "pyd_tuple_type": ("Liste erwartet, nicht {input!r}", "list expected, not {input!r}"),
    "pyd_int_parsing_size": ("Zahl zu groß", "number too large"),
    "pyd_date_from_datetime_inexact": (
        "Datum ohne Uhrzeit erwartet (JJJJ-MM-TT)",
        "date without time expected (YYYY-MM-DD)",
    ),
    "pyd_finite_number": ("endliche Zahl erwartet", "finite number expected"),
    "pyd_less_than": ("muss kleiner als {lt} sein", "must be less than {lt}"),
    "input_empty": ("ein leerer Wert", "an empty value"),
    "input_list": ("eine Liste", "a list"),
    "input_mapping": ("ein Objekt (Schlüssel: Wert)", "a mapping (key: value)"),
    # validator messages of the definition models (English in the code, see pydantic_errors.py)
    "cfg_not_slug": (
        "'{value}' ist keine gültige ID (Kleinbuchstaben, Ziffern, '-' und '_', höchstens 63 "
        "Zeichen)",
        "'{value}' is not a valid id (lowercase letters, digits, '-' and '_', max 63)",
    ),
    "cfg_not_half_year": (
        "'{value}' ist kein Halbjahr wie 2019-H1",
        "'{value}' is not a half-year such as 2019-H1",
    ),
    "cfg_start_after_end": (
        "Beginn {start} liegt nach dem Ende {end}",
        "start {start} is after end {end}",
    ),
    "cfg_unknown_timezone": (
        "unbekannte Zeitzone '{value}' (z. B. Europe/Berlin)",
        "unknown timezone '{value}' (e.g. Europe/Berlin)",
    ),
    "cfg_not_apprise_url": (
        "'{value}' ist keine Apprise-URL (schema://...)",
        "'{value}' is not an apprise URL (scheme://...)",
    ),
    "cfg_inline_secret": (
        "Zugangsdaten gehören nicht in die Datei; Passwörter als ${{UMGEBUNGSVARIABLE}} angeben",
        "credentials must not be written inline; use ${{ENV_VAR}} for passwords",
    ),
    "cfg_period_and_periods": (
        "entweder 'period' oder 'periods' angeben, nicht beides",
        "give either 'period' or 'periods', not both",
    ),
    "cfg_range_not_pair": (
        "'range' muss eine Liste aus zwei Zahlen sein: [Minimum, Maximum]",
        "'range' must be a list of two numbers [min, max]",
    ),
    "cfg_range_and_bounds": (
        "entweder 'range' oder 'minimum'/'maximum' angeben, nicht beides",
        "give either 'range' or 'minimum'/'maximum', not both",
    ),
    "cfg_one_form": (
        "ein Ziel braucht genau eine Form: exact, approx oder minimum/maximum/range",
        "a target needs exactly one of: exact, approx, minimum/maximum/range",
    ),
    "cfg_minimum_above_maximum": (
        "Minimum {minimum} ist größer als Maximum {maximum}",
        "minimum {minimum} is greater than maximum {maximum}",
    ),
    "cfg_base_shares": (
        "mit 'base' sind die Grenzen Anteile zwischen 0 und 1 (30 % = 0.3)",
        "with 'base' the bounds are shares between 0 and 1 (30 % = 0.3)",
    ),
    "cfg_scale_unordered": (
        "die Skala ist [niedrigster, höchster Wert] mit niedrigster < höchster",
        "scale must be [lowest, highest] with lowest < highest",
    ),
    "cfg_source_and_formula": (
        "ein Indikator hat entweder 'source' oder 'formula', nicht beides",
        "an indicator has either a 'source' or a 'formula', not both",
    ),
    "cfg_score_needs_scale": (
        "ein Indikator der Art 'score' braucht eine Skala ('scale'), z. B. [-2, 2]",
        "a score indicator needs a 'scale', e.g. [-2, 2]",
    ),
    "cfg_yellow_inside_green": (
        "die Gelb-Grenze {yellow} liegt innerhalb der Grün-Grenze {green}; die Gelb-Grenze muss "
        "die weitere sein",
        "yellow bound {yellow} lies inside the green bound {green}; the yellow bound must be the "
        "wider one",
    ),
    "cfg_recovery_wider_than_green": (
        "die Rückkehr-Grenze {recovery} ist weiter als die Grün-Grenze {green}; die Rückkehr zu "
        "Grün muss mindestens so streng sein wie Grün",
        "recovery bound {recovery} is wider than the green bound {green}; recovery must be at "
        "least as strict as green",
    ),
    "cfg_weighted_needs_weights": (
        "gewichtete Zusammenfassung braucht Gewichte je Indikator ('weights')",
        "weighted aggregation needs weights per indicator",
    ),
    "cfg_weights_positive": ("Gewichte müssen positiv sein", "weights must be positive"),
    "cfg_abort_continue": (
        "ein Abbruchkriterium muss zu watch, escalate oder abort_review führen",
        "an abort criterion must lead to watch, escalate or abort_review",
    ),
    "cfg_phases_order": (
        "die Phasen müssen genau plan, do, check, act in dieser Reihenfolge sein",
        "phases must be exactly plan, do, check, act in this order",
    ),
    "cfg_steps_numbered": (
        "die Schritte müssen lückenlos 1, 2, 3, ... nummeriert sein",
        "steps must be numbered 1, 2, 3, ... without gaps",
    ),
    "cfg_steps_phase_order": (
        "die Phasen der Schritte müssen der PDCA-Reihenfolge folgen (plan, do, check, act)",
        "step phases must follow the PDCA order (plan, do, check, act)",
    ),
    "cfg_long_or_wide": (
        "entweder columns.value/indicator (Langformat) oder value_columns (Breitformat) angeben",
        "use either columns.value/indicator (long) or value_columns (wide)",
    ),
    "cfg_map_value": (
        "die Wertspalte zuordnen (columns.value) oder value_columns angeben",
        "map the value column (columns.value) or give value_columns",
    ),
    "cfg_map_indicator": (
        "die Indikatorspalte zuordnen oder festlegen (fixed.indicator)",
        "map the indicator column or fix it (fixed.indicator)",
    ),
    "cfg_map_period": (
        "die Zeitraumspalte zuordnen oder festlegen (fixed.period)",
        "map the period column or fix it (fixed.period)",
    ),
    "cfg_participation_needs_base": (
        "participation_indicator braucht base_population (z. B. 350)",
        "participation_indicator needs base_population (e.g. 350)",
    ),
    "cfg_not_cron": (
        "'{value}' ist kein Cron-Ausdruck mit 5 Feldern (Minute Stunde Tag Monat Wochentag)",
        "'{value}' is not a cron expression with 5 fields (min h dom mon dow)",
    ),
    "cfg_due_lead_days": (
        "due_lead_days sind Tage vor dem Fälligkeitsdatum und müssen >= 0 sein",
        "due_lead_days are days before the due date and must be >= 0",
    ),
    "cfg_formula_too_long": (
        "Formel länger als {limit} Zeichen",
        "formula longer than {limit} characters",
    ),
    "cfg_formula_syntax": (
        "Syntaxfehler in der Formel '{value}': {reason}",
        "syntax error in formula '{value}': {reason}",
    ),
    "cfg_formula_not_allowed": (
        "'{value}' ist in einer Formel nicht erlaubt (nur + - * /, Zahlen und Indikatorschlüssel)",
        "'{value}' is not allowed in a formula (only + - * / numbers and indicator keys)",
    ),
    "cfg_formula_constant": (
        "als Konstanten sind nur Zahlen erlaubt, nicht {value}",
        "only numbers are allowed as constants, not {value}",
    ),
    # CLI
    "cli_valid": (
        "{path}: gültig ({organisations}, {indicators})",  # counted(): '1 Organisation'
        "{path}: valid ({organisations}, {indicators})",
    ),
    "cli_invalid": ("{count} gefunden", "{count} found"),  # counted(n, "errors")
    "cli_db_upgraded": ("Datenbank auf dem neuesten Stand: {url}", "database up to date: {url}"),
    "cli_status_title": ("Status: {title}", "Status: {title}"),
    "cli_no_checkpoint": ("noch kein Checkpoint gelaufen", "no checkpoint has run yet"),
}


# Counted nouns: key -> ((German singular, plural), (English singular, plural)). German
# plurals differ by case ("noch 2 Tage", "seit 2 Tagen"): each case is its own key.
_COUNTED: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "organisations": (("Organisation", "Organisationen"), ("organisation", "organisations")),
    "indicators": (("Indikator", "Indikatoren"), ("indicator", "indicators")),
    "errors": (("Fehler", "Fehler"), ("error", "errors")),
    "fields": (("Feld", "Felder"), ("field", "fields")),
    "values": (("Wert", "Werte"), ("value", "values")),
    "records": (("Eintrag", "Einträge"), ("record", "records")),
    "messages": (("Nachricht", "Nachrichten"), ("message", "messages")),
    "notices": (("Hinweis", "Hinweise"), ("notice", "notices")),
    "attempts": (("Versuch", "Versuche"), ("attempt", "attempts")),
    "entries": (("Termin", "Termine"), ("entry", "entries")),
    "steps": (("Schritt", "Schritte"), ("step", "steps")),
    "days": (("Tag", "Tage"), ("day", "days")),
    "days_dative": (("Tag", "Tagen"), ("day", "days")),
    "working_days_dative": (("Arbeitstag", "Arbeitstagen"), ("working day", "working days")),
    "checkpoints": (("Checkpoint", "Checkpoints"), ("checkpoint", "checkpoints")),
    "good_checkpoints_dative": (
        ("guten Checkpoint", "guten Checkpoints"),
        ("good checkpoint", "good checkpoints"),
    ),
}


def counted(count: int, noun: str, lang: Lang = "de") -> str:
    """A number with its noun in singular or plural, e.g. '1 Organisation', '2 errors'."""
    de, en = _COUNTED[noun]
    one, other = en if lang == "en" else de
    return f"{count} {one if count == 1 else other}"


def render(entry: tuple[str, str], lang: Lang = "de", /, **params: Any) -> str:
    """Format a (German, English) message pair in the given language."""
    de, en = entry
    template = en if lang == "en" else de
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def t(key: str, lang: Lang = "de", /, **params: Any) -> str:
    """Render a catalogue message in the given language."""
    return render(_CATALOGUE[key], lang, **params)


def has_message(key: str) -> bool:
    """True when the catalogue holds this key."""
    return key in _CATALOGUE
