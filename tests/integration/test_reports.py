"""The period report read back from every format, checked against the Soll/Ist table.

The store holds the example data of config/digital-und-sozial.yaml with checkpoints for
2019-H1 and 2019-H2. One organisation is renamed to a script tag and the lead's comment is
a spreadsheet formula: both must come out harmless.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import openpyxl
import pandas as pd
import pytest
from programmes import demo_definition

from steering.adapters.config import load_definition
from steering.adapters.db.engine import make_engine
from steering.adapters.db.migrate import upgrade
from steering.adapters.db.uow import SqlUnitOfWork
from steering.adapters.reports.html import render_html
from steering.adapters.reports.ics import render_ics
from steering.adapters.reports.markdown import render_markdown
from steering.adapters.reports.safety import neutralise
from steering.adapters.reports.writer import write_report_file
from steering.bootstrap import indicator_sources
from steering.domain.definition import ProgrammeDefinition
from steering.domain.reporting.period import PeriodReport
from steering.services.calendar_feed import calendar_entries
from steering.services.checkpoints import run_checkpoint
from steering.services.collection import collect_sources
from steering.services.evaluation import record_lead_decision
from steering.services.importing import import_source
from steering.services.integration import ensure_integrations, tick_subtask
from steering.services.period_report import period_report

CONFIG = Path(__file__).resolve().parents[2] / "config" / "digital-und-sozial.yaml"
HOSTILE_NAME = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x","y")'
NOW = datetime(2020, 1, 20, 9, 0, tzinfo=UTC)


def _definition() -> ProgrammeDefinition:
    base = load_definition(CONFIG)
    organisations = [
        o.model_copy(update={"name": HOSTILE_NAME}) if o.id == "jugendhilfe-saalfeld" else o
        for o in base.organisations
    ]
    return base.model_copy(update={"organisations": organisations})


BASE = demo_definition()  # imports match organisations by their real names
DEFINITION = _definition()  # the report shows the hostile name


@dataclass
class Built:
    report: PeriodReport
    table: pd.DataFrame  # the Soll/Ist long table the report came from
    uow: SqlUnitOfWork


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'steering.sqlite'}"
    upgrade(url)
    engine = make_engine(url)

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork.for_engine(engine)

    ensure_integrations(BASE, uow=uow(), today=date(2019, 9, 2))
    tick_subtask(BASE, "lebenshilfe-erfurt", "ai", 1, 1, uow=uow(), now=NOW, actor="gf")
    collected = collect_sources(BASE, CONFIG, sources=indicator_sources(), uow_factory=uow, now=NOW)
    assert {c.status for c in collected} == {"imported"}
    for source in ("feedback-weiterbildung", "mo-befragung"):
        import_source(
            BASE,
            CONFIG,
            sources=indicator_sources(),
            source_key=source,
            uow=uow(),
            now=NOW,
            actor="test",
            period="2019-H2",
        )
    run_checkpoint(BASE, uow=uow(), period="2019-H1", now=NOW)
    outcome = run_checkpoint(BASE, uow=uow(), period="2019-H2", now=NOW)
    record_lead_decision(
        BASE,
        organisation="werkstaetten-nordhausen",
        period="2019-H2",
        decision="adapt",
        comment=FORMULA,
        actor="projektleitung",
        reference="Sitzung",
        uow=uow(),
        evidence_uow=uow(),
        now=NOW,
    )
    report = period_report(DEFINITION, uow_factory=uow, period="2019-H2")
    yield Built(report, outcome.evaluation.soll_ist, uow())
    engine.dispose()


def test_the_open_steps_in_the_report_show_their_ticked_sub_tasks(built: Built) -> None:
    (part,) = [p for p in built.report.organisations if p.organisation == "lebenshilfe-erfurt"]
    (ai_step,) = [i for i in part.overdue_items + part.open_items if "Künstliche" in i]

    assert ai_step.endswith(
        "Teilaufgaben 1/2: ☐ Bedarfe der Zielgruppe und Beitrag digitaler Technologien "
        "ermitteln; ✓ Klare Projektziele festlegen"
    )


def _programme_values(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    """(indicator title, period) -> actual, for programme indicators with a target."""
    rows = table[table["has_target"] & (table["scope"].astype(str) == "programme")]
    return {
        (str(t), str(p)): float(a)
        for t, p, a in zip(rows["title"], rows["period"], rows["actual"], strict=True)
        if not pd.isna(a)
    }


def test_the_xlsx_holds_the_soll_ist_numbers_with_german_formats(
    built: Built, tmp_path: Path
) -> None:
    (path,) = write_report_file(built.report, "xlsx", tmp_path / "bericht.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Soll-Ist"]
    header = [c.value for c in sheet[1]]
    found = {
        (row[0], row[2]): row[4]
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if isinstance(row[4], (int, float))
    }

    expected = _programme_values(built.table)
    assert header[:5] == ["Indikator", "Einheit", "Berichtszeitraum", "Soll", "Ist"]
    assert expected and all(found[k] == pytest.approx(v) for k, v in expected.items())
    assert sheet.freeze_panes == "B2"
    assert {c.number_format for c in sheet["E"][1:] if isinstance(c.value, float)} <= {
        "#,##0",
        "#,##0.00",
    }
    assert book.sheetnames == [
        "Soll-Ist",
        "Ampelmatrix",
        "Organisationen",
        "Befragungen",
        "Benachrichtigungen",
        "Info",
    ]


def test_the_xlsx_colours_lights_and_neutralises_formulas(built: Built, tmp_path: Path) -> None:
    (path,) = write_report_file(built.report, "xlsx", tmp_path / "bericht.xlsx")
    book = openpyxl.load_workbook(path)
    matrix = book["Ampelmatrix"]
    fills = {
        str(c.value).split()[0]: c.fill.fgColor.rgb
        for row in matrix.iter_rows(min_row=2)
        for c in row[1:5]
    }
    organisations = book["Organisationen"]
    comment = next(
        row[6] for row in organisations.iter_rows(min_row=2) if row[0].value.startswith("Werk")
    )
    names = [row[0].value for row in matrix.iter_rows(min_row=2)]

    colours = {"grün": "2E9E44", "gelb": "F2C12E", "rot": "D9372B", "keine": "B8B8B8"}
    assert "rot" in fills
    assert all(rgb.endswith(colours[word]) for word, rgb in fills.items() if word in colours)
    assert comment.value == "'" + FORMULA and comment.data_type == "s"
    assert HOSTILE_NAME in names  # shown as text; a spreadsheet does not run HTML
    assert all(c.data_type != "f" for ws in book for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize(
    ("dialect", "delimiter", "encoding", "decimal"),
    [("de", ";", "utf-8-sig", ","), ("plain", ",", "utf-8", ".")],
)
def test_csv_in_german_and_plain_dialect(
    built: Built, tmp_path: Path, dialect: str, delimiter: str, encoding: str, decimal: str
) -> None:
    files = write_report_file(built.report, "csv", tmp_path / dialect, dialect=dialect)
    soll_ist = next(f for f in files if f.name.endswith("soll-ist.csv"))
    raw = soll_ist.read_bytes()
    with soll_ist.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    values = {
        (r[0], r[2]): float(r[4].replace(decimal, ".")) if decimal == "," else float(r[4])
        for r in rows[1:]
        if r[4].replace(",", "").replace(".", "").isdigit()
    }
    organisations = next(f for f in files if f.name.endswith("organisationen.csv"))

    assert raw.startswith(b"\xef\xbb\xbf") == (dialect == "de")
    for key, value in _programme_values(built.table).items():
        assert values[key] == pytest.approx(value, abs=1e-6)
    assert any(decimal in r[4] for r in rows[1:]) or decimal == "."
    with organisations.open(encoding=encoding, newline="") as handle:
        cells = [c for row in csv.reader(handle, delimiter=delimiter) for c in row]
    assert "'" + FORMULA in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_csv_out_with_a_csv_name_writes_one_file_per_part_next_to_it(
    built: Built, tmp_path: Path
) -> None:
    files = write_report_file(built.report, "csv", tmp_path / "r.csv")

    assert not (tmp_path / "r.csv").exists()  # no folder named like a file
    assert files and all(f.parent == tmp_path and f.is_file() for f in files)
    assert {f.name for f in files} >= {"r-soll-ist.csv", "r-organisationen.csv"}
    assert all(f.name.startswith("r-") and f.suffix == ".csv" for f in files)


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_is_self_contained_escaped_and_has_the_numbers(built: Built) -> None:
    html = render_html(built.report)
    parsed = _Collect()
    parsed.feed(html)
    text = " ".join(parsed.text)

    assert "script" not in parsed.tags  # the hostile name stays text
    assert HOSTILE_NAME in text and "&lt;script&gt;" in html
    assert not any(marker in html for marker in ("src=", "<link", "url(", "<script"))
    assert parsed.tags.count("svg") >= 2  # heatmap and at least one trend chart
    assert "1.240" in text and "Sachbericht 2019-H2" in text  # a programme figure
    assert FORMULA.replace('"', "&#34;") in html or FORMULA in text


def test_markdown_keeps_table_rows_intact_and_escapes_html_in_names(built: Built) -> None:
    markdown = render_markdown(built.report)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    matrix_rows = [line for line in markdown.splitlines() if line.startswith(f"| {escaped}")]

    assert "<script" not in markdown  # Prefect renders the Markdown artifact as HTML
    assert f"### {escaped}" in markdown

    assert len(matrix_rows) == 1 and matrix_rows[0].count(" | ") == 5
    assert "## Feedback und Befragungen" in markdown
    assert "| Die Inhalte waren für meine Arbeit praxisnah. |" in markdown


def test_the_calendar_of_an_organisation_has_its_steps_periods_checkpoints_and_events(
    built: Built,
) -> None:
    title, entries = calendar_entries(DEFINITION, uow=built.uow, organisation="lebenshilfe-erfurt")
    data = render_ics(
        title, entries, programme_id="digital-und-sozial", now=NOW, timezone="Europe/Berlin"
    )
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}

    assert len(events) == len(entries)
    checkpoint = events["checkpoint-2019-H2@digital-und-sozial.pdca-steering"]
    start = checkpoint.decoded("dtstart")
    # schedules.checkpoint is "0 7 15 1,7 *": 15 January 07:00 after the half-year ended.
    assert (start.date(), start.hour, str(start.tzinfo)) == (date(2020, 1, 15), 7, "Europe/Berlin")
    assert events["period-end-2019-H2@digital-und-sozial.pdca-steering"].decoded("dtstart") == date(
        2019, 12, 31
    )
    steps = [e for uid, e in events.items() if uid.startswith("step-lebenshilfe-erfurt")]
    assert steps and all(e.decoded("dtstart") == date(2019, 10, 2) for e in steps)
    assert "Digitaler Entwicklungszirkel" in {str(e["summary"]) for e in events.values()}


def test_neutralise_covers_every_formula_trigger() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Träger e. V.") == "Träger e. V."
    assert neutralise(-1.5) == -1.5


def test_a_person_calendar_holds_their_organisations_steps_and_the_leads_all_events(
    built: Built,
) -> None:
    owner_title, owner = calendar_entries(DEFINITION, uow=built.uow, person="gf-familienzentrum")
    _, lead = calendar_entries(DEFINITION, uow=built.uow, person="projektleitung")
    owner_steps = {e.uid for e in owner if e.uid.startswith("step-")}
    lead_events = {e.uid for e in lead if e.uid.startswith("event-")}

    assert owner_title.endswith("Claudia Weiß")
    assert owner_steps and all(uid.startswith("step-familienzentrum-suhl-") for uid in owner_steps)
    assert lead_events == {f"event-{e.id}" for e in DEFINITION.events}
    assert not any(e.uid.startswith("step-") for e in lead)  # the lead owns no organisation
