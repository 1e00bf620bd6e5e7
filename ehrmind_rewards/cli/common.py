"""What every ``ehrmind-rewards`` command shares: exit codes, the error format, option names,
help formatting and progress bars.

Every error a command reports is one line on stderr, ``ehrmind-rewards <command>: <file>:<line>:
<message>`` (file and line where there are some), and the command exits with one of
:data:`EXIT_CODES`. The options that several commands have are added here, so they have one
spelling everywhere: ``--output/-o``, ``--quiet/-q``, ``--workers``.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.core.io import escape_surrogates

PROG = "ehrmind-rewards"


class Exit(IntEnum):
    """The exit codes of every command."""

    OK = 0
    BAD_ROWS = 1
    INPUT = 2
    NOTHING_GRADED = 3
    INTERRUPTED = 130
    BROKEN_PIPE = 141


EXIT_CODES: tuple[tuple[Exit, str], ...] = (
    (Exit.OK, "success (bad rows, if any, are counted and listed in the summary)"),
    (Exit.BAD_ROWS, "`grade --strict`: some rows were bad (not graded)"),
    (
        Exit.INPUT,
        "a usage error or an unusable input (missing or unreadable file, bad config, an output "
        "that would overwrite an input); the message names the file and line, and no output "
        "file was changed",
    ),
    (
        Exit.NOTHING_GRADED,
        "`grade`/`compare`: the input was read but no row could be graded; the summary says why",
    ),
    (Exit.INTERRUPTED, "interrupted (Ctrl-C); no output file was changed"),
    (Exit.BROKEN_PIPE, "the reader of the output went away (`… | head`); exits quietly"),
)
"""Every exit code with its meaning (the table in ``docs/cli.md``)."""


def error(command: str, message: str) -> int:
    """Print ``ehrmind-rewards <command>: <message>`` on stderr; return :attr:`Exit.INPUT`."""
    print(f"{PROG} {command}: {escape_surrogates(message)}", file=sys.stderr)
    return Exit.INPUT


def first_line(text: object) -> str:
    """The first non-blank line of a (possibly multi-line) message.

    >>> first_line("We couldn't connect.\\nCheck your connection.")
    "We couldn't connect."
    """
    return next((line.strip() for line in str(text).splitlines() if line.strip()), str(text))


def run_with_model(command: str, model: str, work: Callable[[], int]) -> int:
    """``work()``, with a model that cannot be loaded (offline, no such repository, no weights)
    reported as one line naming it. Library loaders raise :class:`OSError` without an errno for
    these; an OSError with an errno (a file that cannot be written) is left to ``main``. A
    missing training dependency (the ``train`` extra) is one line too."""
    try:
        return work()
    except EhrmindError:
        raise  # reported by main() in full
    except OSError as problem:
        if problem.errno is not None:
            raise
        return error(command, f"cannot load the model {model!r}: {first_line(problem)}")
    except ValueError as problem:  # e.g. a backend that is not installed
        return error(command, first_line(problem))
    except ImportError as problem:
        missing = problem.name or "a module"
        return error(
            command,
            f"{missing} is not installed; this command needs the train extra "
            "(pip install '.[train]' from a clone)",
        )


def warn(command: str, message: str) -> None:
    """Print ``ehrmind-rewards <command>: warning: <message>`` on stderr."""
    print(f"{PROG} {command}: warning: {escape_surrogates(message)}", file=sys.stderr)


# --- help text ------------------------------------------------------------------------------

_ROLE = re.compile(r":[a-z:]+:`(~?)([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")


def _role(match: re.Match[str]) -> str:
    shortened, target = match.groups()
    if "<" in target:  # :func:`text <target>`
        return target.split("<", 1)[0].strip()
    return target.rsplit(".", 1)[-1] if shortened else target


def plain_text(text: str) -> str:
    """A docstring fragment with its reStructuredText markup removed, for ``--help``.

    >>> plain_text("see :func:`~a.b.diagnose` and ``--k``; examples::")
    'see diagnose and --k; examples:'
    """
    text = _LITERAL.sub(r"\1", _ROLE.sub(_role, text))
    return re.sub(r"::$", ":", text, flags=re.M)


class HelpFormatter(argparse.HelpFormatter):
    """Descriptions wrap by paragraph and keep indented lines (examples) as written; every
    option's help ends with its default."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        prose: list[str] = []

        def flush() -> None:
            if prose:
                out.append(
                    textwrap.fill(
                        " ".join(prose), width, initial_indent=indent, subsequent_indent=indent
                    )
                )
                prose.clear()

        for line in text.splitlines():
            if not line.strip() or line[0].isspace():
                flush()
                out.append(indent + line if line.strip() else "")
            else:
                prose.append(line.strip())
        flush()
        return "\n".join(out)

    def _get_help_string(self, action: argparse.Action) -> str:
        text = plain_text(action.help or "")
        default = action.default
        if (
            not action.option_strings
            or action.nargs == 0
            or default is None
            or default is argparse.SUPPRESS
            or "default" in text
        ):
            return text
        shown = " ".join(map(str, default)) if isinstance(default, list | tuple) else default
        return f"{text} (default: {str(shown).replace('%', '%%')})"


class CommandParser(argparse.ArgumentParser):
    """The parser class of every command: :class:`HelpFormatter`, plain-text descriptions, and
    usage errors as one line in the shared format (``ehrmind-rewards grade: argument …``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        if kwargs.get("description"):
            kwargs["description"] = plain_text(kwargs["description"]).strip()
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print ``<prog>: <message> (see --help)`` on stderr and exit with status 2."""
        self.exit(Exit.INPUT, f"{self.prog}: {message} (see {self.prog} --help)\n")


# --- shared options and argument types -----------------------------------------------------


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1.

    >>> positive_int("3")
    3
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def add_output(
    parser: argparse.ArgumentParser,
    help: str,
    *,
    required: bool = False,
    metavar: str = "FILE",
) -> None:
    """``-o/--output``: where the command writes (never over one of its inputs)."""
    parser.add_argument("-o", "--output", type=Path, required=required, metavar=metavar, help=help)


def add_quiet(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no progress bar (bars are drawn only on a terminal anyway)."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar and no notes on stderr (bars are only drawn on a terminal)",
    )


def add_workers(parser: argparse.ArgumentParser, default_help: str) -> None:
    """``--workers N``: worker processes; 0 picks a number itself."""
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help=f"worker processes; 0, the default, means {default_help}",
    )


def progress_bar(args: argparse.Namespace, **options: Any) -> Any:
    """A tqdm bar on stderr (rate and ETA shown when ``total`` is known), or ``None`` when
    ``--quiet`` is given or stderr is not a terminal (a pipe or a log file gets no bar)."""
    if getattr(args, "quiet", False) or not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # type: ignore[import-untyped]

    return tqdm(file=sys.stderr, dynamic_ncols=True, **options)
