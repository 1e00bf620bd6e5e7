"""Offline end to end: each task's shipped config, shrunk to toy size, trains through the CLI.

The base model is a tiny byte-level tokenizer (Llama-3 chat template, adds BOS) and a randomly
initialised two-layer model, built in the test: nothing is downloaded.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("trl", reason="the train extra is not installed")

import ehrmind_rewards.train.trainers as trainers
from ehrmind_rewards.cli import main
from ehrmind_rewards.tasks.medcalc.family import TEXT_COLUMNS as MEDCALC_TEXT_COLUMNS
from ehrmind_rewards.train.toy import build_base_model
from tests.paths import ROOT

CONFIGS = ROOT / "configs"
LLAMA3_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|start_header_id|>{{ m['role'] }}<|end_header_id|>\n\n"
    "{{ m['content'] | trim }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
ROWS: dict[str, dict[str, Any]] = {
    "medcalc": {
        "prompt": "Weight 48 kg, age 87, creatinine 1.4 mg/dL. Creatinine clearance?",
        "calculator_id": 2,
        "ground_truth": 25.238,
        "lower_limit": "23.9761",
        "upper_limit": "26.4999",
        "category": "lab",
        "completion": 'CrCl = 25.24.</think>\n<answer>{"answer": 25.24}</answer>',
    },
    "trials": {
        "prompt": "Patient: 54-year-old woman with type 2 diabetes. Trial: adults with T2D.",
        "label": 2,
        "completion": 'Fits.</think>\n<answer>{"prediction": "Eligible", "idx": 2}</answer>',
    },
    "ehrshot": {
        "prompt": "SYNTHETIC timeline: - ICD10CM/E78.5 - LOINC/2093-3. Hypertension within a year?",
        "ehrshot_task": "new_hypertension",
        "label": 1,
        "completion": 'Risk.</think>\n<answer>{"prediction": "hypertension", "label": 1}</answer>',
    },
}
LABEL_COLUMNS = {
    "medcalc": ("calculator_id", "ground_truth", "lower_limit", "upper_limit"),
    "trials": ("label",),
    "ehrshot": ("ehrshot_task", "label"),
}


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread() -> Any:
    """Toy models run fastest single-threaded, above all on a shared, busy CPU."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def base_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base")
    return build_base_model(out, LLAMA3_TEMPLATE, eos_token="<|eot_id|>", add_bos=True)


def toy_config(kind: str, task: str, base_model: Path, tmp_path: Path, **top: Any) -> Path:
    """The shipped config with the toy model, two rows of toy data and toy sizes."""
    config = yaml.safe_load((CONFIGS / f"{task}_{kind}.yaml").read_text())
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "".join(json.dumps({**ROWS[task], "id": f"{task}-{i}"}) + "\n" for i in range(2))
    )
    config["output_dir"] = str(tmp_path / "out")
    config["model"]["name_or_path"] = str(base_model)
    config["data"] = {
        "task": task,
        "format": "rows",
        "train_file": str(rows),
        "test_file": str(rows),
    }
    config.update(bf16=False, save_steps=1, **top)
    if kind == "sft":
        config["sft"].update(max_steps=2, max_length=192, gradient_accumulation_steps=1)
    else:
        config["grpo"].update(
            max_steps=2,
            prompts_per_step=2,
            num_generations=2,
            per_device_train_batch_size=2,
            max_prompt_length=512,
            max_completion_length=8,
        )
    config["generation"] = {"k": 2, "max_new_tokens": 6, "batch_size": 2}
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def log_records(tmp_path: Path) -> list[dict[str, Any]]:
    lines = (tmp_path / "out" / "log.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("task", ["medcalc", "trials", "ehrshot"])
def test_sft_two_steps_through_the_cli(base_model: Path, tmp_path: Path, task: str) -> None:
    assert (
        main(["train", "sft", "--config", str(toy_config("sft", task, base_model, tmp_path))]) == 0
    )
    losses = [r for r in log_records(tmp_path) if "loss" in r]
    assert [r["step"] for r in losses] == [1, 2]
    assert all(math.isfinite(r["loss"]) for r in losses)
    assert (tmp_path / "out" / "model.safetensors").is_file()


@pytest.mark.parametrize("task", ["medcalc", "trials", "ehrshot"])
def test_grpo_two_steps_call_rewards_with_dataset_columns_and_log_components(
    base_model: Path, tmp_path: Path, task: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    real = trainers.reward_function

    def recording(spec: str):  # type: ignore[no-untyped-def]
        reward = real(spec)

        def recorded(**kwargs: Any) -> Any:
            calls.append(kwargs)
            return reward(**kwargs)

        recorded.__name__ = reward.__name__
        return recorded

    monkeypatch.setattr(trainers, "reward_function", recording)
    config = toy_config("grpo", task, base_model, tmp_path)
    assert main(["train", "grpo", "--config", str(config)]) == 0

    assert len(calls) == 2  # one call per step
    for kwargs in calls:
        assert len(kwargs["completions"]) == 4  # 2 prompts × 2 generations
        assert kwargs["task"] == [task] * 4
        for column in LABEL_COLUMNS[task]:
            value = ROWS[task][column]
            expected = str(value) if column in MEDCALC_TEXT_COLUMNS else value
            assert kwargs[column] == [expected] * 4, column
    records = [r for r in log_records(tmp_path) if "rewards/reward_fn/mean" in r]
    assert [r["step"] for r in records] == [1, 2]
    for record in records:  # the toy model writes noise: every completion is a format failure
        assert record["rewards/reward_fn/mean"] == -2.0
        assert record["reward_fn/format"] == -2.0
        assert record["reward_fn/correctness"] == 0.0
        assert record["reward_fn/format_ok"] == 0.0
    assert (tmp_path / "out" / "checkpoint-2").is_dir()


def test_grpo_checkpoint_is_written_and_resumed(base_model: Path, tmp_path: Path) -> None:
    config = toy_config("grpo", "medcalc", base_model, tmp_path)
    assert main(["train", "grpo", "--config", str(config)]) == 0
    assert (tmp_path / "out" / "checkpoint-2" / "trainer_state.json").is_file()
    data = yaml.safe_load(config.read_text())
    data["grpo"]["max_steps"] = 3
    config.write_text(yaml.safe_dump(data))
    before = len(log_records(tmp_path))
    assert main(["train", "grpo", "--config", str(config), "--resume"]) == 0
    resumed = [r for r in log_records(tmp_path)[before:] if "loss" in r]
    assert [r["step"] for r in resumed] == [3]  # steps 1–2 came from the checkpoint
    state = json.loads((tmp_path / "out" / "checkpoint-3" / "trainer_state.json").read_text())
    assert state["global_step"] == 3


def test_resume_on_a_finished_run_says_so_and_trains_nothing(
    base_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = toy_config("sft", "medcalc", base_model, tmp_path)
    assert main(["train", "sft", "--config", str(config)]) == 0
    capsys.readouterr()
    before = (tmp_path / "out" / "log.jsonl").read_bytes()
    model = (tmp_path / "out" / "model.safetensors").read_bytes()
    assert main(["train", "sft", "--config", str(config), "--resume"]) == 0
    out = capsys.readouterr().out
    assert "already finished at step 2 of 2; nothing to resume" in out
    assert (tmp_path / "out" / "log.jsonl").read_bytes() == before  # no step 3
    assert (tmp_path / "out" / "model.safetensors").read_bytes() == model
    checkpoint = tmp_path / "out" / "checkpoint-2"
    assert main(["train", "sft", "--config", str(config), "--resume", str(checkpoint)]) == 0
    assert "already finished" in capsys.readouterr().out


def test_training_off_a_terminal_logs_progress_with_the_eta(
    base_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = toy_config("sft", "trials", base_model, tmp_path)
    assert main(["train", "sft", "--config", str(config)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("step ")]
    assert lines[0].startswith("step 1/2 · elapsed ") and " · ETA " in lines[0]
    assert lines[-1].startswith("step 2/2 · elapsed ") and "ETA 0:00:00" in lines[-1]
    assert (
        main(["train", "sft", "--config", str(config), "--output-dir", str(tmp_path / "q"), "-q"])
        == 0
    )
    assert "step 1/2" not in capsys.readouterr().err


def test_evaluate_output_is_graded_and_compared_directly(
    base_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for task in ("medcalc", "trials", "ehrshot"):
        folder = tmp_path / task
        folder.mkdir()
        config = str(toy_config("grpo", task, base_model, folder))
        graded = folder / "graded.jsonl"
        argv = ["evaluate", "--config", config, "--backend", "transformers", "-q"]
        assert main([*argv, "-o", str(graded), "--json"]) == 0
        evaluated = json.loads(capsys.readouterr().out)["overall"]
        record = json.loads(graded.read_text().splitlines()[0])
        for column in LABEL_COLUMNS[task]:
            assert column in record, column
        assert "prompt" not in record
        assert main(["grade", str(graded), "--json", "-q"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert summary["task"] == task and summary["n"] == evaluated["n"] == 2
        assert summary["n_bad"] == 0
        assert summary["mean_reward"] == pytest.approx(evaluated["mean_reward"])
        assert main(["compare", str(graded), str(graded), "--json", "-q"]) == 0
        comparison = json.loads(capsys.readouterr().out)
        assert comparison["n_shared"] == 2 and comparison["overall"]["accuracy_delta"] == 0


def test_sample_then_diagnose_then_evaluate(
    base_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(toy_config("grpo", "medcalc", base_model, tmp_path))
    samples = tmp_path / "samples.jsonl"
    assert (
        main(["sample", "--config", config, "-o", str(samples), "--backend", "transformers"]) == 0
    )
    lines = [json.loads(line) for line in samples.read_text().splitlines()]
    assert len(lines) == 4  # 2 prompts × k = 2
    assert {line["id"] for line in lines} == {"medcalc-0", "medcalc-1"}
    assert all(line["correct"] is False and line["score"] == -2.0 for line in lines)  # noise
    capsys.readouterr()
    assert main(["diagnose", str(samples), "--k", "2", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["lab"]["n_items"] == 2 and report["lab"]["pass@k"] == 0.0
    assert main(["diagnose", str(samples), "--json"]) == 0  # k from the file: 2 per item
    assert json.loads(capsys.readouterr().out) == report
    assert report["lab"]["recommendation"] == "SFT then RLVR"
    assert main(["evaluate", "--config", config, "--json", "--backend", "transformers"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["overall"]["n"] == 2 and summary["categories"]["lab"]["accuracy"] == 0.0


def test_grpo_on_a_synthetic_ehrshot_directory(base_model: Path, tmp_path: Path) -> None:
    """EHRSHOT rows straight from a (SYNTHETIC) MEDS directory, through the package's builder."""
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    root = synthesize(12, 0, tmp_path / "ehrshot-synthetic")
    config = toy_config("grpo", "ehrshot", base_model, tmp_path)
    data = yaml.safe_load(config.read_text())
    data["data"] = {
        "task": "ehrshot",
        "format": "ehrshot",
        "train_file": str(root),
        "ehrshot_max_tokens": 40,
        "max_rows": 4,
    }
    data["grpo"]["max_prompt_length"] = 4000  # the question and definitions are long
    config.write_text(yaml.safe_dump(data))
    assert main(["train", "grpo", "--config", str(config)]) == 0
    records = [r for r in log_records(tmp_path) if "rewards/reward_fn/mean" in r]
    assert [r["step"] for r in records] == [1, 2]
    assert all(r["reward_fn/format"] == -2.0 for r in records)  # graded, not skipped as None
