"""``ehrmind-rewards explain INPUT.csv --output OUT.jsonl``: SFT warm-up rows from calculators."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add the ``explain`` subcommand."""
    parser = subparsers.add_parser(
        "explain",
        help="turn a MedCalc-Bench CSV into SFT prompt-completion JSONL",
        description="Write one JSON line per computable row: the prompt (ending with EHRMind's "
        "pre-fill) and a completion holding the calculator's explanation inside <think> and "
        "the recomputed answer inside <answer>.",
    )
    parser.add_argument("input", type=Path, help="MedCalc-Bench CSV")
    parser.add_argument("--output", "-o", type=Path, required=True, help="JSONL file to write")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Export and report how many rows were written and skipped."""
    from ehrmind_rewards.sft import export_sft

    try:
        stats = export_sft(args.input, args.output)
    except (OSError, ValueError) as error:
        print(f"explain: {error}", file=sys.stderr)
        return 1
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(stats.skipped.items())) or "none"
    print(
        f"wrote {stats.written} rows to {args.output}; skipped {sum(stats.skipped.values())} "
        f"({skipped})"
    )
    return 0
