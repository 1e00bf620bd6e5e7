"""MedCalc's subcommands: ``relabel`` and ``explain``.

* ``ehrmind-rewards relabel INPUT.csv --output OUT.csv [--errata PAGE.md]`` recomputes every row's
  label from its Relevant Entities;
* ``ehrmind-rewards explain INPUT.csv --output OUT.jsonl`` writes SFT warm-up rows from the
  calculators' own explanations.

Outputs are checked against the input (never written over it) and written atomically.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import add_output, add_quiet


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
    add_output(parser, "relabelled CSV to write", required=True, metavar="OUT.csv")
    parser.add_argument(
        "--errata", type=Path, metavar="PAGE.md", help="also write the errata page (Markdown)"
    )
    add_quiet(parser)
    parser.set_defaults(handler=run_relabel)


def run_relabel(args: argparse.Namespace) -> int:
    """Relabel, print the summary table, optionally write the errata page."""
    from ehrmind_rewards.core.io import atomic_output, safe_outputs
    from ehrmind_rewards.tasks.medcalc.bench.relabel import read_benchmark_csv, relabel_csv

    safe_outputs({"INPUT": args.input}, {"--output": args.output, "--errata": args.errata})
    progress = not args.quiet and sys.stderr.isatty()
    summary = relabel_csv(args.input, args.output, progress=progress)
    print(summary.table())
    if args.errata:
        from ehrmind_rewards.tasks.medcalc.bench.errata import render_errata

        _, rows = read_benchmark_csv(args.output)
        page = render_errata(rows, summary, args.input.as_posix())
        with atomic_output(args.errata) as handle:
            handle.write(page)
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
    add_output(parser, "JSONL file to write", required=True, metavar="OUT.jsonl")
    parser.set_defaults(handler=run_explain)


def run_explain(args: argparse.Namespace) -> int:
    """Export and report how many rows were written and skipped."""
    from ehrmind_rewards.core.io import safe_outputs
    from ehrmind_rewards.tasks.medcalc.sft import export_sft

    safe_outputs({"INPUT": args.input}, {"--output": args.output})
    stats = export_sft(args.input, args.output)
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(stats.skipped.items())) or "none"
    print(
        f"wrote {stats.written} rows to {args.output}; skipped {sum(stats.skipped.values())} "
        f"({skipped})"
    )
    return 0
