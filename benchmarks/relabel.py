"""Time relabelling the whole MedCalc-Bench v1.0 test file (1,047 rows), with and without
grounding every entity in its patient note, and reading hostile notes of growing size.

Usage: ``taskset -c 1 python benchmarks/relabel.py [CSV] [--repeat N]``. Prints CPU time
(``time.process_time``, best and median of N) for:

* relabelling from the entities alone (``ground_note=False``: what the benchmark itself does),
* relabelling with grounding (the default of ``ehrmind-rewards relabel``),
* grounding alone on hostile notes of 6,000 to 60,000 characters (digits, commas, brackets,
  negations, units; the reader is linear, so CPU time should grow about 10× over the range).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import calculators
from ehrmind_rewards.tasks.medcalc.bench.grounding import ground
from ehrmind_rewards.tasks.medcalc.bench.relabel import (
    Summary,
    read_benchmark_csv,
    relabel_rows,
)

DEFAULT = Path(__file__).resolve().parents[1] / "tests/data/medcalc_bench/v1.0/test_data.csv"
HOSTILE = "1,1.((((no no no ×10----μmol/L creatinine 1.4 mg/dL, denies fever, chills; "


def _cpu(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return times


def _show(label: str, times: list[float], rows: int) -> None:
    best = min(times)
    print(
        f"{label:<34} best {best:.3f} s  median {statistics.median(times):.3f} s  "
        f"({best / rows * 1e6:.0f} µs/row)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    _, rows = read_benchmark_csv(args.csv)
    list(relabel_rows(rows[:50]))  # imports, registry and pint factors warmed up

    print(f"rows: {len(rows)}  repeat: {args.repeat}  (CPU time)")
    plain = _cpu(lambda: list(relabel_rows(rows, ground_note=False)), args.repeat)
    _show("entities only (ground_note=False)", plain, len(rows))
    grounded = _cpu(lambda: list(relabel_rows(rows)), args.repeat)
    _show("with grounding (default)", grounded, len(rows))
    summary = Summary()
    list(relabel_rows(rows, summary))
    print("statuses:", dict(sorted(Counter(summary.totals).items())))

    sofa = calculators.get(43)
    entities = {
        "creatinine": [1.4, "mg/dL"],
        "Hypotension": True,
        "norEPINEPHrine": [0.1, "mcg/kg/min"],
    }
    for size in (6_000, 30_000, 60_000):
        note = (HOSTILE * (size // len(HOSTILE) + 1))[:size]
        times = _cpu(lambda note=note: ground(note, entities, sofa), args.repeat)
        print(f"hostile note {size:>6} chars: best {min(times) * 1e3:.1f} ms (CPU)")


if __name__ == "__main__":
    main()
