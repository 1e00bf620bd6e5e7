"""Loud, not silent: ungraded rows are counted, logged once per cause with the fix, reported to
TRL as ``<name>/ungraded``, and raise with ``strict=True`` — in every adapter."""

from __future__ import annotations

import logging
import sys
import types
from typing import Any

import pytest

from ehrmind_rewards import TaskReward, reward_fn, ungraded_counts
from ehrmind_rewards.adapters import verl
from ehrmind_rewards.core import dispatch
from ehrmind_rewards.core.errors import UngradedError

RIGHT = '<think>r</think><answer>{"answer": 25.24}</answer>'
ROW = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}


@pytest.fixture(autouse=True)
def fresh_counts() -> None:
    dispatch.reset_ungraded()


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    keys = dict.fromkeys(key for row in rows for key in row)
    return {key: [row.get(key) for row in rows] for key in keys}


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_typo_in_the_task_is_logged_once_with_the_fix(caplog: pytest.LogCaptureFixture) -> None:
    rows = [{**ROW, "task": "medcalcc"}] * 3 + [{**ROW, "task": "medcalc"}]
    with caplog.at_level(logging.WARNING, logger="ehrmind_rewards"):
        for _ in range(2):
            scores = reward_fn(completions=[RIGHT] * 4, **_columns(rows))
            assert scores == [None, None, None, 1.1]
    assert ungraded_counts() == {"unknown_task": 6}
    assert _warnings(caplog) == [
        "ehrmind_rewards: row not graded: task 'medcalcc' is not a registered task; known: "
        "ehrshot, medcalc, trials. Set the row's 'task' column to one of them, or install the "
        "package that registers 'medcalcc'. (logged once per cause; "
        "ehrmind_rewards.ungraded_counts() counts every row)"
    ]


def test_each_distinct_cause_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    rows = [
        {**ROW, "lower_limit": "30", "upper_limit": "40"},
        {**ROW, "lower_limit": "31", "upper_limit": "41"},  # same cause, other values
        {**ROW, "calculator_id": "two"},
        {**ROW, "task": "trialz"},
    ]
    with caplog.at_level(logging.WARNING, logger="ehrmind_rewards"):
        assert reward_fn(completions=[RIGHT] * 4, **_columns(rows)) == [None] * 4
    messages = _warnings(caplog)
    assert len(messages) == 3
    assert (
        "medcalc record cannot be graded: limits [30, 40] do not contain ground_truth"
        in (messages[0])
    )
    assert "calculator_id 'two' is not an integer" in messages[1]
    assert ungraded_counts() == {"bad_record": 3, "unknown_task": 1}


def test_trl_reports_the_ungraded_share_and_the_parsed_answers() -> None:
    metrics: dict[str, float] = {}
    extra: dict[str, list[Any]] = {}
    rows = [ROW, {**ROW, "task": "nope"}, {**ROW, "lower_limit": "30"}, ROW]
    completions = [RIGHT, RIGHT, RIGHT, '<think>r</think><answer>{"answer": "26 mL/min"}</answer>']
    scores = reward_fn(
        completions=completions,
        log_metric=metrics.__setitem__,
        log_extra=extra.__setitem__,
        **_columns(rows),
    )
    assert scores == [1.1, None, None, 1.1]
    assert metrics["reward_fn/ungraded"] == 0.5
    assert metrics["reward_fn/correctness"] == 1.0
    assert extra["reward_fn_reason"] == [
        "correct",
        "ungraded:unknown_task",
        "bad_record",
        "correct",
    ]
    assert extra["reward_fn_parsed"] == ["25.24", None, None, "26"]


def test_trl_reports_zero_ungraded_when_all_rows_are_graded() -> None:
    metrics: dict[str, float] = {}
    reward_fn(completions=[RIGHT], log_metric=metrics.__setitem__, **_columns([ROW]))
    assert metrics["reward_fn/ungraded"] == 0.0


def test_strict_raises_with_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verl, "_verl_default", [None])  # as without verl installed
    strict = TaskReward(None, strict=True)
    assert strict(completions=[RIGHT], **_columns([ROW])) == [1.1]
    with pytest.raises(UngradedError, match="task 'medcalcc' is not a registered task"):
        strict(completions=[RIGHT], **_columns([{**ROW, "task": "medcalcc"}]))
    with pytest.raises(UngradedError, match="do not contain ground_truth"):
        strict(completions=[RIGHT], **_columns([{**ROW, "lower_limit": "30"}]))
    with pytest.raises(UngradedError, match="no family recognizes a record with columns"):
        verl.compute_score("custom", RIGHT, {"label": 2}, strict=True)
    with pytest.raises(UngradedError, match="is not a registered task"):
        TaskReward("medcalcc", strict=True)(completions=[RIGHT], **_columns([ROW]))


def test_a_reward_for_an_uninstalled_task_counts_every_row() -> None:
    assert TaskReward("medcalcc")(completions=[RIGHT] * 3, **_columns([ROW] * 3)) == [None] * 3
    assert ungraded_counts() == {"unknown_task": 3}


def test_rows_of_another_registered_task_are_not_ungraded() -> None:
    from ehrmind_rewards import medcalc_reward

    assert medcalc_reward(completions=[RIGHT], **_columns([{**ROW, "task": "trials"}])) == [None]
    assert ungraded_counts() == {}


def test_old_trl_is_warned_about_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from ehrmind_rewards.adapters import trl as adapter

    monkeypatch.setitem(sys.modules, "trl", types.SimpleNamespace(__version__="0.21.0"))
    monkeypatch.setattr(adapter, "_warned_old_trl", [])
    with caplog.at_level(logging.WARNING, logger="ehrmind_rewards"):
        reward_fn(completions=[RIGHT, RIGHT], **_columns([ROW, {**ROW, "task": "x"}]))
        reward_fn(completions=[RIGHT, RIGHT], **_columns([ROW, {**ROW, "task": "x"}]))
    old = [m for m in _warnings(caplog) if m.startswith("ehrmind_rewards: TRL")]
    assert old == [
        "ehrmind_rewards: TRL 0.21.0 counts a None reward as 0, so ungraded rows and rows of "
        "other tasks pull the group's mean down; upgrade to trl>=1.6 (pip install "
        "'ehrmind-rewards[train]')"
    ]


def test_the_train_extra_requires_none_aware_trl() -> None:
    import tomllib

    from tests.paths import ROOT

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert "trl>=1.6" in extras["train"]


# --- verl: acc, pred, and the fall-through to verl's own scorers ---------------------------------


def test_verl_results_carry_acc_and_pred_for_every_row() -> None:
    right = verl.compute_score("medcalc_train", RIGHT, ROW)
    wrong = verl.compute_score("medcalc_train", RIGHT.replace("25.24", "30"), ROW)
    broken = verl.compute_score("medcalc_train", "no envelope", ROW)
    unusable = verl.compute_score("medcalc_train", RIGHT, {**ROW, "lower_limit": "30"})
    assert (right["acc"], right["pred"]) == (1.0, "25.24")
    assert (wrong["acc"], wrong["pred"]) == (0.0, "30")
    assert (broken["acc"], broken["pred"]) == (0.0, "")
    assert (unusable["acc"], unusable["graded"], unusable["score"]) == (0.0, 0.0, 0.0)
    assert right.keys() == wrong.keys() == broken.keys() == unusable.keys()


def _fake_verl(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """An importable ``verl.utils.reward_score`` whose ``default_compute_score`` behaves like
    verl's: gsm8k scored, other sources ``NotImplementedError``."""
    calls: list[tuple[Any, ...]] = []

    def default_compute_score(
        data_source: str, solution_str: str, ground_truth: Any, extra_info: Any = None, **kw: Any
    ) -> float | dict[str, Any]:
        calls.append((data_source, solution_str, ground_truth, extra_info, kw))
        if data_source == "openai/gsm8k":
            return 1.0 if solution_str.endswith(f"#### {ground_truth}") else 0.0
        if data_source == "math_dapo":
            return {"score": 1.0, "acc": True, "pred": "42"}
        raise NotImplementedError(f"Reward function is not implemented for {data_source=}")

    package = types.ModuleType("verl")
    utils = types.ModuleType("verl.utils")
    scorer = types.ModuleType("verl.utils.reward_score")
    scorer.default_compute_score = default_compute_score  # type: ignore[attr-defined]
    for name, module in (("verl", package), ("verl.utils", utils), (verl.VERL_SCORER, scorer)):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(verl, "_verl_default", [])
    return calls


def test_unknown_sources_fall_through_to_verls_default_scorer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _fake_verl(monkeypatch)
    gsm8k = verl.compute_score("openai/gsm8k", "so #### 72", "72", {"index": 1})
    assert (gsm8k["score"], gsm8k["graded"], gsm8k["acc"], gsm8k["pred"]) == (1.0, 1.0, 1.0, "")
    dapo = verl.compute_score("math_dapo", "x", "42")
    assert (dapo["score"], dapo["acc"], dapo["pred"]) == (1.0, 1.0, "42")
    assert calls[0][:4] == ("openai/gsm8k", "so #### 72", "72", {"index": 1})
    ours = verl.compute_score("medcalc_train", RIGHT, ROW)
    assert ours["score"] == 1.1 and len(calls) == 2  # this package's sources never fall through
    assert gsm8k.keys() == ours.keys()


def test_a_source_nobody_scores_is_ungraded_and_says_why(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _fake_verl(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="ehrmind_rewards"):
        result = verl.compute_score("my_dataset", RIGHT, "25.238")
    assert (result["score"], result["graded"]) == (0.0, 0.0)
    (message,) = _warnings(caplog)
    assert message.startswith(
        "ehrmind_rewards: row not graded: data_source 'my_dataset' names no task family, and no "
        "family recognizes a record with columns [ground_truth]; verl's default_compute_score "
        "does not score it either (Reward function is not implemented for "
        "data_source='my_dataset')."
    )


def test_without_verl_an_unknown_source_is_ungraded(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(verl, "_verl_default", [None])
    with caplog.at_level(logging.WARNING, logger="ehrmind_rewards"):
        result = verl.compute_score("gsm8k", "#### 72", "72")
    assert result["graded"] == 0.0 and ungraded_counts() == {"unknown_source": 1}
    assert "verl is not installed here" in _warnings(caplog)[0]
