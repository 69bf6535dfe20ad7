"""Participants act in the portal: steps, evidence, values, files; for their organisations only."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile

import pytest
from portal_server import PortalServer, csrf_of, current_half

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


OPEN_STEP = re.compile(r'id="step-cloud-(\d+)" class="step open')


def _open_step(html: str) -> int:
    """The number of the organisation's open cloud step (tests may run in any order)."""
    found = OPEN_STEP.search(html)
    assert found, "no open step on the page"
    return int(found.group(1))


def _audit_actors(portal: PortalServer, action: str) -> list[str]:
    with sqlite3.connect(portal.database) as connection:
        rows = connection.execute("SELECT actor FROM audit_log WHERE action = ?", (action,))
        return [row[0] for row in rows]


def test_an_owner_sees_cycle_gate_steps_and_decisions_of_their_organisation(
    portal: PortalServer,
) -> None:
    with portal.client("anna") as browser:
        page = browser.get("/org/ahorn-ev")
    assert page.status_code == 200
    for expected in (
        "Ahorn e. V.",
        "PDCA-Zyklus",
        "Zyklus 1",
        "Ampeln",
        "Entscheidung der Projektleitung",
    ):
        assert expected in page.text


def test_english_speakers_get_the_english_pages(portal: PortalServer) -> None:
    with portal.client("bert") as browser:
        page = browser.get("/org/birke-ggmbh")
    assert page.status_code == 200
    assert "PDCA cycle" in page.text and "Traffic lights" in page.text


def test_ticking_a_sub_task_and_completing_a_step_with_a_link_is_audited_with_the_person(
    portal: PortalServer,
) -> None:
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev").text  # plans the steps on first view
        token, step = csrf_of(overview), _open_step(overview)
        ticked = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/tick", data={"csrf": token, "subtask": "1"}
        )
        assert ticked.status_code == 303
        assert "Teilaufgabe abgehakt" in browser.get(ticked.headers["location"]).text
        done = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": token, "evidence_url": "https://wiki.example.org/protokoll"},
        )
        assert done.status_code == 303
        page = browser.get(done.headers["location"]).text
    assert "Schritt als erledigt gemeldet" in page
    assert 'href="https://wiki.example.org/protokoll"' in page
    assert "anna" in _audit_actors(portal, "subtask-ticked")
    assert "anna" in _audit_actors(portal, "step-completed")


def test_a_step_done_without_link_or_file_shows_the_error_next_to_the_field(
    portal: PortalServer,
) -> None:
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev").text
        token, step = csrf_of(overview), _open_step(overview)
        before = portal.counts()
        answer = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": token, "evidence_url": "javascript:alert(1)"},
        )
    assert answer.status_code == 400
    assert "https:// beginnt" in answer.text
    assert portal.counts() == before


def test_a_step_done_with_a_pdf_keeps_the_file_under_its_digest(portal: PortalServer) -> None:
    content = b"%PDF-1.4\n% Protokoll\n"
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev").text
        token, step = csrf_of(overview), _open_step(overview)
        answer = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": token},
            files={"evidence_file": ("Protokoll Sitzung.pdf", content, "application/pdf")},
        )
        assert answer.status_code == 303
        page = browser.get("/org/ahorn-ev").text
        kept = list(
            (portal.wiring.settings.data_dir / "portal" / "evidence" / "ahorn-ev").iterdir()
        )
        assert [path.suffix for path in kept] == [".pdf"]
        assert kept[0].read_bytes() == content
        link = f'href="/org/ahorn-ev/files/{kept[0].name}">(Protokoll Sitzung.pdf)'
        assert link in page
        download = browser.get(f"/org/ahorn-ev/files/{kept[0].name}")
        assert download.content == content
        assert download.headers["content-disposition"].startswith("attachment")
        for guessed in ("../../steering.sqlite", "..%2F..%2Fsteering.sqlite", "0" * 64 + ".pdf"):
            assert browser.get(f"/org/ahorn-ev/files/{guessed}").status_code == 404
    with portal.client("bert") as other:
        assert other.get(f"/org/ahorn-ev/files/{kept[0].name}").status_code == 403


def test_pdca_evidence_for_the_gate_is_recorded(portal: PortalServer) -> None:
    with portal.client("anna") as browser:
        token = csrf_of(browser.get("/org/ahorn-ev").text)
        answer = browser.post(
            "/org/ahorn-ev/evidence",
            data={
                "csrf": token,
                "kind": "strategy_document",
                "reference": "https://wiki.example.org/strategie",
            },
        )
        assert answer.status_code == 303
        page = browser.get("/org/ahorn-ev").text
    assert "strategy_document: https://wiki.example.org/strategie" in page
    assert "anna" in _audit_actors(portal, "evidence-recorded")


def test_values_are_entered_for_open_periods_and_checked_as_an_import(portal: PortalServer) -> None:
    period = current_half(portal.today)
    with portal.client("anna") as browser:
        form = browser.get("/org/ahorn-ev/values")
        token = csrf_of(form.text)
        assert period in form.text
        saved = browser.post(
            "/org/ahorn-ev/values",
            data={
                "csrf": token,
                "indicator": "geschulte",
                "period": period,
                "value": "12",
                "note": "",
            },
        )
        assert saved.status_code == 303
        before = portal.counts()
        off_scale = browser.post(
            "/org/ahorn-ev/values",
            data={"csrf": token, "indicator": "zufriedenheit", "period": period, "value": "7"},
        )
        negative = browser.post(
            "/org/ahorn-ev/values",
            data={"csrf": token, "indicator": "geschulte", "period": period, "value": "-3"},
        )
        closed = browser.post(
            "/org/ahorn-ev/values",
            data={
                "csrf": token,
                "indicator": "geschulte",
                "period": f"{portal.today.year + 1}-H2",
                "value": "3",
            },
        )
        foreign = browser.post(
            "/org/ahorn-ev/values",
            data={"csrf": token, "indicator": "teilnahmen", "period": period, "value": "3"},
        )
        shown = browser.get("/org/ahorn-ev/values").text
    assert "Bisher gespeicherte Werte" in shown
    assert f"<td>Geschulte Mitarbeitende</td><td>{period}</td><td>12</td>" in shown
    assert [a.status_code for a in (off_scale, negative, closed, foreign)] == [400] * 4
    assert "offenen Zeiträume" in closed.text
    assert "aufgeführten Indikatoren" in foreign.text
    assert portal.counts() == before
    assert "anna" in _audit_actors(portal, "record")


CSV_GOOD = "Kennzahl;Träger;Zeitraum;Wert\nteilnahmen;ahorn-ev;{p};12\nteilnahmen;ahorn-ev;{p};\n"


def test_an_upload_with_a_bad_row_stores_nothing_and_names_line_column_and_reason(
    portal: PortalServer,
) -> None:
    period = current_half(portal.today)
    head = "Kennzahl;Träger;Zeitraum;Wert\n"
    bad = f"{head}teilnahmen;ahorn-ev;{period};12\nteilnahmen;ahorn-ev;{period};zwölf\n"
    foreign = f"Kennzahl;Träger;Zeitraum;Wert\nteilnahmen;birke-ggmbh;{period};5\n"
    good = f"Kennzahl;Träger;Zeitraum;Wert\nteilnahmen;ahorn-ev;{period};12\n"
    with portal.client("anna") as browser:
        token = csrf_of(browser.get("/org/ahorn-ev/upload").text)
        before = portal.counts()
        refused = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={"file": ("werte.csv", bad.encode(), "text/csv")},
        )
        not_theirs = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={"file": ("werte.csv", foreign.encode(), "text/csv")},
        )
        assert portal.counts() == before
        imported = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={"file": ("werte.csv", good.encode(), "text/csv")},
        )
    assert refused.status_code == 400
    assert (
        "<td>3</td>" in refused.text
        and "zwölf" in refused.text
        and "Es wurde nichts importiert" in refused.text
    )
    assert not_theirs.status_code == 400 and "birke-ggmbh" in not_theirs.text
    assert imported.status_code == 303
    assert portal.count("imports") == before["imports"] + 1
    with portal.client("anna") as browser:
        again = browser.post(
            "/org/ahorn-ev/upload",
            data={
                "csrf": csrf_of(browser.get("/org/ahorn-ev/upload").text),
                "source": "kennzahlen",
            },
            files={"file": ("werte.csv", good.encode(), "text/csv")},
        )
        told = browser.get(again.headers["location"]).text
    assert "Diese Datei wurde bereits importiert; nichts geändert." in told
    assert portal.count("imports") == before["imports"] + 1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/org/birke-ggmbh"),
        ("get", "/org/birke-ggmbh/values"),
        ("get", "/org/birke-ggmbh/upload"),
        ("get", "/org/birke-ggmbh/files/" + "0" * 64 + ".pdf"),
        ("post", "/org/birke-ggmbh/steps/cloud/1/tick"),
        ("post", "/org/birke-ggmbh/steps/cloud/1/done"),
        ("post", "/org/birke-ggmbh/evidence"),
        ("post", "/org/birke-ggmbh/values"),
        ("post", "/org/birke-ggmbh/upload"),
    ],
)
def test_an_owner_of_another_organisation_gets_403_and_nothing_changes(
    portal: PortalServer, method: str, path: str
) -> None:
    with portal.client("anna") as browser:
        token = csrf_of(browser.get("/org/ahorn-ev").text)
        before = portal.counts()
        data = {
            "csrf": token,
            "subtask": "1",
            "evidence_url": "https://x.example",
            "kind": "strategy_document",
            "reference": "x",
            "indicator": "geschulte",
            "period": current_half(portal.today),
            "value": "1",
            "source": "kennzahlen",
        }
        answer = browser.get(path) if method == "get" else browser.post(path, data=data)
        guessed = (
            browser.get(path.replace("birke-ggmbh", "gibt-es-nicht"))
            if method == "get"
            else browser.post(path.replace("birke-ggmbh", "gibt-es-nicht"), data=data)
        )
    assert answer.status_code == 403 and "Kein Zugriff" in answer.text
    assert guessed.status_code == 404
    assert portal.counts() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/"),
        ("get", "/org/ahorn-ev"),
        ("get", "/org/ahorn-ev/values"),
        ("get", "/org/ahorn-ev/upload"),
        ("get", "/org/ahorn-ev/files/" + "0" * 64 + ".pdf"),
        ("post", "/org/ahorn-ev/steps/cloud/1/tick"),
        ("post", "/org/ahorn-ev/steps/cloud/1/done"),
        ("post", "/org/ahorn-ev/evidence"),
        ("post", "/org/ahorn-ev/values"),
        ("post", "/org/ahorn-ev/upload"),
        ("post", "/sign-out"),
    ],
)
def test_anonymous_visitors_are_asked_to_sign_in_and_change_nothing(
    portal: PortalServer, method: str, path: str
) -> None:
    before = portal.counts()
    with portal.client() as browser:
        answer = browser.request(
            method.upper(), path, data={"subtask": "1", "kind": "strategy_document"}
        )
    assert answer.status_code == 401 and "Bitte melden Sie sich an" in answer.text
    assert portal.counts() == before


def test_the_lead_sees_every_organisation_and_acts_for_any(portal: PortalServer) -> None:
    with portal.client("leitung") as browser:
        home = browser.get("/")
        assert home.status_code == 200
        assert "Ahorn e. V." in home.text and "Birke gGmbH" in home.text
        token = csrf_of(browser.get("/org/birke-ggmbh").text)
        answer = browser.post(
            "/org/birke-ggmbh/evidence",
            data={"csrf": token, "kind": "strategy_document", "reference": "Ordner 3"},
        )
    assert answer.status_code == 303
    assert "leitung" in _audit_actors(portal, "evidence-recorded")


def test_a_person_without_organisation_sees_none(portal: PortalServer) -> None:
    with portal.client("gast") as browser:
        home = browser.get("/")
        assert home.status_code == 200 and "für keine Organisation" in home.text
        assert browser.get("/org/ahorn-ev").status_code == 403


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (200 * 1024 * 1024))
    return buffer.getvalue()


def test_the_hostile_corpus_gets_clear_german_messages_and_stores_nothing(
    portal: PortalServer,
) -> None:
    with portal.client("anna") as browser:
        overview = browser.get("/org/ahorn-ev").text
        token, step = csrf_of(overview), _open_step(overview)
        before = portal.counts()
        no_csrf = browser.post(
            "/org/ahorn-ev/evidence", data={"kind": "strategy_document", "reference": "x"}
        )
        wrong_csrf = browser.post(
            "/org/ahorn-ev/evidence",
            data={"csrf": "forged", "kind": "strategy_document", "reference": "x"},
        )
        bomb = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={"file": ("werte.xlsx", _zip_bomb(), "application/octet-stream")},
        )
        traversal = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={"file": ("../../etc/passwd.csv", b"Kennzahl;Wert\n", "text/csv")},
        )
        evidence_traversal = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": token},
            files={"evidence_file": ("..\\..\\x.pdf", b"%PDF-1.4", "application/pdf")},
        )
        disguised = browser.post(
            f"/org/ahorn-ev/steps/cloud/{step}/done",
            data={"csrf": token},
            files={"evidence_file": ("bericht.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        )
        oversized = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={"file": ("werte.csv", b"a;b\n" * (6 * 1024 * 1024), "text/csv")},
        )
        after = browser.get("/org/ahorn-ev")
    assert no_csrf.status_code == wrong_csrf.status_code == 400
    assert "Formular abgelaufen" in no_csrf.text
    assert bomb.status_code == 400 and "viel zu groß" in bomb.text
    assert traversal.status_code == 400 and "Dateiname" in traversal.text
    assert evidence_traversal.status_code == 400 and "Dateiname" in evidence_traversal.text
    assert disguised.status_code == 400 and "passt nicht zu ihrem Namen" in disguised.text
    assert oversized.status_code == 413 and "höchstens 20 MB" in oversized.text
    assert after.status_code == 200  # the portal still serves
    assert portal.counts() == before


def test_html_and_script_in_every_text_field_is_shown_escaped(portal: PortalServer) -> None:
    period = current_half(portal.today)
    with portal.client("anna") as browser:
        token = csrf_of(browser.get("/org/ahorn-ev").text)
        browser.post(
            "/org/ahorn-ev/evidence",
            data={"csrf": token, "kind": "strategy_document", "reference": HOSTILE},
        )
        value = browser.post(
            "/org/ahorn-ev/values",
            data={
                "csrf": token,
                "indicator": "geschulte",
                "period": period,
                "value": HOSTILE,
                "note": HOSTILE,
            },
        )
        upload = browser.post(
            "/org/ahorn-ev/upload",
            data={"csrf": token, "source": "kennzahlen"},
            files={
                "file": (
                    "werte.csv",
                    f"Kennzahl;Träger;Zeitraum;Wert\nteilnahmen;ahorn-ev;{period};{HOSTILE}\n".encode(),
                    "text/csv",
                )
            },
        )
        overview = browser.get("/org/ahorn-ev").text
        hostile_link = f'https://example.org/"><script>alert(1)</script>{HOSTILE}'
        step_done = browser.post(
            f"/org/ahorn-ev/steps/cloud/{_open_step(overview)}/done",
            data={"csrf": token, "evidence_url": hostile_link.replace(" ", "")},
        )
        page = browser.get("/org/ahorn-ev")
        signin = browser.get(f"/sign-in/{HOSTILE}")
        deep = browser.get(f"/sign-in/{portal.link('anna')}", params={"next": f"/{HOSTILE}"})
    assert step_done.status_code == 303  # a link without spaces is taken, and shown escaped
    for answer in (value, upload, page, signin, deep):
        assert "<script" not in answer.text and "<img" not in answer.text
        assert answer.status_code < 500
    assert "&lt;script&gt;" in page.text
