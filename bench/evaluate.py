"""Benchmark the evaluation core: values evaluated per second and peak memory.

Usage: python bench/evaluate.py [--sizes 1000,10000] [--indicators 20] [--periods 6]
Each size runs in a fresh subprocess so its peak memory is its own. The evaluation keeps
reasons columnar; building every light's reasons dict (what the store needs) is timed apart.
The last line is one JSON object with all figures and how seconds per value grow from the
first size to the last.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import growth


def _one(organisations: int, indicators: int, periods: int) -> dict[str, float]:
    from synthetic import synthetic_definition, synthetic_measurements

    from steering.domain.evaluation.evaluate import evaluate
    from steering.domain.evaluation.lights import empty_state

    definition = synthetic_definition(organisations, indicators, periods)
    measurements = synthetic_measurements(definition)
    orgs = [o.id for o in definition.organisations]
    last = definition.period_ids()[-1]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        result = evaluate(
            definition, measurements, period=last, previous=empty_state(), organisations=orgs
        )
        best = min(best, time.perf_counter() - start)
        del result  # one evaluation alive at a time, as in a checkpoint
    rss_evaluate = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = evaluate(
        definition, measurements, period=last, previous=empty_state(), organisations=orgs
    )
    start = time.perf_counter()
    lights = result.lights  # every reasons dict, as the store writes them
    reasons_seconds = time.perf_counter() - start
    values = organisations * indicators * periods
    return {
        "organisations": organisations,
        "indicators": indicators,
        "periods": periods,
        "values": values,
        "seconds": round(best, 4),
        "values_per_second": round(values / best),
        "lights": len(lights),
        "peak_rss_evaluate_mb": round(rss_evaluate, 1),
        "reasons_seconds": round(reasons_seconds, 4),
        "peak_rss_with_reasons_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
        "rss_before_mb": round(rss_before, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    """Run every size in a subprocess and print a table plus one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--periods", type=int, default=6)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(_one(args.one, args.indicators, args.periods)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--indicators",
                str(args.indicators),
                "--periods",
                str(args.periods),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(figures)
        print(
            f"N={figures['organisations']:>6} values={figures['values']:>9} "
            f"time={figures['seconds']:.3f}s rate={figures['values_per_second']:>10,}/s "
            f"peak_rss={figures['peak_rss_evaluate_mb']} MB (before {figures['rss_before_mb']} MB) "
            f"reasons +{figures['reasons_seconds']:.3f}s "
            f"peak_rss_with_reasons={figures['peak_rss_with_reasons_mb']} MB "
            f"load={figures['load_average_1min']}"
        )
    summary = {
        "benchmark": "evaluate",
        "results": results,
        "min_values_per_second": min(r["values_per_second"] for r in results),
        **growth(results, "seconds", "peak_rss_evaluate_mb"),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
