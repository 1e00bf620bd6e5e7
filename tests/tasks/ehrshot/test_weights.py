"""Class weights as EHRMind uses them: evaluation splits only, unless asked for.

EHRMind's released reward (``verl/utils/reward_score/ehrshot.py``, ``calculate_answer_score``)
pays a correct answer 1 when the verl data source is a training source and
0.5·N/N_class (its ``DATA_COUNT`` table of the test sets) only for ``_test`` sources.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ehrmind_rewards.tasks.ehrshot import FAMILY
from ehrmind_rewards.tasks.ehrshot.dataset import build_rows
from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize
from ehrmind_rewards.tasks.ehrshot.weights import class_weights, is_weighted
from ehrmind_rewards.train.config import DataSection

pytest.importorskip("pyarrow", reason="the ehrshot extra reads parquet")

EHRMIND_TEST_COUNTS = {  # EHRMind's DATA_COUNT: test negatives / positives per task
    "new_acutemi": (1958, 144),
    "new_hyperlipidemia": (1123, 170),
    "new_hypertension": (1078, 155),
    "new_pancan": (2140, 55),
}


@pytest.mark.parametrize(("task", "counts"), EHRMIND_TEST_COUNTS.items())
def test_weights_equal_ehrmind_test_weights(task: str, counts: tuple[int, int]) -> None:
    negatives, positives = counts
    weights = class_weights([0] * negatives + [1] * positives)
    total = negatives + positives
    # EHRMind: answer_score = 0.5 * total_count / DATA_COUNT[dataset_name][target]
    assert weights[1] == pytest.approx(0.5 * total / positives)
    assert weights[0] == pytest.approx(0.5 * total / negatives)


def test_new_pancan_training_weight_would_be_twenty_times_the_negative_one() -> None:
    weights = class_weights([0] * 2140 + [1] * 55)
    assert weights[1] / weights[0] == pytest.approx(2140 / 55)  # ≈ 39: why training must not


@pytest.mark.parametrize(
    ("split", "mode", "expected"),
    [
        ("train", "eval", False),
        ("tuning", "eval", True),
        ("held_out", "eval", True),
        ("test", "eval", True),
        (None, "eval", False),
        ("train", "all", True),
        (None, "all", True),
        ("held_out", "none", False),
    ],
)
def test_is_weighted(split: str | None, mode: str, expected: bool) -> None:
    assert is_weighted(split, mode) is expected  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesize(60, 4, tmp_path_factory.mktemp("weights"), events_per_patient=120)


def test_training_rows_are_unweighted_by_default(root: Path) -> None:
    rows = build_rows(root, ["new_hypertension", "lab_anemia"])
    assert {r["split"] for r in rows} == {"train", "tuning", "held_out"}
    assert {r["class_weight"] for r in rows if r["split"] == "train"} == {1.0}
    for split in ("tuning", "held_out"):
        for task in ("new_hypertension", "lab_anemia"):
            chosen = [r for r in rows if r["split"] == split and r["ehrshot_task"] == task]
            counts = Counter(r["label"] for r in chosen)
            for r in chosen:  # N and N_class counted within the split, as EHRMind per source
                assert r["class_weight"] == pytest.approx(
                    len(chosen) / (len(counts) * counts[r["label"]])
                )
            # the oracle's mean weighted correctness is its balanced accuracy, 1
            assert sum(r["class_weight"] for r in chosen) / len(chosen) == pytest.approx(1.0)


def test_weighting_all_and_none(root: Path) -> None:
    every = build_rows(root, ["new_hypertension"], weighting="all")
    train = [r for r in every if r["split"] == "train"]
    assert len({r["class_weight"] for r in train}) == 2  # both classes weighted
    none = build_rows(root, ["new_hypertension"], weighting="none")
    assert {r["class_weight"] for r in none} == {1.0}


def test_config_field_reaches_the_family(root: Path) -> None:
    assert DataSection(task="ehrshot", train_file=root).ehrshot_class_weights == "eval"
    data = DataSection(
        task="ehrshot", format="ehrshot", train_file=root, ehrshot_tasks=["new_hypertension"]
    )
    train = FAMILY.training_rows("ehrshot", data, "train", with_completion=False)
    test = FAMILY.training_rows("ehrshot", data, "test", with_completion=False)
    assert {r["class_weight"] for r in train} == {1.0}
    assert len({r["class_weight"] for r in test}) == 2
    weighted = data.model_copy(update={"ehrshot_class_weights": "all"})
    assert len({r["class_weight"] for r in FAMILY.training_rows(
        "ehrshot", weighted, "train", with_completion=False)}) == 2  # fmt: skip
