"""Completions for rendered prompts: vLLM when installed, else transformers ``generate``."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Literal

from ehrmind_rewards.train.config import RunConfig

Backend = Literal["auto", "vllm", "transformers"]


def resolve_backend(backend: Backend) -> Literal["vllm", "transformers"]:
    """``auto`` is vLLM when the package is installed, else transformers."""
    has_vllm = importlib.util.find_spec("vllm") is not None
    if backend == "vllm" and not has_vllm:
        raise ValueError("--backend vllm: the vllm package is not installed")
    if backend == "auto":
        return "vllm" if has_vllm else "transformers"
    return backend


def generate(
    config: RunConfig,
    prompts: list[str],
    *,
    n: int,
    temperature: float,
    backend: Backend = "auto",
    on_progress: Callable[[int], None] | None = None,
) -> list[list[str]]:
    """``n`` completions per prompt (text after the prompt, end-of-sequence removed).

    ``temperature`` 0 decodes greedily; ``top_p`` and the token budget come from
    ``config.generation``. ``on_progress(prompts_done)`` is called after each batch
    (transformers); vLLM draws its own progress bar when ``on_progress`` is given.
    """
    if resolve_backend(backend) == "vllm":
        return _generate_vllm(
            config, prompts, n=n, temperature=temperature, progress=on_progress is not None
        )
    return _generate_transformers(
        config, prompts, n=n, temperature=temperature, on_progress=on_progress
    )


def _generate_vllm(
    config: RunConfig, prompts: list[str], *, n: int, temperature: float, progress: bool
) -> list[list[str]]:
    from vllm import LLM, SamplingParams

    from ehrmind_rewards.train.models import resolve_model_path

    model = config.model
    llm = LLM(
        model=resolve_model_path(model),
        dtype=model.dtype,
        trust_remote_code=model.trust_remote_code,
        seed=config.seed,
        tensor_parallel_size=config.vllm.tensor_parallel_size,
    )
    params = SamplingParams(
        n=n,
        temperature=temperature,
        top_p=config.generation.top_p if temperature > 0 else 1.0,
        max_tokens=config.generation.max_new_tokens,
        seed=config.seed,
    )
    outputs = llm.generate(prompts, params, use_tqdm=progress)
    return [[choice.text for choice in output.outputs] for output in outputs]


def _generate_transformers(
    config: RunConfig,
    prompts: list[str],
    *,
    n: int,
    temperature: float,
    on_progress: Callable[[int], None] | None = None,
) -> list[list[str]]:
    import torch

    from ehrmind_rewards.train.models import load_model, load_tokenizer

    tokenizer = load_tokenizer(config)
    tokenizer.padding_side = "left"
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = load_model(config, device)
    torch.manual_seed(config.seed)
    stop_ids = {tokenizer.eos_token_id, tokenizer.pad_token_id} - {None}
    sampling = (
        {"do_sample": True, "temperature": temperature, "top_p": config.generation.top_p}
        if temperature > 0
        else {"do_sample": False}
    )
    results: list[list[str]] = []
    size = config.generation.batch_size
    for start in range(0, len(prompts), size):
        batch = tokenizer(prompts[start : start + size], return_tensors="pt", padding=True)
        batch = batch.to(device)
        with torch.inference_mode():
            output = model.generate(
                **batch,
                max_new_tokens=config.generation.max_new_tokens,
                num_return_sequences=n,
                pad_token_id=tokenizer.pad_token_id,
                **sampling,
            )
        new_tokens = output[:, batch["input_ids"].shape[1] :].tolist()
        texts: list[str] = []
        for ids in new_tokens:
            end = next((i for i, token in enumerate(ids) if token in stop_ids), len(ids))
            texts.append(str(tokenizer.decode(ids[:end], skip_special_tokens=False)))
        results += [texts[i : i + n] for i in range(0, len(texts), n)]
        if on_progress is not None:
            on_progress(len(results))
    return results
