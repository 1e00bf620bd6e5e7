"""``ehrmind-rewards evaluate --config FILE``: generate on the test split and grade it.

One completion per prompt (greedy unless ``generation.eval_temperature`` > 0), graded by the
task verifiers under the run's reward spec. Prints accuracy, balanced accuracy (trial matching,
EHRSHOT), format rate and mean reward, overall and per category; ``--output`` keeps every graded
completion as JSONL with the row's label columns, a file that ``ehrmind-rewards grade`` and
``compare`` read directly.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ehrmind_rewards.cli.common import add_output, run_with_model
from ehrmind_rewards.cli.sample import GenerationProgress, add_model_options, check_outputs


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` subcommand."""
    parser = subparsers.add_parser(
        "evaluate",
        help="generate on the test split and grade with the verifiers",
        description=__doc__,
    )
    add_model_options(parser)
    parser.add_argument(
        "--split", choices=("train", "eval", "test"), default="test", help="which split"
    )
    add_output(parser, "write every graded completion here (JSONL)", metavar="GRADED.jsonl")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards evaluate``."""
    from ehrmind_rewards.cli.sample import load_run_config

    config = load_run_config(args)
    check_outputs(args, config)
    return run_with_model("evaluate", config.model.name_or_path, lambda: _evaluate(args, config))


def _evaluate(args: argparse.Namespace, config: Any) -> int:
    from ehrmind_rewards.core.io import atomic_output
    from ehrmind_rewards.train.evaluation import generate_and_grade, summarize_records

    progress = GenerationProgress(args, "evaluating")
    try:
        records = list(
            generate_and_grade(
                config,
                args.split,
                n=1,
                temperature=config.generation.eval_temperature,
                backend=args.backend,
                on_progress=progress,
            )
        )
    finally:
        progress.close()
    if args.output:
        with atomic_output(args.output) as handle:
            handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    report = summarize_records(records)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'category':<24}{'n':>6}{'acc':>8}{'bal.acc':>8}{'format':>8}{'reward':>8}")
    rows = [*report["categories"].items(), ("overall", report["overall"])]
    for name, row in rows:
        print(
            f"{name:<24}{row['n']:>6}  {_fmt(row['accuracy'])}  {_fmt(row['balanced_accuracy'])}"
            f"  {_fmt(row['format_ok'])}  {_fmt(row['mean_reward'])}"
        )
    return 0
