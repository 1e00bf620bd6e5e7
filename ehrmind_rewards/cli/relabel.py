"""``ehrmind-rewards relabel INPUT.csv --output OUT.csv [--errata PAGE.md]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Relabel, print the summary table, optionally write the errata page."""
    from ehrmind_rewards.relabel import read_rows, relabel_csv

    try:
        summary = relabel_csv(args.input, args.output, progress=not args.no_progress)
    except (OSError, ValueError) as error:
        print(f"relabel: {error}", file=sys.stderr)
        return 1
    print(summary.table())
    if args.errata:
        from ehrmind_rewards.errata import render_errata

        _, rows = read_rows(args.output)
        args.errata.write_text(render_errata(rows, summary, args.input.as_posix()), "utf-8")
        print(f"errata written to {args.errata}")
    return 0
