"""MedCalc-Bench in its Hugging Face Hub layout → TRL and verl rows, on a local ``Dataset``.

The dataset is built from the shipped v1.0 test CSV with the Hub's own column types (two
``int64`` columns, the rest strings, as the Hub dataset card declares), so no network is needed;
the Hub call itself is checked with ``load_dataset`` replaced by that local copy.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from ehrmind_rewards import reward_fn
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.core.errors import DataError
from ehrmind_rewards.tasks.medcalc import hub
from tests.helpers import V1_TEST_CSV

datasets = pytest.importorskip("datasets", reason="the train extra provides datasets")


@pytest.fixture(scope="module")
def native() -> Any:
    return datasets.Dataset.from_csv(str(V1_TEST_CSV), features=hub.native_features())


def _gold_completion(row: dict[str, Any]) -> str:
    return f"<think>…</think><answer>{json.dumps({'answer': row['ground_truth']})}</answer>"


def test_the_hub_layout_is_the_csv_layout(native: Any) -> None:
    assert tuple(native.column_names) == hub.NATIVE_COLUMNS
    assert native.features["Calculator ID"].dtype == "int64"
    assert native.features["Lower Limit"].dtype == "string"
    assert len(native) == 1047


def test_trl_rows_carry_prompts_and_labels_the_reward_reads(native: Any) -> None:
    rows = hub.from_hub(native, "test")
    assert len(rows) == 1047
    first = rows[0]
    assert first["task"] == "medcalc"
    assert first["id"] == f"medcalc-{native[0]['Row Number']}"
    assert first["prompt"][0]["role"] == "user"
    assert native[0]["Patient Note"].strip() in first["prompt"][0]["content"]
    assert first["calculator_id"] == native[0]["Calculator ID"]
    assert first["ground_truth"] == native[0]["Ground Truth Answer"]
    scores = reward_fn(
        completions=[_gold_completion(r) for r in rows],
        **{c: rows[c] for c in ("calculator_id", "ground_truth", "lower_limit", "upper_limit")},
    )
    # the benchmark's own answers are right on every gradeable row
    assert scores.count(1.1) == len(rows) - scores.count(None)
    assert scores.count(None) < 10


def test_the_same_rows_come_from_the_csv_and_from_the_hub_layout(native: Any) -> None:
    from_csv = hub.csv_rows(V1_TEST_CSV)
    from_hub = hub.from_hub(native).to_list()
    keys = ("id", "calculator_id", "ground_truth", "lower_limit", "upper_limit", "category")
    assert [[str(r[k]) for k in keys] for r in from_csv] == [
        [str(r[k]) for k in keys] for r in from_hub
    ]
    assert [r["prompt"] for r in from_csv] == [r["prompt"] for r in from_hub]


def test_verl_rows_grade_through_compute_score(native: Any) -> None:
    rows = hub.from_hub(native.select(range(40)), style="verl")
    assert set(rows.column_names) == {
        "data_source",
        "prompt",
        "ability",
        "reward_model",
        "extra_info",
    }
    for row in rows:
        record = json.loads(row["reward_model"]["ground_truth"])
        result = compute_score(
            row["data_source"],
            _gold_completion(record),
            row["reward_model"]["ground_truth"],
            row["extra_info"],
        )
        assert result["graded"] == 1.0
        assert result["score"] == 1.1


def test_sft_rows_hold_the_benchmark_explanation(native: Any) -> None:
    row = hub.from_hub(native.select(range(3)), completion=True)[0]
    assert native[0]["Ground Truth Explanation"].strip() in row["completion"]
    assert row["completion"].endswith("</answer>")


def test_a_hub_id_or_version_key_is_loaded_by_datasets(
    native: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def load_dataset(name: str, split: str, revision: str | None) -> Any:
        calls.append((name, split, revision))
        return native.select(range(5))

    monkeypatch.setattr(datasets, "load_dataset", load_dataset)
    rows = hub.from_hub("v1.2", "test", style="verl", revision="abc123")
    assert calls == [("ncbi/MedCalc-Bench-v1.2", "test", "abc123")]
    assert rows[0]["data_source"] == "ncbi/MedCalc-Bench-v1.2"
    assert hub.from_hub(hub.DEFAULT_HUB_DATASET).num_rows == 5
    assert calls[-1][0] == "ncbi/MedCalc-Bench-v1.0"


def test_a_dataset_without_the_benchmark_columns_is_a_clear_error() -> None:
    other = datasets.Dataset.from_list([{"question": "q", "answer": "a"}])
    with pytest.raises(DataError, match="no column\\(s\\) Calculator ID, Ground Truth Answer"):
        hub.from_hub(other)
    partial = datasets.Dataset.from_list([{"Calculator ID": 2, "Ground Truth Answer": "1"}])
    with pytest.raises(DataError, match="row 1: missing MedCalc-Bench column"):
        hub.from_hub(partial)
    with pytest.raises(ValueError, match="style must be"):
        hub.to_rows([], style="openrlhf")  # type: ignore[arg-type]
