"""Extract the texts of steering/ and flows/ into steering.pot, update de/en .po, compile .mo.

Run after changing a user-facing text: `.venv/bin/python scripts/extract_messages.py`.
German translations are written by people (Poedit, Weblate or an editor) in
steering/locale/de/LC_MESSAGES/steering.po; English is the source language, so the en
catalogue repeats every msgid. tests/unit/test_catalogues.py fails until both are complete.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "steering" / "locale"
DOMAIN = "steering"
LANGUAGES = ("de", "en")
# tr/ntr/ptr are steering.i18n's helpers; _/gettext/ngettext come from the Jinja templates.
KEYWORDS = {
    "N_": None,
    "N_plural": (1, 2),
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "tr": (1,),
    "ntr": (1, 2),
    "ptr": ((1, "c"), 2),
}
# The portal keeps its own domain ("portal"); the demo data and migrations hold no texts.
METHODS = {
    "steering": [
        ("portal/**", "ignore"),
        ("builtin/**", "ignore"),
        ("migrations/**", "ignore"),
        ("**.py", "python"),
        ("templates/**.j2", "jinja2.ext:babel_extract"),
    ],
    "flows": [("**.py", "python")],
}
JINJA_OPTIONS = {"templates/**.j2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "false"}}


def extract(root: Path = ROOT) -> Catalog:
    """The template catalogue: every msgid marked in the code and the templates."""
    template = Catalog(project="pdca-steering", domain=DOMAIN, fuzzy=False)
    for folder, methods in METHODS.items():
        found = extract_from_dir(
            root / folder, methods, JINJA_OPTIONS, KEYWORDS, strip_comment_tags=True
        )
        for filename, lineno, message, comments, context in found:
            where = (f"{folder}/{filename}", lineno)
            template.add(message, None, [where], auto_comments=comments, context=context)
    return template


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Where the catalogue of a language lives."""
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="pdca-steering", fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def _as_english(catalog: Catalog) -> None:
    """English is the source language: each msgstr repeats its msgid."""
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")


def _write_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes of a catalogue (fuzzy entries left out, as gettext would)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update(locale_dir: Path = LOCALE_DIR, languages: Iterable[str] = LANGUAGES) -> None:
    """Extract, merge into each language's .po (new msgids untranslated) and compile."""
    template = extract()
    pot = locale_dir / f"{DOMAIN}.pot"
    if pot.exists():  # keep the header's date so that an unchanged catalogue stays unchanged
        template.creation_date = _read(pot, "en").creation_date
    _write_po(template, pot)
    for lang in languages:
        path = po_path(lang, locale_dir)
        catalog = _read(path, lang)
        catalog.update(template, no_fuzzy_matching=True)
        if lang == "en":
            _as_english(catalog)
        _write_po(catalog, path)
        path.with_suffix(".mo").write_bytes(compiled(_read(path, lang)))


if __name__ == "__main__":
    update()
    print(f"catalogues updated under {LOCALE_DIR.relative_to(ROOT)}")
