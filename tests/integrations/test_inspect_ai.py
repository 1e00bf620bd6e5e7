"""Inspect AI tasks and scorers, run end to end through ``inspect_ai.eval`` on ``mockllm``.

The mock model answers each sample with a fixed completion chosen by the sample's prompt, so the
scores Inspect reports can be compared with grading the same completions in-process.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("inspect_ai", reason="the inspect extra provides Inspect AI")

from inspect_ai import eval as inspect_eval
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ContentReasoning,
    ContentText,
    ModelOutput,
    ModelUsage,
    get_model,
)

from ehrmind_rewards import grade, tasks
from ehrmind_rewards.integrations import inspect_ai as integration
from tests.paths import DATA
from tests.serve.cases import medcalc_completions, medcalc_items, record_of

Answer = Callable[[str], str | ModelOutput]


def mock_model(answer: Answer) -> Any:
    """``mockllm`` answering each prompt with ``answer(last user message text)``."""

    def respond(messages: list[ChatMessage], *_: Any) -> ModelOutput:
        output = answer(messages[-1].text)
        if isinstance(output, str):
            output = ModelOutput.from_content(model="mockllm/model", content=output)
        output.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)  # no tokenizer
        return output

    return get_model("mockllm/model", custom_outputs=respond)


def run(task: Any, answer: Answer, tmp_path: Path) -> Any:
    [log] = inspect_eval(task, model=mock_model(answer), log_dir=str(tmp_path), display="none")
    assert log.status == "success", log.error
    return log


def metrics(log: Any) -> dict[str, float]:
    return {name: m.value for name, m in log.results.scores[0].metrics.items()}


def test_the_public_names_exist() -> None:
    for name in (
        "medcalc_scorer",
        "trials_scorer",
        "ehrshot_scorer",
        "medcalc_bench",
        "trec_ct",
        "ehrshot",
    ):
        assert callable(getattr(integration, name))
    with pytest.raises(AttributeError, match="medcalc_bench"):
        integration.medcalc_bench_v2  # noqa: B018


def test_medcalc_bench_scores_equal_in_process_grading(tmp_path: Path) -> None:
    completions = medcalc_completions()  # the bundled example completion of each bundled row
    rows = tasks.get("medcalc").benchmark_rows()
    by_prompt = {row["prompt"][-1]["content"]: completions[row["id"]] for row in rows}
    log = run(integration.medcalc_bench(), lambda prompt: by_prompt[prompt], tmp_path)
    verdicts = {row["id"]: grade(completions[row["id"]], record_of(row)) for row in rows}
    assert len(log.samples) == 40
    for sample in log.samples:
        score = sample.scores["medcalc_scorer"]
        verdict = verdicts[sample.id]
        assert score.value == ("C" if verdict.correct else "I")
        assert score.metadata["reason"] == verdict.reason.value
        assert score.metadata["components"] == verdict.components
        assert score.metadata["reward"] == verdict.score
        assert score.answer == verdict.parsed
    values = metrics(log)
    correct = sum(v.correct is True for v in verdicts.values())
    assert values["accuracy"] == pytest.approx(correct / 40)
    assert values["mean_reward"] == pytest.approx(sum(v.score for v in verdicts.values()) / 40)
    assert values["format_rate"] == pytest.approx(sum(v.format_ok for v in verdicts.values()) / 40)


def test_medcalc_bench_reads_any_csv_and_takes_the_spec(tmp_path: Path) -> None:
    source = DATA / "medcalc_bench" / "v1.0" / "test_data.csv"
    subset = tmp_path / "subset.csv"
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[:6]
    with subset.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    log = run(integration.medcalc_bench(subset, spec="binary"), lambda _: "no tags", tmp_path)
    assert len(log.samples) == 5
    assert metrics(log)["mean_reward"] == 0.0  # binary: a format failure scores 0, not -2
    assert metrics(log)["format_rate"] == 0.0


def _trials_inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    topics = DATA / "trec_ct" / "trialgpt" / "trec_2021" / "queries.jsonl"
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text(
        "query-id\tcorpus-id\tscore\ntrec-20211\tNCT90000001\t2\n"
        "trec-20211\tNCT90000002\t0\ntrec-20212\tNCT90000003\t1\n"
    )
    trials = tmp_path / "trials"
    shutil.copytree(DATA / "trec_ct" / "clinicaltrials", trials)
    return topics, qrels, trials


def test_trec_ct_runs_from_topics_qrels_and_trial_files(tmp_path: Path) -> None:
    topics, qrels, trials = _trials_inputs(tmp_path)
    eligible = (
        '<think>Meets the criteria.</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'
    )
    log = run(integration.trec_ct(topics, qrels, trials), lambda _: eligible, tmp_path)
    values = {s.id: s.scores["trials_scorer"].value for s in log.samples}
    assert values == {
        "trec-20211:NCT90000001": "C",
        "trec-20211:NCT90000002": "I",
        "trec-20212:NCT90000003": "I",
    }
    assert metrics(log)["accuracy"] == pytest.approx(1 / 3)


def test_ehrshot_runs_from_a_meds_folder(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="the ehrshot extra reads MEDS parquet")
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    root = synthesize(10, 1, tmp_path / "meds", events_per_patient=120)
    task = integration.ehrshot(root, tasks=["new_hypertension"], split=None)
    answer = '<think>x</think><answer>{"prediction": "no hypertension", "label": 0}</answer>'
    log = run(task, lambda _: answer, tmp_path)
    rows = tasks.get("ehrshot").benchmark_rows(root, tasks=["new_hypertension"], split=None)
    expected = {
        row["id"]: grade(answer, {k: v for k, v in row.items() if k != "prompt"}) for row in rows
    }
    for sample in log.samples:
        score = sample.scores["ehrshot_scorer"]
        assert score.metadata["reward"] == expected[sample.id].score
        assert score.metadata["components"] == expected[sample.id].components


def test_split_off_reasoning_is_read_as_the_think_block(tmp_path: Path) -> None:
    items = medcalc_items()[:1]
    completion, record = items[0]
    answer_block = completion[completion.index("<answer>") :]
    reasoning = completion[len("<think>") : completion.index("</think>")]

    def answer(_: str) -> ModelOutput:
        message = ChatMessageAssistant(
            content=[ContentReasoning(reasoning=reasoning), ContentText(text=answer_block)]
        )
        return ModelOutput.from_message(message)

    log = run(integration.medcalc_bench(limit=1), answer, tmp_path)
    score = log.samples[0].scores["medcalc_scorer"]
    assert score.metadata["reason"] == grade(completion, record).reason.value
    assert score.metadata["format_ok"] is True


def test_the_tasks_are_registered_for_inspect_eval_by_name(tmp_path: Path) -> None:
    from importlib.metadata import entry_points

    from inspect_ai._util.registry import registry_info

    if not any(p.value == integration.__name__ for p in entry_points(group="inspect_ai")):
        pytest.skip("the package is not installed with its inspect_ai entry point")
    # "ehrmind_rewards/medcalc_bench" once installed; a source checkout's own egg-info, seen
    # from its root, hides the install and drops the package prefix
    name = registry_info(integration.medcalc_bench).name
    assert name.endswith("medcalc_bench")
    [log] = inspect_eval(
        name,
        task_args={"limit": 2, "spec": "graded"},
        model=mock_model(lambda _: "no tags"),
        log_dir=str(tmp_path),
        display="none",
    )
    assert log.status == "success"
    assert len(log.samples) == 2
    assert json.loads(json.dumps(log.eval.task_args)) == {
        "path": None,
        "limit": 2,
        "spec": "graded",
    }
