"""Messages lead into the portal: each line signs its reader in at its item; Prefect: lead."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import unquote

from clock import instant
from portal_server import PortalServer, csrf_of

from steering.adapters.config import load_definition
from steering.domain.notifications.digest import Digest
from steering.domain.notifications.notices import Notice, NoticeKind
from steering.services.notification_texts import render_digest
from steering.services.portal_links import portal_links

UI = "http://prefect.example"
LINK = re.compile(r"http://127\.0\.0\.1:\d+/sign-in/[^\s\"<]+")


def _step_notice(organisation: str, flow_run: str) -> Notice:
    facts = {
        "step": 2,
        "title": "Cloud-Dienste auswählen",
        "driver": "cloud",
        "due": "2026-12-01",
        "days": 2,
        "flow_run_id": flow_run,
    }
    return Notice(NoticeKind.STEP_DUE, organisation, "step:cloud:2", "2026-11-29", facts)


def _missing_notice(organisation: str) -> Notice:
    facts = {"indicators": ["Geschulte"], "period": "2026-H2", "period_end": "2026-12-31"}
    facts["offset"] = -2
    return Notice(NoticeKind.DATA_MISSING, organisation, "data:2026-H2", "2026-11-29", facts)


def _message(portal: PortalServer, person: str, *notices: Notice) -> str:
    definition = load_definition(portal.config)
    links = portal_links(
        definition,
        portal.url,
        store=portal.wiring.access,
        uow_factory=portal.wiring.uow,
        now=instant(portal.today),
    )
    message = render_digest(definition, Digest(person, notices), ui_url=UI, portal=links)
    return message.text


def test_each_line_of_an_owners_digest_signs_in_once_and_leads_to_its_item(
    portal: PortalServer,
) -> None:
    text = _message(portal, "anna", _step_notice("ahorn-ev", "run-1"), _missing_notice("ahorn-ev"))
    links = LINK.findall(text)
    targets = [unquote(link.partition("?next=")[2]) for link in links]
    assert "/org/ahorn-ev#step-cloud-2" in targets and "/org/ahorn-ev/values" in targets
    assert len({link.partition("?")[0] for link in links}) == 1  # one sign-in token per message
    assert UI not in text  # the Prefect UI is the lead's, no use to an owner
    with portal.client() as browser:
        step_link, values_link = (
            next(link for link in links if target in unquote(link))
            for target in ("#step-cloud-2", "/values")
        )
        shown = browser.get(step_link.removeprefix(portal.url))
        assert shown.status_code == 200 and "Anmelden" in shown.text
        path, _, query = step_link.removeprefix(portal.url).partition("?next=")
        signed_in = browser.post(path, data={"csrf": csrf_of(shown.text), "next": unquote(query)})
        assert signed_in.headers["location"] == "/org/ahorn-ev#step-cloud-2"
        # The message's other links lead the signed-in reader on; the used link stays used.
        again = browser.get(values_link.removeprefix(portal.url))
        assert (again.status_code, again.headers["location"]) == (303, "/org/ahorn-ev/values")
    with portal.client() as stranger:
        assert stranger.get(values_link.removeprefix(portal.url)).status_code == 400
    with sqlite3.connect(portal.database) as connection:
        actors = connection.execute(
            "SELECT actor FROM audit_log WHERE action = 'portal-link-issued'"
        ).fetchall()
    assert ("notify",) in actors


def test_the_lead_also_gets_the_prefect_run_and_an_entry_link_to_the_portal(
    portal: PortalServer,
) -> None:
    text = _message(portal, "leitung", _step_notice("ahorn-ev", "run-7"))
    assert f"{UI}/runs/flow-run/run-7" in text and f"{UI}/artifacts" in text
    assert any(
        link.endswith("#step-cloud-2") or "%23step-cloud-2" in link for link in LINK.findall(text)
    )
