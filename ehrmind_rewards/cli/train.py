"""``ehrmind-rewards train sft|grpo --config FILE``: one run from one validated YAML file.

With any launcher option (``--num-processes``, ``--num-machines``, ``--accelerate-config``, …) the
command validates the config, then re-runs itself under ``accelerate launch`` with those options:
multi-GPU, multi-node, DeepSpeed and FSDP all come from accelerate's own flags and config file.

Progress: on a terminal, TRL's progress bar (steps, rate, ETA); otherwise one line per logging
step on stderr with the step, elapsed time and ETA. ``--resume`` on a run that already reached
its last step says so and exits without training.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from ehrmind_rewards.cli.common import add_quiet, run_with_model

LAUNCHED_ENV = "EHRMIND_REWARDS_LAUNCHED"
"""Set in the processes ``accelerate launch`` starts, so they train instead of launching again."""

_LAUNCH_OPTIONS = (
    ("--num-processes", "--num_processes", int, "N", "processes (GPUs) in total"),
    ("--num-machines", "--num_machines", int, "N", "machines (nodes)"),
    ("--machine-rank", "--machine_rank", int, "RANK", "this machine's rank"),
    ("--main-process-ip", "--main_process_ip", str, "IP", "address of rank 0"),
    ("--main-process-port", "--main_process_port", int, "PORT", "port of rank 0"),
    ("--accelerate-config", "--config_file", str, "FILE", "accelerate config (DeepSpeed/FSDP)"),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "train",
        help="SFT warm-up or GRPO with TRL, from one YAML run file",
        description=__doc__,
    )
    parser.add_argument("kind", choices=("sft", "grpo"), help="which trainer")
    parser.add_argument("--config", required=True, metavar="FILE", help="YAML run file")
    parser.add_argument(
        "--resume",
        nargs="?",
        const=True,
        default=None,
        metavar="CHECKPOINT",
        help="resume from CHECKPOINT, or without a value from the latest one in output_dir "
        "(a finished run is left as it is)",
    )
    parser.add_argument("--output-dir", metavar="DIR", help="override the config's output_dir")
    add_quiet(parser)
    launch = parser.add_argument_group("scale out (runs the job under `accelerate launch`)")
    for flag, _, kind, metavar, text in _LAUNCH_OPTIONS:
        launch.add_argument(flag, type=kind, metavar=metavar, help=text)
    launch.add_argument(
        "--accelerate-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="any other `accelerate launch` argument, verbatim (repeatable)",
    )
    parser.set_defaults(handler=run)


def accelerate_command(args: argparse.Namespace) -> list[str] | None:
    """The ``accelerate launch`` command for these arguments, or ``None`` to train in-process."""
    if os.environ.get(LAUNCHED_ENV):
        return None
    options: list[str] = []
    for flag, accelerate_flag, *_ in _LAUNCH_OPTIONS:
        value = getattr(args, flag.lstrip("-").replace("-", "_"))
        if value is not None:
            options += [accelerate_flag, str(value)]
    options += args.accelerate_arg
    if not options:
        return None
    job = ["-m", "ehrmind_rewards.cli", "train", args.kind, "--config", args.config]
    if args.output_dir:
        job += ["--output-dir", args.output_dir]
    if args.quiet:
        job.append("--quiet")
    if args.resume is True:
        job.append("--resume")
    elif args.resume:
        job += ["--resume", args.resume]
    return [sys.executable, "-m", "accelerate.commands.launch", *options, *job]


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ehrmind_rewards.core.io import safe_outputs
    from ehrmind_rewards.train import load_config

    config = load_config(args.config, kind=args.kind)
    model = Path(config.model.name_or_path)
    data = config.data
    safe_outputs(
        {
            "--config": args.config,
            "model.name_or_path": model if model.exists() else None,
            "data.train_file": data.train_file,
            "data.eval_file": data.eval_file,
            "data.test_file": data.test_file,
        },
        {"output_dir": Path(args.output_dir) if args.output_dir else config.output_dir},
        require_folder=False,
    )
    command = accelerate_command(args)
    if command is not None:
        return subprocess.call(command, env={**os.environ, LAUNCHED_ENV: "1"})
    update: dict[str, Any] = {}
    if args.output_dir:
        update["output_dir"] = Path(args.output_dir)
    if args.resume is not None:
        update["resume_from_checkpoint"] = args.resume
    config = config.model_copy(update=update)
    return run_with_model(
        "train", config.model.name_or_path, lambda: _train(args.kind, config, args.quiet)
    )


def _train(kind: str, config: Any, quiet: bool) -> int:
    from ehrmind_rewards.train import grpo, sft
    from ehrmind_rewards.train.trainers import RunFinished

    try:
        result = (sft if kind == "sft" else grpo)(config, quiet=quiet)
    except RunFinished as finished:
        print(finished)
        return 0
    print(f"saved {result.output_dir} at step {result.global_step}")
    return 0
