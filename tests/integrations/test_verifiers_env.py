"""The ``verifiers`` environment through verifiers' own evaluation path (``run_eval``).

The model is a fixed-response OpenAI-compatible endpoint on loopback (``openai_endpoint.py``):
it answers each prompt with a chosen completion. verifiers drives it through its interception
server and the ``null`` chat harness (a ``uv`` script in a local subprocess), records traces,
and scores them with the taskset's rewards; the rewards are compared with in-process grading.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("verifiers.v1", reason="the verifiers extra provides verifiers")
pytest.importorskip("fastapi", reason="the fixed-response endpoint runs on FastAPI")
if shutil.which("uv") is None:
    pytest.skip(
        "verifiers' chat harness runs as a uv script; uv is not installed", allow_module_level=True
    )

from verifiers.v1.cli.eval.runner import run_eval
from verifiers.v1.configs.cli.eval import EvalConfig
from verifiers.v1.configs.client import EvalClientConfig

from ehrmind_rewards import grade, tasks
from ehrmind_rewards.integrations.verifiers import (
    EHRMindTaskset,
    EHRMindTasksetConfig,
    load_environment,
)
from tests.integrations.openai_endpoint import MODEL, endpoint
from tests.serve.cases import medcalc_completions, record_of
from tests.serve.conftest import running


def _evaluate(env: Any, url: str, tmp_path: Path, limit: int) -> list[Any]:
    os.environ.setdefault("FIXED_REPLY_API_KEY", "unused")
    config = EvalConfig(
        env=env.config,
        model=MODEL,
        client=EvalClientConfig(base_url=f"{url}/v1", api_key_var="FIXED_REPLY_API_KEY"),
        select={"limit": limit},
        rich=None,
        push=False,
        output_dir=tmp_path,
    )
    episodes = asyncio.run(run_eval(config))
    return [trace for episode in episodes for trace in episode.traces]


def test_the_taskset_loads_benchmark_rows_as_tasks() -> None:
    taskset = EHRMindTaskset(EHRMindTasksetConfig(benchmark="medcalc", options={"limit": 3}))
    loaded = list(taskset)
    rows = tasks.get("medcalc").benchmark_rows(limit=3)
    assert [t.data.id for t in loaded] == [r["id"] for r in rows]
    assert loaded[0].data.prompt_text == rows[0]["prompt"][-1]["content"]
    assert loaded[0].data.record["calculator_id"] == rows[0]["calculator_id"]


def test_medcalc_rewards_through_verifiers_eval(tmp_path: Path) -> None:
    completions = medcalc_completions()
    rows = tasks.get("medcalc").benchmark_rows(limit=6)
    replies = {row["prompt"][-1]["content"]: completions[row["id"]] for row in rows}
    replies[rows[5]["prompt"][-1]["content"]] = "I cannot answer."  # a format failure
    seen: list[dict[str, Any]] = []
    with running(endpoint(lambda prompt: replies[prompt], seen)) as url:
        traces = _evaluate(load_environment("medcalc", limit=6), url, tmp_path, limit=6)
    assert len(traces) == 6 and all(t.ok for t in traces), [t.errors for t in traces]
    assert {body["model"] for body in seen} == {MODEL}
    by_id = {row["id"]: row for row in rows}
    for trace in traces:
        row = by_id[trace.task.data.id]
        verdict = grade(replies[row["prompt"][-1]["content"]], record_of(row))
        rewards = {name: reward.score for name, reward in trace.rewards.items()}
        assert rewards == verdict.components  # format and correctness, separately
        assert {name: r.weight for name, r in trace.rewards.items()} == {
            "format": 1.0,
            "correctness": 1.0,
        }
        assert trace.reward == pytest.approx(verdict.score)
        assert trace.metrics["format_ok"] == float(verdict.format_ok)
        assert trace.metrics["correct"] == float(verdict.correct is True)
    assert sorted(t.reward for t in traces)[0] == -2.0


def test_trials_with_the_binary_spec(tmp_path: Path) -> None:
    from tests.integrations.test_inspect_ai import _trials_inputs

    topics, qrels, trials = _trials_inputs(tmp_path)
    eligible = (
        '<think>Meets the criteria.</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'
    )
    env = load_environment(
        "trials", spec="binary", topics=str(topics), qrels=str(qrels), trials=str(trials)
    )
    with running(endpoint(lambda _: eligible, [])) as url:
        traces = _evaluate(env, url, tmp_path / "out", limit=3)
    rewards = sorted(t.reward for t in traces)
    assert rewards == [0.0, 0.0, 1.0]  # binary: 1 for the one eligible pair, 0 otherwise
