"""Check every raw row against the programme definition and collect all problems."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.german import Decimal_, NumberError, parse_number
from steering.adapters.sources.messages import msg, number
from steering.adapters.sources.result import ImportRow, RowError
from steering.domain.definition.indicators import Indicator
from steering.domain.vocabulary import IndicatorKind, Scope

RAW_COLUMNS = ("line", "indicator", "organisation", "period", "value", "value_column", "note")
_HINTS = {
    "decimal_comma": "hint_decimal_comma",
    "decimal_point": "hint_decimal_point",
    "percent": "hint_percent",
    "date": "hint_date",
    "excel_error": "hint_excel_error",
}


def number_reason(text: str, error: NumberError, lang: str) -> str:
    """'x' ist keine Zahl, with a hint where the cause is clear."""
    reason = msg("not_a_number", lang, value=text)
    hint = _HINTS.get(error.code)
    return f"{reason} ({msg(hint, lang)})" if hint else reason


def _scope_reason(indicator: Indicator, organisation: str, lang: str) -> str | None:
    if indicator.scope is Scope.PROGRAMME and organisation:
        return msg("organisation_for_programme", lang, indicator=indicator.key)
    if indicator.scope is Scope.ORGANISATION and not organisation:
        return msg("organisation_missing", lang, indicator=indicator.key)
    allowed = indicator.organisations
    if organisation and allowed is not None and organisation not in allowed:
        return msg(
            "organisation_not_measured", lang, indicator=indicator.key, organisation=organisation
        )
    return None


def _value_reason(indicator: Indicator, value: float, lang: str) -> str | None:
    scale = indicator.value_range()
    if scale is not None and not scale[0] <= value <= scale[1]:
        low, high = number(scale[0], lang), number(scale[1], lang)
        return msg("out_of_range", lang, value=number(value, lang), low=low, high=high)
    if indicator.kind is IndicatorKind.COUNT and value < 0:
        return msg("negative_count", lang, value=number(value, lang))
    return None


def validate_frame(
    raw: pd.DataFrame, catalog: Catalog, *, decimal: Decimal_, labels: Mapping[str, str]
) -> tuple[list[ImportRow], list[RowError]]:
    """Validate raw text rows (RAW_COLUMNS); return the good rows and every problem."""
    lang = catalog.lang
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    reported: set[tuple[int, str, str]] = set()
    first_line: dict[tuple[str, str, str], int] = {}
    columns = [raw[name].tolist() for name in RAW_COLUMNS]

    def report(line: int, column: str, value: str, reason: str) -> None:
        if (line, column, reason) not in reported:
            reported.add((line, column, reason))
            errors.append(RowError(line, column, value, reason, lang))

    for line, ind_text, org_text, period_text, value_text, value_column, note in zip(
        *columns, strict=True
    ):
        bad = False
        indicator, reason = catalog.indicator(ind_text)
        if reason:
            report(line, labels["indicator"], ind_text, reason)
            bad = True
        organisation, reason = catalog.organisation(org_text)
        if reason or (
            indicator is not None and (reason := _scope_reason(indicator, organisation, lang))
        ):
            report(line, labels["organisation"], org_text, reason)
            bad = True
        period, reason = catalog.period(period_text)
        if reason:
            report(line, labels["period"], period_text, reason)
            bad = True
        percent = indicator is not None and indicator.kind is IndicatorKind.RATIO
        try:
            value = parse_number(value_text, decimal, percent=percent)
        except NumberError as exc:
            report(line, value_column, value_text, number_reason(value_text, exc, lang))
            continue
        if indicator is None or bad:
            continue
        if reason := _value_reason(indicator, value, lang):
            report(line, value_column, value_text, reason)
            continue
        key = (indicator.key, organisation, period)
        if key in first_line:
            shown = organisation or msg("programme_level", lang)
            reason = msg(
                "duplicate",
                lang,
                indicator=indicator.key,
                organisation=shown,
                period=period,
                first=first_line[key],
            )
            report(line, "", "", reason)
            continue
        first_line[key] = line
        rows.append(ImportRow(indicator.key, organisation, period, value, note.strip(), line))
    return rows, errors
