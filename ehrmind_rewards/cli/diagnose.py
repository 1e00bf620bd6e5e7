"""``ehrmind-rewards diagnose SAMPLES.jsonl --k K [--json]``: RLVR, or SFT first, per category.

SAMPLES has one line per graded sample: ``{"id", "task", "category", "correct", "answer"}``
(``ehrmind-rewards sample`` writes it). See :mod:`ehrmind_rewards.train.passk` for the estimators.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diagnose",
        help="pass@k and reliable pass@k per category: does it need the SFT warm-up?",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("samples", metavar="SAMPLES.jsonl")
    parser.add_argument("--k", type=int, default=12, help="k of pass@k (EHRMind: 12)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.5,
        help="pass@k at or above which RLVR alone is recommended (default 0.5)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ehrmind_rewards.train.passk import SamplesError, diagnose, read_samples

    if args.k < 1:
        print("--k must be at least 1", file=sys.stderr)
        return 2
    try:
        report = diagnose(read_samples(args.samples), args.k, args.threshold)
    except (OSError, SamplesError, ValueError) as error:
        print(f"diagnose: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    header = f"{'category':<24}{'items':>7}{'pass@k':>9}{'reliable':>10}  recommendation"
    print(header)
    for name, row in report.items():
        print(
            f"{name:<24}{row['n_items']:>7}{row['pass@k']:>9.3f}{row['reliable_pass@k']:>10.3f}"
            f"  {row['recommendation']} ({row['reason']})"
        )
    return 0
