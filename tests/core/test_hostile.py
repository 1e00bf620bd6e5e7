"""Hostile input against every public entry point: never raises, never hangs, never evaluates."""

from __future__ import annotations

import builtins
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehrmind_rewards import grade, medcalc_reward, reward_fn
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.core.dispatch import grade_row
from ehrmind_rewards.core.parsing import parse_envelope, parse_payload
from ehrmind_rewards.core.parsing.values import parse_date, parse_number, parse_weeks_days
from ehrmind_rewards.core.rewards import BINARY, EHRMIND, GRADED
from ehrmind_rewards.testing import (
    EVAL_PAYLOADS,
    answer_forms,
    assert_reward_invariants,
    hostile_completions,
    well_formed_completions,
)

ROW = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}
DATE_ROW = {"calculator_id": 13, "ground_truth": "09/23/2014"}
GA_ROW = {"calculator_id": 69, "ground_truth": "('14 weeks', '1 days')"}
HOSTILE = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _columns(row: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [value] for key, value in row.items()}


ENTRY_POINTS = {
    "grade": lambda c, row, spec: grade(c, row, spec=spec).score,
    "grade_row": lambda c, row, spec: grade_row("medcalc", c, row, spec).score,  # type: ignore[union-attr]
    "reward_fn": lambda c, row, spec: (
        reward_fn(prompts=["p"], completions=[c], **_columns(row))[0]
        if spec is EHRMIND
        else grade(c, row, spec=spec).score
    ),
    "medcalc_reward": lambda c, row, spec: (
        medcalc_reward(completions=[c], **_columns(row))[0]
        if spec is EHRMIND
        else grade(c, row, spec=spec).score
    ),
    "verl": lambda c, row, spec: compute_score("medcalc", c, json.dumps(row), spec=spec)["score"],
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize("spec", [EHRMIND, BINARY, GRADED], ids=lambda s: s.name)
@HOSTILE
@given(completion=hostile_completions())
def test_hostile_completions_keep_the_invariants(entry: str, spec: Any, completion: object) -> None:
    for row in (ROW, DATE_ROW, GA_ROW):
        assert_reward_invariants(
            lambda c, row=row: ENTRY_POINTS[entry](c, row, spec), completion, spec
        )


@HOSTILE
@given(completion=hostile_completions())
def test_hostile_input_never_breaks_the_parsers(completion: object) -> None:
    envelope = parse_envelope(completion)
    if hasattr(envelope, "answer"):
        payload = parse_payload(envelope.answer, ("answer",))
        value = payload.get("answer") if isinstance(payload, dict) else envelope.answer
        for parse in (parse_number, parse_date, parse_weeks_days):
            parse(value)
    for parse in (parse_number, parse_date, parse_weeks_days):
        parse(completion)


@pytest.mark.parametrize(
    ("row", "truth", "kind"),
    [
        (ROW, "25.24", "decimal"),
        (DATE_ROW, "09/23/2014", "date"),
        (GA_ROW, "('14 weeks', '1 days')", "weeks_days"),
    ],
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_well_formed_completions_score_1_1_everywhere(
    row: dict[str, Any], truth: str, kind: str, data: st.DataObject
) -> None:
    completion = data.draw(well_formed_completions(answer_forms(truth, kind)))
    for entry in ENTRY_POINTS.values():
        assert entry(completion, row, EHRMIND) == 1.1


def test_eval_payloads_are_never_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "pwned"
    seen: list[object] = []
    real_eval, real_exec = builtins.eval, builtins.exec

    def spy_eval(source: Any, *args: Any) -> Any:
        seen.append(source)
        return real_eval(source, *args)

    def spy_exec(source: Any, *args: Any) -> Any:
        seen.append(source)
        return real_exec(source, *args)

    monkeypatch.setattr(builtins, "eval", spy_eval)
    monkeypatch.setattr(builtins, "exec", spy_exec)
    for payload in EVAL_PAYLOADS:
        code = payload.format(marker=marker)
        for body in (json.dumps({"answer": code}), '{"answer": ' + code + "}"):
            completion = f"<think>x</think><answer>{body}</answer>"
            for row in (ROW, DATE_ROW, GA_ROW, {**ROW, "lower_limit": code, "upper_limit": code}):
                for entry in ENTRY_POINTS.values():
                    score = entry(completion, row, EHRMIND)
                    assert score in (None, 0.0, -2.0)
    # sanity check that the payloads are live: evaluated, the first one creates the marker
    real_eval(EVAL_PAYLOADS[1].format(marker=marker))
    assert marker.exists()
    assert not any(str(marker) in str(source) for source in seen)


def test_hot_path_imports_no_heavy_dependency() -> None:
    code = (
        "import sys, ehrmind_rewards, ehrmind_rewards.tasks.medcalc.verifier, "
        "ehrmind_rewards.adapters.verl, ehrmind_rewards.adapters.openrlhf\n"
        "ehrmind_rewards.grade('<think></think><answer>{\"answer\": 1}</answer>', "
        "{'calculator_id': 4, 'ground_truth': '1'})\n"
        "print(sorted(m for m in ('sympy', 'pint', 'pandas', 'torch', 'transformers') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
