"""Translated texts: gettext catalogues under steering/locale (German by default, English)."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations

Lang = str
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("de", "en")
DOMAIN = "steering"


def N_(msgid: str) -> str:
    """Mark a text for extraction without translating it (translated where it is shown)."""
    return msgid


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural text for extraction; ntr() chooses between them later."""
    return singular, plural


@cache
def translator(lang: Lang = "de", domain: str = DOMAIN) -> NullTranslations:
    """The catalogue of a language and domain, read once; German for an unknown language."""
    chosen = lang if lang in LANGUAGES else "de"
    return Translations.load(str(LOCALE_DIR), [chosen], domain=domain)


def _format(text: str, params: dict[str, Any]) -> str:
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def tr(msgid: str, lang: Lang = "de", /, **params: Any) -> str:
    """The text in the given language, with its {placeholders} filled in."""
    return _format(translator(lang).gettext(msgid), params)


def ntr(singular: str, plural: str, n: int, lang: Lang = "de", /, **params: Any) -> str:
    """The singular or plural form for n (the catalogue knows the language's rule); {n} is n."""
    return _format(translator(lang).ngettext(singular, plural, n), {"n": n, **params})


def ptr(context: str, msgid: str, lang: Lang = "de", /, **params: Any) -> str:
    """The text in a context, for one English word that German says in two ways."""
    return _format(str(translator(lang).pgettext(context, msgid)), params)


def t(key: str, lang: Lang = "de", /, **params: Any) -> str:
    """The message a key names (see message_ids), in the given language."""
    from steering.message_ids import MESSAGE_IDS

    return tr(MESSAGE_IDS[key], lang, **params)


def has_message(key: str) -> bool:
    """True when a message has this key."""
    from steering.message_ids import MESSAGE_IDS

    return key in MESSAGE_IDS


def format_date(day: date | datetime, lang: Lang = "de") -> str:
    """A date as readers of the language write it (the catalogue holds the format)."""
    return tr("{day:%Y-%m-%d}", lang, day=day)


def format_moment(at: datetime, lang: Lang = "de") -> str:
    """A date with hours and minutes as readers of the language write it."""
    return tr("{at:%Y-%m-%d %H:%M}", lang, at=at)


def localise_number(text: str, lang: Lang = "de") -> str:
    """A number written the English way (1,234.5) with the language's separators (1.234,5)."""
    marks: dict[str, str | int | None] = {
        ",": ptr("thousands separator", ",", lang),
        ".": ptr("decimal separator", ".", lang),
    }
    return text.translate(str.maketrans(marks))
