"""Values still missing for a half-year once the next one has closed too: the lead hears once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from steering.adapters.config import load_definition
from steering.domain.notifications.digest import build_digests
from steering.domain.notifications.notices import NoticeKind
from steering.services.notices import data_missing_notices
from steering.services.notification_texts import sentence, subject

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
DEFINITION = load_definition(CONFIG)
WEEK_AFTER_H2 = date(2020, 1, 7)  # 2019-H2 ended a week ago: the last data reminder
COLUMNS = ["indicator", "organisation", "period"]


def _long(measurements: pd.DataFrame, today: date = WEEK_AFTER_H2) -> dict[str, object]:
    notices = data_missing_notices(DEFINITION, measurements, today)
    return {n.organisation: n for n in notices if n.kind is NoticeKind.DATA_MISSING_LONG}


def _all_of_h1(organisation: str) -> pd.DataFrame:
    keys = [i.key for i in DEFINITION.indicators if i.formula is None]
    return pd.DataFrame([(k, organisation, "2019-H1") for k in keys], columns=COLUMNS)


def test_the_lead_hears_of_values_still_missing_for_the_half_year_before() -> None:
    told = _long(_all_of_h1("lebenshilfe-erfurt"))
    assert "lebenshilfe-erfurt" not in told  # its 2019-H1 values all arrived
    notice = told["sozialwerk-jena"]
    assert notice.facts["period"] == "2019-H1" and notice.facts["next"] == "2019-H2"
    assert notice.audience == "escalation"
    lead = DEFINITION.programme.lead
    digests = {d.recipient: d for d in build_digests(DEFINITION, [notice])}
    assert list(digests) == [lead]
    assert "Daten fehlen seit Langem" in subject(DEFINITION, digests[lead], "de")


def test_the_sentence_counts_the_missing_indicators_in_german_and_english() -> None:
    notice = _long(pd.DataFrame(columns=COLUMNS))["sozialwerk-jena"]
    count = notice.facts["count"]
    names = ", ".join(notice.facts["indicators"])
    assert count == len(notice.facts["indicators"]) > 1
    assert sentence(notice, "de") == (
        f"{count} Indikatoren für 2019-H1 fehlen noch, obwohl auch 2019-H2 schon "
        f"abgeschlossen ist: {names}."
    )
    assert sentence(notice, "en") == (
        f"{count} indicators for 2019-H1 are still missing now that 2019-H2 has closed too: "
        f"{names}."
    )


def test_it_is_told_once_however_often_the_reminders_run() -> None:
    nothing = pd.DataFrame(columns=COLUMNS)
    first = _long(nothing)["sozialwerk-jena"]
    next_day = _long(nothing, date(2020, 1, 8))["sozialwerk-jena"]
    assert first.key == next_day.key  # the outbox keeps one message per key and recipient


def test_one_missing_indicator_is_named_in_the_singular() -> None:
    missing = _long(pd.DataFrame(columns=COLUMNS))["sozialwerk-jena"].facts["indicators"][0]
    arrived = [i.key for i in DEFINITION.indicators if i.title != missing]
    measurements = pd.DataFrame(
        [(k, "sozialwerk-jena", "2019-H1") for k in arrived], columns=COLUMNS
    )
    notice = _long(measurements)["sozialwerk-jena"]
    assert sentence(notice, "de").startswith("1 Indikator für 2019-H1 fehlt noch, obwohl")
    assert sentence(notice, "en").startswith("1 indicator for 2019-H1 is still missing now")
