"""The gettext catalogues are complete, current and compiled."""

from __future__ import annotations

import ast
import importlib.util
import string
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

from steering.i18n import LOCALE_DIR, ntr, tr

ROOT = Path(__file__).resolve().parents[2]


def _script() -> ModuleType:
    path = ROOT / "scripts" / "extract_messages.py"
    spec = importlib.util.spec_from_file_location("extract_messages", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ids(catalog) -> set[tuple[object, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted():
    """The msgids the code and the templates mark now."""
    return _script().extract()


def _po(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "steering.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_committed_template_holds_exactly_the_msgids_of_the_code(extracted) -> None:
    with (LOCALE_DIR / "steering.pot").open("rb") as handle:
        committed = read_po(handle)
    assert _ids(committed) == _ids(extracted), "run scripts/extract_messages.py"


def _literal_texts() -> set[tuple[object, object]]:
    """(context, msgid) of every tr/ntr/ptr/N_ call with literal texts in steering/ and flows/."""
    found: set[tuple[object, object]] = set()
    files = [*(ROOT / "steering").rglob("*.py"), *(ROOT / "flows").rglob("*.py")]
    for path in files:
        if "portal" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            texts = [t for t in texts if isinstance(t, str)]
            if node.func.id in ("tr", "N_") and texts[:1]:
                found.add((None, texts[0]))
            elif node.func.id in ("ntr", "N_plural") and len(texts) >= 2:
                found.add((None, (texts[0], texts[1])))
            elif node.func.id == "ptr" and len(texts) >= 2:
                found.add((texts[0], texts[1]))
    return found


def test_every_text_the_code_translates_is_extracted(extracted) -> None:
    # A text the extractor misses (say, wrapped in parentheses) would stay English in German.
    assert _literal_texts() - _ids(extracted) == set()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_msgid_of_the_code_is_translated(extracted, lang: str) -> None:
    catalog = _po(lang)
    assert _ids(catalog) == _ids(extracted), "run scripts/extract_messages.py"
    untranslated = [
        m.id
        for m in catalog
        if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert untranslated == []


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_german_translation_keeps_the_placeholders_of_its_msgid() -> None:
    # A translation naming another placeholder would be shown unfilled.
    wrong = []
    for message in _po("de"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(_fields(i) for i in ids)) - {"n"}
        if any(_fields(t) - {"n"} != wanted for t in texts):
            wrong.append(message.id)
    assert wrong == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_compiled_catalogue_is_its_po_file_compiled(lang: str) -> None:
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / "steering.mo"
    assert mo.read_bytes() == _script().compiled(_po(lang)), "run scripts/extract_messages.py"


def test_english_is_the_source_language_and_german_its_translation() -> None:
    assert tr("unknown person '{id}'", "en", id="gf") == "unknown person 'gf'"
    assert tr("unknown person '{id}'", "de", id="gf") == "unbekannte Person 'gf'"


@pytest.mark.parametrize(
    ("count", "lang", "text"),
    [
        (1, "de", "Import aus „a.csv“ fehlgeschlagen, 1 Fehler:"),
        (3, "de", "Import aus „a.csv“ fehlgeschlagen, 3 Fehler:"),
        (1, "en", "import from 'a.csv' failed, 1 error:"),
        (0, "en", "import from 'a.csv' failed, 0 errors:"),
    ],
)
def test_plural_forms_come_from_the_catalogue(count: int, lang: str, text: str) -> None:
    shown = ntr(
        "import from '{file}' failed, {n} error:",
        "import from '{file}' failed, {n} errors:",
        count,
        lang,
        file="a.csv",
    )
    assert shown == text
