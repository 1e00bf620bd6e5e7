"""The ``ehrmind-rewards`` command line.

Each subcommand lives in its own module under ``ehrmind_rewards.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` (a function taking the parsed
arguments and returning the exit code). Modules are imported only when the program starts, and
heavy dependencies are imported inside handlers, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

SUBCOMMAND_MODULES: tuple[str, ...] = (
    "grade",
    "compare",
    "relabel",
    "explain",
    "eval_run",
    "train",
    "sample",
    "diagnose",
    "evaluate",
)
"""Modules under ``ehrmind_rewards.cli`` that register a subcommand, in help order."""


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="ehrmind-rewards",
        description="Verifiers, rewards and graders for clinical reasoning (EHRMind recipe).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"ehrmind_rewards.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    code: int = handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
