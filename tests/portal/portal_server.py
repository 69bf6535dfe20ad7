"""A real portal for tests: uvicorn on a loopback port over a store (a SQLite file unless a URL
is given), signed-in clients."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import uvicorn
from clock import instant
from loopback import free_port

from steering.bootstrap import Wiring
from steering.portal.app import create_app
from steering.services.portal_access import issue_link
from steering.settings import Settings

DEFINITION = """\
programme:
  id: portal-test
  title: "Portal-Testprogramm"
  lead: leitung
  periods: [{periods}]
people:
  - {{id: leitung, name: "Projektleitung", role: project_lead, email: leitung@example.org}}
  - {{id: anna, name: "Anna Ahorn", email: anna@example.org}}
  - {{id: bert, name: "Bert Birke", language: en, email: bert@example.org}}
  - {{id: gast, name: "Gast ohne Organisation", email: gast@example.org}}
organisations:
  - id: ahorn-ev
    name: "Ahorn e. V."
    state: TH
    experiment_fields: [verwaltung_4_0]
    owners: [anna]
    drivers: [cloud]
  - id: birke-ggmbh
    name: "Birke gGmbH"
    state: BY
    experiment_fields: [verwaltung_4_0]
    owners: [bert]
    drivers: [cloud]
sources:
  - {{key: manuell, kind: manual}}
  - key: kennzahlen
    kind: table
    title: "Kennzahlen (CSV)"
    columns: {{indicator: Kennzahl, organisation: Träger, period: Zeitraum, value: Wert}}
indicators:
  - key: geschulte
    title: "Geschulte Mitarbeitende"
    unit: Personen
    dimension: staff
    source: manuell
    targets: [{targets}]
  - key: zufriedenheit
    title: "Zufriedenheit"
    dimension: quality
    kind: score
    scale: [-2, 2]
    source: manuell
  - key: teilnahmen
    title: "Teilnahmen"
    dimension: staff
    source: kennzahlen
traffic_lights:
  - {{dimension: staff, green_within: 0.0, yellow_within: 0.2}}
"""


def half_years(day: date) -> list[str]:
    """The half-years of the year before, the year of and the year after `day`."""
    return [f"{year}-H{half}" for year in (day.year - 1, day.year, day.year + 1) for half in (1, 2)]


def definition_text(today: date) -> str:
    """The test programme with half-years around `today`, each asking for 10 trained people."""
    periods = half_years(today)
    targets = ", ".join(f"{{period: {p}, minimum: 10}}" for p in periods)
    return DEFINITION.format(periods=", ".join(periods), targets=targets)


def current_half(day: date) -> str:
    """The half-year `day` falls in."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


@dataclass
class PortalServer:
    """A running portal and what tests need to reach and inspect it."""

    url: str
    wiring: Wiring
    config: Path
    database: Path
    today: date

    def link(self, person: str) -> str:
        """A fresh sign-in token for the person."""
        from steering.adapters.config import load_definition

        definition = load_definition(self.config)
        return issue_link(
            definition,
            person,
            store=self.wiring.access,
            uow=self.wiring.uow(),
            now=instant(self.today),
            actor="test",
        )

    def count(self, table: str) -> int:
        """Rows in a table of the store."""
        with sqlite3.connect(self.database) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Rows of the tables participants change."""
        tables = [
            "step_progress",
            "subtask_status",
            "measurements",
            "imports",
            "evidence",
            "audit_log",
        ]
        return {table: self.count(table) for table in tables}

    @contextmanager
    def client(self, person: str | None = None) -> Iterator[httpx.Client]:
        """A client, signed in as the person when one is given."""
        with httpx.Client(base_url=self.url, follow_redirects=False, timeout=30) as client:
            if person is not None:
                assert sign_in(client, self.link(person)).status_code == 303
            yield client


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: httpx.Client, token: str, next_path: str = "") -> httpx.Response:
    """Open the sign-in link and press the button."""
    shown = client.get(f"/sign-in/{token}")
    assert shown.status_code == 200, shown.text
    return client.post(f"/sign-in/{token}", data={"csrf": csrf_of(shown.text), "next": next_path})


def _serve(app: object, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the portal did not start")
        time.sleep(0.05)
    return server, thread


def start_portal(
    folder: Path, today: date, *, sign_in_limit: int = 1000, database_url: str | None = None
) -> tuple[PortalServer, uvicorn.Server, threading.Thread]:
    """Write the definition, wire the store (a SQLite file in `folder` unless `database_url`
    is given) and serve the portal."""
    config = folder / "programm.yaml"
    config.write_text(definition_text(today), encoding="utf-8")
    database = folder / "steering.sqlite"
    settings = Settings(
        data_dir=folder,
        database_url=database_url or f"sqlite:///{database}",
        prefect_secrets=False,
    )
    wiring = Wiring(settings)
    app = create_app(config, wiring, sign_in_limit=sign_in_limit)
    port = free_port()
    server, thread = _serve(app, port)
    return PortalServer(f"http://127.0.0.1:{port}", wiring, config, database, today), server, thread
