"""Speed and memory of the trial-matching pieces. Run: ``python benchmarks/trials.py``.

Measures, on this machine:

1. the verifier per completion (correct, wrong, contradiction, format failure, 200 kB hostile);
2. loading the shipped 2021 qrels (35,832 judgments);
3. reading a directory of trial files lazily (copies of the constructed fixtures), files per second
   and peak traced memory while iterating;
4. NDCG@10/P@10/MRR of a TREC-2021-sized run (75 topics × 1,000 documents).

Figures go to ``docs/benchmarks.md`` (section "Trial matching").
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ehrmind_rewards.core.rewards import EHRMIND  # noqa: E402
from ehrmind_rewards.data.trials import TrialDirectory, load_qrels  # noqa: E402
from ehrmind_rewards.metrics.ranking import evaluate_run, qrels_mapping  # noqa: E402
from ehrmind_rewards.tasks.trials.verifier import verify_row  # noqa: E402

TREC = ROOT / "tests" / "data" / "trec_ct"


def per_call(function: Callable[[], object], repeat: int) -> float:
    """Best-of-5 mean seconds per call."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def bench_verifier() -> None:
    think = "The patient has anaplastic astrocytoma; the trial enrols glioma patients. " * 20
    cases = {
        "correct": f'<think>{think}</think><answer>{{"prediction": "Eligible", "idx": 2}}</answer>',
        "wrong": f'<think>{think}</think><answer>{{"prediction": "Excluded", "idx": 1}}</answer>',
        "contradiction": f'<think>{think}</think><answer>{{"prediction": "Eligible", "idx": 0}}'
        "</answer>",
        "format failure": f"<think>{think}</think> Eligible",
        "hostile 200 kB": "<think>" + "<answer>{" * 20_000 + "</think>",
    }
    row = {"label": 2}
    for name, completion in cases.items():
        seconds = per_call(lambda c=completion: verify_row(c, row, EHRMIND), 2_000)
        print(f"verifier {name:<16} {seconds * 1e6:8.1f} µs/completion")


def bench_qrels() -> None:
    path = TREC / "trialgpt" / "trec_2021" / "qrels" / "test.tsv"
    seconds = per_call(lambda: load_qrels(path), 1)
    print(f"load_qrels 2021 (35,832 lines)  {seconds * 1e3:8.1f} ms")


def bench_directory(n_files: int = 5_000) -> None:
    sources = sorted((TREC / "clinicaltrials" / "snapshot_2021").rglob("*.xml"))
    sources += sorted((TREC / "clinicaltrials" / "json_v2").glob("NCT*.json"))
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n_files):
            source = sources[i % len(sources)]
            target = Path(tmp) / f"NCT{i // 1000:04d}xxxx" / f"NCT{i:08d}{source.suffix}"
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
        tracemalloc.start()
        start = time.perf_counter()
        directory = TrialDirectory(tmp)
        count = sum(1 for _ in directory)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rate = count / elapsed
    print(
        f"TrialDirectory {count} files       {rate:8.0f} files/s (tracemalloc on), "
        f"peak {peak / 2**20:.1f} MiB; 375,580 files ≈ {375_580 / rate / 60:.0f} min"
    )


def bench_ranking() -> None:
    rng = random.Random(0)
    qrels = qrels_mapping(load_qrels(TREC / "trialgpt" / "trec_2021" / "qrels" / "test.tsv"))
    run = {}
    for qid, judged in qrels.items():
        docs = list(judged) + [f"NCT9{i:07d}" for i in range(1_000)]
        run[qid] = {doc: rng.random() for doc in rng.sample(docs, 1_000)}
    seconds = per_call(lambda: evaluate_run(run, qrels), 1)
    print(f"evaluate_run 75 × 1,000          {seconds * 1e3:8.1f} ms")


if __name__ == "__main__":
    bench_verifier()
    bench_qrels()
    bench_directory()
    bench_ranking()
