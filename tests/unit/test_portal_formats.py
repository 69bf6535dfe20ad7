"""The portal writes dates and numbers as the messages and reports do, per language."""

from __future__ import annotations

from datetime import date

import pytest

from steering.i18n import format_date, localise_number
from steering.portal.texts import environment


@pytest.mark.parametrize(
    ("lang", "shown"), [("de", "04.03.2026 · 1.234,5 · 3"), ("en", "2026-03-04 · 1,234.5 · 3")]
)
def test_portal_dates_and_numbers_use_the_shared_formats(lang: str, shown: str) -> None:
    page = environment(lang).from_string("{{ d|day }} · {{ x|number }} · {{ n|number }}")
    assert page.render(d=date(2026, 3, 4), x=1234.5, n=3.0) == shown
    assert shown.startswith(format_date(date(2026, 3, 4), lang))
    assert localise_number("1,234.5", lang) in shown
