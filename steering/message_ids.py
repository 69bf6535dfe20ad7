"""Stable keys of messages the domain and the config checks name, with their English msgids."""

from __future__ import annotations

from steering.i18n import N_

MESSAGE_IDS: dict[str, str] = {
    "duplicate_id": N_("duplicate id '{id}' (already at {first})"),
    "unknown_person": N_("unknown person '{id}'"),
    "unknown_organisation": N_("unknown organisation '{id}'"),
    "unknown_indicator": N_("unknown indicator '{id}'"),
    "unknown_source": N_("unknown source '{id}'"),
    "indicator_other_source": N_(
        "indicator '{id}' comes from source '{expected}' (indicators.source); an "
        "indicator has exactly one source"
    ),
    "indicator_two_sources": N_(
        "indicator '{id}' is already fed by source '{other}' ({first}); an indicator has "
        "exactly one source"
    ),
    "unknown_risk": N_("unknown risk '{id}'"),
    "unknown_period": N_("unknown period '{id}' (not in programme.periods)"),
    "unknown_step": N_("step {number} does not exist in the driver integration (1 to {last})"),
    "periods_unordered": N_(
        "period '{id}' starts before '{previous}' ends (periods must be ordered and must "
        "not overlap)"
    ),
    "duplicate_dimension_rule": N_("dimension '{id}' already has a traffic-light rule ({first})"),
    "weight_wrong_dimension": N_(
        "indicator '{id}' belongs to dimension '{actual}', not '{expected}'"
    ),
    "formula_error": N_("invalid formula: {reason}"),
    "formula_cycle": N_("computed indicators form a cycle: {cycle}"),
    "target_outside_scale": N_("target {value:g} lies outside the scale {low:g} to {high:g}"),
    "lead_not_lead": N_("'{id}' is the project lead but has role '{role}'"),
    "no_contact": N_("person '{id}' cannot be reached: give notify, apprise_tags or email"),
    "yaml_syntax": N_("YAML syntax error: {reason}"),
    "yaml_duplicate_key": N_("duplicate key '{key}' (first on line {first})"),
    "yaml_alias": N_(
        "YAML anchors and aliases (&/*) are not allowed (protects against alias bombs)"
    ),
    "yaml_too_deep": N_("nesting deeper than {limit} levels"),
    "yaml_too_large": N_("file larger than {limit} MB"),
    "yaml_not_utf8": N_("file is not UTF-8 encoded (byte {position})"),
    "yaml_bad_value": N_("the value '{value}' cannot be read: {reason}"),
    "yaml_tag": N_("the YAML tag '{tag}' is not allowed"),
    "yaml_unprintable": N_("control character {code} is not allowed in the file"),
    "yaml_tab": N_("tab characters are not allowed for indentation in YAML"),
    "yaml_not_mapping": N_("the file must hold a YAML mapping (key: value)"),
    "yaml_bad_key": N_("keys must be strings, not {kind}"),
    "file_missing": N_("file not found"),
    "env_missing": N_("environment variable '{name}' is not set"),
    "pyd_missing": N_("field required"),
    "pyd_extra_forbidden": N_("unknown key"),
    "pyd_enum": N_("invalid value {input!r}; allowed: {expected}"),
    "pyd_literal_error": N_("invalid value {input!r}; allowed: {expected}"),
    "pyd_string_type": N_("text expected, not {input!r}"),
    "pyd_int_parsing": N_("integer expected, not {input!r}"),
    "pyd_int_type": N_("integer expected, not {input!r}"),
    "pyd_int_from_float": N_("integer expected, not {input!r}"),
    "pyd_float_parsing": N_("number expected, not {input!r}"),
    "pyd_float_type": N_("number expected, not {input!r}"),
    "pyd_bool_parsing": N_("true or false expected, not {input!r}"),
    "pyd_bool_type": N_("true or false expected, not {input!r}"),
    "pyd_list_type": N_("list expected"),
    "pyd_dict_type": N_("mapping (key: value) expected"),
    "pyd_model_type": N_("mapping (key: value) expected"),
    "pyd_model_attributes_type": N_("mapping (key: value) expected"),
    "pyd_date_from_datetime_parsing": N_("date expected (YYYY-MM-DD), not {input!r}"),
    "pyd_date_parsing": N_("date expected (YYYY-MM-DD), not {input!r}"),
    "pyd_date_type": N_("date expected (YYYY-MM-DD), not {input!r}"),
    "pyd_too_short": N_("too few items (at least {min_length})"),
    "pyd_string_too_short": N_("must not be empty"),
    "pyd_string_too_long": N_("too long (at most {max_length} characters)"),
    "pyd_string_pattern_mismatch": N_("invalid format {input!r}"),
    "pyd_greater_than": N_("must be greater than {gt}"),
    "pyd_greater_than_equal": N_("must be at least {ge}"),
    "pyd_less_than_equal": N_("must be at most {le}"),
    "pyd_union_tag_invalid": N_("unknown kind {tag!r}; allowed: {expected_tags}"),
    "pyd_union_tag_not_found": N_("key {discriminator} missing"),
    "pyd_value_error": N_("{reason}"),
    "pyd_other": N_("{reason}"),
    "pyd_missing_item": N_("item missing"),
    "pyd_too_long": N_("too many items (at most {max_length})"),
    "pyd_tuple_type": N_("list expected, not {input!r}"),
    "pyd_int_parsing_size": N_("number too large"),
    "pyd_date_from_datetime_inexact": N_("date without time expected (YYYY-MM-DD)"),
    "pyd_finite_number": N_("finite number expected"),
    "pyd_less_than": N_("must be less than {lt}"),
    "input_empty": N_("an empty value"),
    "input_list": N_("a list"),
    "input_mapping": N_("a mapping (key: value)"),
    "cfg_not_slug": N_(
        "'{value}' is not a valid id (lowercase letters, digits, '-' and '_', max 63)"
    ),
    "cfg_not_half_year": N_("'{value}' is not a half-year such as 2019-H1"),
    "cfg_start_after_end": N_("start {start} is after end {end}"),
    "cfg_unknown_timezone": N_("unknown timezone '{value}' (e.g. Europe/Berlin)"),
    "cfg_not_apprise_url": N_("'{value}' is not an apprise URL (scheme://...)"),
    "cfg_inline_secret": N_(
        "credentials must not be written inline; use ${{ENV_VAR}} for passwords"
    ),
    "cfg_period_and_periods": N_("give either 'period' or 'periods', not both"),
    "cfg_range_not_pair": N_("'range' must be a list of two numbers [min, max]"),
    "cfg_range_and_bounds": N_("give either 'range' or 'minimum'/'maximum', not both"),
    "cfg_one_form": N_("a target needs exactly one of: exact, approx, minimum/maximum/range"),
    "cfg_minimum_above_maximum": N_("minimum {minimum} is greater than maximum {maximum}"),
    "cfg_base_shares": N_("with 'base' the bounds are shares between 0 and 1 (30 % = 0.3)"),
    "cfg_scale_unordered": N_("scale must be [lowest, highest] with lowest < highest"),
    "cfg_source_and_formula": N_("an indicator has either a 'source' or a 'formula', not both"),
    "cfg_score_needs_scale": N_("a score indicator needs a 'scale', e.g. [-2, 2]"),
    "cfg_yellow_inside_green": N_(
        "yellow bound {yellow} lies inside the green bound {green}; the yellow bound "
        "must be the wider one"
    ),
    "cfg_recovery_wider_than_green": N_(
        "recovery bound {recovery} is wider than the green bound {green}; recovery must "
        "be at least as strict as green"
    ),
    "cfg_weighted_needs_weights": N_("weighted aggregation needs weights per indicator"),
    "cfg_weights_positive": N_("weights must be positive"),
    "cfg_abort_continue": N_("an abort criterion must lead to watch, escalate or abort_review"),
    "cfg_phases_order": N_("phases must be exactly plan, do, check, act in this order"),
    "cfg_steps_numbered": N_("steps must be numbered 1, 2, 3, ... without gaps"),
    "cfg_steps_phase_order": N_("step phases must follow the PDCA order (plan, do, check, act)"),
    "cfg_long_or_wide": N_("use either columns.value/indicator (long) or value_columns (wide)"),
    "cfg_map_value": N_("map the value column (columns.value) or give value_columns"),
    "cfg_map_indicator": N_("map the indicator column or fix it (fixed.indicator)"),
    "cfg_map_period": N_("map the period column or fix it (fixed.period)"),
    "cfg_participation_needs_base": N_("participation_indicator needs base_population (e.g. 350)"),
    "cfg_not_cron": N_("'{value}' is not a cron expression with 5 fields (min h dom mon dow)"),
    "cfg_due_lead_days": N_("due_lead_days are days before the due date and must be >= 0"),
    "cfg_formula_too_long": N_("formula longer than {limit} characters"),
    "cfg_formula_syntax": N_("syntax error in formula '{value}': {reason}"),
    "cfg_formula_not_allowed": N_(
        "'{value}' is not allowed in a formula (only + - * / numbers and indicator keys)"
    ),
    "cfg_formula_constant": N_("only numbers are allowed as constants, not {value}"),
    "cli_valid": N_("{path}: valid ({organisations}, {indicators})"),
    "cli_db_upgraded": N_("database up to date: {url}"),
    "cli_status_title": N_("Status: {title}"),
    "cli_no_checkpoint": N_("no checkpoint has run yet"),
}
