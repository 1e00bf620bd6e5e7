"""``ehrmind-rewards grade``: grade a file of model outputs against labels.

Examples::

    ehrmind-rewards grade --example medcalc
    ehrmind-rewards grade preds.jsonl --dataset test_data.csv --report report.html
    ehrmind-rewards grade preds.csv --task trials --completion-field output --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import (
    Exit,
    add_output,
    add_quiet,
    add_workers,
    error,
    progress_bar,
    warn,
)
from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.rewards import EHRMIND, SPECS

AUTO_PARALLEL_BYTES = 8 * 1024 * 1024
"""With ``--workers 0`` (the default), files smaller than this are graded in one process."""

EXAMPLE_DEFAULT = "default"
"""``--example`` without a task name: the example of ``--task`` (or of the default task)."""


def register(subparsers: Any) -> None:
    """Add the ``grade`` subcommand."""
    examples = [f.name for f in registry.families() if f.example_files() is not None]
    parser = subparsers.add_parser(
        "grade",
        help="grade a JSONL/CSV file of completions: accuracy, error analysis, report",
        description=(
            "Grade model completions (JSONL or CSV) against labels given inline or looked up by "
            "id in a dataset file. The task is read from the file's columns when --task is not "
            "given (calculator_id: MedCalc; ehrshot_task: EHRSHOT; label alone: trials). Bad rows "
            "are counted and reported with their line numbers; a run that grades no row exits "
            "with status 3 and says why.\n\n"
            "examples:\n"
            "  ehrmind-rewards grade --example medcalc\n"
            "  ehrmind-rewards grade preds.jsonl --dataset test_data.csv --report report.html\n"
            "  ehrmind-rewards grade preds.csv --task trials --completion-field output --json"
        ),
    )
    parser.add_argument("file", nargs="?", type=Path, help="predictions, JSONL or CSV")
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE.html",
        help="write a self-contained HTML report here (needs the report extra: matplotlib)",
    )
    add_output(parser, "write per-row verdicts here (.csv by suffix, else JSONL)")
    parser.add_argument(
        "--example",
        nargs="?",
        const=EXAMPLE_DEFAULT,
        metavar="TASK",
        help="grade the bundled example predictions of TASK against its bundled dataset "
        f"({', '.join(examples)}; without TASK: the --task one)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any row is bad"
    )
    parser.set_defaults(handler=run)


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``grade`` and ``compare``."""
    parser.add_argument(
        "--task",
        choices=registry.names(),
        help=f"task family (default: read from the file's columns, else {registry.DEFAULT_TASK})",
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        metavar="FILE",
        help="labels by id: a MedCalc-Bench CSV (any version), a relabelled CSV, or a CSV/JSONL "
        "with the task's label columns",
    )
    parser.add_argument(
        "--dataset-id-field",
        metavar="NAME",
        help="id column of --dataset (default: 'Row Number', else 'id')",
    )
    parser.add_argument(
        "--completion-field",
        default="completion",
        metavar="NAME",
        help="field holding the model output",
    )
    parser.add_argument("--id-field", default="id", metavar="NAME", help="field holding the row id")
    parser.add_argument("--spec", default=EHRMIND.name, choices=list(SPECS), help="reward spec")
    add_workers(parser, "one per core for files over 8 MB, else 1")
    add_quiet(parser)


def workers_for(path: Path, requested: int) -> int:
    """The number of worker processes to use for ``path``."""
    if requested > 0:
        return requested
    try:
        large = path.stat().st_size >= AUTO_PARALLEL_BYTES
    except OSError:
        large = False
    return max(1, os.cpu_count() or 1) if large else 1


def resolve_task(args: argparse.Namespace, *files: Path | None) -> str:
    """``--task``, else the task the files' columns point to, else the default task.

    Raises :class:`InputError` when a file's columns fit several tasks.
    """
    from ehrmind_rewards.grading.inference import infer_task

    if args.task:
        return str(args.task)
    named = [("FILE", path) for path in files]
    return infer_task([*named, ("--dataset", args.dataset)]) or registry.DEFAULT_TASK


def load_and_grade(
    path: Path,
    args: argparse.Namespace,
    *,
    references: Any = None,
    verdicts_format: str | None = None,
    verdicts: Any = None,
    keep_items: bool = False,
) -> Any:
    """Grade ``path`` with the command-line options, showing a progress bar on a terminal.

    Raises :class:`~ehrmind_rewards.core.errors.InputError` for unusable input.
    """
    from ehrmind_rewards.grading.engine import GradeOptions, grade_file

    options = GradeOptions(
        task=args.task,
        spec=args.spec,
        completion_field=args.completion_field,
        id_field=args.id_field,
        workers=workers_for(path, args.workers),
        verdicts_format=verdicts_format,
        keep_items=keep_items,
    )
    try:
        total: int | None = path.stat().st_size
    except OSError:
        total = None
    bar = progress_bar(args, total=total, unit="B", unit_scale=True, desc=f"grading {path.name}")
    try:
        return grade_file(
            path,
            options,
            references=references,
            verdicts=verdicts,
            on_progress=_Progress(bar) if bar is not None else None,
        )
    finally:
        if bar is not None:
            bar.close()


def load_dataset(args: argparse.Namespace) -> Any:
    """The ``--dataset`` index, or ``None``. Raises InputError."""
    from ehrmind_rewards.grading.references import load_references

    if args.dataset is None:
        return None
    aliases = registry.get(args.task).column_aliases
    return load_references(args.dataset, args.dataset_id_field, aliases)


class _Progress:
    """Advance the bar by bytes read and show the rows graded so far."""

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.rows = 0

    def __call__(self, rows: int, size: int) -> None:
        self.rows += rows
        self.bar.set_postfix_str(f"{self.rows:,} rows", refresh=False)
        self.bar.update(size)


def _use_example(args: argparse.Namespace) -> int | None:
    """Point ``args`` at the bundled example of the chosen task; an exit code on a conflict."""
    if args.file is not None:
        return error("grade", "give either a FILE or --example, not both")
    task = args.task if args.example == EXAMPLE_DEFAULT else args.example
    task = task or registry.DEFAULT_TASK
    if registry.find(task) is None:
        examples = [f.name for f in registry.families() if f.example_files() is not None]
        return error("grade", f"--example {task}: no such task; examples: {', '.join(examples)}")
    if args.task and args.task != task:
        return error(
            "grade",
            f"--example {task} grades the {task} example; --task {args.task} contradicts it",
        )
    example = registry.get(task).example_files()
    if example is None:
        return error("grade", f"the {task} task has no bundled example")
    if args.dataset is not None:
        return error("grade", "--example brings its own dataset; leave out --dataset")
    args.file, args.dataset = example
    args.task = task
    if not args.file.exists():
        return error(
            "grade", f"the bundled example is missing from this installation ({args.file})"
        )
    return None


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards grade``."""
    from ehrmind_rewards.core.io import atomic_output, safe_outputs
    from ehrmind_rewards.grading.summary import summarize

    if args.example:
        code = _use_example(args)
        if code is not None:
            return code
    if args.file is None:
        return error(
            "grade",
            f"no input: give a predictions FILE (or --example {registry.DEFAULT_TASK} to try it)",
        )
    safe_outputs(
        {"FILE": args.file, "--dataset": args.dataset},
        {"--output": args.output, "--report": args.report},
    )
    if args.report is not None:
        _check_report_extra()
    args.task = resolve_task(args, args.file)
    references = load_dataset(args)
    if args.output is None:
        result = load_and_grade(args.file, args, references=references)
    else:
        verdict_format = "csv" if args.output.suffix.lower() == ".csv" else "jsonl"
        with atomic_output(args.output, newline="") as verdicts:
            result = load_and_grade(
                args.file,
                args,
                references=references,
                verdicts_format=verdict_format,
                verdicts=verdicts,
            )
    summary = summarize(
        result.tally,
        task=args.task,
        spec=args.spec,
        records=result.records,
        source=f"the bundled example ({args.file.name})" if args.example else str(args.file),
        dataset=(args.dataset.name if args.example else str(args.dataset))
        if args.dataset
        else None,
    )
    if args.report is not None:
        from ehrmind_rewards.grading.report import write_report

        write_report(summary, args.report)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=None))
    else:
        _print_text(summary, args)
    return _exit_code(summary, args)


def _check_report_extra() -> None:
    """Fail before grading when ``--report`` cannot be written (matplotlib is missing)."""
    import importlib.util

    if importlib.util.find_spec("matplotlib") is None:
        raise InputError(
            "--report needs matplotlib, the report extra: pip install '.[report]' from a clone"
        )


def _print_text(summary: dict[str, Any], args: argparse.Namespace) -> None:
    from ehrmind_rewards.grading.display import render_summary

    print(render_summary(summary))
    if args.output is not None:
        print(f"\n  per-row verdicts: {args.output}")
    if args.report is not None:
        print(f"  report: {args.report}")
    if args.example and summary["n"]:
        print(
            "\n  next: add --report report.html for plots, --output verdicts.csv for per-row"
            " verdicts,\n  --json for machine output; grade your own file with"
            " `ehrmind-rewards grade preds.jsonl --dataset test_data.csv`"
        )


def _exit_code(summary: dict[str, Any], args: argparse.Namespace) -> int:
    if summary["nothing_graded"]:
        print(f"ehrmind-rewards grade: {summary['nothing_graded']}", file=sys.stderr)
        return Exit.NOTHING_GRADED
    if summary["n_bad"]:
        lines = ", ".join(map(str, summary["bad_rows"][:10]))
        more = " …" if summary["n_bad"] > 10 else ""
        warn("grade", f"{summary['n_bad']} bad row(s) not graded (lines {lines}{more})")
        if args.strict:
            return Exit.BAD_ROWS
    return Exit.OK
