"""``ehrmind-rewards grade``: grade a file of model outputs against labels.

Examples::

    ehrmind-rewards grade --example medcalc
    ehrmind-rewards grade preds.jsonl --task medcalc --dataset test_data.csv --report report.html
    ehrmind-rewards grade preds.csv --task trials --completion-field output --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.rewards import EHRMIND, SPECS

AUTO_PARALLEL_BYTES = 8 * 1024 * 1024
"""With ``--workers 0`` (the default), files smaller than this are graded in one process."""


def register(subparsers: Any) -> None:
    """Add the ``grade`` subcommand."""
    parser = subparsers.add_parser(
        "grade",
        help="grade a JSONL/CSV file of completions: accuracy, error analysis, report",
        description=(
            "Grade model completions (JSONL or CSV) against labels given inline or looked up by "
            "id in a dataset file. Bad rows are reported with their line numbers and counted."
        ),
    )
    parser.add_argument("file", nargs="?", type=Path, help="predictions, JSONL or CSV")
    add_input_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON summary object")
    parser.add_argument("--report", type=Path, help="write a self-contained HTML report here")
    parser.add_argument(
        "--output", type=Path, help="write per-row verdicts here (.jsonl or .csv by suffix)"
    )
    parser.add_argument(
        "--example",
        choices=[f.name for f in registry.families() if f.example_files() is not None],
        help="grade the bundled example predictions against the bundled example dataset",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when any row is bad"
    )
    parser.set_defaults(handler=run)


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``grade`` and ``compare``."""
    parser.add_argument(
        "--task", choices=registry.names(), default=registry.DEFAULT_TASK, help="task family"
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        help="labels by id: a MedCalc-Bench CSV (any version), a "
        "relabelled CSV, or a CSV/JSONL with the task's label columns",
    )
    parser.add_argument(
        "--dataset-id-field", help="id column of --dataset (default: 'Row Number', else 'id')"
    )
    parser.add_argument(
        "--completion-field", default="completion", help="field holding the model output"
    )
    parser.add_argument("--id-field", default="id", help="field holding the row id")
    parser.add_argument("--spec", default=EHRMIND.name, choices=list(SPECS), help="reward spec")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="worker processes (default 0: one per core for files over 8 MB, else 1)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def workers_for(path: Path, requested: int) -> int:
    """The number of worker processes to use for ``path``."""
    if requested > 0:
        return requested
    try:
        large = path.stat().st_size >= AUTO_PARALLEL_BYTES
    except OSError:
        large = False
    return max(1, os.cpu_count() or 1) if large else 1


def fail(message: str) -> int:
    """Print a clear error for unusable input; return the exit status 2."""
    print(f"ehrmind-rewards: error: {message}", file=sys.stderr)
    return 2


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

    Raises :class:`~ehrmind_rewards.grading.readers.InputError` for unusable input.
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
    bar = _progress_bar(path, args.quiet)
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


def _progress_bar(path: Path, quiet: bool) -> Any:
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # type: ignore[import-untyped]

    try:
        total = path.stat().st_size
    except OSError:
        total = None
    return tqdm(
        total=total, unit="B", unit_scale=True, desc=f"grading {path.name}", file=sys.stderr
    )


def run(args: argparse.Namespace) -> int:
    """Handler of ``ehrmind-rewards grade``."""
    from ehrmind_rewards.core.errors import InputError
    from ehrmind_rewards.grading.display import render_summary
    from ehrmind_rewards.grading.summary import summarize

    if args.example:
        if args.file is not None:
            return fail("give either a FILE or --example, not both")
        example = registry.get(args.example).example_files()
        assert example is not None  # --example choices are the families with one
        args.file, args.dataset = example
        args.task = args.example
        if not args.file.exists():
            return fail(f"the bundled example is missing from this installation ({args.file})")
    if args.file is None:
        return fail(
            f"no input: give a predictions FILE (or --example {registry.DEFAULT_TASK} to try it)"
        )
    verdict_format = None
    if args.output is not None:
        verdict_format = "csv" if args.output.suffix.lower() == ".csv" else "jsonl"
    try:
        references = load_dataset(args)
        verdicts = args.output.open("w", encoding="utf-8", newline="") if args.output else None
        try:
            result = load_and_grade(
                args.file,
                args,
                references=references,
                verdicts_format=verdict_format,
                verdicts=verdicts,
            )
        finally:
            if verdicts is not None:
                verdicts.close()
    except InputError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"{error.filename or ''}: {error.strerror or error}")
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

        try:
            write_report(summary, args.report)
        except OSError as error:
            return fail(f"cannot write the report {args.report}: {error.strerror or error}")
        except ImportError as error:
            return fail(
                f"--report needs matplotlib: pip install 'ehrmind-rewards[report]' ({error})"
            )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=None))
    else:
        print(render_summary(summary))
        if args.output is not None:
            print(f"\n  per-row verdicts: {args.output}")
        if args.report is not None:
            print(f"  report: {args.report}")
        if args.example:
            print(
                "\n  next: add --report report.html for plots, --output verdicts.csv for per-row"
                " verdicts,\n  --json for machine output; grade your own file with"
                " `ehrmind-rewards grade preds.jsonl --dataset test_data.csv`"
            )
    if summary["n_bad"]:
        print(
            f"ehrmind-rewards: warning: {summary['n_bad']} bad row(s) not graded "
            f"(lines {', '.join(map(str, summary['bad_rows'][:10]))}"
            f"{' …' if summary['n_bad'] > 10 else ''})",
            file=sys.stderr,
        )
        if args.strict:
            return 1
    return 0
