"""Benchmark the participant portal: 50 signed-in owners load it at once on loopback.

Usage: python bench/portal.py [--organisations 1000] [--indicators 20] [--clients 50]
       [--requests 2000] [--submit-share 0.3] [--think 0] [--postgres]

Writes a synthetic programme (one owner per organisation, manual organisation-scope
indicators, half-years around today) with its stored values, serves it with `steer portal`
(real uvicorn in a subprocess) over a SQLite file, or with `--postgres` over a fresh database
on the machine's PostgreSQL (dropped afterwards). Each client signs in as a different owner
through its own sign-in link (GET, then POST with CSRF), then the clients share a bounded
number of requests: organisation status pages (GET) and value submissions (POST with CSRF,
valid values for open periods). The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
OPTIONS = re.compile(r'<select name="(indicator|period)">(.*?)</select>', re.S)
VALUE = re.compile(r'<option value="([^"]+)"')


def _programme(organisations: int, indicators: int, today: date) -> dict[str, Any]:
    """The synthetic programme with one owner per organisation and values entered by hand."""
    from synthetic import synthetic_definition

    old = synthetic_definition(organisations, indicators, 6)
    shift = today.year - 1 - 2018  # the synthetic half-years begin in 2018
    text = json.dumps(old.model_dump(mode="json", exclude_defaults=True))
    # Period ids and their dates move together, in one pass so no year moves twice.
    text = re.sub(r"\b(2018|2019|2020)-", lambda m: f"{int(m.group(1)) + shift}-", text)
    data: dict[str, Any] = json.loads(text)
    for i, organisation in enumerate(data["organisations"]):
        data["people"].append(
            {"id": f"owner-{i:05d}", "name": f"Owner {i}", "email": f"o{i}@example.org"}
        )
        organisation["owners"] = [f"owner-{i:05d}"]
    data["sources"] = [{"key": "manuell", "kind": "manual"}]
    for indicator in data["indicators"]:
        indicator["source"] = "manuell"
    return data


def _seed(config: Path, today: date) -> None:
    """Store values for every organisation, indicator and past period (as after a year)."""
    from synthetic import synthetic_measurements

    from steering.adapters.config import load_definition
    from steering.bootstrap import Wiring
    from steering.settings import Settings

    definition = load_definition(config)
    wiring = Wiring(Settings())
    wiring.migrate()
    frame = synthetic_measurements(definition)
    started = [p.id for p in definition.programme.periods if p.start <= today]
    frame = frame[frame["period"].isin(started)]
    rows = (
        {
            "indicator": r.indicator,
            "organisation": r.organisation,
            "period": r.period,
            "value": float(r.value),
            "note": None,
        }
        for r in frame.itertuples(index=False)
    )
    with wiring.uow() as uow:
        uow.repo.add_measurements(
            definition.programme.id,
            rows,
            source_key="manuell",
            import_id=None,
            actor="bench",
            now=datetime.now(UTC),
        )
    # A checkpoint of the last ended period, so each page shows lights and decisions.
    from steering.services.checkpoints import run_checkpoint

    ended = [p.id for p in definition.programme.periods if p.end < today]
    run_checkpoint(definition, uow=wiring.uow(), period=ended[-1], now=datetime.now(UTC))


def _links(config: Path, people: list[str]) -> list[str]:
    """A fresh sign-in token for each person."""
    from steering.adapters.config import load_definition
    from steering.bootstrap import Wiring
    from steering.services.portal_access import issue_link
    from steering.settings import Settings

    definition = load_definition(config)
    wiring = Wiring(Settings())
    now = datetime.now(UTC)
    return [
        issue_link(definition, p, store=wiring.access, uow=wiring.uow(), now=now, actor="bench")
        for p in people
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _portal(config: Path, log: Path) -> Iterator[str]:
    """`steer portal CONFIG` in a subprocess, until it answers."""
    port = _free_port()
    steer = Path(sys.executable).with_name("steer")
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(steer), "portal", str(config), "--port", str(port)], stdout=out, stderr=out
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    httpx.get(url + "/", timeout=2)
                    break
                except httpx.TransportError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"portal did not start, see {log}") from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            process.wait(30)


@contextmanager
def _postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL, dropped afterwards."""
    import sqlalchemy as sa

    name = f"bench_portal_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    if not found:
        raise RuntimeError("page has no CSRF token")
    return found.group(1)


class Client:
    """One owner's browser: signed in, with the choices of their value form."""

    def __init__(self, http: httpx.AsyncClient, org: str) -> None:
        self.http, self.org = http, org
        self.csrf = ""
        self.choices: dict[str, list[str]] = {}

    async def sign_in(self, token: str) -> None:
        shown = await self.http.get(f"/sign-in/{token}")
        done = await self.http.post(
            f"/sign-in/{token}", data={"csrf": _csrf(shown.text), "next": ""}
        )
        if done.status_code != 303:
            raise RuntimeError(f"sign-in failed: {done.status_code}")
        form = await self.http.get(f"/org/{self.org}/values")
        self.csrf = _csrf(form.text)
        self.choices = {k: VALUE.findall(v) for k, v in OPTIONS.findall(form.text)}

    async def page(self) -> float:
        started = time.perf_counter()
        answer = await self.http.get(f"/org/{self.org}")
        elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise RuntimeError(f"page {self.org}: {answer.status_code}")
        return elapsed

    async def submit(self, rng: random.Random) -> float:
        data = {
            "csrf": self.csrf,
            "indicator": rng.choice(self.choices["indicator"]),
            "period": rng.choice(self.choices["period"]),
            "value": f"{rng.uniform(10, 15):.2f}".replace(".", ","),
            "note": "",
        }
        started = time.perf_counter()
        answer = await self.http.post(f"/org/{self.org}/values", data=data)
        elapsed = time.perf_counter() - started
        if answer.status_code != 303:
            raise RuntimeError(f"submit {self.org}: {answer.status_code} {answer.text[:300]}")
        return elapsed


async def _load(
    url: str, tokens: list[str], orgs: list[str], requests: int, share: float, think: float
) -> dict[str, Any]:
    """Sign every client in, then share `requests` requests out among them.

    With `think` > 0 each client pauses a random time (exponential, that mean in seconds)
    before each request, as people read a page; with 0 the clients never pause."""
    limits = httpx.Limits(max_connections=1)
    https = [
        httpx.AsyncClient(base_url=url, timeout=120, follow_redirects=False, limits=limits)
        for _ in tokens
    ]
    clients = [Client(h, o) for h, o in zip(https, orgs, strict=True)]
    await asyncio.gather(*(c.sign_in(t) for c, t in zip(clients, tokens, strict=True)))
    plan = ["submit" if random.Random(n).random() < share else "page" for n in range(requests)]
    queue: asyncio.Queue[str] = asyncio.Queue()
    for kind in plan:
        queue.put_nowait(kind)
    times: dict[str, list[float]] = {"page": [], "submit": []}

    async def work(client: Client, seed: int) -> None:
        rng = random.Random(seed)
        while not queue.empty():
            kind = queue.get_nowait()
            if think > 0:
                await asyncio.sleep(rng.expovariate(1 / think))
            took = await (client.page() if kind == "page" else client.submit(rng))
            times[kind].append(took)

    started = time.perf_counter()
    await asyncio.gather(*(work(c, n) for n, c in enumerate(clients)))
    wall = time.perf_counter() - started
    for h in https:
        await h.aclose()
    return {"wall": wall, "times": times}


def _figures(times: list[float]) -> dict[str, float | int]:
    if not times:
        return {"n": 0}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "n": len(times),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def main() -> None:
    """Build the programme, serve it, load it and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--submit-share", type=float, default=0.3)
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    today = date.today()  # an entry point: the one place that reads the real date
    work = Path(tempfile.mkdtemp(prefix="bench-portal-"))
    data = _programme(args.organisations, args.indicators, today)
    config = work / "programme.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    os.environ["STEERING_DATA_DIR"] = str(work / "data")
    os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
    rng = random.Random(13)
    chosen = sorted(rng.sample(range(args.organisations), args.clients))
    orgs = [data["organisations"][i]["id"] for i in chosen]
    people = [data["organisations"][i]["owners"][0] for i in chosen]
    with _postgres_database() if args.postgres else _nothing() as database:
        if database:
            os.environ["STEERING_DATABASE_URL"] = database
        seeding = time.perf_counter()
        _seed(config, today)
        seeded = time.perf_counter() - seeding
        tokens = _links(config, people)
        with _portal(config, work / "portal.log") as url:
            result = asyncio.run(
                _load(url, tokens, orgs, args.requests, args.submit_share, args.think)
            )
    load = os.getloadavg()
    print(
        json.dumps(
            {
                "bench": "portal",
                "store": "postgresql" if args.postgres else "sqlite",
                "organisations": args.organisations,
                "indicators": args.indicators,
                "clients": args.clients,
                "requests": args.requests,
                "think_s": args.think,
                "seed_s": round(seeded, 1),
                "wall_s": round(result["wall"], 2),
                "throughput_rps": round(args.requests / result["wall"], 1),
                "page": _figures(result["times"]["page"]),
                "submit": _figures(result["times"]["submit"]),
                "loadavg": [round(x, 2) for x in load],
                "cpus": os.cpu_count(),
            }
        )
    )


@contextmanager
def _nothing() -> Iterator[str]:
    yield ""


if __name__ == "__main__":
    main()
