"""Every command reads like one tool: the same option names, complete help, one error format,
``--version``, progress bars only on a terminal, and a reference page in sync with the parsers."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ehrmind_rewards.cli import build_parser, main, version
from ehrmind_rewards.cli.common import HelpFormatter, progress_bar
from ehrmind_rewards.cli.reference import render_reference
from tests.paths import ROOT

RST = re.compile(r"``|:(func|meth|class|mod|data|attr|exc|obj):`|::$", re.M)


def _parsers(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                yield full, sub
                yield from _parsers(sub, full)


COMMANDS = dict(_parsers(build_parser()))


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {option: a for a in parser._actions for option in a.option_strings}


def test_every_command_is_there() -> None:
    assert {
        "grade",
        "compare",
        "train",
        "sample",
        "diagnose",
        "evaluate",
        "relabel",
        "explain",
        "eval-run",
        "ehrshot",
        "ehrshot synthesize",
        "ehrshot rows",
    } <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_shared_options_have_one_spelling(name: str) -> None:
    options = _options(COMMANDS[name])
    for retired in ("--out", "--no-progress"):
        assert retired not in options, f"{name}: {retired} is spelled --output/-o, --quiet/-q"
    if "--output" in options:
        assert "-o" in options["--output"].option_strings, name
    if "--quiet" in options:
        assert "-q" in options["--quiet"].option_strings, name
    assert "-o" not in options or options["-o"].dest == "output"
    assert "-q" not in options or options["-q"].dest == "quiet"


def test_commands_that_write_or_draw_have_the_shared_options() -> None:
    for name in ("grade", "sample", "evaluate", "relabel", "explain", "ehrshot rows"):
        assert "--output" in _options(COMMANDS[name]), name
    for name in ("grade", "compare", "train", "sample", "evaluate", "relabel", "ehrshot rows"):
        assert "--quiet" in _options(COMMANDS[name]), name
    for name in ("grade", "compare"):
        assert "--workers" in _options(COMMANDS[name]), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_is_complete_plain_text_with_defaults(name: str) -> None:
    parser = COMMANDS[name]
    assert parser.formatter_class is HelpFormatter
    text = parser.format_help()
    assert not RST.search(text), f"{name}: reStructuredText in --help"
    assert parser.description, f"{name}: no description"
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        assert action.help, f"{name}: {action.option_strings or action.dest} has no help"
        shown = action.default not in (None, False, argparse.SUPPRESS) and action.nargs != 0
        if shown and action.option_strings:
            help_text = HelpFormatter(name)._get_help_string(action)
            assert "default" in help_text, f"{name} {action.option_strings}: default not shown"


def test_top_level_help_lists_every_command_and_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"ehrmind-rewards {version()}\n"
    assert version() != "unknown"
    text = build_parser().format_help()
    for name in COMMANDS:
        assert name.split()[0] in text


def test_usage_errors_are_one_line_in_the_shared_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["grade", "--workers", "many"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("ehrmind-rewards grade: argument --workers: invalid int value")


def test_progress_bars_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet, loud = argparse.Namespace(quiet=True), argparse.Namespace(quiet=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert progress_bar(loud, total=3) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert progress_bar(quiet, total=3) is None
    bar = progress_bar(loud, total=3, unit="prompt")
    assert (bar is not None and "remaining" in bar.format_dict) or bar.total == 3
    bar.close()


def test_relabel_draws_no_bar_into_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ehrmind_rewards.tasks.medcalc.bench.relabel import PROGRESS_MIN_ROWS

    source = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
    out = tmp_path / "relabelled.csv"
    assert main(["relabel", str(source), "-o", str(out)]) == 0
    assert PROGRESS_MIN_ROWS <= 1047
    assert capsys.readouterr().err == ""  # stderr is not a terminal here


def test_the_command_line_reference_is_in_sync() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == render_reference(), (
        "docs/cli.md is out of date: python -m ehrmind_rewards.cli.reference > docs/cli.md"
    )
    for name in COMMANDS:
        assert f"## `ehrmind-rewards {name}`" in page
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |", "| 130 |", "| 141 |"):
        assert code in page
