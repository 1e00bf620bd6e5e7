"""Datasets: MedCalc-Bench rows become pre-filled prompts whose label columns reach the reward."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("transformers", reason="the train extra is not installed")

from ehrmind_rewards.train.config import PREFILL, parse_config
from ehrmind_rewards.train.data import build_dataset
from ehrmind_rewards.train.toy import build_tokenizer
from ehrmind_rewards.train.trainers import reward_function
from tests.paths import DATA

MEDCALC_CSV = DATA / "medcalc_bench" / "v1.0" / "test_data.csv"


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(build_tokenizer(tmp_path_factory.mktemp("tok")))


def _config(kind: str, tmp_path: Path, **data: Any):  # type: ignore[no-untyped-def]
    return parse_config(
        {
            "kind": kind,
            "output_dir": str(tmp_path),
            "data": {"task": "medcalc", **data},
            "grpo": {"max_prompt_length": 100_000},
            "sft": {"max_length": 100_000},
        }
    )


def test_medcalc_csv_rows_carry_the_reward_columns_and_are_scored(
    tokenizer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    config = _config(
        "grpo", tmp_path, format="medcalc_csv", train_file=str(MEDCALC_CSV), max_rows=20
    )
    dataset = build_dataset(config, tokenizer, "train", for_sft=False)
    assert len(dataset) == 20
    assert all(p.endswith("<|im_start|>assistant\n" + PREFILL) for p in dataset["prompt"])
    columns = {c: dataset[c] for c in dataset.column_names if c != "prompt"}
    assert columns["task"] == ["medcalc"] * 20
    truth = [json.dumps({"answer": g}) for g in columns["ground_truth"]]
    right = [f" reasoning</think>\n<answer>{t}</answer><|im_end|>" for t in truth]
    wrong = ['</think><answer>{"answer": "no idea"}</answer>'] * 20
    broken = ["no tags at all"] * 20
    reward = reward_function("ehrmind")
    assert reward(prompts=dataset["prompt"], completions=right, **columns) == [1.1] * 20
    assert reward(prompts=dataset["prompt"], completions=wrong, **columns) == [0.0] * 20
    assert reward(prompts=dataset["prompt"], completions=broken, **columns) == [-2.0] * 20
    binary = reward_function("binary")
    assert binary(prompts=dataset["prompt"], completions=right, **columns) == [1.0] * 20


def test_medcalc_csv_sft_targets_continue_the_prefill(tokenizer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = _config("sft", tmp_path, format="medcalc_csv", train_file=str(MEDCALC_CSV), max_rows=5)
    dataset = build_dataset(config, tokenizer, "train", for_sft=True)
    assert dataset.column_names == ["prompt", "completion"]
    for prompt, completion in zip(dataset["prompt"], dataset["completion"], strict=True):
        assert prompt.endswith(PREFILL) and "<think>" not in completion
        assert completion.count("</think>") == 1 and completion.endswith("</answer>")


def test_explain_rows_ending_in_the_prefill_get_it_once(tokenizer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = tmp_path / "sft.jsonl"
    row = {
        "prompt": f"Note. Question?\n\n{PREFILL}",
        "completion": '\nx\n</think>\n<answer>{"answer": 1}</answer>',
    }
    rows.write_text(json.dumps(row) + "\n")
    dataset = build_dataset(
        _config("sft", tmp_path, train_file=str(rows)), tokenizer, "train", for_sft=True
    )
    (prompt,) = dataset["prompt"]
    assert prompt.count(PREFILL) == 1
    assert prompt.endswith("Note. Question?<|im_end|>\n<|im_start|>assistant\n" + PREFILL)


def test_trial_messages_ending_in_an_assistant_prefill_render_it_as_the_open_turn(
    tokenizer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    rows = tmp_path / "trials.jsonl"
    messages = [
        {"role": "user", "content": "Patient ... Trial ..."},
        {"role": "assistant", "content": PREFILL},
    ]
    rows.write_text(
        json.dumps(
            {"prompt": messages, "task": "trials", "label": 2, "query_id": "q1", "doc_id": "NCT1"}
        )
        + "\n"
    )
    config = parse_config(
        {
            "kind": "grpo",
            "output_dir": str(tmp_path),
            "data": {"task": "trials", "train_file": str(rows)},
        }
    )
    dataset = build_dataset(config, tokenizer, "train", for_sft=False)
    assert dataset["prompt"] == [
        "<|im_start|>user\nPatient ... Trial ...<|im_end|>\n<|im_start|>assistant\n" + PREFILL
    ]
    assert dataset["id"] == ["q1:NCT1"] and dataset["category"] == ["trial_matching"]


def test_bad_rows_are_named(tokenizer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from ehrmind_rewards.train.data import DataError

    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"prompt": "ok"}\n{"question": "no prompt"}\n')
    with pytest.raises(DataError, match=r"rows\.jsonl, row 2: no 'prompt' column"):
        build_dataset(
            _config("grpo", tmp_path, train_file=str(rows)), tokenizer, "train", for_sft=False
        )


def test_calculator_explanations_as_sft_text_share_the_grpo_prompt(
    tokenizer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from ehrmind_rewards.core.parsing import Envelope, parse_envelope

    sft = _config(
        "sft", tmp_path, format="medcalc_explain", train_file=str(MEDCALC_CSV), max_rows=8
    )
    grpo = _config("grpo", tmp_path, format="medcalc_csv", train_file=str(MEDCALC_CSV), max_rows=8)
    sft_rows = build_dataset(sft, tokenizer, "train", for_sft=True)
    grpo_rows = build_dataset(grpo, tokenizer, "train", for_sft=False)
    assert 0 < len(sft_rows) <= 8
    assert set(sft_rows["prompt"]) <= set(grpo_rows["prompt"])  # same prompt in both stages
    for completion in sft_rows["completion"]:
        envelope = parse_envelope(completion)
        assert isinstance(envelope, Envelope) and envelope.think.strip()


def test_ehrshot_directory_rows_keep_labels_weights_and_natural_ids(
    tokenizer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    root = synthesize(12, 0, tmp_path / "ehrshot-synthetic")  # SYNTHETIC data
    config = parse_config(
        {
            "kind": "grpo",
            "output_dir": str(tmp_path / "out"),
            "data": {"task": "ehrshot", "format": "ehrshot", "train_file": str(root)},
            "grpo": {"max_prompt_length": 100_000},
        }
    )
    test = build_dataset(config, tokenizer, "test", for_sft=False)
    assert set(test["split"]) == {"held_out"}
    assert all(p.endswith(PREFILL) for p in test["prompt"])
    assert len(set(test["id"])) == len(test)  # subject:task:time identifies each label
    assert test["category"] == test["ehrshot_task"]
    assert all(isinstance(w, float) and w > 0 for w in test["class_weight"])


def test_sft_rows_that_would_be_cut_are_left_out_and_counted(
    tokenizer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    rows = tmp_path / "sft.jsonl"
    short = {"prompt": "Q?", "completion": 'a</think><answer>{"answer": 1}</answer>'}
    long = {"prompt": "Q?", "completion": "x " * 400 + '</think><answer>{"answer": 1}</answer>'}
    rows.write_text("".join(json.dumps(r) + "\n" for r in (short, long, short)))
    config = parse_config(
        {
            "kind": "sft",
            "output_dir": str(tmp_path / "out"),
            "data": {"task": "medcalc", "train_file": str(rows)},
            "sft": {"max_length": 200},
        }
    )
    with caplog.at_level("WARNING"):
        dataset = build_dataset(config, tokenizer, "train", for_sft=True)
    assert len(dataset) == 2
    assert "1 of 3 train rows" in caplog.text and "sft.max_length=200" in caplog.text
