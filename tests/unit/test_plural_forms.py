"""Texts that count things use the singular for one: '1 Tag', '1 Organisation', '1 error'."""

from __future__ import annotations

import pytest

from steering.domain.notifications.notices import Notice, NoticeKind
from steering.i18n import ntr
from steering.services.notification_texts import sentence

STEP = {"driver": "cloud", "step": 3, "title": "Pilot", "due": "2019-10-02", "owner": "gf"}


NOUNS = {
    "organisations": ("{n} organisation", "{n} organisations"),
    "errors": ("{n} error found", "{n} errors found"),
    "notices": ("{n} notice", "{n} notices"),
    "values": ("{n} value", "{n} values"),
}


@pytest.mark.parametrize(
    ("count", "noun", "lang", "text"),
    [
        (1, "organisations", "de", "1 Organisation"),
        (12, "organisations", "de", "12 Organisationen"),
        (1, "organisations", "en", "1 organisation"),
        (0, "errors", "en", "0 errors found"),
        (1, "errors", "en", "1 error found"),
        (2, "errors", "de", "2 Fehler gefunden"),
        (1, "notices", "de", "1 Hinweis"),
        (2, "notices", "de", "2 Hinweise"),
        (1, "values", "de", "1 Wert"),
    ],
)
def test_a_count_takes_the_singular_only_for_one(
    count: int, noun: str, lang: str, text: str
) -> None:
    singular, plural = NOUNS[noun]
    assert ntr(singular, plural, count, lang) == text


@pytest.mark.parametrize(
    ("kind", "days", "lang", "part"),
    [
        (NoticeKind.STEP_DUE, 1, "de", "(noch 1 Tag)."),
        (NoticeKind.STEP_DUE, 3, "de", "(noch 3 Tage)."),
        (NoticeKind.STEP_DUE, 1, "en", "(1 day left)."),
        (NoticeKind.STEP_OVERDUE, 1, "de", "ist seit 1 Tag überfällig"),
        (NoticeKind.STEP_OVERDUE, 4, "de", "ist seit 4 Tagen überfällig"),
        (NoticeKind.STEP_OVERDUE, 1, "en", "is 1 day overdue"),
        (NoticeKind.ESCALATION, 1, "de", "ist seit 1 Arbeitstag überfällig"),
        (NoticeKind.ESCALATION, 2, "de", "ist seit 2 Arbeitstagen überfällig"),
        (NoticeKind.ESCALATION, 1, "en", "is 1 working day overdue"),
    ],
)
def test_reminder_sentences_count_days_in_singular_and_plural(
    kind: NoticeKind, days: int, lang: str, part: str
) -> None:
    notice = Notice(kind, "awo-nord", "step:cloud:3", "x", {**STEP, "days": days})
    assert part in sentence(notice, lang)
