"""Speed and memory of the trial-matching pieces. Run: ``taskset -c 1 python benchmarks/trials.py``.

Measures, on this machine, in CPU time of this process (``time.process_time``, best of 5):

1. the verifier per completion (correct, wrong, contradiction, format failure, 200 kB hostile);
2. loading the shipped 2021 qrels (35,832 judgments);
3. reading trial files lazily (copies of the constructed fixtures) from a directory and from one
   ``.zip`` archive holding the same files, files per second and peak traced memory;
4. NDCG@10/P@10/MRR of a TREC-2021-sized run (75 topics × 1,000 documents);
5. topics: the official 2021 XML (75 free-text topics) and a 2023-format file of 1,000
   questionnaires, next to ``ElementTree`` parsing the same file (the floor);
6. the structured pre-check per (patient, trial) pair on the 125 real 2021/2022 topics, next to
   building that pair's prompt;
7. API v2 Markdown: unescaping and splitting the escaped fixture's criteria, next to splitting
   without unescaping;
8. TrialGPT's ranking from result files of 75 patients × 100 trials × 20 criteria (read, assess,
   rank), next to ``json.load`` of the same files (the floor).

Figures go to ``docs/benchmarks.md`` (section "Trial matching").
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ehrmind_rewards.core.rewards import EHRMIND  # noqa: E402
from ehrmind_rewards.data.trials import TrialDirectory, load_qrels  # noqa: E402
from ehrmind_rewards.metrics.ranking import evaluate_run, qrels_mapping  # noqa: E402
from ehrmind_rewards.tasks.trials import load_topics, structured, structured_eligibility  # noqa: E402
from ehrmind_rewards.tasks.trials.ctgov import (  # noqa: E402
    read_trial,
    split_criteria,
    unescape_markdown,
)
from ehrmind_rewards.tasks.trials.prompts import trial_messages  # noqa: E402
from ehrmind_rewards.tasks.trials.trialgpt import (  # noqa: E402
    ranking_run,
    read_aggregation_results,
    read_matching_results,
)
from ehrmind_rewards.tasks.trials.verifier import verify_row  # noqa: E402

TREC = ROOT / "tests" / "data" / "trec_ct"


def per_call(function: Callable[[], object], repeat: int) -> float:
    """Best-of-5 mean CPU seconds per call."""
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        for _ in range(repeat):
            function()
        best = min(best, (time.process_time() - start) / repeat)
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


def _read_all(root: str | Path) -> tuple[int, float, int]:
    tracemalloc.start()
    start = time.process_time()
    directory = TrialDirectory(root)
    count = sum(1 for _ in directory)
    elapsed = time.process_time() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not directory.errors, directory.errors[:3]
    return count, elapsed, peak


def bench_directory(n_files: int = 5_000) -> None:
    sources = sorted((TREC / "clinicaltrials" / "snapshot_2021").rglob("*.xml"))
    sources += sorted((TREC / "clinicaltrials" / "json_v2").glob("NCT*.json"))
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp) / "files"
        archive = Path(tmp) / "archive" / "part1.zip"
        archive.parent.mkdir()
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
            for i in range(n_files):
                source = sources[i % len(sources)]
                name = f"NCT{i // 1000:04d}xxxx/NCT{i:08d}{source.suffix}"
                target = files / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                handle.write(source, name)
        for label, root in (("files", files), ("one .zip", archive.parent)):
            count, elapsed, peak = _read_all(root)
            rate = count / elapsed
            print(
                f"TrialDirectory {count} trials ({label:<8}) {rate:8.0f} trials/s (tracemalloc "
                f"on), peak {peak / 2**20:.1f} MiB; 375,580 ≈ {375_580 / rate / 60:.0f} min"
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


def bench_topics(n_topics: int = 1_000) -> None:
    official = TREC / "official_topics" / "topics2021.xml"
    seconds = per_call(lambda: load_topics(official), 20)
    print(f"load_topics 2021 XML (75 topics)  {seconds * 1e3:8.2f} ms")
    root = ET.Element("topics", task="2023 TREC Clinical Trials")
    for n in range(1, n_topics + 1):
        topic = ET.SubElement(root, "topic", number=str(n), template=f"template {n % 8}")
        for f in range(8):
            ET.SubElement(topic, "field", name=f"field {f}").text = "" if f == 3 else f"value {n}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topics2023.xml"
        ET.ElementTree(root).write(path, encoding="utf-8")
        seconds = per_call(lambda: load_topics(path), 5)
        floor = per_call(lambda: ET.parse(path), 5)
    print(
        f"load_topics 2023 form ({n_topics:,} × 8 fields) {seconds * 1e3:8.1f} ms "
        f"(ElementTree parse alone {floor * 1e3:.1f} ms)"
    )


def bench_structured() -> None:
    topics = [
        topic
        for year in (2021, 2022)
        for topic in load_topics(TREC / "trialgpt" / f"trec_{year}" / "queries.jsonl")
    ]
    trials = [
        *read_trial(TREC / "clinicaltrials" / "json_v2" / "NCT90000003.json"),
        *read_trial(TREC / "clinicaltrials" / "json_v2" / "studies_page.json"),
    ]
    pairs = [(topic, trial) for topic in topics for trial in trials]

    def cold() -> object:  # every topic read afresh, as for its first trial
        structured._patient_facts.cache_clear()
        return [structured_eligibility(t, r) for t, r in pairs[:: len(trials)]]

    first = per_call(cold, 3) / len(topics)
    check = per_call(lambda: [structured_eligibility(t, r) for t, r in pairs], 3) / len(pairs)
    prompt = per_call(lambda: [trial_messages(t.text, r) for t, r in pairs], 3) / len(pairs)
    print(
        f"structured_eligibility ({len(pairs)} real pairs) {check * 1e6:8.1f} µs/pair, "
        f"{first * 1e6:.1f} µs for a topic's first pair (building the pair's prompt: "
        f"{prompt * 1e6:.1f} µs)"
    )


def bench_markdown() -> None:
    path = TREC / "clinicaltrials" / "json_v2" / "NCT90000008.json"
    markdown = json.loads(path.read_text())["protocolSection"]["eligibilityModule"][
        "eligibilityCriteria"
    ]
    text = markdown * 20  # about 13 kB, a long real criteria section
    both = per_call(lambda: split_criteria(unescape_markdown(text)), 200)
    alone = per_call(lambda: split_criteria(text), 200)
    print(
        f"unescape + split ({len(text):,} chars)     {both * 1e6:8.1f} µs "
        f"(split alone {alone * 1e6:.1f} µs)"
    )


def bench_trialgpt(patients: int = 75, trials: int = 100, criteria: int = 20) -> None:
    rng = random.Random(0)
    inc = ["included", "not included", "not enough information", "not applicable", "Included"]
    exc = ["excluded", "not excluded", "not enough information", "not applicable"]

    def section(labels: list[str]) -> dict[str, list[object]]:
        return {
            str(i): ["The note says so.", [rng.randrange(10)], rng.choice(labels)]
            for i in range(criteria)
        }

    matching = {
        f"p{p}": {
            "2": {
                f"NCT{t:08d}": {"inclusion": section(inc), "exclusion": section(exc)}
                for t in range(trials)
            }
        }
        for p in range(patients)
    }
    aggregation = {
        f"p{p}": {
            f"NCT{t:08d}": {"relevance_score_R": rng.randrange(101), "eligibility_score_E": 10}
            for t in range(trials)
        }
        for p in range(patients)
    }
    with tempfile.TemporaryDirectory() as tmp:
        matching_path, aggregation_path = Path(tmp) / "m.json", Path(tmp) / "a.json"
        matching_path.write_text(json.dumps(matching))
        aggregation_path.write_text(json.dumps(aggregation))

        def rank() -> object:
            results = read_matching_results(matching_path)
            return ranking_run(results.assessments, read_aggregation_results(aggregation_path))

        def floor() -> object:
            return json.loads(matching_path.read_text()), json.loads(aggregation_path.read_text())

        seconds = per_call(rank, 1)
        baseline = per_call(floor, 1)
        size = matching_path.stat().st_size / 2**20
    print(
        f"TrialGPT ranking {patients} × {trials} pairs ({size:.1f} MiB) {seconds * 1e3:8.0f} ms "
        f"(json.load of the files alone {baseline * 1e3:.0f} ms)"
    )


if __name__ == "__main__":
    bench_verifier()
    bench_qrels()
    bench_directory()
    bench_ranking()
    bench_topics()
    bench_structured()
    bench_markdown()
    bench_trialgpt()
