"""Resolve the texts users write (keys, names, half-years) against the programme definition."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from steering.adapters.sources.frame import normalise
from steering.adapters.sources.german import parse_date
from steering.adapters.sources.messages import msg
from steering.domain.definition import ProgrammeDefinition
from steering.domain.definition.imported_values import importable_breach, period_breach
from steering.domain.definition.indicators import Indicator
from steering.domain.definition.sources import ProgressSource
from steering.domain.periods import HalfYear, PeriodError, parse_half_year

Resolved = tuple[str, str | None]  # (canonical id or '', reason if unresolved)
_Lookup = tuple[Indicator | str | None, str | None]


def _guess(text: str, known: dict[str, str], lang: str) -> str:
    close = difflib.get_close_matches(normalise(text), list(known), n=1, cutoff=0.75)
    return f" ({msg('did_you_mean', lang, guess=known[close[0]])})" if close else ""


MAX_GUESSES = 20  # suggestions are for typos; a file of unknown names gets no 'did you mean'


def half_year_of(text: str) -> HalfYear | None:
    """The half-year a text names ('1. HJ 2019', '2019-H1') or a date falls in."""
    try:
        return parse_half_year(text)
    except (PeriodError, KeyError):  # KeyError: periods.py on 'İ. HJ 2019' (re.I without re.ASCII)
        pass
    try:
        day = parse_date(text)
        return HalfYear(day.year, 1 if day.month <= 6 else 2)
    except ValueError:
        return None


class Catalog:
    """Lookups of indicators, organisations and periods, memoised per distinct text."""

    def __init__(
        self,
        definition: ProgrammeDefinition,
        source_key: str,
        lang: str,
        *,
        any_source: bool = False,
    ) -> None:
        self.source_key = source_key
        # Manual entry may correct or fill in any measured indicator, whatever its source.
        self.any_source = any_source
        self.lang = lang
        self.periods = definition.period_ids()
        # Sources the checkpoint measures itself (progress): their indicators are never entered.
        self._measured = {s.key for s in definition.sources if isinstance(s, ProgressSource)}
        self._indicators: dict[str, Indicator] = {}
        for indicator in definition.indicators:
            self._indicators[normalise(indicator.key)] = indicator
        for indicator in definition.indicators:
            self._indicators.setdefault(normalise(indicator.title), indicator)
        self._organisations: dict[str, str] = {}
        self._written: dict[str, str] = {}  # normalised id or name -> as configured
        for organisation in definition.organisations:
            self._organisations[normalise(organisation.id)] = organisation.id
            self._written[normalise(organisation.id)] = organisation.id
        for organisation in definition.organisations:
            self._organisations.setdefault(normalise(organisation.name), organisation.id)
            self._written.setdefault(normalise(organisation.name), organisation.name)
        self._seen: dict[tuple[str, str], _Lookup] = {}
        self._guesses = 0

    def indicator(self, text: str) -> tuple[Indicator | None, str | None]:
        """The indicator a key or title names, or the reason it cannot be imported here."""
        found, reason = self._memo("i", text, self._indicator)
        return (found if isinstance(found, Indicator) else None), reason

    def by_key(self, key: str) -> Indicator:
        """The indicator with exactly this key."""
        return self._indicators[normalise(key)]

    def organisation(self, text: str) -> Resolved:
        """The organisation id an id or display name names ('' for an empty text)."""
        found, reason = self._memo("o", text, self._organisation)
        return (found if isinstance(found, str) else ""), reason

    def period(self, text: str) -> Resolved:
        """The programme period a half-year text or a date names."""
        found, reason = self._memo("p", text, self._period)
        return (found if isinstance(found, str) else ""), reason

    def _memo(self, kind: str, text: str, resolve: Callable[[str], _Lookup]) -> _Lookup:
        key = (kind, text)
        if key not in self._seen:
            self._seen[key] = resolve(text)
        return self._seen[key]

    def _guess(self, text: str, known: dict[str, str]) -> str:
        self._guesses += 1
        return _guess(text, known, self.lang) if self._guesses <= MAX_GUESSES else ""

    def _indicator(self, text: str) -> _Lookup:
        lang = self.lang
        if not text.strip():
            return None, msg("indicator_missing", lang)
        indicator = self._indicators.get(normalise(text))
        if indicator is None:
            known = {i.key: i.key for i in self._indicators.values()}
            return None, msg("unknown_indicator", lang, value=text) + self._guess(text, known)
        computed = importable_breach(indicator)
        if computed is not None:
            return None, msg(computed.code, lang, **computed.facts)
        if indicator.source in self._measured:
            reason = msg(
                "indicator_measured", lang, indicator=indicator.key, expected=indicator.source
            )
            return None, reason
        if (
            not self.any_source
            and indicator.source is not None
            and indicator.source != self.source_key
        ):
            reason = msg(
                "indicator_other_source", lang, indicator=indicator.key, expected=indicator.source
            )
            return None, reason
        return indicator, None

    def _organisation(self, text: str) -> _Lookup:
        if not text.strip():
            return "", None
        found = self._organisations.get(normalise(text))
        if found is None:
            reason = msg("unknown_organisation", self.lang, value=text)
            return None, reason + self._guess(text, self._written)
        return found, None

    def _period(self, text: str) -> _Lookup:
        if not text.strip():
            return None, msg("period_missing", self.lang)
        half = half_year_of(text)
        if half is None:
            return None, msg("not_a_period", self.lang, value=text)
        outside = period_breach(half.id, self.periods)
        if outside is not None:
            return None, msg(outside.code, self.lang, **outside.facts)
        return half.id, None
