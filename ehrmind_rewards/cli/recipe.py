"""``ehrmind-rewards recipe --sft FILE --grpo FILE --eval FILE --run-dir DIR``: the whole recipe.

On the eval file's held-out rows (``data.test_file``): the base model sampled (pass@k,
``diagnose``) and evaluated; the SFT warm-up; the same measurements; GRPO from the SFT model; the
same measurements. Writes ``report.md`` (one table for every stage: format-valid rate, accuracy
overall and per category, mean reward, pass@k; time per stage), ``report.json`` and the plots
``grpo_curves.png`` and ``before_after.png`` into the run folder (see
:mod:`ehrmind_rewards.train.recipe`). ``--docs PAGE.md`` also copies the tables into the page
(between ``<!-- recipe:begin -->`` and ``<!-- recipe:end -->``) and the plots next to it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import add_quiet, error
from ehrmind_rewards.cli.sample import GenerationProgress


def register(subparsers: Any) -> None:
    """Add the ``recipe`` subcommand."""
    parser = subparsers.add_parser(
        "recipe",
        help="baseline → SFT → GRPO on held-out rows, with a before/after table and plots",
        description=__doc__,
    )
    parser.add_argument("--sft", required=True, metavar="FILE", help="SFT run file (kind sft)")
    parser.add_argument("--grpo", required=True, metavar="FILE", help="GRPO run file (kind grpo)")
    parser.add_argument(
        "--eval", required=True, metavar="FILE", help="sample/evaluate file (kind eval)"
    )
    parser.add_argument(
        "--run-dir",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder for every stage's outputs, the report and the plots",
    )
    parser.add_argument(
        "--resume", action="store_true", help="keep the stages DIR already finished"
    )
    parser.add_argument(
        "--docs", type=Path, metavar="PAGE.md", help="also write the tables into this page"
    )
    parser.add_argument(
        "--backend",
        choices=("auto", "vllm", "transformers"),
        default="auto",
        help="generator (auto: vLLM when installed, else transformers)",
    )
    add_quiet(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards recipe``: run the stages, print the report."""
    from ehrmind_rewards.train import ConfigError
    from ehrmind_rewards.train.data import DataError
    from ehrmind_rewards.train.recipe import (
        REPORT_MD,
        RecipeConfigs,
        RecipeError,
        publish,
        run_recipe,
    )

    progress = GenerationProgress(args, "recipe: generating")
    try:
        configs = RecipeConfigs.load(args.sft, args.grpo, args.eval)
        run_recipe(
            configs,
            args.run_dir,
            resume=args.resume,
            backend=args.backend,
            on_progress=progress,
        )
        if args.docs:
            publish(args.run_dir, args.docs, args.docs.parent / args.docs.stem)
    except (ConfigError, DataError, RecipeError, ValueError) as problem:
        return error("recipe", str(problem))
    finally:
        progress.close()
    print((args.run_dir / REPORT_MD).read_text(encoding="utf-8"))
    return 0
