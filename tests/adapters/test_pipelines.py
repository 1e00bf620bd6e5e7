"""Rows exactly as EHRMind's released data scripts store them, read back the ways TRL and verl read
parquet, earn the same verdict as the canonical record.

The parquet files are built here the way ``linjc16/EHRMind`` builds them
(``src/dataset/medcalc/rl/data_process.py``, ``src/dataset/matching/rl/inst.py``: a
``datasets.Dataset`` mapped to ``{"data_source", "prompt", "ability", "reward_model": {"style":
"rule", "ground_truth": {...}}, "extra_info": {"split", "index"}}`` and written with
``to_parquet``; ``map`` keeps the source columns too, so the benchmark's own columns sit beside
the layout), and read back with ``datasets.load_dataset("parquet")`` (verl's ``RLHFDataset``),
``pandas.read_parquet`` (verl's ``main_eval``: lists arrive as numpy arrays), ``pyarrow`` and
``datasets.Dataset.from_pandas``. Each row is then scored by ``compute_score`` as verl calls it and
by ``reward_fn`` with the keyword columns TRL builds (``_calculate_rewards``: every dataset column
but ``prompt``, one value per completion).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ehrmind_rewards import grade, reward_fn
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.tasks.medcalc.records import read_medcalc_csv
from ehrmind_rewards.tasks.medcalc.verifier import kind_for
from ehrmind_rewards.testing import answer_forms, completion_around
from tests.helpers import V1_TEST_CSV

datasets = pytest.importorskip("datasets", reason="building EHRMind's parquet needs datasets")
pd = pytest.importorskip("pandas", reason="verl's evaluation reads parquet with pandas")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow reads the parquet directly")

Reader = Callable[[Path], list[dict[str, Any]]]


def _with_datasets(path: Path) -> list[dict[str, Any]]:
    return list(datasets.load_dataset("parquet", data_files=str(path))["train"])


def _with_pandas(path: Path) -> list[dict[str, Any]]:
    frame = pd.read_parquet(path)
    return [dict(row) for _, row in frame.iterrows()]  # numpy scalars and arrays, as verl sees


def _with_pyarrow(path: Path) -> list[dict[str, Any]]:
    return list(pq.read_table(path).to_pylist())


def _from_pandas(path: Path) -> list[dict[str, Any]]:
    return list(datasets.Dataset.from_pandas(pd.read_parquet(path)))


def _verl_collate(path: Path) -> list[dict[str, Any]]:
    """verl's ``collate_fn``: every non-tensor column an object array, indexed per sample."""
    rows = _with_datasets(path)
    batch = {key: np.fromiter((r[key] for r in rows), dtype=object) for key in rows[0]}
    return [{key: batch[key][i] for key in batch} for i in range(len(rows))]


READERS: dict[str, Reader] = {
    "datasets.load_dataset": _with_datasets,
    "pandas.read_parquet": _with_pandas,
    "pyarrow": _with_pyarrow,
    "Dataset.from_pandas": _from_pandas,
    "verl collate_fn": _verl_collate,
}


def _ehrmind_parquet(
    path: Path, samples: list[dict[str, Any]], process: Callable[..., Any]
) -> Path:
    dataset = datasets.Dataset.from_list(samples)
    dataset.map(function=process, with_indices=True).to_parquet(str(path))
    return path


def _medcalc_samples() -> Iterator[tuple[dict[str, Any], str]]:
    """Every 9th v1.0 test row, as ``load_dataset("csv")`` gives it, and a correct completion."""
    records = {r.row_number: r for r in read_medcalc_csv(V1_TEST_CSV)}
    csv_rows = datasets.load_dataset("csv", data_files=str(V1_TEST_CSV))["train"]
    for index in range(0, len(csv_rows), 9):
        row = csv_rows[index]
        record = records[int(row["Row Number"])]
        kind = kind_for(record.calculator_id)
        assert kind is not None
        forms = answer_forms(str(record.ground_truth), kind)
        yield row, completion_around(forms[index % len(forms)], "newlines")


def _trl_columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {key: [row[key] for row in rows] for key in rows[0] if key != "prompt"}


@pytest.fixture(scope="module")
def medcalc_parquet(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[object]]:
    samples, completions = [], []
    for row, completion in _medcalc_samples():
        samples.append(row)
        completions.append(completion)

    def process(example: dict[str, Any], idx: int) -> dict[str, Any]:
        solution = {
            "target": example["Ground Truth Answer"],
            "calid": example["Calculator ID"],
            "upper_limit": example["Upper Limit"],
            "lower_limit": example["Lower Limit"],
        }
        return {
            "data_source": "medcalc_" + example["Category"] + "_test",
            "prompt": [{"role": "user", "content": "…"}],
            "ability": "medcalc",
            "reward_model": {"style": "rule", "ground_truth": solution},
            "extra_info": {"split": "test", "index": idx},
        }

    path = tmp_path_factory.mktemp("ehrmind") / "medcalc_test.parquet"
    return _ehrmind_parquet(path, samples, process), completions


def _canonical_scores(completions: list[object]) -> list[float]:
    with V1_TEST_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    scores = []
    for index, completion in zip(range(0, len(rows), 9), completions, strict=True):
        scores.append(grade(completion, rows[index]).score)
    return scores


@pytest.mark.parametrize("reader", sorted(READERS))
def test_ehrmind_medcalc_parquet_scores_like_the_csv(
    reader: str, medcalc_parquet: tuple[Path, list[object]]
) -> None:
    path, completions = medcalc_parquet
    rows = READERS[reader](path)
    expected = _canonical_scores(completions)
    assert expected.count(1.1) >= 0.9 * len(expected)  # correct completions, nearly all rows
    verl_scores = [
        compute_score(
            row["data_source"], c, row["reward_model"]["ground_truth"], row["extra_info"]
        )["score"]
        for row, c in zip(rows, completions, strict=True)
    ]
    assert verl_scores == expected
    trl_scores = reward_fn(prompts=["p"] * len(rows), completions=completions, **_trl_columns(rows))
    assert [0.0 if s is None else s for s in trl_scores] == [
        0.0 if s is None else s for s in verl_scores
    ]


def test_ehrmind_matching_parquet(tmp_path: Path) -> None:
    qrels = pd.DataFrame(
        {"query-id": ["t1"] * 6, "corpus-id": list("abcdef"), "score": [0, 1, 2] * 2}
    )
    samples = [
        {"note": "n", "trial": "t", "label": row["score"]}  # np.int64, as inst.py reads it
        for _, row in qrels.iterrows()
    ]

    def process(example: dict[str, Any], idx: int) -> dict[str, Any]:
        return {
            "data_source": "matching_train",
            "prompt": [{"role": "user", "content": "…"}],
            "ability": "matching",
            "reward_model": {"style": "rule", "ground_truth": {"target": example["label"]}},
            "extra_info": {"split": "train", "index": idx},
        }

    path = _ehrmind_parquet(tmp_path / "train.parquet", samples, process)
    names = ["Irrelevant", "Excluded", "Eligible"]
    completions = [completion_around_trials(names[grade_], grade_) for grade_ in (0, 1, 2, 2, 2, 0)]
    expected = [1.1, 1.1, 1.1, 0.0, 0.0, 0.0]
    for reader in READERS.values():
        rows = reader(path)
        got = [
            compute_score(
                row["data_source"], c, row["reward_model"]["ground_truth"], row["extra_info"]
            )["score"]
            for row, c in zip(rows, completions, strict=True)
        ]
        assert got == expected
        assert reward_fn(completions=completions, **_trl_columns(rows)) == expected


def completion_around_trials(name: str, idx: int) -> str:
    return f"<think>x</think><answer>{json.dumps({'prediction': name, 'idx': idx})}</answer>"


def test_ehrshot_layouts_with_array_labels(tmp_path: Path) -> None:
    gold = [0] * 14
    gold[2] = gold[13] = 1
    samples = [
        {"labeler": "new_hypertension", "label": 1, "name": "hypertension"},
        {"labeler": "new_pancan", "label": 0, "name": "no pancreatic cancer"},
    ]

    def process(example: dict[str, Any], idx: int) -> dict[str, Any]:
        return {
            "data_source": example["labeler"] + "_test",
            "prompt": [{"role": "user", "content": "…"}],
            "ability": "ehrshot",
            "reward_model": {
                "style": "rule",
                "ground_truth": {"target": example["label"], "prediction": example["name"]},
            },
            "extra_info": {"split": "test", "index": idx},
        }

    binary = _ehrmind_parquet(tmp_path / "binary.parquet", samples, process)
    chexpert = _ehrmind_parquet(
        tmp_path / "chexpert.parquet",
        [{"label": gold}],
        lambda example, idx: {
            "data_source": "ehrshot_chexpert_test",
            "reward_model": {"style": "rule", "ground_truth": {"target": example["label"]}},
            "extra_info": {"split": "test", "index": idx},
        },
    )
    answers = [
        ("hypertension", 1),
        ("no pancreatic cancer", 0),
    ]
    binary_completions = [
        f"<think>x</think><answer>{json.dumps({'prediction': n, 'label': i})}</answer>"
        for n, i in answers
    ]
    names = ["Cardiomegaly", "Support Devices"]
    chexpert_completion = (
        f"<think>x</think><answer>{json.dumps({'prediction': names, 'label': gold})}</answer>"
    )
    for reader in READERS.values():
        for path, completions in ((binary, binary_completions), (chexpert, [chexpert_completion])):
            rows = reader(path)
            for row, completion in zip(rows, completions, strict=True):
                truth = row["reward_model"]["ground_truth"]
                result = compute_score(row["data_source"], completion, truth, row["extra_info"])
                assert result["score"] == 1.1, (reader, row)
            assert reward_fn(completions=completions, **_trl_columns(rows)) == [1.1] * len(rows)
