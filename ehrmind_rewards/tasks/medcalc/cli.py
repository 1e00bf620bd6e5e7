"""MedCalc's subcommands: ``relabel`` and ``explain``.

* ``ehrmind-rewards relabel INPUT.csv --output OUT.csv [--errata PAGE.md]`` recomputes every row's
  label from its Relevant Entities;
* ``ehrmind-rewards explain INPUT.csv --output OUT.jsonl`` writes SFT warm-up rows from the
  calculators' own explanations.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    """Add ``relabel`` and ``explain``."""
    register_relabel(subparsers)
    register_explain(subparsers)


def register_relabel(subparsers: Any) -> None:
    """Add the ``relabel`` subcommand."""
    parser = subparsers.add_parser(
        "relabel",
        help="recompute a MedCalc-Bench CSV's labels from its Relevant Entities",
        description="Recompute every row's label from its entities; write the same rows with "
        "Ground Truth Answer/Lower/Upper replaced and Original Ground Truth Answer, "
        "Relabel Status and Relabel Reason added.",
    )
    parser.add_argument("input", type=Path, help="MedCalc-Bench CSV (any version)")
    parser.add_argument("--output", "-o", type=Path, required=True, help="relabelled CSV to write")
    parser.add_argument("--errata", type=Path, help="also write the errata page (Markdown)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run_relabel)


def run_relabel(args: argparse.Namespace) -> int:
    """Relabel, print the summary table, optionally write the errata page."""
    from ehrmind_rewards.tasks.medcalc.bench.relabel import read_benchmark_csv, relabel_csv

    try:
        summary = relabel_csv(args.input, args.output, progress=not args.no_progress)
    except (OSError, ValueError) as error:
        print(f"relabel: {error}", file=sys.stderr)
        return 1
    print(summary.table())
    if args.errata:
        from ehrmind_rewards.tasks.medcalc.bench.errata import render_errata

        _, rows = read_benchmark_csv(args.output)
        args.errata.write_text(render_errata(rows, summary, args.input.as_posix()), "utf-8")
        print(f"errata written to {args.errata}")
    return 0


def register_explain(subparsers: Any) -> None:
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
    parser.set_defaults(handler=run_explain)


def run_explain(args: argparse.Namespace) -> int:
    """Export and report how many rows were written and skipped."""
    from ehrmind_rewards.tasks.medcalc.sft import export_sft

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
