"""The task registry and dispatcher: lazy imports, unknown and missing tasks, hostile input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import grade_row
from ehrmind_rewards.core.errors import UnknownTaskError
from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.testing import hostile_completions, spec_scores

ROW = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}


def test_known_tasks_load_on_first_use() -> None:
    family = registry.get("medcalc")
    assert registry.get("medcalc") is family
    verdict = grade_row("medcalc", "<think></think><answer>{}</answer>", ROW, EHRMIND)
    assert verdict is not None and verdict.reason == "missing_key"


def test_an_unknown_task_is_an_error_listing_the_known_ones() -> None:
    with pytest.raises(
        UnknownTaskError, match=r"'medcalcc' is not a registered task; known: .*medcalc"
    ):
        registry.get("medcalcc")
    assert registry.find("medcalcc") is None
    assert grade_row("never-registered", "x", ROW, EHRMIND) is None


def test_a_task_whose_module_is_missing_is_unhandled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry._pending, "ghost", "ehrmind_rewards.tasks.no_such_task:FAMILY")
    assert registry.find("ghost") is None
    assert grade_row("ghost", "x", ROW, EHRMIND) is None
    assert "ghost" not in registry.names()
    registry._missing.discard("ghost")


def test_a_broken_task_module_is_not_silently_unhandled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken_task_module.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(registry._pending, "broken", "broken_task_module:FAMILY")
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_xyz"):
        registry.find("broken")
    sys.modules.pop("broken_task_module", None)


def test_registering_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        registry.register(type(registry.get("trials"))())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(completion=hostile_completions())
def test_openrlhf_reward_func_survives_hostile_text(completion: object) -> None:
    pytest.importorskip("torch", reason="the OpenRLHF adapter returns torch tensors")
    from ehrmind_rewards.adapters.openrlhf import reward_func

    query = completion if isinstance(completion, str) else str(completion)
    out = reward_func(["P" + query], ["P"], [ROW])
    reward = out["rewards"].tolist()[0]
    assert any(abs(reward - value) < 1e-6 for value in spec_scores())


def test_threads_that_first_ask_for_a_family_at_once_get_one_instance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib
    import threading
    import time
    import types

    family = registry.get("trials")
    monkeypatch.delitem(registry._families, "trials")
    monkeypatch.setitem(registry._pending, "trials", "ehrmind_rewards.tasks.trials:FAMILY")

    def slow_import(name: str) -> types.ModuleType:
        time.sleep(0.05)  # a first import takes time: every thread arrives while it runs
        return importlib.import_module(name)

    monkeypatch.setattr(registry, "importlib", types.SimpleNamespace(import_module=slow_import))
    start = threading.Barrier(8)
    found: list[object] = []

    def ask() -> None:
        start.wait()
        try:
            found.append(registry.find("trials"))
        except Exception as error:  # a lost race surfaces here
            found.append(error)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [family] * 8
    assert "trials" not in registry._pending
