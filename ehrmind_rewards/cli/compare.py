"""``ehrmind-rewards compare A B``: paired comparison of two models on the same items."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import Exit, error, positive_int, warn
from ehrmind_rewards.cli.grade import (
    add_input_arguments,
    load_and_grade,
    load_dataset,
    resolve_task,
)
from ehrmind_rewards.core import registry


def register(subparsers: Any) -> None:
    """Add the ``compare`` subcommand."""
    parser = subparsers.add_parser(
        "compare",
        help="compare two graded prediction files item by item (bootstrap CIs, McNemar)",
        description=(
            "Grade two prediction files on the same items and compare them per category: "
            "accuracy and reward deltas with paired bootstrap CIs, McNemar's test, and the items "
            "each model alone gets right. Items are paired by id; an id repeated within one "
            "file is a bad row."
        ),
    )
    parser.add_argument("a", type=Path, metavar="A", help="predictions of model A (JSONL or CSV)")
    parser.add_argument("b", type=Path, metavar="B", help="predictions of model B (JSONL or CSV)")
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed")
    parser.add_argument(
        "--resamples",
        type=positive_int,
        default=2000,
        metavar="N",
        help="bootstrap resamples (at least 1)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards compare``."""
    from ehrmind_rewards.grading.compare import compare_items, render_comparison
    from ehrmind_rewards.grading.summary import nothing_graded_reason

    args.task = resolve_task(args, args.a, args.b)
    references = load_dataset(args)
    graded = [
        load_and_grade(path, args, references=references, keep_items=True)
        for path in (args.a, args.b)
    ]
    label_fields = registry.get(args.task).label_fields
    for path, result in zip((args.a, args.b), graded, strict=True):
        reason = nothing_graded_reason(result.tally, label_fields)
        if reason is not None:
            print(f"ehrmind-rewards compare: {path}: {reason}", file=sys.stderr)
            return Exit.NOTHING_GRADED
    comparison = compare_items(
        graded[0].items, graded[1].items, resamples=args.resamples, seed=args.seed
    )
    for key, path, result in (("a", args.a, graded[0]), ("b", args.b, graded[1])):
        comparison[key] = {"file": str(path), "bad_rows": result.tally.bad_lines.tolist()}
    if comparison["n_shared"] == 0:
        return error(
            "compare", f"{args.a} and {args.b} share no item ids; compare needs the same items"
        )
    if args.json:
        print(json.dumps(comparison, ensure_ascii=False))
    else:
        print(render_comparison(comparison, str(args.a), str(args.b)))
    for side, result in (("A", graded[0]), ("B", graded[1])):
        if result.tally.bad_lines:
            warn("compare", f"{len(result.tally.bad_lines)} bad row(s) in {side}")
    return Exit.OK
