"""``ehrmind-rewards evaluate --config FILE``: generate on the test split and grade it.

One completion per prompt (greedy unless ``generation.eval_temperature`` > 0), graded by the
task verifiers under the run's reward spec. Prints accuracy, balanced accuracy (trial matching,
EHRSHOT), format rate and mean reward, overall and per category; ``--out`` keeps every graded
completion as JSONL.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ehrmind_rewards.cli.sample import add_model_options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="generate on the test split and grade with the verifiers",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_model_options(parser)
    parser.add_argument("--split", choices=("train", "eval", "test"), default="test")
    parser.add_argument("--out", metavar="GRADED.jsonl", help="write every graded completion")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def run(args: argparse.Namespace) -> int:
    from ehrmind_rewards.cli.sample import load_run_config
    from ehrmind_rewards.train import ConfigError
    from ehrmind_rewards.train.data import DataError
    from ehrmind_rewards.train.evaluation import generate_and_grade, summarize_records

    try:
        config = load_run_config(args)
        records = list(
            generate_and_grade(
                config,
                args.split,
                n=1,
                temperature=config.generation.eval_temperature,
                backend=args.backend,
                progress=not args.no_progress,
            )
        )
    except (ConfigError, DataError, ValueError) as error:
        print(f"evaluate: {error}", file=sys.stderr)
        return 2
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
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
