"""The participant's journey in Debian's Chromium, from a digest on a loopback SMTP server to
the next checkpoint: tick, step done with a link, a bad and a good upload, one value - on a
SQLite file and on PostgreSQL."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from clock import instant
from loopback import MailServer
from paths import CHROMIUM, POSTGRES_ENV, POSTGRES_SKIP_REASON, needs_chromium
from pg_schema import fresh_schema
from portal_server import PortalServer, current_half, start_portal

from steering.adapters.config import load_definition
from steering.adapters.notify.apprise_sender import AppriseSender
from steering.domain.definition import ProgrammeDefinition
from steering.domain.notifications.calendar import WorkingCalendar
from steering.services.checkpoints import run_checkpoint
from steering.services.integration import ensure_integrations
from steering.services.notify import notify, reminder_notices
from steering.services.portal_links import portal_links

pytestmark = needs_chromium
STEP_LINK = re.compile(r'href="(http://127\.0\.0\.1:\d+/sign-in/[^"]+%23step-cloud-(\d+))"')


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store on each backend in turn; PostgreSQL gets a schema of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'steering.sqlite'}"
        return
    base_url = os.environ.get(POSTGRES_ENV)
    if not base_url:
        pytest.skip(POSTGRES_SKIP_REASON)
    with fresh_schema(base_url) as url:
        yield url


@pytest.fixture
def portal(tmp_path: Path, today: object, now: object, store_url: str) -> Iterator[PortalServer]:
    """A fresh portal whose steps were planned 60 days ago: a step reminder is due today."""
    from datetime import date

    assert isinstance(today, date)
    running, server, thread = start_portal(tmp_path, today, database_url=store_url)
    definition = load_definition(running.config)
    ensure_integrations(definition, uow=running.wiring.uow(), today=today - timedelta(days=60))
    yield running
    server.should_exit = True
    thread.join(timeout=10)
    # The portal's pool must not hold the schema open when the fixture drops it.
    running.wiring.engine.dispose()


def _notify(
    portal: PortalServer, definition: ProgrammeDefinition, mail: MailServer, days: int
) -> None:
    day = portal.today + timedelta(days=days)
    now = instant(day)
    notify(
        definition,
        reminder_notices(definition, uow=portal.wiring.uow(), today=day),
        uow_factory=portal.wiring.uow,
        leases_for=portal.wiring.outbox_leases,
        sender=AppriseSender(mail_url=mail.url()),
        now=now,
        ui_url=None,
        portal=portal_links(
            definition,
            portal.url,
            store=portal.wiring.access,
            uow_factory=portal.wiring.uow,
            now=now,
        ),
    )


def _to_working_day(today: date, state: str) -> int:
    """Days from `today` to the first working day in the federal state (0 if today is one)."""
    calendar = WorkingCalendar(state)
    days = 0
    while not calendar.is_working_day(today + timedelta(days=days)):
        days += 1
    return days


def _texts(mail: MailServer, address: str) -> list[str]:
    return [
        m.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
        for m in mail.by_recipient().get(address, [])
    ]


def test_from_a_digest_to_the_next_checkpoint_in_the_browser(
    portal: PortalServer, mail_server: MailServer, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    definition = load_definition(portal.config)
    period = current_half(portal.today)
    # Reminders stay quiet on weekends and public holidays: the digest comes on the next
    # working day of anna's organisation (Thuringia).
    _notify(portal, definition, mail_server, _to_working_day(portal.today, "TH"))
    digests = _texts(mail_server, "anna@example.org")
    assert len(digests) == 1, "anna gets one digest"
    found = STEP_LINK.search(digests[0])
    assert found, digests[0]
    link, step = found.group(1), int(found.group(2))
    head = "Kennzahl;Träger;Zeitraum;Wert\n"
    bad = tmp_path / "kennzahlen.csv"
    bad.write_text(f"{head}teilnahmen;ahorn-ev;{period};7\nteilnahmen;ahorn-ev;{period};sieben\n")
    good = tmp_path / "kennzahlen-korrigiert.csv"
    good.write_text(f"{head}teilnahmen;ahorn-ev;{period};7\n")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(link)
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_url(f"{portal.url}/org/ahorn-ev#step-cloud-{step}")
            item = page.locator(f"#step-cloud-{step}")
            item.get_by_role("button", name="Abhaken").first.click()
            page.wait_for_load_state()
            assert "Teilaufgabe abgehakt" in page.content()
            item = page.locator(f"#step-cloud-{step}")
            item.locator("input[name=evidence_url]").fill("https://wiki.example.org/journey")
            item.get_by_role("button", name="als erledigt melden").click()
            page.wait_for_load_state()
            assert "✓ erledigt" in page.locator(f"#step-cloud-{step}").inner_text()

            page.goto(f"{portal.url}/org/ahorn-ev/upload")
            page.locator("select[name=source]").select_option("kennzahlen")
            page.locator("input[name=file]").set_input_files(str(bad))
            page.get_by_role("button", name="Importieren").click()
            page.wait_for_load_state()
            errors = page.locator("table.errors tbody tr")
            assert errors.count() == 1 and "sieben" in errors.first.inner_text()
            assert errors.first.locator("td").first.inner_text() == "3"  # line 3 of the file
            page.locator("select[name=source]").select_option("kennzahlen")
            page.locator("input[name=file]").set_input_files(str(good))
            page.get_by_role("button", name="Importieren").click()
            page.wait_for_load_state()
            assert page.locator("table.errors").count() == 0

            page.goto(f"{portal.url}/org/ahorn-ev/values")
            page.locator("select[name=indicator]").select_option("geschulte")
            page.locator("select[name=period]").select_option(period)
            page.locator("input[name=value]").fill("12")
            page.get_by_role("button", name="Wert speichern").click()
            page.wait_for_load_state()
            assert "12" in page.locator("table").last.inner_text()
        finally:
            browser.close()

    # The next checkpoint uses the value entered: 12 trained people meet the minimum of 10.
    outcome = run_checkpoint(
        definition, uow=portal.wiring.uow(), period=period, now=instant(portal.today)
    )
    contributions = outcome.evaluation.contributions
    mine = contributions[
        (contributions["organisation"] == "ahorn-ev") & (contributions["indicator"] == "geschulte")
    ]
    assert list(mine["actual"]) == [12.0]
    # The reminder for the step done is not sent again (the next working days' runs).
    for days in (1, 2, 3, 4, 5, 6, 7):
        _notify(portal, definition, mail_server, days)
    later = _texts(mail_server, "anna@example.org")[1:]
    assert not any(f"%23step-cloud-{step}" in text for text in later)
    with portal.wiring.engine.connect() as connection:
        actors: dict[str, str] = dict(
            connection.execute(
                sa.text(
                    "SELECT action, min(actor) FROM audit_log WHERE actor = 'anna' GROUP BY action"
                )
            ).all()
        )
    assert {"subtask-ticked", "step-completed"} <= set(actors), actors
    assert len(actors) >= 4, actors  # the upload and the value too
