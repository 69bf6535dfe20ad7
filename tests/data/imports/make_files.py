"""Write the sample import files of tests/integration/test_sources.py (deterministic bytes).

Run: `.venv/bin/python tests/data/imports/make_files.py`. The files are committed; this script
documents their exact bytes (encodings, separators, line endings, Excel cells).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2020, 1, 15, 8, 0, 0)
HEADER = "Kennzahl;Träger;Zeitraum;Wert;Bemerkung"


def text(name: str, content: str, encoding: str = "utf-8", newline: str = "\n") -> None:
    (HERE / name).write_bytes(content.replace("\n", newline).encode(encoding))


def workbook_bytes(book: Workbook, cached: dict[str, str] | None = None) -> bytes:
    """Save with fixed timestamps; `cached` gives formula cells the result Excel would store."""
    buffer = io.BytesIO()
    book.save(buffer)
    source, target = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-15T08:00:00Z", content)
            for formula, value in (cached or {}).items():
                content = content.replace(
                    f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{value}</v>".encode()
                )
            out.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), content)
    return target.getvalue()


def good_tables() -> None:
    text(
        "kennzahlen_cp1252.csv",
        f"""{HEADER}
geschulte-mitarbeitende;Sozialwerk Süd e. V.;1. HJ 2019;12;
ausgaben-ist;Frühförderung Schöneck e. V.;II. HJ 2019;12.500,00;"Stand 31.12.2019; vorläufig"
ausgaben-plan;kinderhaus;2019-H2;1.234.567;

anteil-digital;SOZIALWERK SÜD E. V.;2. Halbjahr 2019;30 %;
feedback;;1. HJ 2019;1,5;Mittelwert aus 17 Bögen
Teilnehmende am Fachtag;;II. HJ 2019;48;
geschulte-mitarbeitende;Frühförderung Schöneck e. V.;2019-H2;;Zahl folgt
""",
        "cp1252",
        "\r\n",
    )
    text(
        "kennzahlen_utf8_bom.csv",
        f"""Kennzahlenerfassung 2019;;;;
Stand: 15.01.2020;;;;
{HEADER}
geschulte-mitarbeitende;Kinderhaus Sonnenblume gGmbH;I. Halbjahr 2019;7;
ausgaben-ist;Frühförderung Schöneck e. V.;2. HJ 2019;12 500,50;
""",
        "utf-8-sig",
    )
    text(
        "kennzahlen_tab.txt",
        "Kennzahl\tTräger\tZeitraum\tWert\n"
        "ausgaben-ist\tSozialwerk Süd e. V.\t2019-H1\t-3,5\n"
        "feedback\t\tH2/2019\t+2\n",
    )
    text(
        "kennzahlen_comma.csv",
        'Kennzahl,Träger,Zeitraum,Wert\n'
        'ausgaben-ist,"Sozialwerk Süd e. V.",2019-H1,"12,500.00"\n'
        'anteil-digital,kinderhaus,2019-H2,0.75\n',
    )


def good_workbooks() -> None:
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "Deckblatt"
    cover.append(["Finanzcontrolling 2019"])
    sheet = book.create_sheet("Ausgaben")
    sheet.append(["Träger", "Halbjahr", "Plan (EUR)", "Ist (EUR)"])
    sheet.append(["Sozialwerk Süd e. V.", datetime(2019, 6, 30), 12500, "=C2*1.1"])
    sheet.append(["Kinderhaus Sonnenblume gGmbH", 43830, 8000.5, "12.500,50"])
    sheet.append([])
    sheet.append(["Frühförderung Schöneck e. V.", "1. HJ 2020", 0.1, None])
    (HERE / "finanzen.xlsx").write_bytes(workbook_bytes(book, {"C2*1.1": "13750"}))

    book = Workbook()
    old = book.active
    assert old is not None
    old.title = "Alt"
    old.sheet_state = "hidden"
    old.append(["Kennzahl", "Träger", "Zeitraum", "Wert"])
    old.append(["geschulte-mitarbeitende", "kinderhaus", "2019-H1", 1])
    current = book.create_sheet("Aktuell")
    current.append(["Kennzahl", "Träger", "Zeitraum", "Wert"])
    current.append(["geschulte-mitarbeitende", "kinderhaus", "2019-H1", 9])
    (HERE / "hidden_first_sheet.xlsx").write_bytes(workbook_bytes(book))

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Kennzahl", "Träger", "Zeitraum", "Wert"])
    sheet.append(["geschulte-mitarbeitende", "kinderhaus", "2019-H1", "=2+3"])
    (HERE / "formula_without_value.xlsx").write_bytes(workbook_bytes(book))


def broken_files() -> None:
    text(
        "bad_number.csv",
        f"""{HEADER}
geschulte-mitarbeitende;kinderhaus;2019-H1;12,5,3;
geschulte-mitarbeitende;kinderhaus;2019-H2;abc;
ausgaben-ist;kinderhaus;2019-H1;0.75;
ausgaben-ist;kinderhaus;2019-H2;1,5e3;
ausgaben-plan;kinderhaus;2019-H1;31.12.2019;
ausgaben-plan;kinderhaus;2019-H2;30 %;
geschulte-mitarbeitende;sozialwerk-sued;2019-H1;12,5;
""",
    )
    text(
        "out_of_range.csv",
        f"""{HEADER}
feedback;;2019-H1;1,5;
feedback;;2019-H2;3;
feedback;;2020-H1;-2,5;
geschulte-mitarbeitende;kinderhaus;2019-H1;-4;
""",
    )
    text(
        "unknown_organisation.csv",
        f"""{HEADER}
geschulte-mitarbeitende;Sozialwerk Nord;2019-H1;4;
geschulte-mitarbeitende;Kinderhaus Sonneblume gGmbH;2019-H1;5;
teilnehmende;kinderhaus;2019-H1;40;
geschulte-mitarbeitende;;2019-H1;3;
geschulte-mitarbeitender;kinderhaus;2019-H2;3;
geschulte-mitarbeitende;kinderhaus;3. HJ 2019;3;
geschulte-mitarbeitende;kinderhaus;2018-H2;3;
geschulte-mitarbeitende;sozialwerk-sued;2019-H2;3;
geschulte-mitarbeitende;Sozialwerk Süd e. V.;II. HJ 2019;4;
kosten-plantreue;kinderhaus;2019-H1;1,1;
;kinderhaus;;x;
""",
    )
    text("missing_column.csv", "Kennzahl;Träger;Halbjahr;Betrag\ngeschulte-mitarbeitende;kinderhaus;2019-H1;4\n")
    text("empty.csv", "")
    text("header_only.csv", f"{HEADER}\r\n", "cp1252")
    text("utf16.csv", "Kennzahl\tTräger\tZeitraum\tWert\r\nfeedback\t\t2019-H1\t1\r\n", "utf-16")
    (HERE / "garbage.bin").write_bytes(random.Random(7).randbytes(2048))
    (HERE / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    text(
        "too_many_fields.csv",
        "Kennzahl,Träger,Zeitraum,Wert\n"
        "geschulte-mitarbeitende,kinderhaus,2019-H1,4\n"
        "ausgaben-ist,kinderhaus,2019-H1,12,5\n"
        "ausgaben-plan,kinderhaus,2019-H1,13\n",
    )


def surveys() -> None:
    text(
        "moodle_feedback.csv",
        """Response number,Submitted on,Course,Full name,Email address,Inhalte,Referent,Gesamteindruck,Bemerkungen
1,"Dienstag, 17. September 2019, 14:35",Modul 1,Anna Beispiel,anna@example.org,2,+2,(+2) sehr gut,"Sehr gut, danke"
2,"Dienstag, 17. September 2019, 14:40",Modul 1,Bernd Muster,bernd@example.org,1,+1,(+1) gut,
3,"Dienstag, 17. September 2019, 14:41",Modul 1,Carla Test,carla@example.org,2,-1,(+1) gut,Zu lang
4,"Mittwoch, 18. September 2019, 09:12",Modul 2,Dieter Probe,dieter@example.org,0,+2,(-2) sehr schlecht,
5,"Mittwoch, 18. September 2019, 09:30",Modul 2,Eva Fiktiv,eva@example.org,1,0,(0) neutral,Raum zu kalt
6,"Mittwoch, 18. September 2019, 10:02",Modul 2,Frank Frei,frank@example.org,,+1,(+2) sehr gut,
""",
    )
    text(
        "moodle_out_of_range.csv",
        """Response number,Submitted on,Course,Inhalte,Referent
1,"17.09.2019, 14:35",Modul 1,2,3
2,"17.09.2019, 14:40",Modul 1,-5,+1
3,"17.09.2019, 14:41",Modul 1,1,sehr gut
""",
    )
    rows = [
        ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "G01Q01", "Q1[SQ001]",
         "Q1[SQ002]", "G02Q03", "email", "interviewtime"],
        ["1", "2019-11-05 09:01:52", "3", "de", "8361", "", "2", "1", "0", "Sehr hilfreich, danke!",
         "a@example.org", "312"],
        ["2", "2019-11-05 10:11:02", "3", "de", "9408", "", "-1", "2", "1", "", "", "280"],
        ["3", "", "1", "de", "1234", "", "2", "", "", "", "", ""],
        ["4", "2019-11-06 08:00:00", "3", "de", "5521", "", "0", "", "2", "Zu viele Fragen", "", "401"],
        ["5", "2019-11-07 17:45:10", "3", "de", "7781", "", "1", "1", "-2", "", "", "199"],
        ["6", "", "2", "de", "3310", "", "-2", "-2", "", "", "", ""],
    ]  # fmt: skip
    content = "".join(",".join(f'"{cell}"' for cell in row) + "\r\n" for row in rows)
    (HERE / "limesurvey.csv").write_bytes(content.encode("utf-8-sig"))


def main() -> None:
    """Write every sample file."""
    good_tables()
    good_workbooks()
    broken_files()
    surveys()


if __name__ == "__main__":
    main()
