"""Check every raw row against the programme definition and collect all problems (vectorised)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from steering.adapters.sources.catalog import Catalog
from steering.adapters.sources.german import Decimal_, NumberError, parse_number
from steering.adapters.sources.messages import msg, number
from steering.adapters.sources.result import ImportRow, RowError
from steering.domain.definition.imported_values import (
    Breach,
    scope_breach,
    suspect_values,
    value_breach,
)
from steering.domain.definition.indicators import Indicator
from steering.domain.vocabulary import IndicatorKind

Lookup = tuple[pd.Series, pd.Series]  # resolved values (NaN if not), reasons (NaN if fine)
RAW_COLUMNS = ("line", "indicator", "organisation", "period", "value", "value_column", "note")
_HINTS = {
    "decimal_comma": "hint_decimal_comma",
    "decimal_point": "hint_decimal_point",
    "percent": "hint_percent",
    "date": "hint_date",
    "excel_error": "hint_excel_error",
}
_PLAIN = {
    ",": r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?",
    ".": r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?",
}


def number_reason(text: str, error: NumberError, lang: str) -> str:
    """'x' ist keine Zahl, with a hint where the cause is clear."""
    reason = msg("not_a_number", lang, value=text)
    hint = _HINTS.get(error.code)
    return f"{reason} ({msg(hint, lang)})" if hint else reason


def breach_reason(breach: Breach | None, lang: str) -> str | None:
    """A broken rule of the domain as a message (numbers written as the reader writes them)."""
    if breach is None:
        return None
    facts = {
        name: number(fact, lang) if isinstance(fact, float | int) else fact
        for name, fact in breach.facts.items()
    }
    return msg(breach.code, lang, **facts)


def _lookup(texts: pd.Series, resolve: Callable[[str], tuple[object, str | None]]) -> Lookup:
    # Each distinct text is resolved once and the rows take their result by its code:
    # mapping a million strings through a dict costs seconds, taking by codes milliseconds.
    codes, distinct = pd.factorize(texts, use_na_sentinel=False)
    found = [resolve(text) for text in distinct]
    ids = np.array([np.nan if r is not None else _id(f) for f, r in found], dtype=object)
    reasons = np.array([np.nan if r is None else r for _, r in found], dtype=object)
    return (
        pd.Series(ids[codes], index=texts.index, dtype=object),
        pd.Series(reasons[codes], index=texts.index, dtype=object),
    )


def _id(found: object) -> str:
    return found.key if isinstance(found, Indicator) else str(found)


def _numbers(texts: pd.Series, decimal: Decimal_, percent: pd.Series, lang: str) -> Lookup:
    """Parse the values: plain numbers vectorised, the rest one by one for a precise reason."""
    # Plain numbers are recognised and converted once per distinct text (values repeat).
    codes, distinct = pd.factorize(texts, use_na_sentinel=False)
    texts_once = pd.Series(distinct)
    stripped = texts_once.str.strip()
    plain_once = stripped.str.fullmatch(_PLAIN[decimal]).fillna(False).astype(bool)
    group = "." if decimal == "," else ","
    cleaned = stripped[plain_once].str.replace(group, "", regex=False).str.replace(decimal, ".")
    converted = pd.to_numeric(cleaned, errors="coerce").astype(float)
    plain_once[converted.index[~np.isfinite(converted.to_numpy())]] = False  # e.g. 400 digits
    values_once = np.full(len(distinct), np.nan)
    values_once[plain_once.to_numpy()] = converted[plain_once[plain_once].index].to_numpy()
    values = pd.Series(values_once[codes], index=texts.index, dtype=float)
    plain = plain_once.to_numpy()[codes]
    reasons = pd.Series(None, index=texts.index, dtype=object)
    for index in texts.index[~plain]:
        try:
            values[index] = parse_number(texts[index], decimal, percent=bool(percent[index]))
        except NumberError as exc:
            reasons[index] = number_reason(texts[index], exc, lang)
    return values, reasons


def _scope_reasons(
    keys: pd.Series, organisations: pd.Series, by_key: dict[str, Indicator], lang: str
) -> pd.Series:
    known = keys.notna() & organisations.notna()
    key_codes, key_texts = pd.factorize(keys[known])
    org_codes, org_texts = pd.factorize(organisations[known])
    # Each distinct (indicator, organisation) pair is judged once, as one number.
    pairs, at = np.unique(
        key_codes.astype(np.int64) * max(len(org_texts), 1) + org_codes, return_inverse=True
    )
    keys_of, orgs_of = np.divmod(pairs, max(len(org_texts), 1))
    indicators = [by_key[key] for key in key_texts.tolist()]
    names = org_texts.tolist()
    reasons = np.array(
        [
            breach_reason(scope_breach(indicators[k], names[o]), lang)
            for k, o in zip(keys_of.tolist(), orgs_of.tolist(), strict=True)
        ],
        dtype=object,
    )
    return pd.Series(reasons[at.reshape(-1)], index=keys.index[known], dtype=object).reindex(
        keys.index
    )


def _value_reasons(
    keys: pd.Series, values: pd.Series, by_key: dict[str, Indicator], lang: str
) -> pd.Series:
    suspect = suspect_values(keys, values, by_key)
    reasons = pd.Series(None, index=keys.index, dtype=object)
    for index in keys.index[suspect.to_numpy()]:
        reasons[index] = breach_reason(value_breach(by_key[keys[index]], values[index]), lang)
    return reasons


def validate_frame(
    raw: pd.DataFrame, catalog: Catalog, *, decimal: Decimal_, labels: Mapping[str, str]
) -> tuple[list[ImportRow], list[RowError]]:
    """Validate raw text rows (RAW_COLUMNS); return the good rows and every problem."""
    lang = catalog.lang
    raw = raw.reset_index(drop=True)
    keys, indicator_reasons = _lookup(raw["indicator"], catalog.indicator)
    organisations, organisation_reasons = _lookup(raw["organisation"], catalog.organisation)
    periods, period_reasons = _lookup(raw["period"], catalog.period)
    by_key = {key: catalog.by_key(key) for key in keys.dropna().unique()}
    scope_reasons = _scope_reasons(keys, organisations, by_key, lang)
    ratio = keys.map({k: i.kind is IndicatorKind.RATIO for k, i in by_key.items()}).eq(True)
    values, number_reasons = _numbers(raw["value"], decimal, ratio, lang)
    resolved = keys.notna() & organisations.notna() & periods.notna() & scope_reasons.isna()
    range_reasons = _value_reasons(keys.where(resolved), values, by_key, lang)
    good = resolved & number_reasons.isna() & range_reasons.isna()
    frame = pd.DataFrame({"k": keys, "o": organisations, "p": periods, "line": raw["line"]})[good]
    duplicate = frame.duplicated(["k", "o", "p"], keep="first")
    first = frame.groupby(["k", "o", "p"])["line"].transform("first")
    checks = [
        (raw["indicator"], indicator_reasons, labels["indicator"]),
        (
            raw["organisation"],
            organisation_reasons.where(organisation_reasons.notna(), scope_reasons),
            labels["organisation"],
        ),
        (raw["period"], period_reasons, labels["period"]),
        (raw["value"], number_reasons.where(number_reasons.notna(), range_reasons), None),
    ]
    errors = _errors(raw, checks, first[duplicate], frame[duplicate], lang)
    ok = frame[~duplicate]
    notes = [note.strip() for note in raw["note"][ok.index].tolist()]
    floats = [float(v) for v in values[ok.index].tolist()]
    numbers = [int(line) for line in ok["line"].tolist()]
    rows = list(
        map(ImportRow, ok["k"].tolist(), ok["o"].tolist(), ok["p"].tolist(), floats, notes, numbers)
    )
    return rows, errors


def _errors(
    raw: pd.DataFrame,
    checks: list[tuple[pd.Series, pd.Series, str | None]],
    first: pd.Series,
    duplicates: pd.DataFrame,
    lang: str,
) -> list[RowError]:
    bad = pd.concat([reasons.notna() for _, reasons, _ in checks], axis=1).any(axis=1)
    bad[duplicates.index] = True
    picked = raw.index[bad.to_numpy()]
    lines, value_columns = raw["line"][picked].tolist(), raw["value_column"][picked].tolist()
    found_per_check = [
        (texts[picked].tolist(), reasons[picked].tolist(), label)
        for texts, reasons, label in checks
    ]
    doubles = {
        index: msg(
            "duplicate",
            lang,
            indicator=k,
            organisation=o or msg("programme_level", lang),
            period=p,
            first=int(f),
        )
        for index, k, o, p, f in zip(
            duplicates.index, duplicates["k"], duplicates["o"], duplicates["p"], first, strict=True
        )
    }
    errors: list[RowError] = []
    seen: set[tuple[int, str, str]] = set()
    for at, index in enumerate(picked):
        line = int(lines[at])
        found = [
            (label or value_columns[at], texts[at], reasons[at])
            for texts, reasons, label in found_per_check
            if isinstance(reasons[at], str)
        ]
        if index in doubles:
            found.append(("", "", doubles[index]))
        for column, value, reason in found:
            if (line, column, reason) not in seen:  # wide tables repeat a row's cells
                seen.add((line, column, reason))
                errors.append(RowError(line, column, value, reason, lang))
    return errors


def split_duplicates(rows: list[ImportRow], lang: str) -> tuple[list[ImportRow], list[RowError]]:
    """Keep the first of rows (in line order) that give a value for the same key twice."""
    # A hash per row finds the few candidates; only those are compared by their keys, so a
    # million rows cost one array, not a table of their keys.
    hashes = np.fromiter(
        (hash((row.indicator, row.organisation, row.period)) for row in rows),
        dtype=np.int64,
        count=len(rows),
    )
    _, first_at, counts = np.unique(hashes, return_index=True, return_counts=True)
    shared = np.isin(hashes, hashes[first_at[counts > 1]])
    first_line: dict[tuple[str, str, str], int] = {}
    errors: list[RowError] = []
    doubled: set[int] = set()
    for at in np.flatnonzero(shared).tolist():
        row = rows[at]
        key = (row.indicator, row.organisation, row.period)
        first = first_line.setdefault(key, row.line)
        if first != row.line:
            doubled.add(at)
            errors.append(RowError(row.line, "", "", _duplicate(row, first, lang), lang))
    if not doubled:
        return rows, errors
    return [row for at, row in enumerate(rows) if at not in doubled], errors


def _duplicate(row: ImportRow, first: int, lang: str) -> str:
    return msg(
        "duplicate",
        lang,
        indicator=row.indicator,
        organisation=row.organisation or msg("programme_level", lang),
        period=row.period,
        first=first,
    )
