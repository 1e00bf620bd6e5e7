"""TRL integration: two GRPO steps with ``reward_fn`` on a tiny model built here (no downloads)."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

pytest.importorskip("trl", reason="the 'train' extra (trl) is not installed")
pytest.importorskip("tokenizers", reason="the 'train' extra (tokenizers) is not installed")

from datasets import Dataset
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast
from trl import GRPOConfig, GRPOTrainer

from ehrmind_rewards import reward_fn
from ehrmind_rewards.tasks.medcalc.records import EXAMPLE_CSV, read_medcalc_csv

SPECIALS = ["<pad>", "<unk>", "<bos>", "<eos>"]


def _char_tokenizer() -> PreTrainedTokenizerFast:
    """A character-level tokenizer over printable ASCII, built in memory."""
    vocab = {token: i for i, token in enumerate(SPECIALS + list(string.printable))}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    tokenizer.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        pad_token="<pad>",
        unk_token="<unk>",
        bos_token="<bos>",
        eos_token="<eos>",
    )


def test_two_grpo_steps_log_reward_components(tmp_path: Path) -> None:
    tokenizer = _char_tokenizer()
    model = LlamaForCausalLM(
        LlamaConfig(
            vocab_size=len(tokenizer),
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            num_key_value_heads=2,
            max_position_embeddings=256,
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
        )
    )
    records = read_medcalc_csv(EXAMPLE_CSV, text=False)[:4]
    dataset = Dataset.from_dict(
        {
            "prompt": [f"Calculator {r.calculator_id}. Answer:" for r in records],
            "calculator_id": [str(r.calculator_id) for r in records],
            "ground_truth": [str(r.ground_truth) for r in records],
            "lower_limit": [str(r.lower_limit) for r in records],
            "upper_limit": [str(r.upper_limit) for r in records],
        }
    )
    args = GRPOConfig(
        output_dir=str(tmp_path),
        per_device_train_batch_size=4,
        num_generations=4,
        max_completion_length=8,
        max_steps=2,
        logging_steps=1,
        learning_rate=1e-4,
        report_to=[],
        save_strategy="no",
        use_cpu=True,
        bf16=False,
        seed=0,
    )
    trainer = GRPOTrainer(
        model=model,
        processing_class=tokenizer,
        reward_funcs=[reward_fn],
        args=args,
        train_dataset=dataset,
    )
    trainer.train()
    logs = [entry for entry in trainer.state.log_history if "reward_fn/format" in entry]
    assert len(logs) == 2, trainer.state.log_history
    for entry in logs:
        # random 8-character completions cannot hold the envelope: every one is a format failure
        assert entry["rewards/reward_fn/mean"] == pytest.approx(-2.0)
        assert entry["reward_fn/format"] == pytest.approx(-2.0)
        assert entry["reward_fn/correctness"] == pytest.approx(0.0)
        assert entry["reward_fn/format_ok"] == pytest.approx(0.0)
