"""Offline stand-ins for a base model: a small byte-level tokenizer and randomly initialised models.

Used by the tests and ``benchmarks/grpo_step.py`` so that nothing is downloaded. The tokenizer is a
byte-level BPE trained in milliseconds on a few lines of the task format, so it encodes any text;
the tags of the answer format and the chat markers of the Llama-3 and ChatML templates are single
tokens. Models are random: their completions are noise, which is what a format reward of −2 is for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

SPECIAL_TOKENS = (
    "<pad>",
    "<|begin_of_text|>",
    "<|eot_id|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|im_start|>",
    "<|im_end|>",
)
FORMAT_TOKENS = ("<think>", "</think>", "<answer>", "</answer>")

CHATML_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
"""A minimal ChatML template (the form Qwen models use), for the benchmark's toy tokenizer."""

_CORPUS = (
    "Let me solve this step by step.\n<think> The patient is 87 years old and weighs 48 kg.",
    '</think>\n<answer>{"answer": 25.24}</answer> {"prediction": "Eligible", "idx": 2}',
    "Patient note: creatinine 1.4 mg/dL, heart rate 110 bpm, blood pressure 120/80 mm Hg.",
    "What is the patient's CHA2DS2-VASc score? hypertension, no hypertension, label 0 1",
)

MODEL_SIZES: dict[str, dict[str, Any]] = {
    "toy": {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
    },
    "qwen2-0.5b": {
        "hidden_size": 896,
        "intermediate_size": 4864,
        "num_hidden_layers": 24,
        "num_attention_heads": 14,
        "num_key_value_heads": 2,
        "vocab_size": 151_936,
        "tie_word_embeddings": True,
    },
}
"""Architectures by name; ``qwen2-0.5b`` is Qwen2.5-0.5B's published config (random weights)."""


def build_tokenizer(
    out_dir: str | Path,
    chat_template: str = CHATML_TEMPLATE,
    *,
    eos_token: str = "<|im_end|>",
    add_bos: bool = False,
) -> Path:
    """Train a tiny byte-level BPE tokenizer, give it ``chat_template`` and save it to ``out_dir``.

    ``add_bos`` makes encoding prepend ``<|begin_of_text|>``, as Llama-3's tokenizer does.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=320,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(_CORPUS, trainer=trainer)
    core.add_tokens(list(FORMAT_TOKENS))
    bos = "<|begin_of_text|>"
    if add_bos:
        core.post_processor = processors.TemplateProcessing(
            single=f"{bos} $A", pair=f"{bos} $A $B", special_tokens=[(bos, core.token_to_id(bos))]
        )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, bos_token=bos, eos_token=eos_token, pad_token="<pad>"
    )
    tokenizer.chat_template = chat_template
    out = Path(out_dir)
    tokenizer.save_pretrained(out)
    return out


def build_model(
    out_dir: str | Path,
    vocab_size: int,
    size: Literal["toy", "qwen2-0.5b"] = "toy",
    seed: int = 0,
) -> Path:
    """Save a randomly initialised Qwen2 causal LM of the named size to ``out_dir``."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    settings = {"vocab_size": vocab_size, **MODEL_SIZES[size]}
    config = Qwen2Config(max_position_embeddings=4096, pad_token_id=0, **settings)
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    out = Path(out_dir)
    model.save_pretrained(out)
    return out


def build_base_model(
    out_dir: str | Path,
    chat_template: str = CHATML_TEMPLATE,
    *,
    eos_token: str = "<|im_end|>",
    add_bos: bool = False,
) -> Path:
    """A toy tokenizer and a toy random model saved together, usable as ``model.name_or_path``."""
    from transformers import AutoTokenizer

    out = build_tokenizer(out_dir, chat_template, eos_token=eos_token, add_bos=add_bos)
    build_model(out, vocab_size=len(AutoTokenizer.from_pretrained(out)))
    return out
