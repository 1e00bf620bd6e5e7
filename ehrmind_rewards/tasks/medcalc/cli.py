"""MedCalc's subcommands: ``relabel`` and ``explain``.

* ``ehrmind-rewards relabel INPUT.csv --output OUT.csv [--errata PAGE.md]`` recomputes every row's
  label from its Relevant Entities;
* ``ehrmind-rewards explain INPUT.csv --output OUT.jsonl`` writes SFT warm-up rows from the
  calculators' own explanations.

Outputs are checked against the input (never written over it) and written atomically.

Both take ``--convention CALCULATOR.CONVENTION=OPTION`` (repeatable), e.g.
``--convention sofa.respiratory_support=not_required``, to compute with another option than the
calculator's default (see the calculator reference for every convention and its options).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import add_output, add_quiet

CONVENTION_HELP = (
    "compute with another option of a calculator convention, CALCULATOR.CONVENTION=OPTION "
    "(e.g. sofa.respiratory_support=not_required); repeatable"
)


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
    _add_convention_option(parser)
    parser.set_defaults(handler=run_relabel)


def _add_convention_option(parser: Any) -> None:
    parser.add_argument(
        "--convention",
        action="append",
        default=[],
        metavar="CALCULATOR.CONVENTION=OPTION",
        help=CONVENTION_HELP,
    )


def parse_conventions(command: str, texts: Sequence[str]) -> dict[str, str] | None:
    """The run's qualified convention choices, or ``None`` after printing why they are wrong."""
    from calculators.conventions import parse_assignments
    from calculators.errors import InputValueError

    try:
        chosen = parse_assignments(texts)
    except InputValueError as error:
        print(f"{command}: {error}", file=sys.stderr)
        return None
    for key, option in sorted(chosen.items()):
        print(f"{command}: convention {key} = {option}", file=sys.stderr)
    return chosen


def run_relabel(args: argparse.Namespace) -> int:
    """Relabel, print the summary table, optionally write the errata page."""
    from ehrmind_rewards.core.io import atomic_output, safe_outputs
    from ehrmind_rewards.tasks.medcalc.bench.relabel import read_benchmark_csv, relabel_csv

    safe_outputs({"INPUT": args.input}, {"--output": args.output, "--errata": args.errata})
    conventions = parse_conventions("relabel", args.convention)
    if conventions is None:
        return 2
    progress = not args.quiet and sys.stderr.isatty()
    summary = relabel_csv(args.input, args.output, progress=progress, conventions=conventions)
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
    _add_convention_option(parser)
    parser.set_defaults(handler=run_explain)


def run_explain(args: argparse.Namespace) -> int:
    """Export and report how many rows were written and skipped."""
    from ehrmind_rewards.core.io import safe_outputs
    from ehrmind_rewards.tasks.medcalc.sft import export_sft

    safe_outputs({"INPUT": args.input}, {"--output": args.output})
    conventions = parse_conventions("explain", args.convention)
    if conventions is None:
        return 2
    stats = export_sft(args.input, args.output, conventions)
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(stats.skipped.items())) or "none"
    print(
        f"wrote {stats.written} rows to {args.output}; skipped {sum(stats.skipped.values())} "
        f"({skipped})"
    )
    return 0
