"""The period report as CSV files, one per part: German dialect or plain."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from steering.adapters.files.atomic import replacing
from steering.adapters.reports.safety import neutralise
from steering.adapters.reports.tables import parts
from steering.domain.reporting.period import PeriodReport


def _german(value: Any) -> Any:
    if isinstance(value, float):
        text = f"{value:.6f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    return value


def write_csv(report: PeriodReport, target: Path, *, dialect: str = "de") -> list[Path]:
    """One file per part, into the folder `target`, or as `r-<part>.csv` next to a `target` r.csv.

    German: ';', decimal comma, UTF-8 with BOM (Excel opens it right). Plain: ',', '.'.
    """
    if target.suffix.lower() == ".csv":  # a file name: its stem names the parts
        folder, stem = target.parent, target.stem
    else:
        folder, stem = target, f"{report.programme_id}-{report.period}"
    folder.mkdir(parents=True, exist_ok=True)
    german = dialect == "de"
    written = []
    for part in parts(report):
        path = folder / f"{stem}-{part.key}.csv"
        with (
            replacing(path) as temporary,
            temporary.open("w", encoding="utf-8-sig" if german else "utf-8", newline="") as out,
        ):
            writer = csv.writer(out, delimiter=";" if german else ",", lineterminator="\r\n")
            writer.writerow([neutralise(h) for h in part.header])
            for row in part.rows:
                cells = [neutralise(v) for v in row]
                writer.writerow([_german(v) for v in cells] if german else cells)
        written.append(path)
    return written
