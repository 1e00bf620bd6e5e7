"""Time per GRPO step and the share of it spent computing rewards (target: under 1%).

Runs TRL's ``GRPOTrainer`` through this package's ``grpo()`` on a randomly initialised model of a
real architecture (no download): ``--size qwen2-0.5b`` is Qwen2.5-0.5B's published config, for a
GPU; ``--size toy`` (default) is a two-layer model that runs on a laptop CPU. Prompts are real
MedCalc-Bench rows (the bundled v1.0 test CSV, notes cut to ``--note-chars``).

A random model writes noise, which fails the format check in microseconds and would flatter the
reward. By default (``--completions realistic``) the timed reward therefore scores, in place of
the noise, one well-formed completion per rollout (``--think-chars`` of reasoning, then the row's
true answer): the verifier's full path, at the step's batch size. ``--completions generated``
scores what the model wrote.

    python benchmarks/grpo_step.py                       # CPU, toy size
    python benchmarks/grpo_step.py --size qwen2-0.5b     # GPU, real size
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ehrmind_rewards.core.io import read_rows  # noqa: E402
from ehrmind_rewards.tasks.medcalc.training import LABEL_COLUMNS  # noqa: E402
from ehrmind_rewards.train import trainers  # noqa: E402
from ehrmind_rewards.train.config import parse_config  # noqa: E402
from ehrmind_rewards.train.toy import build_model, build_tokenizer  # noqa: E402

MEDCALC_CSV = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"


class TimedReward:
    """Wraps the run's reward function and records the seconds of each call (one per step)."""

    def __init__(self, reward: Any, realistic: bool, think_chars: int) -> None:
        self.reward = reward
        self.realistic = realistic
        self.think = ("Substituting the patient's values into the formula, step by step. " * 40)[
            :think_chars
        ]
        self.calls: list[float] = []
        self.__name__ = reward.__name__

    def __call__(self, **kwargs: Any) -> list[float | None]:
        if self.realistic:
            kwargs["completions"] = [
                f"{self.think}</think>\n<answer>{json.dumps({'answer': truth})}</answer>"
                for truth in kwargs["ground_truth"]
            ]
        start = time.perf_counter()
        scores: list[float | None] = self.reward(**kwargs)
        self.calls.append(time.perf_counter() - start)
        return scores


def _step_timer() -> Any:
    from transformers import TrainerCallback

    class StepTimer(TrainerCallback):  # type: ignore[misc]
        def __init__(self) -> None:
            self.durations: list[float] = []
            self._start = 0.0

        def on_step_begin(self, *args: Any, **kwargs: Any) -> None:
            self._start = time.perf_counter()

        def on_step_end(self, *args: Any, **kwargs: Any) -> None:
            self.durations.append(time.perf_counter() - self._start)

    return StepTimer()


def _rows(path: Path, n: int, note_chars: int) -> Path:
    raw = read_rows(MEDCALC_CSV)[:n]
    rows = [
        {
            "prompt": f"Patient note:\n{r['Patient Note'][:note_chars]}\n\nTask: {r['Question']}",
            "task": "medcalc",
            **{new: r[old] for old, new in LABEL_COLUMNS.items()},
        }
        for r in raw
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _parameters(model_dir: Path) -> int:
    from safetensors import safe_open

    total = 0
    with safe_open(str(model_dir / "model.safetensors"), "pt") as handle:
        for name in handle.keys():  # noqa: SIM118 (safe_open has no __iter__)
            total += _numel(handle, name)
    return total


def _numel(handle: Any, name: str) -> int:
    count = 1
    for dim in handle.get_slice(name).get_shape():
        count *= dim
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("toy", "qwen2-0.5b"), default="toy")
    parser.add_argument("--steps", type=int, default=4, help="timed steps (+1 warm-up)")
    parser.add_argument("--prompts", type=int, default=4, help="prompts per step")
    parser.add_argument("--generations", type=int, default=4, help="rollouts per prompt")
    parser.add_argument("--per-device-batch", type=int, default=8)
    parser.add_argument("--max-completion-length", type=int, default=64)
    parser.add_argument("--note-chars", type=int, default=600)
    parser.add_argument("--think-chars", type=int, default=1500)
    parser.add_argument("--completions", choices=("realistic", "generated"), default="realistic")
    parser.add_argument(
        "--threads", type=int, default=1, help="CPU threads for torch (1 avoids contention)"
    )
    args = parser.parse_args()

    import torch

    torch.set_num_threads(args.threads)

    work = Path(tempfile.mkdtemp(prefix="grpo-bench-"))
    model_dir = build_tokenizer(work / "model")
    from transformers import AutoTokenizer

    vocab = len(AutoTokenizer.from_pretrained(model_dir))
    build_model(model_dir, vocab_size=vocab, size=args.size)
    steps = args.steps + 1
    config = parse_config(
        {
            "kind": "grpo",
            "output_dir": str(work / "out"),
            "model": {"name_or_path": str(model_dir)},
            "data": {
                "task": "medcalc",
                "train_file": str(
                    _rows(work / "rows.jsonl", args.prompts * steps, args.note_chars)
                ),
            },
            "save_steps": 10_000,
            "grpo": {
                "max_steps": steps,
                "prompts_per_step": args.prompts,
                "num_generations": args.generations,
                "per_device_train_batch_size": args.per_device_batch,
                "max_completion_length": args.max_completion_length,
                "max_prompt_length": 100_000,
                "gradient_checkpointing": False,
            },
        }
    )
    timed = TimedReward(
        trainers.reward_function("ehrmind"), args.completions == "realistic", args.think_chars
    )
    timer = _step_timer()
    trainers.reward_function = lambda spec: timed  # type: ignore[assignment]
    trainers._log_callback = lambda path: timer  # type: ignore[assignment]
    trainers.grpo(config)

    durations = timer.durations[1:]  # the first step includes warm-up
    reward_seconds = sum(timed.calls[1 : 1 + len(durations)])
    step_seconds = sum(durations)
    per_step = args.prompts * args.generations
    report = {
        "size": args.size,
        "parameters": _parameters(model_dir),
        "device": "cuda" if torch.cuda.is_available() else f"cpu ({args.threads} thread)",
        "completions_scored": args.completions,
        "timed_steps": len(durations),
        "completions_per_step": per_step,
        "max_completion_length": args.max_completion_length,
        "mean_step_s": step_seconds / len(durations),
        "mean_reward_s_per_step": reward_seconds / len(durations),
        "reward_fraction": reward_seconds / step_seconds,
        "reward_us_per_completion": 1e6 * reward_seconds / (len(durations) * per_step),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
