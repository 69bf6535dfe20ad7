"""Benchmark the peak memory of importing a valid German CSV into a SQLite store.

Usage: python bench/import_memory.py [--megabytes 50]
The file (Kennzahl;Träger;Zeitraum;Wert;Bemerkung, decimal commas) and the store live in a
temporary directory; the import runs in a fresh subprocess so its peak RSS is its own. The
last line is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

INDICATORS, PERIODS = 20, 10
HEADER = "Kennzahl;Träger;Zeitraum;Wert;Bemerkung\n"


def _definition(organisations: int) -> Any:
    from synthetic import synthetic_definition

    from steering.domain.definition import ProgrammeDefinition

    base = synthetic_definition(organisations, INDICATORS, PERIODS)
    data = base.model_dump(mode="json", exclude_none=True)
    columns = {
        "indicator": "Kennzahl",
        "organisation": "Träger",
        "period": "Zeitraum",
        "value": "Wert",
        "note": "Bemerkung",
    }
    data["sources"] = [{"key": "kennzahlen", "kind": "table", "columns": columns}]
    return ProgrammeDefinition.model_validate(data)


def _organisations_for(megabytes: float) -> int:
    # A row is about 40 bytes ('ind-007;org-01234;2. HJ 2019;12,3456;geprüft\n').
    return max(1, round(megabytes * 1024 * 1024 / 40 / (INDICATORS * PERIODS)))


def _write_csv(path: Path, organisations: int) -> int:
    halves = [f"{1 + p % 2}. HJ {2018 + p // 2}" for p in range(PERIODS)]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for org in range(organisations):
            lines = [
                f"ind-{k:03d};org-{org:05d};{half};"
                + f"{10 + (org * 7 + k * 3 + p) % 60 / 10:.4f}".replace(".", ",")
                + (";geprüft\n" if (org + k + p) % 5 == 0 else ";\n")
                for k in range(INDICATORS)
                for p, half in enumerate(halves)
            ]
            out.writelines(lines)
            rows += len(lines)
    return rows


def _child(folder: Path, organisations: int) -> None:
    from datetime import UTC, datetime

    from steering.adapters.db.engine import make_engine
    from steering.adapters.db.migrate import upgrade
    from steering.adapters.db.uow import SqlUnitOfWork
    from steering.bootstrap import indicator_sources
    from steering.services.importing import import_source

    url = f"sqlite:///{folder / 'steering.sqlite'}"
    upgrade(url)
    definition = _definition(organisations)
    engine = make_engine(url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    outcome = import_source(
        definition,
        folder / "programme.yaml",
        source_key="kennzahlen",
        sources=indicator_sources(),
        path=folder / "kennzahlen.csv",
        uow=SqlUnitOfWork.for_engine(engine),
        now=datetime(2020, 1, 15, 6, 0, tzinfo=UTC),
        actor="bench",
    )
    seconds = time.perf_counter() - start
    figures = {
        "rows": outcome.rows,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(figures))


def main() -> None:
    """Generate the file, import it in a subprocess, print the figures as JSON last."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=50.0)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--organisations", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.organisations)
        return
    organisations = _organisations_for(args.megabytes)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = _write_csv(folder / "kennzahlen.csv", organisations)
        size = (folder / "kennzahlen.csv").stat().st_size / 1024 / 1024
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(folder),
                "--organisations",
                str(organisations),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(done.stderr)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["rows"] != rows:
        raise SystemExit(f"imported {figures['rows']} of {rows} rows")
    result = {"file_mb": round(size, 1), "organisations": organisations, **figures}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
