"""The lead downloads the Sachbericht and the checkpoint report over HTTP; owners may not."""

from __future__ import annotations

import io
import zipfile

import pytest
from clock import instant
from portal_server import PortalServer, current_half

from steering.adapters.config import load_definition
from steering.services.checkpoints import run_checkpoint
from steering.services.report_downloads import link_target
from steering.services.reports import write_report


@pytest.fixture(scope="module")
def period(portal: PortalServer) -> str:
    """A checkpoint of the current half-year has run and written its report."""
    definition = load_definition(portal.config)
    half = current_half(portal.today)
    run_checkpoint(definition, uow=portal.wiring.uow(), period=half, now=instant(portal.today))
    write_report(portal.wiring.settings.data_dir, "portal-test", half, "# Checkpoint\n\nAmpeln")
    return half


def test_the_lead_downloads_the_sachbericht_as_html_xlsx_and_csv(
    portal: PortalServer, period: str
) -> None:
    with portal.client("leitung") as lead:
        overview = lead.get("/")
        html = lead.get(f"/reports/{period}/sachbericht.html")
        xlsx = lead.get(f"/reports/{period}/sachbericht.xlsx")
        csv = lead.get(f"/reports/{period}/sachbericht.csv")
        report = lead.get(f"/reports/{period}/checkpoint.md")
    assert f'href="/reports/{period}/sachbericht.xlsx"' in overview.text
    assert html.status_code == 200 and "Portal-Testprogramm" in html.text
    assert html.headers["content-disposition"].startswith("attachment;")
    assert xlsx.status_code == 200 and zipfile.is_zipfile(io.BytesIO(xlsx.content))
    parts = zipfile.ZipFile(io.BytesIO(csv.content)).namelist()
    assert csv.status_code == 200 and parts and all(name.endswith(".csv") for name in parts)
    assert report.status_code == 200 and "Ampeln" in report.text


def test_owners_get_403_and_unknown_reports_a_clear_404(portal: PortalServer, period: str) -> None:
    with portal.client("anna") as owner:
        for name in ("sachbericht.html", "sachbericht.xlsx", "sachbericht.csv", "checkpoint.md"):
            assert owner.get(f"/reports/{period}/{name}").status_code == 403
    with portal.client("leitung") as lead:
        assert lead.get("/reports/1999-H1/sachbericht.html").status_code == 404
        assert lead.get(f"/reports/{period}/..%2F..%2Fsteering.sqlite").status_code == 404
        assert lead.get(f"/reports/{period}/sachbericht.exe").status_code == 404
    with portal.client() as stranger:
        assert stranger.get(f"/reports/{period}/sachbericht.html").status_code == 401


def test_report_links_point_into_the_portal_when_it_has_an_address(tmp_path: object) -> None:
    from pathlib import Path

    file = Path(str(tmp_path)) / "bericht.md"
    assert link_target("https://portal.example.org/", "2026-H2", "checkpoint.md", file) == (
        "https://portal.example.org/reports/2026-H2/checkpoint.md"
    )
    assert link_target(None, "2026-H2", "checkpoint.md", file) == file.resolve().as_uri()
