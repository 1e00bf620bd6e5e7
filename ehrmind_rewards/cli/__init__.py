"""The ``ehrmind-rewards`` command line.

Each shared subcommand lives in its own module under ``ehrmind_rewards.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` (a function taking the parsed
arguments and returning the exit code); each task family then adds its own subcommands
(:meth:`~ehrmind_rewards.core.task.TaskFamily.register_commands`). Heavy dependencies are imported
inside handlers, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ehrmind_rewards.core import registry

SUBCOMMAND_MODULES: tuple[str, ...] = (
    "grade",
    "compare",
    "train",
    "sample",
    "diagnose",
    "evaluate",
    "recipe",
)
"""Modules under ``ehrmind_rewards.cli`` that register a shared subcommand, in help order."""


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="ehrmind-rewards",
        description="Verifiers, rewards and graders for clinical reasoning (EHRMind recipe).",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"ehrmind_rewards.cli.{name}").register(subparsers)
    for family in registry.families():
        family.register_commands(subparsers)
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
