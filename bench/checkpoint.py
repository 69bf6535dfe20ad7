"""Benchmark one full checkpoint under a real local Prefect server, against a naive flow.

Usage: python bench/checkpoint.py [--sizes 1000,10000] [--indicators 20] [--postgres]
       [--naive-organisations N]

Each size runs in a fresh subprocess (its peak memory is its own): it starts
`prefect server start` in a temporary PREFECT_HOME, writes a synthetic programme (YAML) with a
German CSV source, runs the checkpoint flow (collect -> evaluate -> decide -> publish
artifacts and report), then a naive flow with one task per organisation x indicator.
`--postgres` puts the steering store and the Prefect server on the machine's PostgreSQL
(BENCH_POSTGRES, default postgresql://postgres@127.0.0.1:5432), each in a fresh database that
is dropped afterwards. The last line is one JSON object with the figures of all sizes and how
seconds per value grow from the first size to the last.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(1, str(ROOT))  # flows/ is not installed

from synthetic import growth  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


@contextmanager
def _fresh_database(name: str) -> Iterator[str]:
    """Create an empty PostgreSQL database, yield its name, drop it afterwards."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_bytes(name: str) -> int:
    """Bytes the database takes on disk."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        row = admin.execute("SELECT pg_database_size(%s)", (name,)).fetchone()
    assert row is not None
    return int(row[0])


def _db_bytes(home: Path, postgres: str | None = None) -> int:
    """Bytes in use in Prefect's database after folding the WAL in (not the WAL's size)."""
    import sqlite3

    if postgres:
        return _postgres_bytes(postgres)

    with sqlite3.connect(home / "prefect.db", timeout=30) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def _delivered() -> None:
    """Wait until the run's queued events and logs have reached the server."""
    # Both flows hand events and logs to background workers; a run is only done for the
    # server once they arrived, and the naive flow queues thousands of them.
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    EventsWorker.drain_all(at_exit=False)
    APILogWorker.drain_all(at_exit=False)


class _RssSampler:
    """Samples the process's resident memory every 50 ms (to tell each step's peak)."""

    def __init__(self) -> None:
        import threading

        self.samples: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")  # MiB below, as ru_maxrss / 1024
        while not self._stop.is_set():
            with open("/proc/self/statm") as statm:
                resident = int(statm.read().split()[1]) * page / 2**20
            self.samples.append((time.time(), resident))
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, start: float, end: float) -> float:
        """The highest sample while a step ran (or the last one before it ended)."""
        inside = [mb for at, mb in self.samples if start <= at <= end]
        before = [mb for at, mb in self.samples if at <= end][-1:]
        return round(max(inside or before or [0.0]), 1)


def _steps(flow_run_id: object, sampler: _RssSampler) -> list[dict[str, object]]:
    """Each task run of the flow run: seconds and the process's peak memory meanwhile."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    steps = []
    for run in sorted(runs, key=lambda r: r.start_time or r.expected_start_time):
        if run.start_time is None or run.end_time is None:
            continue
        start, end = run.start_time.timestamp(), run.end_time.timestamp()
        steps.append(
            {
                "step": run.name.rsplit("-", 1)[0],
                "seconds": round(end - start, 2),
                "peak_rss_mb": sampler.peak(start, end),
            }
        )
    return steps


def _write_programme(folder: Path, organisations: int, indicators: int) -> Path:
    from synthetic import synthetic_definition, synthetic_measurements

    definition = synthetic_definition(organisations, indicators, 6)
    frame = synthetic_measurements(definition)
    csv = folder / "kennzahlen.csv"
    german = frame.assign(value=frame["value"].map(lambda v: f"{v:.2f}".replace(".", ",")))
    german.to_csv(
        csv,
        sep=";",
        index=False,
        header=["Kennzahl", "Träger", "Zeitraum", "Wert"],
        encoding="utf-8",
    )
    data = definition.model_dump(mode="json", exclude_defaults=True)
    data["sources"] = [
        {
            "kind": "table",
            "key": "kennzahlen",
            "path": "kennzahlen.csv",
            "columns": {
                "indicator": "Kennzahl",
                "organisation": "Träger",
                "period": "Zeitraum",
                "value": "Wert",
            },
        }
    ]
    for indicator in data["indicators"]:
        indicator["source"] = "kennzahlen"
    config = folder / "programme.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config


def _one(organisations: int, indicators: int, naive_orgs: int, postgres: bool) -> dict[str, Any]:
    """Run the checkpoint and the naive flow once; return the figures."""
    work = Path(tempfile.mkdtemp(prefix="bench-checkpoint-"))
    home = work / "prefect-home"
    home.mkdir()
    from flows.local_server import prefect_server_process

    with ExitStack() as stack:
        server_env: dict[str, str] = {}
        prefect_db = None
        if postgres:
            suffix = f"{os.getpid()}"
            store_db = stack.enter_context(_fresh_database(f"bench_store_{suffix}"))
            prefect_db = stack.enter_context(_fresh_database(f"bench_prefect_{suffix}"))
            host = POSTGRES.split("://", 1)[1]
            os.environ["STEERING_DATABASE_URL"] = f"postgresql+psycopg://{host}/{store_db}"
            server_env["PREFECT_API_DATABASE_CONNECTION_URL"] = (
                f"postgresql+asyncpg://{host}/{prefect_db}"
            )
        url = stack.enter_context(prefect_server_process(home, env=server_env))
        os.environ.update(
            {
                "PREFECT_HOME": str(home),
                "PREFECT_API_URL": url,
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_LOGGING_LEVEL": os.environ.get("BENCH_LOG", "WARNING"),
                "STEERING_DATA_DIR": str(work / "data"),
            }
        )
        # In a process of its own: a worker running the checkpoint never made the data, so
        # the memory generating and writing it must not count as the checkpoint's.
        writer = [sys.executable, __file__, "--write", str(organisations), str(work)]
        subprocess.run([*writer, "--indicators", str(indicators)], check=True)
        config = work / "programme.yaml"
        from naive import naive_checkpoint

        from flows import common
        from flows.checkpoint import checkpoint

        common.wiring()  # migrate the steering store before timing
        period = common.definition(str(config)).period_ids()[-1]
        time.sleep(2)  # let the server settle its own start-up writes
        db_before = _db_bytes(home, prefect_db)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sampler = _RssSampler()
        start = time.perf_counter()
        state = checkpoint(config=str(config), period=period, return_state=True)
        flow_seconds = time.perf_counter() - start
        _delivered()
        checkpoint_seconds = time.perf_counter() - start
        sampler.stop()
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = state.result()
        steps = _steps(state.state_details.flow_run_id, sampler)
        time.sleep(3)  # events are written asynchronously by the server
        db_growth = _db_bytes(home, prefect_db) - db_before

        start = time.perf_counter()
        naive_tasks = naive_checkpoint(config=str(config), period=period, organisations=naive_orgs)
        _delivered()
        naive_seconds = time.perf_counter() - start
        naive_full = naive_seconds * organisations / naive_orgs
        if os.environ.get("BENCH_KEEP"):
            print(f"kept: {work}", file=sys.stderr)
    return {
        "organisations": organisations,
        "indicators": indicators,
        "values": organisations * indicators * 6,
        "lights": result["lights"],
        "checkpoint_seconds": round(checkpoint_seconds, 2),
        "flow_seconds": round(flow_seconds, 2),
        "naive_seconds": round(naive_full, 2),
        "naive_tasks": naive_tasks,
        "naive_measured_organisations": naive_orgs,
        "speedup": round(naive_full / checkpoint_seconds, 1),
        "peak_rss_mb": round(peak_rss, 1),
        "rss_before_mb": round(rss_before, 1),
        "prefect_db_growth_mb": round(db_growth / 1e6, 2),
        "steps": steps,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    """Run every size in a subprocess and print a line each plus one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--organisations", type=int, help="one size only (as --sizes N)")
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--naive-organisations", type=int, default=None)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write is not None:
        _write_programme(Path(args.write[1]), int(args.write[0]), args.indicators)
        return
    if args.one is not None:
        # The naive flow is measured on a sample and scaled linearly (it is linear: one task
        # per value); a full run of 20,000 tasks takes minutes and floods the server.
        naive = args.naive_organisations or min(args.one, 50)
        print(json.dumps(_one(args.one, args.indicators, naive, args.postgres)))
        return
    sizes = [args.organisations] if args.organisations else [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--indicators",
            str(args.indicators),
        ]
        if args.naive_organisations:
            command += ["--naive-organisations", str(args.naive_organisations)]
        if args.postgres:
            command.append("--postgres")
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(
            f"N={size:>6}: checkpoint {figures['checkpoint_seconds']:.2f} s "
            f"(flow {figures['flow_seconds']:.2f} s), lights {figures['lights']}, "
            f"naive {figures['naive_seconds']:.1f} s (x{figures['speedup']}), "
            f"Prefect DB +{figures['prefect_db_growth_mb']:.2f} MB, "
            f"peak RSS {figures['peak_rss_mb']:.0f} MB, load {figures['load_average_1min']}"
        )
        for step in figures["steps"]:
            print(
                f"    {step['step']}: {step['seconds']:.2f} s, "
                f"peak RSS {step['peak_rss_mb']:.0f} MB"
            )
    print(
        json.dumps(
            {
                "benchmark": "checkpoint",
                "store": "postgresql" if args.postgres else "sqlite",
                "results": results,
                **growth(results, "checkpoint_seconds", "peak_rss_mb"),
            }
        )
    )


if __name__ == "__main__":
    main()
