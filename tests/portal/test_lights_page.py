"""The organisation page shows the latest checkpoint's lights with their reasons."""

from __future__ import annotations

from clock import instant
from portal_server import PortalServer, csrf_of, current_half

from steering.adapters.config import load_definition
from steering.services.checkpoints import run_checkpoint


def test_a_value_entered_in_the_portal_shows_as_a_light_with_its_reason_after_the_checkpoint(
    portal: PortalServer,
) -> None:
    period = current_half(portal.today)
    with portal.client("anna") as browser:
        token = csrf_of(browser.get("/org/ahorn-ev/values").text)
        saved = browser.post(
            "/org/ahorn-ev/values",
            data={"csrf": token, "indicator": "geschulte", "period": period, "value": "4"},
        )
        assert saved.status_code == 303
        before = browser.get("/org/ahorn-ev").text
        definition = load_definition(portal.config)
        run_checkpoint(
            definition, uow=portal.wiring.uow(), period=period, now=instant(portal.today)
        )
        after = browser.get("/org/ahorn-ev").text
    assert "Es wurde noch kein Checkpoint ausgewertet" in before
    assert f"Ampeln · {period}" in after
    assert "rot" in after and "Geschulte Mitarbeitende" in after  # the reason names the indicator
    assert "Entscheidung der Steuerung:" in after
