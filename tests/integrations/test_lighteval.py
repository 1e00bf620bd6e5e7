"""lighteval's Inspect AI backend runs the MedCalc-Bench config (``mockllm``, a local Hub copy).

The Hub dataset is replaced by a local folder in the same layout (a parquet file of the shipped
v1.0 rows with the Hub's column types), which ``datasets`` loads as it would the Hub id; the task
is built by lighteval's own ``get_inspect_ai_task`` and run by ``inspect_ai.eval``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip(
    "lighteval",
    reason="lighteval 0.13 pins latex2sympy2_extended 1.0.6, verifiers needs 1.11: install it "
    "in an environment of its own (pip install lighteval inspect-ai)",
)
datasets = pytest.importorskip("datasets", reason="the train extra provides datasets")

from lighteval.main_inspect import get_inspect_ai_task  # noqa: E402

from ehrmind_rewards import grade  # noqa: E402
from ehrmind_rewards.integrations.lighteval import task_config  # noqa: E402
from ehrmind_rewards.tasks.medcalc.hub import native_features, to_rows  # noqa: E402
from tests.helpers import V1_TEST_CSV  # noqa: E402
from tests.integrations.test_inspect_ai import metrics, run  # noqa: E402
from tests.serve.cases import record_of  # noqa: E402


def test_medcalc_runs_through_lightevals_inspect_backend(tmp_path: Path) -> None:
    native = datasets.Dataset.from_csv(str(V1_TEST_CSV), features=native_features())
    native = native.select(range(8))
    (tmp_path / "hub" / "data").mkdir(parents=True)
    native.to_parquet(str(tmp_path / "hub" / "data" / "test-00000-of-00001.parquet"))
    config = task_config("medcalc", hf_repo=str(tmp_path / "hub"))
    task = get_inspect_ai_task(config)
    rows = to_rows(native)
    answers = {
        row["prompt"][-1][
            "content"
        ]: f'<think>…</think><answer>{{"answer": "{row["ground_truth"]}"}}</answer>'
        for row in rows
    }
    log = run(task, lambda prompt: answers[prompt], tmp_path / "logs")
    assert len(log.samples) == 8
    expected = [grade(answers[r["prompt"][-1]["content"]], record_of(r)) for r in rows]
    assert metrics(log)["accuracy"] == pytest.approx(sum(v.correct is True for v in expected) / 8)
    assert metrics(log)["accuracy"] > 0.5
    doc = config.prompt_function(native[0], "medcalc_bench")
    assert doc.query == rows[0]["prompt"][-1]["content"]
