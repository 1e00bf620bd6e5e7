"""``ehrmind-rewards sample --config FILE -o SAMPLES.jsonl``: k graded completions per prompt.

Writes one JSON line per sample — ``id``, ``task``, ``category``, ``correct``, ``answer`` (what
``diagnose`` reads) plus ``sample``, ``score``, ``reason``, the row's label columns and the
``completion`` — using vLLM when installed, else transformers ``generate``, at the config's
``generation`` settings (EHRMind's diagnostic: k = 12, temperature 0.6, top_p 0.95). On a
terminal a progress bar on standard error shows the prompts done and the time left;
``--model``/``--gguf-file`` take any model form a run file does, GGUF files included.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import (
    add_output,
    add_quiet,
    positive_int,
    progress_bar,
    run_with_model,
)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``sample`` and ``evaluate``."""
    parser.add_argument("--config", required=True, metavar="FILE", help="YAML run file")
    parser.add_argument(
        "--model",
        metavar="PATH",
        help="override model.name_or_path (a Hub id, a folder, a .gguf file or package:NAME); "
        "clears the config's model.gguf_file",
    )
    parser.add_argument(
        "--gguf-file", metavar="NAME", help="a GGUF file inside the --model folder or repository"
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "vllm", "transformers"),
        default="auto",
        help="generator (auto: vLLM when installed, else transformers)",
    )
    parser.add_argument(
        "--max-rows", type=positive_int, metavar="N", help="only the first N rows of the split"
    )
    add_quiet(parser)


def load_run_config(args: argparse.Namespace) -> Any:
    """The config with the command line's overrides applied (re-validated)."""
    from ehrmind_rewards.train import load_config, parse_config

    config = load_config(args.config)
    data = config.model_dump(mode="json")
    if args.model:
        data["model"]["name_or_path"] = args.model
        data["model"]["gguf_file"] = None
    if args.gguf_file:
        data["model"]["gguf_file"] = args.gguf_file
    if args.max_rows:
        data["data"]["max_rows"] = args.max_rows
    return parse_config(data, source=args.config)


def check_outputs(args: argparse.Namespace, config: Any) -> None:
    """Refuse an ``--output`` that is the config, the model or one of the data files."""
    from ehrmind_rewards.core.io import safe_outputs

    data = config.data
    model = Path(config.model.name_or_path)
    safe_outputs(
        {
            "--config": args.config,
            "model.name_or_path": model if model.exists() else None,
            "data.train_file": data.train_file,
            "data.eval_file": data.eval_file,
            "data.test_file": data.test_file,
        },
        {"--output": args.output},
    )


class GenerationProgress:
    """A progress bar over prompts (with ETA), opened when generation reports its total."""

    def __init__(self, args: argparse.Namespace, desc: str) -> None:
        self.args, self.desc = args, desc
        self.bar: Any = None
        self.opened = False

    def __call__(self, done: int, total: int) -> None:
        if not self.opened:
            self.opened = True
            self.bar = progress_bar(self.args, total=total, unit="prompt", desc=self.desc)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def register(subparsers: Any) -> None:
    """Add the ``sample`` subcommand."""
    parser = subparsers.add_parser(
        "sample",
        help="k graded completions per training prompt (input of `diagnose`)",
        description=__doc__,
    )
    add_model_options(parser)
    parser.add_argument(
        "--k", type=positive_int, help="completions per prompt (default: generation.k)"
    )
    parser.add_argument(
        "--split", choices=("train", "eval", "test"), default="train", help="which split"
    )
    add_output(parser, "samples JSONL to write", required=True, metavar="SAMPLES.jsonl")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards sample``."""
    config = load_run_config(args)
    check_outputs(args, config)
    return run_with_model("sample", config.model.name_or_path, lambda: _sample(args, config))


def _sample(args: argparse.Namespace, config: Any) -> int:
    from ehrmind_rewards.core.io import atomic_output
    from ehrmind_rewards.train.evaluation import generate_and_grade

    k = args.k or config.generation.k
    progress = GenerationProgress(args, "sampling")
    count = 0
    try:
        with atomic_output(args.output) as handle:
            for record in generate_and_grade(
                config,
                args.split,
                n=k,
                temperature=config.generation.temperature,
                backend=args.backend,
                on_progress=progress,
            ):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    finally:
        progress.close()
    print(f"wrote {count} samples ({k} per prompt) to {args.output}")
    return 0
