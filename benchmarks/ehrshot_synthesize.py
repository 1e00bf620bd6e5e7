"""Benchmark: generate a SYNTHETIC EHRSHOT-sized MEDS dataset; time, peak memory, prevalences.

    PYTHONPATH=. python benchmarks/ehrshot_synthesize.py --patients 6739 \
        --out /tmp/ehrshot_synthetic

Prints wall time, events written, peak resident memory (ru_maxrss), size on disk, and per task the
number of labels and the share of positive (binary) or abnormal (lab, class ≥ 1) labels.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from ehrmind_rewards.tasks.ehrshot.io import open_ehrshot
from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=6_739)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("/tmp/ehrshot_synthetic"))
    parser.add_argument("--events-per-patient", type=int, default=None)
    args = parser.parse_args()

    start = time.perf_counter()
    cpu_start = time.process_time()
    per_patient = args.events_per_patient
    root = synthesize(args.patients, args.seed, args.out, events_per_patient=per_patient)
    seconds = time.perf_counter() - start
    events = sum(pq.ParquetFile(f).metadata.num_rows for f in (root / "data").glob("*.parquet"))
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    source = open_ehrshot(root)
    prevalence = {}
    for task in source.tasks():
        labels = source.labels(task)
        counts = Counter(
            int(any(label.value)) if isinstance(label.value, tuple) else int(label.value > 0)
            for label in labels
        )
        prevalence[task] = {"labels": len(labels), "positive": counts[1] / max(len(labels), 1)}
    report = {
        "patients": args.patients,
        "events": events,
        "seconds": round(seconds, 1),
        "events_per_second": round(events / seconds),
        "cpu_seconds": round(time.process_time() - cpu_start, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "disk_mb": round(size / 2**20),
        "labels": prevalence,
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
