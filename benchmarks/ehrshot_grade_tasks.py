"""Benchmark: per-task EHRSHOT metrics in grading (AUROC, AUPRC, Brier, 1,000-replicate patient
bootstrap), side by side with EHRSHOT's own way (scikit-learn in a bootstrap loop).

    PYTHONPATH=. python benchmarks/ehrshot_grade_tasks.py [--rows 100000] [--tasks 4]

Writes SYNTHETIC graded rows (random labels and stated probabilities, 3 rows per patient) to a
temporary JSONL, grades them (``grade_file``), then times the summary (all per-task metrics and
their intervals) and, for the first task alone, EHRSHOT's ``calc_metrics`` loop: 1,000 replicates
of ``sklearn.utils.resample`` over patients with ``roc_auc_score`` / ``average_precision_score`` /
``brier_score_loss`` and ``sample_weight``. Prints wall and CPU seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.grading.summary import summarize

TASKS = ("new_acutemi", "new_hyperlipidemia", "new_hypertension", "new_pancan")
NAMES = {
    "new_acutemi": "acute MI",
    "new_hyperlipidemia": "hyperlipidemia",
    "new_hypertension": "hypertension",
    "new_pancan": "pancreatic cancer",
}


def write_rows(path: Path, n: int, tasks: tuple[str, ...]) -> list[tuple[str, int, float, int]]:
    rng = random.Random(0)
    kept = []
    with path.open("w") as handle:
        for i in range(n):
            task = tasks[i % len(tasks)]
            y = int(rng.random() < 0.1)
            p = round(min(max(rng.gauss(0.3 + 0.3 * y, 0.2), 0.001), 0.999), 3)
            label = int(p >= 0.5)
            name = NAMES[task] if label else f"no {NAMES[task]}"
            answer = json.dumps({"prediction": name, "label": label, "probability": p})
            row = {
                "completion": f"x</think><answer>{answer}</answer>",
                "ehrshot_task": task,
                "label": y,
                "subject_id": i // 3,
            }
            handle.write(json.dumps(row) + "\n")
            kept.append((task, y, p, i // 3))
    return kept


def sklearn_loop(y: np.ndarray, p: np.ndarray, patients: np.ndarray) -> tuple[float, float]:
    """EHRSHOT's 7_eval_finetune.py calc_metrics bootstrap on one task: (wall, CPU) seconds."""
    import sklearn.utils
    from sklearn import metrics

    start, cpu = time.perf_counter(), time.process_time()
    test_set = sorted(set(patients.tolist()))
    for func in (metrics.roc_auc_score, metrics.brier_score_loss, metrics.average_precision_score):
        for i in range(1000):
            sample = sklearn.utils.resample(test_set, random_state=i)
            counts = collections.Counter(sample)
            weights = np.array([counts[q] for q in patients.tolist()])
            func(y, p, sample_weight=weights)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--skip-sklearn", action="store_true")
    args = parser.parse_args()
    tasks = TASKS[: args.tasks]
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch, "graded.jsonl")
        kept = write_rows(path, args.rows, tasks)
        start, cpu = time.perf_counter(), time.process_time()
        result = grade_file(path, GradeOptions(task="ehrshot"))
        graded_s, graded_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        summary = summarize(result.tally, task="ehrshot", spec="ehrmind", records=result.records)
        summary_s, summary_cpu = time.perf_counter() - start, time.process_time() - cpu
    report = {
        "rows": args.rows,
        "tasks": len(tasks),
        "grade_seconds": round(graded_s, 2),
        "grade_cpu_seconds": round(graded_cpu, 2),
        "summary_seconds_all_tasks": round(summary_s, 2),
        "summary_cpu_seconds_all_tasks": round(summary_cpu, 2),
        "macro_auroc": round(summary["macro"]["auroc"]["value"], 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if not args.skip_sklearn:
        first = [(y, p, s) for task, y, p, s in kept if task == tasks[0]]
        y, p, s = (np.array(column) for column in zip(*first, strict=True))
        wall, cpu_seconds = sklearn_loop(y, p, s)
        report["sklearn_loop_seconds_one_task"] = round(wall, 2)
        report["sklearn_loop_cpu_seconds_one_task"] = round(cpu_seconds, 2)
        report["rows_in_that_task"] = len(first)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
