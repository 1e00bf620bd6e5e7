"""``ehrmind-rewards compare A B``: paired comparison of two models on the same items."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.grade import add_input_arguments, fail, load_and_grade, load_dataset


def register(subparsers: Any) -> None:
    """Add the ``compare`` subcommand."""
    parser = subparsers.add_parser(
        "compare",
        help="compare two graded prediction files item by item (bootstrap CIs, McNemar)",
        description=(
            "Grade two prediction files on the same items and compare them per category: "
            "accuracy and reward deltas with paired bootstrap CIs, McNemar's test, and the items "
            "each model alone gets right."
        ),
    )
    parser.add_argument("a", type=Path, help="predictions of model A (JSONL or CSV)")
    parser.add_argument("b", type=Path, help="predictions of model B (JSONL or CSV)")
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument(
        "--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards compare``."""
    from ehrmind_rewards.core.errors import InputError
    from ehrmind_rewards.grading.compare import compare_items, render_comparison

    try:
        references = load_dataset(args)
        graded = [
            load_and_grade(path, args, references=references, keep_items=True)
            for path in (args.a, args.b)
        ]
    except InputError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"{error.filename or ''}: {error.strerror or error}")
    comparison = compare_items(
        graded[0].items, graded[1].items, resamples=args.resamples, seed=args.seed
    )
    for key, path, result in (("a", args.a, graded[0]), ("b", args.b, graded[1])):
        comparison[key] = {"file": str(path), "bad_rows": result.tally.bad_lines.tolist()}
    if comparison["n_shared"] == 0:
        return fail(f"{args.a} and {args.b} share no item ids; compare needs the same items")
    if args.json:
        print(json.dumps(comparison, ensure_ascii=False))
    else:
        print(render_comparison(comparison, str(args.a), str(args.b)))
    for side, result in (("A", graded[0]), ("B", graded[1])):
        if result.tally.bad_lines:
            print(
                f"ehrmind-rewards: warning: {len(result.tally.bad_lines)} bad row(s) in {side}",
                file=sys.stderr,
            )
    return 0
