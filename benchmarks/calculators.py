"""Benchmark the calculators: recompute MedCalc-Bench rows from entities, and batch formulas.

Usage: ``python benchmarks/calculators.py [--repeat 5] [--batch 100000]`` from the repository root.

1. Every MedCalc-Bench v1.0 test row of a registered calculator is recomputed from its "Relevant
   Entities" (reading, unit conversion, checking, computing and explaining). Imports (sympy,
   pint, numpy, pydantic) happen before timing. The first pass is reported separately: it builds
   the pint registry and the sympy expressions and lambdifies them (once per process). Later
   passes are the steady state.
2. A batch of patients is evaluated at once through the vectorised (numpy) form of several
   formulas, and checked against the scalar path.
"""

from __future__ import annotations

import argparse
import ast
import csv
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pint  # noqa: F401 - imported up front: the timings exclude imports
import sympy  # noqa: F401
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import calculators  # noqa: E402
from calculators.equations import (  # noqa: E402
    body_surface_area,
    ckd_epi,
    cockcroft_gault,
    mdrd,
    qtc_bazett,
)
from calculators.equations.common import ANION_GAP  # noqa: E402

ROWS = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"


def equation_ids() -> set[int]:
    """IDs of the calculators defined in ``calculators.equations``."""
    return {
        c.info.id
        for c in calculators.all_calculators()
        if type(c).__module__.startswith("calculators.equations.")
    }


def load_rows(wanted: set[int]) -> list[tuple[int, dict[str, object]]]:
    """(calculator id, entities) of every v1.0 row whose calculator is in ``wanted``."""
    registered = wanted
    with ROWS.open(encoding="utf-8", newline="") as handle:
        return [
            (int(r["Calculator ID"]), ast.literal_eval(r["Relevant Entities"]))
            for r in csv.DictReader(handle)
            if int(r["Calculator ID"]) in registered
        ]


def recompute(rows: list[tuple[int, dict[str, object]]]) -> tuple[float, int]:
    """CPU seconds (this process) to recompute every row, and how many gave a value."""
    start = time.process_time()
    computed = 0
    for calculator_id, entities in rows:
        try:
            calculators.compute_from_entities(calculator_id, entities)
            computed += 1
        except calculators.CalculatorError:
            pass
    return time.process_time() - start, computed


def batch(n: int, rng: np.random.Generator) -> dict[str, float]:
    """Seconds per vectorised formula over ``n`` random patients."""
    age = rng.uniform(18, 90, n)
    creatinine = rng.uniform(0.4, 8, n)
    female = rng.random(n) < 0.5
    weight = rng.uniform(40, 150, n)
    height = rng.uniform(140, 200, n)
    heart_rate = rng.uniform(40, 160, n)
    qt = rng.uniform(300, 500, n)
    sodium = rng.uniform(125, 150, n)
    chloride = rng.uniform(90, 115, n)
    bicarbonate = rng.uniform(8, 30, n)
    kappa = np.where(female, 0.7, 0.9)
    alpha = np.where(female, -0.241, -0.302)
    ckd_sex = np.where(female, 1.012, 1.0)
    runs: dict[str, Callable[[], NDArray[np.float64]]] = {
        "CKD-EPI 2021": lambda: ckd_epi.EGFR.batch(
            creatinine=creatinine, kappa=kappa, alpha=alpha, age=age, sex_factor=ckd_sex
        ),
        "Cockcroft-Gault (actual weight)": lambda: cockcroft_gault.CRCL.batch(
            age=age,
            weight_used=weight,
            sex_factor=np.where(female, 0.85, 1.0),
            creatinine=creatinine,
        ),
        "MDRD": lambda: mdrd.MDRD.batch(
            creatinine=creatinine, age=age, sex_factor=np.where(female, 0.742, 1.0), race_factor=1.0
        ),
        "BSA (Mosteller)": lambda: body_surface_area.MOSTELLER.batch(height=height, weight=weight),
        "QTc (Bazett)": lambda: qtc_bazett.QTC.batch(qt=qt, rr=60 / heart_rate),
        "anion gap": lambda: ANION_GAP.batch(
            sodium=sodium, chloride=chloride, bicarbonate=bicarbonate
        ),
    }
    timings: dict[str, float] = {}
    for name, run in runs.items():
        start = time.perf_counter()
        result = run()
        timings[name] = time.perf_counter() - start
        if result.shape != (n,) or not np.isfinite(result).all():
            raise AssertionError(f"{name}: batch result has the wrong shape or non-finite values")
    vector = runs["CKD-EPI 2021"]()
    for i in range(0, n, max(1, n // 50)):
        scalar = ckd_epi.EGFR(
            creatinine=float(creatinine[i]),
            kappa=float(kappa[i]),
            alpha=float(alpha[i]),
            age=float(age[i]),
            sex_factor=float(ckd_sex[i]),
        )
        if abs(scalar - vector[i]) > 1e-9 * abs(scalar):
            raise AssertionError(f"batch and scalar CKD-EPI disagree at {i}")
    return timings


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description="Calculator benchmarks.")
    parser.add_argument("--repeat", type=int, default=5, help="steady-state passes")
    parser.add_argument("--batch", type=int, default=100_000, help="patients per batch")
    arguments = parser.parse_args()
    print(f"CPUs visible: {os.cpu_count()}; calculators registered: {len(calculators.ids())}")
    for label, wanted in (
        ("equation calculators", equation_ids()),
        ("registered calculators (all)", set(calculators.ids())),
    ):
        rows = load_rows(wanted)
        first, computed = recompute(rows)
        warm = [recompute(rows)[0] for _ in range(arguments.repeat)]
        print(
            f"v1.0 rows of the {len(wanted)} {label}: {len(rows)} ({computed} computed, "
            f"{len(rows) - computed} refused with a named error)"
        )
        print(f"  first pass (pint registry, formulas lambdified once): {first:.3f} s CPU")
        print(
            f"  steady state: median {statistics.median(warm):.3f} s, min {min(warm):.3f} s CPU "
            f"per pass ({1e6 * min(warm) / len(rows):.0f} µs per row)"
        )
    batch(1000, np.random.default_rng(0))  # lambdify outside the timing
    for name, seconds in batch(arguments.batch, np.random.default_rng(1)).items():
        print(f"batch of {arguments.batch:,} × {name}: {1e3 * seconds:.2f} ms")


if __name__ == "__main__":
    main()
