"""The task dispatcher: lazy imports, unhandled tasks, and OpenRLHF under hostile input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ehrmind_rewards import verifiers
from ehrmind_rewards.rewards import EHRMIND
from ehrmind_rewards.testing import hostile_completions, spec_scores

ROW = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}


def test_known_tasks_load_on_first_use() -> None:
    assert verifiers.verifier_for("medcalc") is verifiers.VERIFIERS["medcalc"]
    verdict = verifiers.verify_row("medcalc", "<think></think><answer>{}</answer>", ROW, EHRMIND)
    assert verdict is not None and verdict.reason == "missing_key"


def test_a_task_whose_module_is_missing_is_unhandled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(verifiers.TASK_MODULES, "ghost", "ehrmind_rewards.verifiers.no_such_task")
    assert verifiers.verifier_for("ghost") is None
    assert verifiers.verify_row("ghost", "x", ROW, EHRMIND) is None
    assert verifiers.verify_row("never-registered", "x", ROW, EHRMIND) is None


def test_a_broken_task_module_is_not_silently_unhandled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_task_module.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(verifiers.TASK_MODULES, "broken", "broken_task_module")
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_xyz"):
        verifiers.verifier_for("broken")
    sys.modules.pop("broken_task_module", None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(completion=hostile_completions())
def test_openrlhf_reward_func_survives_hostile_text(completion: object) -> None:
    pytest.importorskip("torch", reason="the OpenRLHF adapter returns torch tensors")
    from ehrmind_rewards.adapters.openrlhf import reward_func

    query = completion if isinstance(completion, str) else str(completion)
    out = reward_func(["P" + query], ["P"], [ROW])
    reward = out["rewards"].tolist()[0]
    assert any(abs(reward - value) < 1e-6 for value in spec_scores())
