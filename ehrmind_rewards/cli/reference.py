"""The command-line reference (``docs/cli.md``), generated from the argparse parsers.

``python -m ehrmind_rewards.cli.reference > docs/cli.md`` rewrites the page; a test checks that
the page in the repository is what this module renders, so every command, option and exit code
is documented the way the installed command line has it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator

from ehrmind_rewards.cli.common import EXIT_CODES, PROG, plain_text

USAGE_WIDTH = 100
"""Width the usage lines are wrapped to (fixed, so the page does not depend on the terminal)."""

_INTRO = f"""# Command line

Every command is `{PROG} COMMAND …`; `{PROG} COMMAND --help` prints the same options as this
page, which is generated from the parsers (`python -m ehrmind_rewards.cli.reference >
docs/cli.md`).

All commands behave alike at their edges:

- **Errors** are one line on stderr: `{PROG} <command>: <file>:<line>: <message>` (file and line
  where there are some), followed by a non-zero exit code from the table below.
- **Outputs never overwrite inputs.** An output path (`--output/-o`, `--report`, `--errata`, a
  training `output_dir`) that resolves — symbolic and hard links followed — to one of the
  command's inputs, into an input folder, or to another output of the same command is refused
  before anything is written.
- **Outputs are written atomically**: to a temporary file in the target folder, renamed over the
  target only when the command succeeds, so a failed or interrupted run leaves an existing file
  as it was.
- **Bad input is counted or named, never a traceback**: a record that cannot be graded is a
  counted bad row with its line; a file that cannot be used at all is a one-line error.
  Text that cannot be encoded (a lone surrogate from JSON) is written as an escape.
- **Progress bars** (`grade`, `compare`, `relabel`, `sample`, `evaluate`, `train`,
  `ehrshot rows`) are drawn only on a terminal; `--quiet/-q` turns them off. Training off a
  terminal logs one line per logging step with the ETA.
- `{PROG} --version` prints the version; `… | head` ends quietly.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        value = "" if action.nargs == 0 else f" {_value(action)}"
        return ", ".join(f"`{option}{value}`" for option in action.option_strings)
    return f"`{action.metavar or action.dest}`"


def _value(action: argparse.Action) -> str:
    if action.metavar is not None:
        text = action.metavar if isinstance(action.metavar, str) else " ".join(action.metavar)
    elif action.choices is not None:
        text = "{" + ",".join(map(str, action.choices)) + "}"
    else:
        text = action.dest.upper()
    if action.nargs in ("+", "*"):
        text += " …"
    elif action.nargs == "?":
        text = f"[{text}]"
    return text


def _default(action: argparse.Action) -> str:
    default = action.default
    if action.nargs == 0 or default is None or default is argparse.SUPPRESS:
        return ""
    if isinstance(default, list | tuple):
        return " ".join(map(str, default))
    return str(default)


def _meaning(action: argparse.Action) -> str:
    text = plain_text(action.help or "").replace("%%", "%")
    if action.choices is not None and action.metavar is not None:
        text += f" (one of {', '.join(map(str, action.choices))})"
    return text


def _commands(
    parser: argparse.ArgumentParser, prefix: str
) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, subparser in action.choices.items():
                full = f"{prefix} {name}".strip()
                yield full, helps.get(name, ""), subparser
                yield from _commands(subparser, full)


def _markdown(description: str) -> list[str]:
    """A help description as Markdown: prose as it is, indented lines as a text block."""
    lines: list[str] = []
    block: list[str] = []
    for line in description.strip().splitlines():
        if line[:1].isspace() and line.strip():
            block.append(line.strip())
            continue
        if block:
            lines += ["", "```text", *block, "```", ""]
            block = []
        lines.append(line)
    if block:
        lines += ["", "```text", *block, "```"]
    return lines


def _section(name: str, summary: str, parser: argparse.ArgumentParser) -> list[str]:
    lines = [f"## `{PROG} {name}`", ""]
    if parser.description:
        lines += [*_markdown(parser.description), ""]
    elif summary:
        lines += [plain_text(summary)[:1].upper() + plain_text(summary)[1:] + ".", ""]
    prefix = "usage: "
    usage = [
        line.removeprefix(prefix if number == 0 else " " * len(prefix))
        for number, line in enumerate(parser.format_usage().rstrip().splitlines())
    ]
    lines += ["```text", *usage, "```", ""]
    rows = [
        action
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
    ]
    if rows:
        lines += ["| argument | meaning | default |", "|---|---|---|"]
        lines += [f"| {_name(a)} | {_cell(_meaning(a))} | {_cell(_default(a))} |" for a in rows]
        lines.append("")
    return lines


def render_reference(parser: argparse.ArgumentParser | None = None) -> str:
    """The Markdown page: the shared behaviour, the exit codes, then one section per command."""
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(USAGE_WIDTH)  # argparse wraps usage to the terminal's width
    try:
        if parser is None:
            from ehrmind_rewards.cli import build_parser

            parser = build_parser()
        return _render(parser)
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def _render(parser: argparse.ArgumentParser) -> str:
    lines = [_INTRO, "## Exit codes", "", "| code | meaning |", "|---|---|"]
    lines += [f"| {int(code)} | {_cell(meaning)} |" for code, meaning in EXIT_CODES]
    lines.append("")
    lines += ["## Commands", ""]
    commands = list(_commands(parser, ""))
    lines += [
        f"- [`{name}`](#{_anchor(name)}): {plain_text(summary)}" for name, summary, _ in commands
    ]
    lines.append("")
    for name, summary, subparser in commands:
        lines += _section(name, summary, subparser)
    return "\n".join(lines).rstrip() + "\n"


def _anchor(name: str) -> str:
    return f"{PROG} {name}".replace(" ", "-")


if __name__ == "__main__":
    print(render_reference(), end="")
