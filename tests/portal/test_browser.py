"""The portal in Debian's Chromium: sign in, tick a sub-task, mark a step done with a link."""

from __future__ import annotations

from paths import CHROMIUM, needs_chromium
from portal_server import PortalServer

pytestmark = needs_chromium


def test_a_participant_signs_in_ticks_a_sub_task_and_marks_a_step_done(
    portal: PortalServer,
) -> None:
    from playwright.sync_api import sync_playwright

    link = f"{portal.url}/sign-in/{portal.link('anna')}?next=/org/ahorn-ev"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(link)
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_url(f"{portal.url}/org/ahorn-ev")
            step = page.locator("#step-cloud-1")
            if step.locator("text=✓ erledigt").count():  # an earlier test completed it
                step = page.locator(".step.open").first
            step_id = step.get_attribute("id") or ""
            step.get_by_role("button", name="Abhaken").first.click()
            page.wait_for_load_state()
            assert "Teilaufgabe abgehakt" in page.content()
            step = page.locator(f"#{step_id}")
            step.locator("input[name=evidence_url]").fill("https://wiki.example.org/browser")
            step.get_by_role("button", name="als erledigt melden").click()
            page.wait_for_load_state()
            assert "Schritt als erledigt gemeldet" in page.content()
            assert "✓ erledigt" in page.locator(f"#{step_id}").inner_text()
        finally:
            browser.close()
