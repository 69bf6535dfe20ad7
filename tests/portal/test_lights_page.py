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


def test_the_page_reads_one_organisations_lights_and_decisions_as_the_whole_checkpoint_has_them(
    portal: PortalServer,
) -> None:
    definition = load_definition(portal.config)
    period = current_half(portal.today)
    run_checkpoint(definition, uow=portal.wiring.uow(), period=period, now=instant(portal.today))
    with portal.wiring.uow() as uow:
        latest = uow.repo.latest_checkpoint(definition.programme.id)
        assert latest is not None
        every = uow.repo.lights_frame(latest.id)
        mine = uow.repo.lights_frame(latest.id, organisation="ahorn-ev")
        all_decisions = uow.repo.decisions(latest.id)
        my_decisions = uow.repo.decisions(latest.id, organisation="ahorn-ev")
        expected = [(d.scope_key, d.decision) for d in all_decisions if d.scope_key == "ahorn-ev"]
        got = [(d.scope_key, d.decision) for d in my_decisions]
    assert set(every["organisation"]) > {"ahorn-ev"}  # others have lights too
    assert not mine.empty and set(mine["organisation"]) == {"ahorn-ev"}
    ahorn = every[every["organisation"] == "ahorn-ev"].sort_values("dimension")
    assert mine.sort_values("dimension").reset_index(drop=True).equals(ahorn.reset_index(drop=True))
    assert got and got == expected
