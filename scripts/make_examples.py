"""Regenerate the bundled trials and EHRSHOT examples graded by `ehrmind-rewards grade --example`.

Run from the repository root: ``python scripts/make_examples.py``. Writes, under
``ehrmind_rewards/tasks/<family>/examples/``:

* trials: 30 judgments (10 per grade) of four TREC Clinical Trials 2021 topics, copied from the
  qrels in ``tests/data/trec_ct`` (public: NLM/NCBI and TREC), and example completions for them;
* EHRSHOT: 40 rows (10 per EHRMind task, 4 of them positive) built from a SYNTHETIC dataset that
  this package's own generator writes (``ehrmind_rewards.tasks.ehrshot.synthetic``, seeded; no
  real patient), and example completions for them.

The completions are written by this script, not by a model: a fixed, seeded mix of correct
answers, wrong answers, contradictory answers and broken formats, so every section of the grading
summary has something to show. ``tests/test_examples.py`` checks that the bundled files are what
this script writes.
"""

from __future__ import annotations

import csv
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QRELS = ROOT / "tests" / "data" / "trec_ct" / "trialgpt" / "trec_2021" / "qrels" / "test.tsv"
TOPICS = ("trec-20211", "trec-20212", "trec-20213", "trec-20214")
TRIALS_DIR = ROOT / "ehrmind_rewards" / "tasks" / "trials" / "examples"
EHRSHOT_DIR = ROOT / "ehrmind_rewards" / "tasks" / "ehrshot" / "examples"
TRIAL_NAMES = ("Irrelevant", "Excluded", "Eligible")
EHRSHOT_PATIENTS, EHRSHOT_EVENTS, EHRSHOT_SEED = 80, 200, 0


def _envelope(think: str, answer: dict[str, Any]) -> str:
    return f"<think>{think}</think>\n<answer>{json.dumps(answer)}</answer>"


def trials_rows() -> list[dict[str, Any]]:
    """Ten judgments per grade, in qrels order, from the first topics that have them."""
    wanted = {grade: 10 for grade in range(3)}
    rows: list[dict[str, Any]] = []
    with QRELS.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            grade = int(record["score"])
            if record["query-id"] in TOPICS and wanted[grade]:
                wanted[grade] -= 1
                qid, docid = record["query-id"], record["corpus-id"]
                rows.append(
                    {"id": f"{qid}/{docid}", "query_id": qid, "doc_id": docid, "label": grade}
                )
    return rows


def trials_completion(label: int, rng: random.Random) -> str:
    think = (
        "I compare the patient's conditions, age and history with the trial's inclusion and "
        "exclusion criteria one by one."
    )
    roll = rng.random()
    if roll < 0.6:
        return _envelope(think, {"prediction": TRIAL_NAMES[label], "idx": label})
    if roll < 0.8:
        wrong = rng.choice([g for g in range(3) if g != label])
        return _envelope(think, {"prediction": TRIAL_NAMES[wrong], "idx": wrong})
    if roll < 0.9:  # name and index disagree: a hedge, scored wrong
        return _envelope(think, {"prediction": TRIAL_NAMES[label], "idx": (label + 1) % 3})
    return f"<think>{think}</think>\nThe patient is {TRIAL_NAMES[label].lower()}."  # no answer


def ehrshot_rows() -> list[dict[str, Any]]:
    """Ten rows per EHRMind task (six negative, four positive) of a SYNTHETIC dataset."""
    from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS
    from ehrmind_rewards.tasks.ehrshot.dataset import iter_training_rows
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    with tempfile.TemporaryDirectory() as folder:
        root = synthesize(
            EHRSHOT_PATIENTS,
            EHRSHOT_SEED,
            Path(folder) / "synthetic",
            "femr",
            events_per_patient=EHRSHOT_EVENTS,
        )
        built = list(iter_training_rows(root, EHRMIND_TASKS))
    wanted = {(task, label): 6 if label == 0 else 4 for task in EHRMIND_TASKS for label in (0, 1)}
    rows: list[dict[str, Any]] = []
    for row in built:
        key = (row["ehrshot_task"], row["label"])
        if wanted.get(key):
            wanted[key] -= 1
            rows.append(
                {
                    "id": f"synthetic-{len(rows) + 1}",
                    "task": "ehrshot",
                    "ehrshot_task": row["ehrshot_task"],
                    "label": row["label"],
                    "class_weight": round(row["class_weight"], 6),
                    "subject_id": row["subject_id"],
                    "prediction_time": row["prediction_time"],
                    "source": "SYNTHETIC",
                }
            )
    return sorted(rows, key=lambda r: (r["ehrshot_task"], int(r["id"].split("-")[1])))


def ehrshot_completion(task: str, label: int, rng: random.Random) -> str:
    from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS

    names = TASKS[task].class_names
    think = "I look for the diagnosis codes and risk factors in the timeline before the cut-off."
    roll = rng.random()
    if roll < 0.9:
        stated = label if roll < 0.65 else 1 - label
        confidence = round(rng.uniform(0.55, 0.95), 2)
        positive = confidence if stated == 1 else round(1 - confidence, 2)
        answer = {"prediction": names[stated], "label": stated, "probability": positive}
        return _envelope(think, answer)
    return f"<think>{think}</think>\n<answer>{names[label]}</answer>"  # not a JSON object


def build() -> dict[Path, str]:
    """Every example file's path and content."""
    files: dict[Path, str] = {}
    trials = trials_rows()
    rng = random.Random(13)
    lines = [
        json.dumps({"id": r["id"], "completion": trials_completion(r["label"], rng)})
        for r in trials
    ]
    header = "id,query_id,doc_id,label\n"
    files[TRIALS_DIR / "trec_ct_2021_sample.csv"] = header + "".join(
        f"{r['id']},{r['query_id']},{r['doc_id']},{r['label']}\n" for r in trials
    )
    files[TRIALS_DIR / "trec_ct_2021_sample_predictions.jsonl"] = "\n".join(lines) + "\n"
    ehrshot = ehrshot_rows()
    rng = random.Random(13)
    predictions = [
        {"id": r["id"], "completion": ehrshot_completion(r["ehrshot_task"], r["label"], rng)}
        for r in ehrshot
    ]
    files[EHRSHOT_DIR / "ehrshot_synthetic_sample.jsonl"] = "".join(
        json.dumps(r) + "\n" for r in ehrshot
    )
    files[EHRSHOT_DIR / "ehrshot_synthetic_sample_predictions.jsonl"] = "".join(
        json.dumps(p) + "\n" for p in predictions
    )
    return files


def main() -> None:
    for path, text in build().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
