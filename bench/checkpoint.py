"""Benchmark one full checkpoint under a real local Prefect server, against a naive flow.

Usage: python bench/checkpoint.py [--organisations 1000] [--indicators 20] [--naive-organisations N]

Starts `prefect server start` (SQLite) in a temporary PREFECT_HOME, writes a synthetic
programme (YAML) with a German CSV source, runs the checkpoint flow (collect -> evaluate ->
decide -> publish artifacts and report), then a naive flow with one task per organisation x
indicator. The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]


def _db_bytes(home: Path) -> int:
    """Bytes in use in Prefect's database after folding the WAL in (not the WAL's size)."""
    import sqlite3

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


def main() -> None:
    """Run both flows and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--naive-organisations", type=int, default=None)
    args = parser.parse_args()
    # The naive flow is measured on a sample and scaled linearly (it is linear: one task per
    # value); a full run of 20,000 tasks takes minutes and floods the server with events.
    naive_orgs = args.naive_organisations or min(args.organisations, 50)
    work = Path(tempfile.mkdtemp(prefix="bench-checkpoint-"))
    home = work / "prefect-home"
    home.mkdir()
    from flows.local_server import prefect_server_process

    with prefect_server_process(home) as url:
        os.environ.update(
            {
                "PREFECT_HOME": str(home),
                "PREFECT_API_URL": url,
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_LOGGING_LEVEL": os.environ.get("BENCH_LOG", "WARNING"),
                "STEERING_DATA_DIR": str(work / "data"),
            }
        )
        config = _write_programme(work, args.organisations, args.indicators)
        from naive import naive_checkpoint

        from flows import common
        from flows.checkpoint import checkpoint

        common.wiring()  # migrate the steering store before timing
        period = common.definition(str(config)).period_ids()[-1]
        time.sleep(2)  # let the server settle its own start-up writes
        db_before = _db_bytes(home)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        start = time.perf_counter()
        result = checkpoint(config=str(config), period=period)
        flow_seconds = time.perf_counter() - start
        _delivered()
        checkpoint_seconds = time.perf_counter() - start
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        time.sleep(3)  # events are written asynchronously by the server
        db_growth = _db_bytes(home) - db_before
        print(
            f"checkpoint: {checkpoint_seconds:.2f} s (flow {flow_seconds:.2f} s), "
            f"lights {result['lights']}, "
            f"Prefect DB +{db_growth / 1e6:.2f} MB, peak RSS {peak_rss:.0f} MB"
        )

        start = time.perf_counter()
        naive_tasks = naive_checkpoint(config=str(config), period=period, organisations=naive_orgs)
        _delivered()
        naive_seconds = time.perf_counter() - start
        scale = args.organisations / naive_orgs
        naive_full = naive_seconds * scale
        print(
            f"naive flow: {naive_tasks} tasks in {naive_seconds:.2f} s"
            + (f" (x{scale:g} = {naive_full:.1f} s for all)" if scale != 1 else "")
        )
        print(
            json.dumps(
                {
                    "benchmark": "checkpoint",
                    "organisations": args.organisations,
                    "indicators": args.indicators,
                    "checkpoint_seconds": round(checkpoint_seconds, 2),
                    "naive_seconds": round(naive_full, 2),
                    "naive_measured_organisations": naive_orgs,
                    "speedup": round(naive_full / checkpoint_seconds, 1),
                    "peak_rss_mb": round(peak_rss, 1),
                    "rss_before_mb": round(rss_before, 1),
                    "prefect_db_growth_mb": round(db_growth / 1e6, 2),
                }
            )
        )
        if os.environ.get("BENCH_KEEP"):
            print(f"kept: {work}")


if __name__ == "__main__":
    main()
