"""Write the sample data files of config/digital-und-sozial.yaml, deterministically (same bytes).

Run: `.venv/bin/python examples/digital-und-sozial/make_examples.py`. The files cover 2018-H1 to
2019-H2; the checkpoint for 2019-H2 is the demo. What each organisation is meant to show:

- most organisations are fine in every dimension (lebenshilfe-erfurt, sozialwerk-jena,
  pflegedienst-gotha, wohnverbund-eisenach, integration-leipzig until 2019-H1, ...);
- slightly off (yellow): beratung-gera spends 15 % over plan in 2019-H2 (cost);
  kinderhaus-weimar trained 4 staff in 2019-H2, minimum 5 (staff);
  seniorenhilfe-ilmenau has done 6 of at least 7 driver steps in 2019-H2 (time);
- clearly off (red): werkstaetten-nordhausen spends 24 % over plan in 2019-H1 and 30 % in
  2019-H2 (cost red at two checkpoints in a row -> abort review);
  familienzentrum-suhl attended 0 development circles in 2019-H1 and 2019-H2 (staff red);
  jugendhilfe-saalfeld did 3 of 7 driver steps and trained 2 staff in 2019-H2 (time and staff
  red at once -> escalation);
- missing: integration-leipzig has no finance figures for 2019-H2; fruehfoerderung-sonneberg
  sent no Kennzahlen for 2019-H2 and completed no further step (time red).

Driver steps are not typed into the Kennzahlen: schritte.csv lists the steps each organisation
completed, with the day (`steer demo` completes them through the step service on those days);
the time light comes from the built-in progress source.

Programme level: kick-off 52 participants, 12 organisations, expert forum formed; 11-13 managers
in the circles; learning platform 264 document accesses in 2018-H2 (below 300), then 341 and
1.240; the member survey (mo-befragung.csv) has 110 complete answers of 350 (31 %) plus 23
incomplete ones, usability mean about 0.7; the training feedback mean is about 1.2.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
DRIVERS = {
    "lebenshilfe-erfurt": ["online_platforms", "ai"],
    "sozialwerk-jena": ["cloud", "specialist_software"],
    "kinderhaus-weimar": ["online_platforms", "cloud"],
    "pflegedienst-gotha": ["iot", "specialist_software"],
    "beratung-gera": ["online_platforms", "ai"],
    "werkstaetten-nordhausen": ["robotics", "3d_printing"],
    "familienzentrum-suhl": ["cloud"],
    "wohnverbund-eisenach": ["big_data", "specialist_software"],
    "jugendhilfe-saalfeld": ["ar_vr", "online_platforms"],
    "seniorenhilfe-ilmenau": ["iot", "ai"],
    "integration-leipzig": ["online_platforms"],
    "fruehfoerderung-sonneberg": ["cloud", "specialist_software"],
}
PERIOD_SPAN = {
    "2018-H2": (date(2018, 7, 1), date(2018, 12, 31)),
    "2019-H1": (date(2019, 1, 1), date(2019, 6, 30)),
    "2019-H2": (date(2019, 7, 1), date(2019, 12, 31)),
}
FIXED_TIME = (2020, 1, 15, 8, 0, 0)
PERIODS = ["2018-H1", "2018-H2", "2019-H1", "2019-H2"]
ORGANISATIONS = {
    "lebenshilfe-erfurt": "Lebenshilfe für Menschen mit Behinderung Erfurt e. V. (fiktiv)",
    "sozialwerk-jena": "Sozialwerk Saale-Jena gGmbH (fiktiv)",
    "kinderhaus-weimar": "Kinder- und Jugendhaus Weimar e. V. (fiktiv)",
    "pflegedienst-gotha": "Ambulanter Pflegedienst Gotha gGmbH (fiktiv)",
    "beratung-gera": "Sucht- und Familienberatung Gera e. V. (fiktiv)",
    "werkstaetten-nordhausen": "Werkstätten Nordhausen gGmbH (fiktiv)",
    "familienzentrum-suhl": "Familienzentrum Suhl e. V. (fiktiv)",
    "wohnverbund-eisenach": "Wohnverbund Eisenach gGmbH (fiktiv)",
    "jugendhilfe-saalfeld": "Jugendhilfe Saalfeld-Rudolstadt e. V. (fiktiv)",
    "seniorenhilfe-ilmenau": "Seniorenhilfe Ilmenau e. V. (fiktiv)",
    "integration-leipzig": "Integrationsfachdienst Leipzig gGmbH (fiktiv, Sachsen)",
    "fruehfoerderung-sonneberg": "Frühförderstelle Sonneberg e. V. (fiktiv)",
}
# The ways the project lead writes half-years in the Kennzahlen sheet.
WRITTEN = {
    "2018-H1": "1. HJ 2018",
    "2018-H2": "II. HJ 2018",
    "2019-H1": "2019-H1",
    "2019-H2": "2. Halbjahr 2019",
}
# Deliberate deviations: (organisation, indicator, period) -> value.
OVERRIDES: dict[tuple[str, str, str], float] = {
    ("kinderhaus-weimar", "geschulte-mitarbeitende", "2019-H2"): 4,
    ("seniorenhilfe-ilmenau", "treiberschritte", "2019-H2"): 6,
    ("familienzentrum-suhl", "entwicklungszirkel-besuche", "2019-H1"): 0,
    ("familienzentrum-suhl", "entwicklungszirkel-besuche", "2019-H2"): 0,
    ("jugendhilfe-saalfeld", "treiberschritte", "2019-H1"): 3.5,
    ("jugendhilfe-saalfeld", "treiberschritte", "2019-H2"): 3,
    ("jugendhilfe-saalfeld", "geschulte-mitarbeitende", "2019-H2"): 2,
}
SPEND_FACTOR = {
    ("beratung-gera", "2019-H2"): 1.15,
    ("werkstaetten-nordhausen", "2019-H1"): 1.24,
    ("werkstaetten-nordhausen", "2019-H2"): 1.30,
    ("sozialwerk-jena", "2019-H2"): 1.08,
}
NO_FINANCE = {("integration-leipzig", "2019-H2")}
NO_KENNZAHLEN = {("fruehfoerderung-sonneberg", "2019-H2")}


def german(value: float) -> str:
    """12500.5 -> '12.500,5'; integers without decimals."""
    text = f"{value:,.1f}" if value != int(value) else f"{int(value):,}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def kennzahlen_rows(
    rng: random.Random, steps: dict[tuple[str, str], float] | None = None
) -> list[list[str]]:
    """Programme rows and per-organisation rows, with notes, in the order a person types them.

    The steps per driver each organisation has done by a period's end go to `steps`.
    """
    steps = {} if steps is None else steps
    programme = [
        ("auftaktfachtag-teilnehmende", "2018-H1", 52, "Auftaktfachtag am 17.05.2018"),
        ("teilnehmende-organisationen", "2018-H1", 12, "Kooperationsvereinbarungen unterzeichnet"),
        ("expertenforum", "2018-H1", 1, "konstituiert am 12.06.2018; 6 Mitglieder"),
        ("entwicklungszirkel-teilnehmende", "2018-H2", 12, ""),
        ("online-befragung-tn", "2018-H2", 1, "qualitative Online-Befragung, 11 Antworten"),
        ("lernplattform-zugriffe", "2018-H2", 264, "Plattform erst ab Oktober freigeschaltet"),
        ("entwicklungszirkel-teilnehmende", "2019-H1", 13, ""),
        ("lernplattform-zugriffe", "2019-H1", 341, "laut moodle-Log"),
        ("entwicklungszirkel-teilnehmende", "2019-H2", 11, "eine Vertretung"),
        ("lernplattform-zugriffe", "2019-H2", 1240, "laut moodle-Log, inkl. Webinare"),
        ("online-befragung-mo", "2019-H2", 1, "LimeSurvey, 04.11.-29.11.2019"),
    ]
    rows = [
        [key, "", WRITTEN[period], german(value), note] for key, period, value, note in programme
    ]
    for period in PERIODS[1:]:
        for number, (org_id, name) in enumerate(ORGANISATIONS.items()):
            if (org_id, period) in NO_KENNZAHLEN:
                continue
            written_org = org_id if number % 4 == 3 else name  # mostly display names, some ids
            step = PERIODS.index(period)
            values = {
                "entwicklungszirkel-besuche": rng.choice([2, 2, 3]),
                "geschulte-mitarbeitende": rng.randint(5, 14) if step > 1 else rng.randint(1, 6),
                "treiberschritte": [2, 4.5, 7.5][step - 1] + rng.choice([0, 0, 0.5, 1]),
            }
            for indicator, value in values.items():
                value = OVERRIDES.get((org_id, indicator, period), value)
                if indicator == "treiberschritte":
                    steps[(org_id, period)] = value
                    continue
                note = "Zirkel ausgefallen, Termin verschoben" if value == 0 else ""
                rows.append([indicator, written_org, WRITTEN[period], german(value), note])
    return rows


def write_kennzahlen(rng: random.Random) -> dict[tuple[str, str], float]:
    """kennzahlen.csv: Windows-1252, ';', decimal comma, CRLF (Excel's 'CSV (Trennzeichen)')."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Kennzahl", "Träger", "Zeitraum", "Wert", "Bemerkung"])
    steps: dict[tuple[str, str], float] = {}
    writer.writerows(kennzahlen_rows(rng, steps))
    (HERE / "kennzahlen.csv").write_bytes(buffer.getvalue().encode("cp1252"))
    return steps


def completed_steps(steps: dict[tuple[str, str], float]) -> list[list[str]]:
    """Rows organisation, driver, step, day: the steps done within each period, spread over it.

    An organisation never undoes a step: its count per driver only grows.
    """
    rows = []
    for org_id, drivers in DRIVERS.items():
        done = [0] * len(drivers)
        for period, (start, end) in PERIOD_SPAN.items():
            mean = steps.get((org_id, period), 0.0)
            total = round(mean * len(drivers))
            target = [
                total // len(drivers) + (1 if i < total % len(drivers) else 0)
                for i in range(len(drivers))
            ]
            for i, driver in enumerate(drivers):
                new = list(range(done[i] + 1, max(target[i], done[i]) + 1))
                span = (end - start).days
                for j, number in enumerate(new):
                    day = start + timedelta(days=round(span * (j + 1) / (len(new) + 1)))
                    rows.append([org_id, driver, str(number), day.strftime("%d.%m.%Y")])
                done[i] = max(done[i], target[i])
    return rows


def write_schritte(steps: dict[tuple[str, str], float]) -> None:
    """schritte.csv: the completed steps of the driver integration (UTF-8, ';', German dates)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["Träger", "Treiber", "Schritt", "erledigt am"])
    writer.writerows(completed_steps(steps))
    (HERE / "schritte.csv").write_bytes(buffer.getvalue().encode("utf-8"))


def _deterministic_zip(data: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-15T08:00:00Z", content
                )
            out.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), content, zipfile.ZIP_DEFLATED)
    return target.getvalue()


def write_finanzcontrolling(rng: random.Random) -> None:
    """finanzcontrolling.xlsx: sheet 'Ausgaben' below a title, frozen header, real numbers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Ausgaben"
    sheet.append(["Finanzcontrolling digit@l und sozi@l – Ausgaben je Träger"])
    sheet.append(["Stand: 15.01.2020, Beträge in EUR"])
    sheet.append([])
    sheet.append(["Träger", "Halbjahr", "Plan (EUR)", "Ist (EUR)", "Abweichung"])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A5"
    for period in PERIODS:
        for org_id, name in ORGANISATIONS.items():
            if (org_id, period) in NO_FINANCE:
                continue
            plan = 6000.0 if period == "2018-H1" else rng.randrange(12000, 38000, 500) * 1.0
            factor = SPEND_FACTOR.get((org_id, period), rng.uniform(0.86, 1.05))
            actual = round(plan * factor, 2)
            half, year = period[-1], period[:4]
            sheet.append([name, f"{half}. Halbjahr {year}", plan, actual])
            row = sheet.max_row
            sheet.cell(row, 5, f"=D{row}/C{row}-1").number_format = "0.0 %"
            for column in (3, 4):
                sheet.cell(row, column).number_format = '#,##0.00 "€"'
    for letter, width in zip("ABCDE", (58, 18, 16, 16, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = book.create_sheet("Stammdaten")
    notes.append(["Träger", "ID"])
    for org_id, name in ORGANISATIONS.items():
        notes.append([name, org_id])
    notes.sheet_state = "hidden"
    book.properties.creator = "Projektleitung"
    buffer = io.BytesIO()
    book.save(buffer)
    (HERE / "finanzcontrolling.xlsx").write_bytes(_deterministic_zip(buffer.getvalue()))


LABELS = {
    -2: "(-2) trifft gar nicht zu",
    -1: "(-1) trifft eher nicht zu",
    0: "(0) teils, teils",
    1: "(+1) trifft eher zu",
    2: "(+2) trifft voll zu",
}
FEEDBACK_WEIGHTS = {2: 42, 1: 40, 0: 12, -1: 5, -2: 1}
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]


def write_feedback(rng: random.Random) -> None:
    """feedback-weiterbildung.csv: moodle feedback 'Download: Comma separated values'."""
    questions = [
        "Die Inhalte waren für meine Arbeit praxisnah.",
        "Die Referentin hat verständlich erklärt.",
        "Ich kann das Gelernte in meiner Einrichtung anwenden.",
        "Die Lernplattform hat die Weiterbildung gut unterstützt.",
    ]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["Response number", "Submitted on", "Course", *questions, "Was können wir verbessern?"]
    )
    values, weights = list(FEEDBACK_WEIGHTS), list(FEEDBACK_WEIGHTS.values())
    for number in range(1, 49):
        day = 10 + number % 15
        submitted = (
            f"{WEEKDAYS[number % 5]}, {day}. September 2019, {9 + number % 8}:{number % 60:02d}"
        )
        answers: list[str] = []
        for index in range(len(questions)):
            value = rng.choices(values, weights)[0]
            if rng.random() < 0.04:
                answers.append("")  # question skipped
            elif index < 2:
                answers.append(f"{value:+d}" if value else "0")
            else:
                answers.append(LABELS[value])
        remark = rng.choice(
            ["", "", "Mehr Praxisbeispiele, bitte.", "Pausen waren zu kurz; sonst super!"]
        )
        writer.writerow(
            [number, submitted, "Weiterbildung Digitale Führung (Modul 3)", *answers, remark]
        )
    (HERE / "feedback-weiterbildung.csv").write_bytes(buffer.getvalue().encode("utf-8"))


USABILITY_WEIGHTS = {2: 22, 1: 38, 0: 22, -1: 13, -2: 5}


def write_mo_befragung(rng: random.Random) -> None:
    """mo-befragung.csv: LimeSurvey response export (UTF-8 with BOM, all quoted, CRLF)."""
    scale = [f"G02Q03[SQ00{i}]" for i in range(1, 5)]
    header = [
        "id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
        "G01Q01", "G01Q02", *scale, "G02Q04", "G03Q05", "interviewtime",
    ]  # fmt: skip
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    values, weights = list(USABILITY_WEIGHTS), list(USABILITY_WEIGHTS.values())
    finished_flags = [True] * 110 + [False] * 23
    rng.shuffle(finished_flags)
    for response, finished in enumerate(finished_flags, start=1):
        start = f"2019-11-{4 + response % 25:02d} {8 + response % 9:02d}:{response % 60:02d}:07"
        answers = [str(rng.choices(values, weights)[0]) for _ in scale]
        if not finished:
            answered = rng.randint(0, 2)
            answers = answers[:answered] + [""] * (len(scale) - answered)
        wish = rng.choice(["", "", "Mehr Vorlagen für Dienstpläne", "Eine App für das Smartphone"])
        contact = rng.choice(["", f"kontakt@mo-{response:03d}.example.org"])
        writer.writerow(
            [
                response,
                start.replace(":07", ":52") if finished else "",
                3 if finished else rng.randint(1, 2),
                "de",
                rng.randrange(10**8, 10**9),
                start,
                start.replace(":07", ":52"),
                rng.choice(["A1", "A2", "A3", "A4", "A5", "A6"]),
                rng.choice([4, 12, 35, 60, 120, 240, 480]),
                *answers,
                wish if finished else "",
                contact if finished else "",
                rng.randint(240, 900) if finished else "",
            ]
        )
    (HERE / "mo-befragung.csv").write_bytes(buffer.getvalue().encode("utf-8-sig"))


def main() -> None:
    """Write all five files."""
    write_schritte(write_kennzahlen(random.Random(2019)))
    write_finanzcontrolling(random.Random(2020))
    write_feedback(random.Random(17))
    write_mo_befragung(random.Random(350))


if __name__ == "__main__":
    main()
