"""``sft(config)`` and ``grpo(config)``: TRL's trainers wired to this package's data and rewards.

Both accept a :class:`~ehrmind_rewards.train.config.RunConfig` or the path of a YAML run file, and
both validate everything they can (the config, TRL overrides, vLLM availability, the data files
and rows) before the model is loaded. Multi-GPU and multi-node runs are the same call under
``accelerate launch`` (see ``ehrmind-rewards train --help``); the GRPO batch of
``prompts_per_step × num_generations`` completions is split over however many processes run.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.train.config import ConfigError, RunConfig, load_config
from ehrmind_rewards.train.data import build_dataset
from ehrmind_rewards.train.models import load_tokenizer, resolve_model_path

if TYPE_CHECKING:
    from transformers import TrainerCallback

    from ehrmind_rewards.adapters.trl import TaskReward

logger = logging.getLogger(__name__)

LOG_FILE = "log.jsonl"
"""Every trainer log record (loss, learning rate, reward means per function, …), one per line."""


class RunFinished(EhrmindError):
    """``--resume`` on a run that already reached its last step: there is nothing to train."""


@dataclass(frozen=True)
class RunResult:
    """Where a finished run saved its model, how far it got, and its last logged metrics."""

    output_dir: Path
    global_step: int
    metrics: dict[str, float]


def _resolve(config: RunConfig | str | Path, kind: str) -> RunConfig:
    if isinstance(config, RunConfig):
        if config.kind != kind:
            raise ConfigError(f"invalid config:\n  kind: {kind}() needs kind {kind!r}")
        return config
    return load_config(config, kind=kind)  # type: ignore[arg-type]


def _bf16(config: RunConfig) -> bool:
    if config.bf16 is not None:
        return config.bf16
    import torch

    return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())


def _trainer_args(config_class: type, config: RunConfig, values: dict[str, Any]) -> Any:
    """Build TRL's config, refusing overrides that are not fields of it (before the model loads)."""
    known = {field.name for field in dataclasses.fields(config_class)}
    unknown = sorted(set(config.trainer_overrides) - known)
    if unknown:
        raise ConfigError(
            "invalid config:\n"
            + "\n".join(
                f"  trainer_overrides.{key}: not a field of trl.{config_class.__name__}"
                for key in unknown
            )
        )
    common = {
        "output_dir": str(config.output_dir),
        "seed": config.seed,
        "bf16": _bf16(config),
        "logging_steps": config.logging_steps,
        "save_steps": config.save_steps,
        "save_total_limit": config.save_total_limit,
        "report_to": config.report_to or "none",
        "model_init_kwargs": _model_init_kwargs(config),
    }
    return config_class(**{**common, **values, **config.trainer_overrides})


def _model_init_kwargs(config: RunConfig) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "dtype": config.model.dtype,
        "trust_remote_code": config.model.trust_remote_code,
    }
    if config.model.attn_implementation:
        kwargs["attn_implementation"] = config.model.attn_implementation
    return kwargs


def _log_callback(path: Path) -> TrainerCallback:
    from transformers import TrainerCallback

    class JsonlLog(TrainerCallback):
        """Appends every log record, with its step, to ``output_dir/log.jsonl``."""

        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kw: Any) -> None:
            if logs and state.is_world_process_zero:
                path.parent.mkdir(parents=True, exist_ok=True)
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps({"step": state.global_step, **logs}) + "\n")

    return JsonlLog()


def _eta_callback() -> TrainerCallback:
    from transformers import TrainerCallback

    class EtaLog(TrainerCallback):
        """One line per logging step on stderr: step, elapsed time, ETA (for logs, not ttys)."""

        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.start, self.first_step = time.monotonic(), state.global_step

        def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kw: Any) -> None:
            if not state.is_world_process_zero or not state.max_steps:
                return
            elapsed = time.monotonic() - self.start
            done = state.global_step - self.first_step
            left = (state.max_steps - state.global_step) * elapsed / done if done else None
            loss = (logs or {}).get("loss")
            print(
                f"step {state.global_step}/{state.max_steps} · elapsed {_clock(elapsed)} · ETA "
                f"{'?' if left is None else _clock(left)}"
                + ("" if loss is None else f" · loss {loss:.4g}"),
                file=sys.stderr,
                flush=True,
            )

    return EtaLog()


def _clock(seconds: float) -> str:
    return str(datetime.timedelta(seconds=round(seconds)))


def _progress(quiet: bool) -> tuple[bool, list[TrainerCallback]]:
    """``(disable_tqdm, callbacks)``: TRL's bar on a terminal, ETA lines otherwise."""
    if quiet:
        return True, []
    if sys.stderr.isatty():
        return False, []
    return True, [_eta_callback()]


def _checkpoint(config: RunConfig) -> str | None:
    """The checkpoint to resume from: the config's path, or the latest one when it says ``true``.

    Raises :class:`RunFinished` when the run (or the checkpoint) already reached the last step.
    """
    resume = config.resume_from_checkpoint
    if isinstance(resume, str):
        if not Path(resume).is_dir():
            raise ConfigError(
                f"invalid config:\n  resume_from_checkpoint: no such directory {resume}"
            )
        _refuse_finished(config, Path(resume))
        return resume
    if not resume:
        return None
    from transformers.trainer_utils import get_last_checkpoint

    _refuse_finished(config, config.output_dir)
    last = get_last_checkpoint(str(config.output_dir)) if config.output_dir.is_dir() else None
    if last is None:
        logger.warning(
            "resume_from_checkpoint: no checkpoint in %s; starting fresh", config.output_dir
        )
    else:
        _refuse_finished(config, Path(last))
    return last


def _refuse_finished(config: RunConfig, folder: Path) -> None:
    """Raise :class:`RunFinished` if ``folder``'s ``trainer_state.json`` is at the last step.

    The last step is the config's ``max_steps`` when set, else the one the run computed from its
    epochs. (Resuming a finished run would otherwise train one step past it.)
    """
    try:
        state = json.loads((folder / "trainer_state.json").read_text(encoding="utf-8"))
        step, computed = int(state["global_step"]), int(state["max_steps"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    section = config.sft if config.kind == "sft" else config.grpo
    last = section.max_steps if section.max_steps and section.max_steps > 0 else computed
    if last > 0 and step >= last:
        raise RunFinished(
            f"{folder} already finished at step {step} of {last}; nothing to resume (raise "
            "max_steps or num_train_epochs in the config to train further)"
        )


def _run(trainer: Any, config: RunConfig, checkpoint: str | None) -> RunResult:
    trainer.train(resume_from_checkpoint=checkpoint)
    trainer.save_model(str(config.output_dir))
    trainer.save_state()  # output_dir/trainer_state.json: a later --resume sees the run finished
    if trainer.accelerator.is_main_process:
        (config.output_dir / "run_config.json").write_text(
            config.model_dump_json(indent=2), encoding="utf-8"
        )
    history = trainer.state.log_history
    metrics = {k: v for record in history for k, v in record.items() if isinstance(v, float)}
    return RunResult(config.output_dir, trainer.state.global_step, metrics)


def sft(config: RunConfig | str | Path, *, quiet: bool = False) -> RunResult:
    """Supervised warm-up with TRL's ``SFTTrainer`` on the config's prompt-completion rows.

    The loss covers the completion only (``sft.completion_only_loss``): the reasoning after the
    pre-filled ``<think>`` and the answer block, as EHRMind's warm-up does. Progress is shown
    unless ``quiet`` (TRL's bar on a terminal, else one line with the ETA per logging step).
    """
    from trl import SFTConfig, SFTTrainer

    config = _resolve(config, "sft")
    section = config.sft
    disable_tqdm, progress = _progress(quiet)
    args = _trainer_args(
        SFTConfig,
        config,
        {
            "learning_rate": section.learning_rate,
            "num_train_epochs": section.num_train_epochs,
            "max_steps": section.max_steps,
            "max_length": section.max_length,
            "per_device_train_batch_size": section.per_device_train_batch_size,
            "gradient_accumulation_steps": section.gradient_accumulation_steps,
            "warmup_steps": section.warmup_ratio,
            "lr_scheduler_type": section.lr_scheduler_type,
            "weight_decay": section.weight_decay,
            "completion_only_loss": section.completion_only_loss,
            "gradient_checkpointing": section.gradient_checkpointing,
            "disable_tqdm": disable_tqdm,
        },
    )
    checkpoint = _checkpoint(config)
    tokenizer = load_tokenizer(config)
    train = build_dataset(config, tokenizer, "train", for_sft=True)
    evaluation = (
        build_dataset(config, tokenizer, "eval", for_sft=True) if config.data.eval_file else None
    )
    trainer = SFTTrainer(
        model=resolve_model_path(config.model),
        args=args,
        train_dataset=train,
        eval_dataset=evaluation,
        processing_class=tokenizer,
        callbacks=[_log_callback(config.output_dir / LOG_FILE), *progress],
    )
    return _run(trainer, config, checkpoint)


def _gradient_accumulation(config: RunConfig) -> int:
    from accelerate import PartialState

    section = config.grpo
    processes = int(PartialState().num_processes)
    completions = section.prompts_per_step * section.num_generations
    per_step = section.per_device_train_batch_size * processes
    if completions % per_step:
        raise ConfigError(
            "invalid config:\n  grpo.per_device_train_batch_size: "
            f"{section.per_device_train_batch_size} × {processes} processes does not divide "
            f"prompts_per_step × num_generations = {completions}"
        )
    return completions // per_step


def _vllm_args(config: RunConfig) -> dict[str, Any]:
    vllm = config.vllm
    if not vllm.enabled:
        return {"use_vllm": False}
    import importlib.util

    if importlib.util.find_spec("vllm") is None:
        raise ConfigError("invalid config:\n  vllm.enabled: the vllm package is not installed")
    args: dict[str, Any] = {
        "use_vllm": True,
        "vllm_mode": vllm.mode,
        "vllm_gpu_memory_utilization": vllm.gpu_memory_utilization,
        "vllm_tensor_parallel_size": vllm.tensor_parallel_size,
    }
    if vllm.server_base_url:
        args["vllm_server_base_url"] = vllm.server_base_url
    return args


def reward_function(spec: str) -> TaskReward:
    """``ehrmind_rewards.reward_fn`` (every task, by the ``task`` column) under ``spec``."""
    import ehrmind_rewards
    from ehrmind_rewards.adapters.trl import TaskReward

    if spec == ehrmind_rewards.reward_fn.spec.name:
        return ehrmind_rewards.reward_fn
    return TaskReward(None, spec, name="reward_fn")


def grpo(config: RunConfig | str | Path, *, quiet: bool = False) -> RunResult:
    """GRPO with TRL's ``GRPOTrainer``, rewarded by ``reward_fn``, logging its components.

    Every logging step records ``rewards/reward_fn/mean`` and ``/std`` (the reward that trains)
    and, through TRL's ``log_metric`` hook, ``reward_fn/format``, ``reward_fn/correctness`` and
    ``reward_fn/format_ok`` (the verdict's components averaged over the step's completions).
    Progress is shown as for :func:`sft`.
    """
    from trl import GRPOConfig, GRPOTrainer

    config = _resolve(config, "grpo")
    section = config.grpo
    disable_tqdm, progress = _progress(quiet)
    reward = reward_function(config.reward_spec)
    args = _trainer_args(
        GRPOConfig,
        config,
        {
            "learning_rate": section.learning_rate,
            "num_train_epochs": section.num_train_epochs,
            "max_steps": section.max_steps,
            "per_device_train_batch_size": section.per_device_train_batch_size,
            "gradient_accumulation_steps": _gradient_accumulation(config),
            "num_generations": section.num_generations,
            "max_completion_length": section.max_completion_length,
            "beta": section.beta,
            "temperature": section.temperature,
            "top_p": section.top_p,
            "num_iterations": section.num_iterations,
            "epsilon": section.epsilon,
            "loss_type": section.loss_type,
            "scale_rewards": section.scale_rewards,
            "warmup_steps": section.warmup_ratio,
            "lr_scheduler_type": section.lr_scheduler_type,
            "log_completions": section.log_completions,
            "gradient_checkpointing": section.gradient_checkpointing,
            "disable_tqdm": disable_tqdm,
            **_vllm_args(config),
        },
    )
    checkpoint = _checkpoint(config)
    tokenizer = load_tokenizer(config)
    train = build_dataset(config, tokenizer, "train", for_sft=False)
    trainer = GRPOTrainer(
        model=resolve_model_path(config.model),
        reward_funcs=[reward],
        args=args,
        train_dataset=train,
        processing_class=tokenizer,
        callbacks=[_log_callback(config.output_dir / LOG_FILE), *progress],
    )
    return _run(trainer, config, checkpoint)
