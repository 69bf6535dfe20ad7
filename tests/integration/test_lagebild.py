"""The Lagebild answers the lead's five questions, at 12 organisations and at 1,000.

Twelve: config/digital-und-sozial.yaml with its example data; the checkpoints of 2019-H1
and 2019-H2 ran on 15.01.2020 (Europe/Berlin: 07:00 UTC is 08:00 CET). In 2019-H2
werkstaetten-nordhausen is under abort review (it was watched in 2019-H1), three
organisations are watched. 1,000: the benchmarks' synthetic programme (bench/synthetic.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from paths import CONFIG, ROOT
from sqlalchemy import Engine

from steering.adapters.config import load_definition
from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.uow import SqlUnitOfWork
from steering.bootstrap import indicator_sources
from steering.domain.lagebild import needs_the_lead, severity_key
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.demo_seed import STEPS_FILE, seed_progress
from steering.services.integration import ensure_integrations
from steering.services.lagebild import Lagebild, WaitingEvaluation, lagebild
from steering.services.lagebild_markdown import lagebild_description, lagebild_markdown

sys.path.insert(0, str(ROOT / "bench"))
from synthetic import synthetic_definition, synthetic_measurements

DEFINITION = load_definition(CONFIG)
CHECKPOINTS_RUN = datetime(2020, 1, 15, 7, 0, tzinfo=UTC)
SECTIONS = [
    "## 1. Wer die Projektleitung braucht",
    "## 2. Evaluationen, die auf Entscheidung warten",
    "## 3. Änderungen seit dem vorigen Checkpoint",
    "## 4. Indikatoren unter Soll in",
    "## 5. Phasen",
]
WERKSTAETTEN = "Werkstätten Nordhausen gGmbH (fiktiv)"
WATCHED = [
    "Jugendhilfe Saalfeld-Rudolstadt e. V. (fiktiv)",
    "Familienzentrum Suhl e. V. (fiktiv)",
    "Frühförderstelle Sonneberg e. V. (fiktiv)",
]


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    upgrade(sqlite_url)
    made = make_engine(sqlite_url)
    yield made
    made.dispose()


def _uow_factory(engine: Engine) -> Callable[[], SqlUnitOfWork]:
    return lambda: SqlUnitOfWork.for_engine(engine)


def _section(text: str, number: int) -> str:
    start = text.index(SECTIONS[number - 1])
    end = text.index(SECTIONS[number]) if number < len(SECTIONS) else len(text)
    return text[start:end]


@pytest.fixture
def demo(engine: Engine) -> str:
    """The demo programme after its two checkpoints, with one evaluation waiting."""
    uow = _uow_factory(engine)
    ensure_integrations(DEFINITION, uow=uow(), today=date(2019, 9, 2))
    seed_progress(DEFINITION, CONFIG.parent / STEPS_FILE, uow_factory=uow)
    collect_sources(
        DEFINITION,
        CONFIG,
        sources=indicator_sources(),
        uow_factory=uow,
        now=CHECKPOINTS_RUN,
        lang="de",
    )
    for period in ("2019-H1", "2019-H2"):
        run_checkpoint(DEFINITION, uow=uow(), period=period, now=CHECKPOINTS_RUN)
    waiting = WaitingEvaluation(
        organisation="familienzentrum-suhl",
        period="2019-H2",
        run_name="evaluation/familienzentrum-suhl/2019-H2",
        url="http://prefect.example/runs/flow-run/4711",
        since=datetime(2020, 1, 20, 9, 30, tzinfo=UTC),
    )
    view = lagebild(DEFINITION, uow_factory=uow, now=CHECKPOINTS_RUN, waiting=[waiting])
    assert (
        lagebild_description(view) == "Lagebild 2019-H2: 1 Abbruchprüfung, 3 beobachten · 1 wartet"
    )
    return lagebild_markdown(view)


def test_the_lagebild_answers_five_questions_in_this_order(demo: str) -> None:
    positions = [demo.index(heading) for heading in SECTIONS]

    assert positions == sorted(positions)
    assert demo.startswith("# Lagebild 2019-H2\n\n**digit@l und sozi@l")
    # Times in the programme's time zone: 07:00 UTC is 08:00 in Berlin in January.
    assert (
        "vom 15.01.2020 08:00 CET · 12 Organisationen: 1 Abbruchprüfung, 3 beobachten, 8 fortsetzen"
    ) in demo


def test_who_needs_the_lead_comes_first_most_severe_first_on_one_line_each(demo: str) -> None:
    lines = [line for line in _section(demo, 1).splitlines() if line.startswith("- ")]
    first = lines[0]

    assert WERKSTAETTEN in first
    assert "K🔴 P🟢 Z🟢" in first  # the lights as symbols
    assert "Kosten: Ausgaben im Verhältnis zum Plan 1,3 (Soll ≤ 1; 30 %)" in first  # worst reason
    assert "Kriterien: **Abbruchprüfung**" in first and "PL: *offen*" in first
    assert first.endswith(
        "· Phase Plan (+199 Tage) · 2 Schritte überfällig"
    )  # phase, days over plan, steps
    watched = [i for i, line in enumerate(lines) if "Kriterien: **beobachten**" in line]
    assert watched == [1, 2, 3]  # right after the abort review
    assert sorted(WATCHED) == sorted(next(n for n in WATCHED if n in lines[i]) for i in watched)
    # A small programme lists every light that is not green and names the rest.
    assert all(any(s in line for s in "🔴🟡⚪") for line in lines)
    quiet = next(x for x in _section(demo, 1).splitlines() if x.startswith("Alles grün"))
    assert "Sozialwerk Saale-Jena gGmbH (fiktiv)" in quiet
    for org in DEFINITION.organisations:  # each organisation once: listed or named as green
        assert sum(org.name in line for line in lines) + (org.name in quiet) == 1, org.name


def test_a_waiting_evaluation_links_its_run(demo: str) -> None:
    waiting = _section(demo, 2)

    assert (
        "- **Familienzentrum Suhl e. V. (fiktiv)** 2019-H2: "
        "[evaluation/familienzentrum-suhl/2019-H2](http://prefect.example/runs/flow-run/4711)"
        " – wartet seit 20.01.2020 10:30"
    ) in waiting


def test_changes_show_old_and_new_and_mark_the_escalation(demo: str) -> None:
    changes = _section(demo, 3)
    werkstaetten = next(line for line in changes.splitlines() if line.startswith("- "))

    assert WERKSTAETTEN in werkstaetten  # the escalation to an abort review comes first
    assert "Kriterien beobachten → **Abbruchprüfung** ⚠️" in werkstaetten
    suhl = next(line for line in changes.splitlines() if "Familienzentrum Suhl" in line)
    assert "Personal 🟡 gelb → **🔴 rot** ↘" in suhl


def test_missed_indicators_name_the_organisations(demo: str) -> None:
    missed = _section(demo, 4)

    assert SECTIONS[3] + " 2019-H2" in missed
    line = next(x for x in missed.splitlines() if "Besuchte Entwicklungszirkel" in x)
    assert line == "- **Besuchte Entwicklungszirkel der Geschäftsführung** (1): " + WATCHED[1]


def test_phases_count_every_organisation_once(demo: str) -> None:
    rows = [line for line in _section(demo, 5).splitlines() if line.startswith("| ")][1:]

    assert sum(int(row.split(" | ")[1]) for row in rows) == 12


# --- 1,000 organisations -------------------------------------------------------------


def _large(engine: Engine) -> tuple[str, Lagebild]:
    definition = synthetic_definition(1000, 8, 4)
    frame = synthetic_measurements(definition, missing_share=0.08)
    uow = _uow_factory(engine)
    with uow() as unit:
        unit.repo.sync_organisations("bench", definition.organisations, CHECKPOINTS_RUN)
        unit.repo.add_measurements(
            "bench",
            frame.to_dict("records"),
            source_key="synthetic",
            import_id=None,
            actor="test",
            now=CHECKPOINTS_RUN,
        )
        unit.commit()
    for period in definition.period_ids()[-2:]:
        run_checkpoint(definition, uow=uow(), period=period, now=CHECKPOINTS_RUN)
    view = lagebild(definition, uow_factory=uow, now=CHECKPOINTS_RUN)
    return lagebild_markdown(view), view


def test_at_1000_organisations_the_attention_set_is_listed_in_full_and_the_rest_counted(
    engine: Engine,
) -> None:
    text, view = _large(engine)
    attention = view.attention
    positions = [text.index(heading) for heading in SECTIONS]
    lines = [line for line in _section(text, 1).splitlines() if line.startswith("- ")]

    assert positions == sorted(positions)
    assert 0 < len(attention) < 1000
    assert all(needs_the_lead(a.decision, a.lights) for a in attention)
    keys = [severity_key(a.decision, a.lights, a.name) for a in attention]
    assert keys == sorted(keys)  # most severe first
    assert len(lines) == len(attention)
    counted = sum(view.not_listed.values())
    assert len(attention) + counted == 1000 + 1  # and the programme
    assert set(view.not_listed) == {"continue"}  # everyone else needs no one
    assert f"Nicht aufgeführt (keine rote Ampel): {counted} fortsetzen." in text
    # Changes: only of listed organisations, or escalations.
    listed = {a.name for a in attention}
    for change in view.changes:
        assert change.name in listed or change.escalation
    # Phases: everyone counted once; missed indicators name at most eight, then count.
    rows = [line for line in _section(text, 5).splitlines() if line.startswith("| ")][1:]
    assert sum(int(row.split(" | ")[1]) for row in rows) == 1000
    assert all(line.count(", ") <= 7 for line in _section(text, 4).splitlines())
    assert len(text) < 400_000  # one artifact, not a copy of the report
