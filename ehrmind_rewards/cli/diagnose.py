"""``ehrmind-rewards diagnose SAMPLES.jsonl [--k K] [--json]``: RLVR, or SFT first, per category.

SAMPLES has one line per graded sample: ``{"id", "task", "category", "correct", "answer"}``
(``ehrmind-rewards sample`` writes it). See :mod:`ehrmind_rewards.train.passk` for the estimators.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ehrmind_rewards.cli.common import error, positive_int


def register(subparsers: Any) -> None:
    """Add the ``diagnose`` subcommand."""
    parser = subparsers.add_parser(
        "diagnose",
        help="pass@k and reliable pass@k per category: does it need the SFT warm-up?",
        description=(
            "Read the graded samples that `ehrmind-rewards sample` writes (one JSON line per "
            'sample: {"id", "task", "category", "correct", "answer"}) and report, per category, '
            "pass@k, EHRMind's reliable pass@k and the recommendation: RLVR alone, or the SFT "
            "warm-up first."
        ),
    )
    parser.add_argument("samples", metavar="SAMPLES.jsonl", help="graded samples, JSONL")
    parser.add_argument(
        "--k",
        type=positive_int,
        metavar="K",
        help="k of pass@k (default: the number of samples per item, the smallest if items "
        "differ; EHRMind uses 12)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="pass@k at or above which RLVR alone is recommended",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards diagnose``."""
    from ehrmind_rewards.train.passk import diagnose, read_samples, samples_per_item

    samples = read_samples(args.samples)
    k = args.k or min(samples_per_item(samples).values())
    try:
        report = diagnose(samples, k, args.threshold)
    except ValueError as problem:
        return error("diagnose", f"{args.samples}: {problem}")
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    header = f"{'category':<24}{'items':>7}{'pass@k':>9}{'reliable':>10}  recommendation"
    print(f"k = {k}")
    print(header)
    for name, row in report.items():
        print(
            f"{name:<24}{row['n_items']:>7}{row['pass@k']:>9.3f}{row['reliable_pass@k']:>10.3f}"
            f"  {row['recommendation']} ({row['reason']})"
        )
    return 0
