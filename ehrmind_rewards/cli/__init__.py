"""The ``ehrmind-rewards`` command line.

Each shared subcommand lives in its own module under ``ehrmind_rewards.cli`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` (a function taking the parsed
arguments and returning the exit code); each task family then adds its own subcommands
(:meth:`~ehrmind_rewards.core.task.TaskFamily.register_commands`). Heavy dependencies are imported
inside handlers, so ``--help`` stays fast.

:func:`main` gives every command the same behaviour at its edges: an error raised on purpose
(:class:`~ehrmind_rewards.core.errors.EhrmindError`), a file that cannot be opened or a missing
optional dependency is one line on stderr and exit status 2, Ctrl-C is status 130, a closed pipe
(``… | head``) ends the command quietly with status 141, and text that cannot be encoded (a lone
surrogate from JSON) is written as an escape instead of failing. The exit codes are listed in
:data:`~ehrmind_rewards.cli.common.EXIT_CODES`.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from ehrmind_rewards.cli.common import PROG, CommandParser, Exit, error, first_line
from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import EhrmindError

SUBCOMMAND_MODULES: tuple[str, ...] = (
    "grade",
    "compare",
    "train",
    "sample",
    "diagnose",
    "evaluate",
    "serve",
    "recipe",
)
"""Modules under ``ehrmind_rewards.cli`` that register a shared subcommand, in help order."""


def version() -> str:
    """The installed distribution's version (``unknown`` when run from an uninstalled tree)."""
    try:
        return metadata.version(PROG)
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every subcommand registered."""
    parser = CommandParser(
        prog=PROG,
        description="Verifiers, rewards and graders for clinical reasoning (EHRMind recipe). "
        "Run `ehrmind-rewards COMMAND --help` for a command's options; exit codes are listed "
        "in docs/cli.md.",
    )
    parser.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"%(prog)s {version()}",
        help="show the version",
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=CommandParser
    )
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f"ehrmind_rewards.cli.{name}").register(subparsers)
    for family in registry.families():
        family.register_commands(subparsers)
    _name_commands(parser, "")
    return parser


def _name_commands(parser: argparse.ArgumentParser, prefix: str) -> None:
    """Record each (sub)command's full name (``ehrshot rows``) for its error messages."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                full = f"{prefix} {name}".strip()
                subparser.set_defaults(command_name=full)
                _name_commands(subparser, full)


def _escape_unencodable_text() -> None:
    """Write lone surrogates and other unencodable characters as escapes, never fail on them."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the exit-time flush cannot fail."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (captured, replaced)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)


def describe_os_error(problem: OSError) -> str:
    """``<file>: <reason>`` for a file the command could not open, read or write."""
    reason = problem.strerror or str(problem)
    return f"{problem.filename}: {reason}" if problem.filename else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    _escape_unencodable_text()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return Exit.INPUT
    command = getattr(args, "command_name", args.command)
    try:
        code: int = handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return Exit.BROKEN_PIPE
    except KeyboardInterrupt:
        print(f"{PROG} {command}: interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except EhrmindError as problem:
        return error(command, str(problem))
    except OSError as problem:
        return error(command, describe_os_error(problem))
    except ImportError as problem:  # an optional dependency (an extra) that is not installed
        return error(
            command,
            f"{problem.name or 'a dependency'} is not installed ({first_line(problem)}); the "
            "README lists the extras that bring it",
        )
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
