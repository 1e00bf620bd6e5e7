"""The conformance table: (source, shape) → expected reward, through all four entry points.

Every row of :data:`CASES` is one record and one completion in the shape a real pipeline
delivers them; each is fed to TRL's ``reward_fn`` (as dataset columns), to ``grade``, to verl's
``compute_score`` and to OpenRLHF's ``reward_func`` (query = prompt + response, label = JSON),
and must earn the same reward everywhere it applies. ``UNGRADED`` means the row cannot be graded:
``None`` in TRL, ``graded = 0`` (score 0) in verl, 0 in OpenRLHF, an error or a ``bad_record``
verdict from ``grade`` — and the row is counted in ``ungraded_counts()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from ehrmind_rewards import TaskReward, grade, ungraded_counts
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.core.errors import UngradedError, UnknownTaskError
from ehrmind_rewards.core.parsing import END_OF_TURN
from ehrmind_rewards.core.rows import plain_value
from ehrmind_rewards.testing import hedged_answers

UNGRADED = "ungraded"
ENTRY_POINTS = ("reward_fn", "grade", "compute_score", "reward_func")

MEDCALC = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}
EHRMIND_MEDCALC = {
    "target": "25.238",
    "calid": 2,
    "upper_limit": "26.4999",
    "lower_limit": "23.9761",
}  # src/dataset/medcalc/rl/data_process.py, key order as written there
CHEXPERT_GOLD = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]
CHEXPERT_NAMES = ["Cardiomegaly", "Pleural Effusion", "Support Devices"]


def answer(payload: dict[str, Any] | str) -> str:
    """A completion whose answer block holds ``payload`` (an object, or raw JSON text)."""
    body = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return f"<think>Step by step.</think>\n<answer>{body}</answer>"


RIGHT = answer({"answer": 25.24})
ANSWER_BLOCK = '<answer>{"answer": 25.24}</answer>'
ELIGIBLE = answer({"prediction": "Eligible", "idx": 2})
CHEXPERT_RIGHT = answer({"prediction": CHEXPERT_NAMES, "label": CHEXPERT_GOLD})


@dataclass(frozen=True)
class Case:
    """One record in one pipeline's shape, one completion and the reward it must earn."""

    source: str
    shape: str
    row: dict[str, Any]
    completion: object
    expected: float | str
    data_source: str = "custom"
    verl: tuple[object, object] | None = None
    """verl's ``(ground_truth, extra_info)`` when they are not ``(row, None)``."""
    spec: str = "ehrmind"
    only: tuple[str, ...] = ENTRY_POINTS
    overrides: dict[str, float | str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.source}: {self.shape}"


CASES: list[Case] = [
    # --- record shapes from real pipelines -------------------------------------------------
    Case(
        "EHRMind verl parquet (medcalc)",
        "reward_model.ground_truth = {calid, target, limits}, data_source medcalc_lab_test",
        {
            "data_source": "medcalc_lab_test",
            "ability": "medcalc",
            "reward_model": {"style": "rule", "ground_truth": EHRMIND_MEDCALC},
            "extra_info": {"split": "test", "index": 3},
        },
        RIGHT,
        1.1,
        data_source="medcalc_lab_test",
        verl=(EHRMIND_MEDCALC, {"split": "test", "index": 3}),
    ),
    Case(
        "EHRMind verl parquet (matching)",
        "ground_truth = {target: 2}, data_source matching_train",
        {"data_source": "matching_train", "reward_model": {"ground_truth": {"target": 2}}},
        ELIGIBLE,
        1.1,
        data_source="matching_train",
        verl=({"target": 2}, {"split": "train", "index": 0}),
        overrides={"reward_func": UNGRADED},  # OpenRLHF has no data_source: name the task
    ),
    Case(
        "EHRMind verl parquet (EHRSHOT)",
        "ground_truth = {target, prediction}, task only in data_source new_acutemi_test",
        {
            "data_source": "new_acutemi_test",
            "reward_model": {"ground_truth": {"target": 1, "prediction": "acute MI"}},
        },
        answer({"prediction": "acute MI", "label": 1}),
        1.1,
        data_source="new_acutemi_test",
        verl=({"target": 1, "prediction": "acute MI"}, {"split": "test", "index": 9}),
        overrides={"reward_func": UNGRADED},
    ),
    Case(
        "MedCalc-Bench CSV",
        "native column names",
        {
            "Calculator ID": 2,
            "Ground Truth Answer": "25.238",
            "Lower Limit": "23.9761",
            "Upper Limit": "26.4999",
        },
        RIGHT,
        1.1,
    ),
    Case(
        "MedCalc-Bench on Hugging Face",
        "snake_case column names",
        {
            "calculator_id": 2,
            "ground_truth_answer": "25.238",
            "lower_limit": "23.9761",
            "upper_limit": "26.4999",
        },
        RIGHT,
        1.1,
    ),
    Case(
        "MedCalc-Bench, reformatted",
        "column names in other case and spacing",
        {
            "CALCULATOR ID": 2,
            "ground-truth answer": "25.238",
            "LowerLimit": "25.2",
            "upper  limit": "25.3",
        },
        RIGHT,
        1.1,
    ),
    Case(
        "MedCalc-Bench, reformatted",
        "the limits are read, not the default ±5 % window",
        {
            "CALCULATOR ID": 2,
            "ground-truth answer": "25.238",
            "LowerLimit": "25.2",
            "upper  limit": "25.3",
        },
        answer({"answer": 26}),
        0.0,
    ),
    Case(
        "pandas / numpy",
        "np.int64 id, np.float64 label and limits",
        {
            "calculator_id": np.int64(2),
            "ground_truth": np.float64(25.238),
            "lower_limit": np.float64(23.9761),
            "upper_limit": np.float64(26.4999),
        },
        RIGHT,
        1.1,
    ),
    Case(
        "pandas / Arrow with gaps",
        "calculator_id = 2.0",
        {**MEDCALC, "calculator_id": 2.0},
        RIGHT,
        1.1,
    ),
    Case(
        "CSV written by pandas",
        "calculator_id = '2.0'",
        {**MEDCALC, "calculator_id": "2.0"},
        RIGHT,
        1.1,
    ),
    Case("pandas", "trials label = 2.0", {"task": "trials", "label": 2.0}, ELIGIBLE, 1.1),
    Case(
        "numpy",
        "trials label = np.int64(2)",
        {"task": "trials", "label": np.int64(2)},
        ELIGIBLE,
        1.1,
    ),
    Case(
        "verl via pandas",
        "EHRSHOT chexpert label as np.ndarray",
        {"ehrshot_task": "chexpert", "label": np.array(CHEXPERT_GOLD)},
        CHEXPERT_RIGHT,
        1.1,
    ),
    Case(
        "CSV",
        "EHRSHOT chexpert label as JSON text",
        {"ehrshot_task": "chexpert", "label": json.dumps(CHEXPERT_GOLD)},
        CHEXPERT_RIGHT,
        1.1,
    ),
    Case(
        "verl",
        "label in ground_truth, other columns in extra_info",
        {**MEDCALC},
        RIGHT,
        1.1,
        verl=("25.238", {k: v for k, v in MEDCALC.items() if k != "ground_truth"}),
    ),
    Case(
        "verl",
        "ground_truth as a JSON object string",
        {**MEDCALC},
        RIGHT,
        1.1,
        verl=(json.dumps(MEDCALC), None),
    ),
    Case("any", "typo'd task 'medcalcc'", {**MEDCALC, "task": "medcalcc"}, RIGHT, UNGRADED),
    Case(
        "any",
        "limits that exclude the label",
        {**MEDCALC, "lower_limit": "30", "upper_limit": "40"},
        RIGHT,
        UNGRADED,
    ),
    Case("any", "a row no family recognizes", {"label": 2}, ELIGIBLE, UNGRADED),
    # --- model output conventions ----------------------------------------------------------
    *(
        Case(
            "TRL conversational",
            f"think text in {field_name!r}",
            MEDCALC,
            [
                {
                    "role": "assistant",
                    field_name: "Step by step.",
                    "content": ANSWER_BLOCK,
                }
            ],
            1.1,
            only=("reward_fn", "grade"),
        )
        for field_name in ("reasoning_content", "thinking", "reasoning")
    ),
    Case(
        "TRL conversational (Qwen3)",
        "empty think block split off, no reasoning key",
        MEDCALC,
        [{"role": "assistant", "content": ANSWER_BLOCK}],
        1.1,
        only=("reward_fn", "grade"),
    ),
    *(
        Case("decoded with special tokens", f"{token} after </answer>", MEDCALC, RIGHT + token, 1.1)
        for token in END_OF_TURN
    ),
    Case(
        "decoded with special tokens",
        "50,000 × </s> after </answer>",
        MEDCALC,
        RIGHT + "</s>" * 50_000,
        1.1,
    ),
    # --- reward hacks --------------------------------------------------------------------------
    *(
        Case("hedged answer", repr(text), MEDCALC, answer({"answer": text}), 0.0)
        for text, _ in hedged_answers("25.24")
    ),
    Case(
        "power",
        "'25²' for an integer score of 25",
        {"calculator_id": 4, "ground_truth": "25"},
        answer({"answer": "25²"}),
        0.0,
    ),
    Case(
        "case-variant duplicate key",
        '{"answer": "25.2", "Answer": 30}',
        MEDCALC,
        answer('{"answer": "25.24", "Answer": 30}'),
        -2.0,
    ),
    Case(
        "degenerate multilabel answer under brier",
        "all-negative chexpert answer",
        {"ehrshot_task": "chexpert", "label": CHEXPERT_GOLD},
        answer({"prediction": [], "label": [0] * 14}),
        0.6,  # 0.1 format + 0.5 (positives and negatives each carry half), not 0.1 + 11/14
        spec="brier",
    ),
    # --- false negatives -----------------------------------------------------------------------
    Case(
        "Arabic locale",
        "'٢٥٫٢' (Arabic decimal separator)",
        MEDCALC,
        answer({"answer": "٢٥٫٢"}),
        1.1,
    ),
    Case(
        "weeks+days",
        '{"weeks": 14.0, "days": 1}',
        {"calculator_id": 69, "ground_truth": "('14 weeks', '1 days')"},
        answer({"answer": {"weeks": 14.0, "days": 1}}),
        1.1,
    ),
    Case(
        "full-width text",
        "trials 'Ｅｌｉｇｉｂｌｅ'",
        {"task": "trials", "label": 2},
        answer({"prediction": "Ｅｌｉｇｉｂｌｅ", "idx": 2}),
        1.1,
    ),
    Case(
        "full-width text",
        "EHRSHOT 'ＹＥＳ'",
        {"ehrshot_task": "guo_icu", "label": 1},
        answer({"prediction": "ＹＥＳ", "label": 1}),
        1.1,
    ),
    Case(
        "label spelling",
        "EHRSHOT 'YES.'",
        {"ehrshot_task": "guo_icu", "label": 1},
        answer({"prediction": "YES.", "label": 1}),
        1.1,
    ),
    Case(
        "label spelling",
        "EHRSHOT 'icu-transfer'",
        {"ehrshot_task": "guo_icu", "label": 1},
        answer({"prediction": "icu-transfer", "label": 1}),
        1.1,
    ),
]


def _columns(row: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [value] for key, value in row.items()}


def _json_label(row: dict[str, Any]) -> str:
    flat = {k: plain_value(v) for k, v in row.items() if k not in ("data_source", "ability")}
    return json.dumps(flat, ensure_ascii=False)


def run_trl(case: Case) -> float | str:
    reward = TaskReward(None, case.spec, name="reward_fn")
    score = reward(prompts=["p"], completions=[case.completion], **_columns(case.row))[0]
    return UNGRADED if score is None else score


def run_grade(case: Case) -> float | str:
    try:
        verdict = grade(case.completion, case.row, spec=case.spec)
    except (UngradedError, UnknownTaskError):
        return UNGRADED
    return UNGRADED if verdict.reason == "bad_record" else verdict.score


def run_verl(case: Case) -> float | str:
    truth, extra = case.verl or (case.row, None)
    result = compute_score(case.data_source, case.completion, truth, extra, spec=case.spec)
    return result["score"] if result["graded"] else UNGRADED


def run_openrlhf(case: Case) -> float | str:
    pytest.importorskip("torch", reason="the OpenRLHF adapter returns torch tensors")
    from ehrmind_rewards.adapters.openrlhf import reward_func

    prompt = "<|start_header_id|>user<|end_header_id|>\nQ?<|eot_id|>"
    prompt += "<|start_header_id|>assistant<|end_header_id|>\n"
    out = reward_func(
        [prompt + str(case.completion)], [prompt], [_json_label(case.row)], spec=case.spec
    )
    if out["extra_logs"]["ungraded"].item():
        return UNGRADED
    return round(float(out["rewards"][0]), 6)


RUNNERS: dict[str, Callable[[Case], float | str]] = {
    "reward_fn": run_trl,
    "grade": run_grade,
    "compute_score": run_verl,
    "reward_func": run_openrlhf,
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_conformance_table(case: Case, entry: str) -> None:
    if entry not in case.only:
        pytest.skip(f"{entry} does not take this shape")
    expected = case.overrides.get(entry, case.expected)
    before = sum(ungraded_counts().values())
    got = RUNNERS[entry](case)
    if isinstance(expected, float):
        assert got == pytest.approx(expected), case.id
    else:
        assert got == expected, case.id
        if entry != "grade":
            assert sum(ungraded_counts().values()) > before, "an ungraded row must be counted"
