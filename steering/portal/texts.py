"""The portal's texts: gettext catalogues (domain `portal`), one Jinja environment per language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from steering.i18n import format_date, localise_number

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("de", "en")


@cache
def translations(lang: str) -> NullTranslations:
    """The compiled catalogue of the portal for `lang` (German unless English is asked for)."""
    chosen = lang if lang in LANGUAGES else "de"
    return Translations.load(str(LOCALE_DIR), [chosen], domain="portal")


@cache
def environment(lang: str) -> Environment:
    """Templates rendered in `lang`, every value escaped."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    chosen = lang if lang in LANGUAGES else "de"
    env.globals["lang"] = chosen
    # Dates and numbers look as in the messages and reports (the `steering` catalogue's forms).
    env.filters["day"] = lambda day: format_date(day, chosen)
    env.filters["number"] = lambda value: localise_number(f"{value:,g}", chosen)
    return env


def text(lang: str, message: str, **params: object) -> str:
    """One text of the portal in `lang`, with its %(name)s placeholders filled."""
    text = translations(lang).gettext(message)
    return text % params if params else text


def N_(message: str) -> str:
    """Mark a text for the catalogue where it is translated later (by `text`)."""
    return message
