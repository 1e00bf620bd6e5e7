"""Time relabelling the whole MedCalc-Bench v1.0 test file (1,047 rows) on one core.

Usage: ``python benchmarks/relabel.py [CSV] [--repeat N]``; prints best-of-N wall time.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ehrmind_rewards.tasks.medcalc.bench.relabel import Summary, read_benchmark_csv, relabel_rows

DEFAULT = Path(__file__).resolve().parents[1] / "tests/data/medcalc_bench/v1.0/test_data.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _, rows = read_benchmark_csv(args.csv)
    list(relabel_rows(rows[:50]))  # import and registry warm-up
    times = []
    for _ in range(args.repeat):
        summary = Summary()
        start = time.perf_counter()
        list(relabel_rows(rows, summary))
        times.append(time.perf_counter() - start)
    counts = summary.table().splitlines()[-1]
    print(
        f"rows: {len(rows)}  best: {min(times):.3f} s  "
        f"median: {sorted(times)[len(times) // 2]:.3f} s"
    )
    print(f"per row: {min(times) / len(rows) * 1e6:.0f} µs   ({counts.strip()})")


if __name__ == "__main__":
    main()
