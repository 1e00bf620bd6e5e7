"""Benchmark: stream-grade a large MedCalc prediction file with ``ehrmind-rewards grade``.

Generates ``--rows`` realistic predictions (ids into the MedCalc-Bench v1.0 test CSV shipped in
``tests/data``; completions with a few hundred characters of reasoning and a mix of correct answers,
near misses, unit slips, unreadable values and broken formats, seeded), then runs the real command
line in a subprocess::

    ehrmind-rewards grade FILE --task medcalc --dataset test_data.csv --workers N --json --quiet

and reports rows/s over the grading run and the peak resident memory of the whole process tree
(the main process plus its workers, summed, sampled every 20 ms from /proc; Linux only). For
scale it first times the MedCalc verifier alone (``json.loads`` + ``verify_row`` in one process),
the ceiling per core of any grader built on it.

    python benchmarks/grade_stream.py --rows 1000000 --workers 2
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
REASONING = (
    "The patient's values are read from the note. Applying the calculator's formula step by "
    "step: first convert the inputs to the required units, then substitute them, and round at "
    "the end. "
)


def _answer(label: str, rng: random.Random) -> object:
    try:
        value = float(label)
    except ValueError:
        return label  # dates and weeks+days labels, answered exactly
    roll = rng.random()
    if roll < 0.65:
        return round(value * rng.uniform(0.98, 1.02), 3)
    if roll < 0.75:
        return round(value * 1.08, 3)  # near miss
    if roll < 0.80:
        return round(value * 88.4, 2)  # unit slip
    if roll < 0.83:
        return f"{value} or {value + 1}"  # hedged: multiple candidates
    return round(value * rng.uniform(0.1, 5.0), 2)


def generate(path: Path, rows: int, seed: int = 0) -> None:
    """Write ``rows`` JSONL predictions whose ids point into the v1.0 test CSV.

    With more rows than the dataset has, each row is one of several samples of its item, so it
    carries a ``sample`` index (a repeated id without one is a ``duplicate_id`` bad row).
    """
    with DATASET.open(encoding="utf-8") as handle:
        labels = [(r["Row Number"], r["Ground Truth Answer"]) for r in csv.DictReader(handle)]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(rows):
            row_id, label = labels[i % len(labels)]
            answer = json.dumps({"answer": _answer(label, rng)})
            if rng.random() < 0.07:
                text = f"{REASONING}The answer is {label}."  # no envelope: format failure
            else:
                text = f"<think>{REASONING}</think>\n<answer>{answer}</answer>"
            sample = i // len(labels)  # the file holds many samples of each dataset row
            out.write(json.dumps({"id": int(row_id), "sample": sample, "completion": text}) + "\n")


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(path: Path, workers: int) -> tuple[float, float, int, dict[str, object]]:
    """Grade ``path``; return (wall seconds, CPU seconds of the process tree, peak tree RSS in
    bytes, summary). CPU seconds (user + system, the command and its worker processes) measure
    the work done independently of how loaded the machine is."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [
        sys.executable,
        "-m",
        "ehrmind_rewards.cli",
        "grade",
        str(path),
        "--task",
        "medcalc",
        "--dataset",
        str(DATASET),
        "--workers",
        str(workers),
        "--json",
        "--quiet",
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"grade exited with {process.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, peak, json.loads(output)


def verifier_ceiling(path: Path, rows: int = 100_000) -> float:
    """Rows per CPU-second of ``json.loads`` + the MedCalc ``verify_row`` alone, in this process,
    on the first ``rows`` records: the most any grader built on this verifier can do per core."""
    sys.path.insert(0, str(ROOT))
    from ehrmind_rewards import tasks
    from ehrmind_rewards.core.rewards import EHRMIND
    from ehrmind_rewards.grading.references import load_references

    family = tasks.get("medcalc")
    references = load_references(DATASET, aliases=family.column_aliases)
    verify = family.verify_row
    with path.open("rb") as handle:
        lines = [line for _, line in zip(range(rows), handle, strict=False)]
    start = time.process_time()
    for line in lines:
        record = json.loads(line)
        verify(record["completion"], references[str(record["id"])], EHRMIND)
    return len(lines) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    parser.add_argument("--input", type=Path, help="reuse this generated file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.input or Path(folder) / "predictions.jsonl"
        if not path.exists():
            started = time.perf_counter()
            generate(path, args.rows)
            print(
                f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        ceiling = verifier_ceiling(path)
        print(f"verifier alone (json + verify_row, 1 process): {ceiling:,.0f} rows per CPU-second")
        for workers in args.workers:
            elapsed, cpu, peak, summary = run(path, workers)
            rows = int(summary["records"])  # type: ignore[call-overload]
            print(
                f"workers={workers}: {rows:,} rows in {elapsed:.1f} s = "
                f"{rows / elapsed:,.0f} rows/s;"
                f" {cpu:.1f} CPU-s = {rows / cpu:,.0f} rows per CPU-second;"
                f" peak RSS (process tree) {peak / 2**20:.0f} MiB; accuracy "
                f"{summary['accuracy']:.3f}, bad rows {summary['n_bad']}"
            )


if __name__ == "__main__":
    main()
