"""The portal's texts: every text in both catalogues, compiled, and German by default."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from steering.portal.texts import LOCALE_DIR, environment, text

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "text": (2,), "N_": None}
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]


def _texts_in_the_portal() -> set[str]:
    found = extract_from_dir(
        ROOT / "steering" / "portal",
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    )
    return {message for _file, _line, message, _comments, _context in found}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_portal_text_is_translated_and_compiled(lang: str) -> None:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "portal.po").open("rb") as source:
        catalogue = read_po(source)
    with (folder / "portal.mo").open("rb") as compiled_file:
        compiled = read_mo(compiled_file)
    translated = {m.id: m.string for m in catalogue if m.id}
    used = _texts_in_the_portal()

    assert used, "no texts found: the extraction is broken"
    assert sorted(used - set(translated)) == [], "texts missing from the catalogue"
    assert sorted(set(translated) - used) == [], "texts the portal no longer uses"
    assert [k for k, v in translated.items() if not v] == [], "untranslated texts"
    assert {m.id: m.string for m in compiled if m.id} == translated, "compile the .po again"


def test_the_portal_speaks_german_by_default_and_english_when_asked() -> None:
    assert text("de", "Sign in") == "Anmelden"
    assert text("en", "Sign in") == "Sign in"
    assert text("fr", "Sign in") == "Anmelden"
    assert text("de", "%(done)s of %(total)s done", done=3, total=12) == "3 von 12 erledigt"


@pytest.mark.parametrize(
    ("lang", "day", "value"), [("de", "05.03.2020", "1,25"), ("en", "2020-03-05", "1.25")]
)
def test_the_portal_writes_dates_and_numbers_as_its_language_does(
    lang: str, day: str, value: str
) -> None:
    shown = environment(lang).from_string("{{ due | day }} {{ value | number }} {{ n | number }}")

    assert shown.render(due=date(2020, 3, 5), value=1.25, n=7.0) == f"{day} {value} 7"
