"""``ehrmind-rewards ehrshot synthesize|rows``: synthetic EHRSHOT data and TRL rows from a copy.

* ``ehrshot synthesize --patients N -o DIR [--seed S] [--format meds|femr]`` writes a SYNTHETIC
  dataset in EHRSHOT's layout (see ``docs/ehrshot.md``) into a new folder.
* ``ehrshot rows ROOT -o rows.jsonl [--tasks …] [--split train] [--max-tokens 4000]`` writes one
  TRL row per label (prompt messages, ``task``, ``ehrshot_task``, ``label``, ``class_weight``).

Both refuse an output inside the dataset they read and write atomically: a failed run leaves no
partial folder or file behind.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import add_output, add_quiet, error, positive_int, progress_bar
from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS, TASKS


def register(subparsers: Any) -> None:
    """Add the ``ehrshot`` subcommand and its two actions."""
    parser = subparsers.add_parser(
        "ehrshot",
        help="EHRSHOT: write synthetic data, or build TRL rows from a MEDS/FEMR copy",
        description="EHRSHOT tools (the real data is credentialed; synthetic data says so).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    synth = actions.add_parser(
        "synthesize",
        help="write a SYNTHETIC EHRSHOT-shaped dataset",
        description="Write a SYNTHETIC dataset in EHRSHOT's layout (MEDS or FEMR CSV) into a new "
        "folder: seeded patients, labeled by EHRSHOT's rules. Nothing in it is a real record.",
    )
    synth.add_argument("--patients", type=positive_int, required=True, help="patients to write")
    add_output(
        synth, "the new folder to write (must not exist, or be empty)", required=True, metavar="DIR"
    )
    synth.add_argument("--seed", type=int, default=0, help="random seed")
    synth.add_argument("--format", choices=["meds", "femr"], default="meds", help="on-disk layout")
    synth.add_argument(
        "--events-per-patient",
        type=positive_int,
        default=None,
        metavar="N",
        help="events per patient (default: EHRSHOT's average, about 6,200)",
    )
    synth.set_defaults(handler=run_synthesize)

    rows = actions.add_parser(
        "rows",
        help="TRL rows (JSONL), one per label",
        description="Build one TRL row per label of the chosen tasks from a MEDS directory or a "
        "FEMR-CSV folder: the prompt messages with the patient's timeline, the label and its "
        "class weight.",
    )
    rows.add_argument("root", type=Path, help="MEDS directory or FEMR-CSV folder")
    add_output(rows, "rows JSONL to write", required=True, metavar="ROWS.jsonl")
    rows.add_argument(
        "--tasks",
        nargs="+",
        choices=list(TASKS),
        default=list(EHRMIND_TASKS),
        metavar="TASK",
        help=f"EHRSHOT tasks ({', '.join(TASKS)})",
    )
    rows.add_argument(
        "--split",
        choices=["train", "tuning", "held_out"],
        default=None,
        help="only patients of this split (default: all)",
    )
    rows.add_argument(
        "--max-tokens", type=positive_int, default=4_000, help="timeline token budget"
    )
    rows.add_argument(
        "--chars-per-token", type=float, default=4.0, help="characters per token when counting"
    )
    rows.add_argument(
        "--all-tables", action="store_true", help="every event table, not only EHRMind's"
    )
    add_quiet(rows)
    rows.set_defaults(handler=run_rows)


def run_synthesize(args: argparse.Namespace) -> int:
    """Write the synthetic dataset into a new folder and print its path."""
    from ehrmind_rewards.core.io import atomic_directory
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    with atomic_directory(args.output) as folder:
        per_patient = args.events_per_patient
        synthesize(args.patients, args.seed, folder, args.format, events_per_patient=per_patient)
    print(args.output)
    return 0


def run_rows(args: argparse.Namespace) -> int:
    """Stream rows to a JSONL file; malformed input files are a one-line error (status 2)."""
    from ehrmind_rewards.core.io import atomic_output, safe_outputs
    from ehrmind_rewards.tasks.ehrshot.dataset import iter_training_rows
    from ehrmind_rewards.tasks.ehrshot.timeline import EHRMIND_TABLES, TimelineOptions

    safe_outputs({"ROOT": args.root}, {"--output": args.output})
    options = TimelineOptions(
        tables=None if args.all_tables else EHRMIND_TABLES,
        max_tokens=args.max_tokens,
        chars_per_token=args.chars_per_token,
    )
    written = 0
    bar = progress_bar(args, unit="row", desc="ehrshot rows")
    try:
        with atomic_output(args.output) as handle:
            for row in iter_training_rows(args.root, args.tasks, split=args.split, options=options):
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
                if bar is not None:
                    bar.update(1)
    except ValueError as problem:  # EHRSHOTFormatError and the readers' own checks name the file
        return error("ehrshot rows", str(problem))
    except ImportError as problem:  # MEDS files without pyarrow (the ehrshot extra)
        return error("ehrshot rows", str(problem))
    finally:
        if bar is not None:
            bar.close()
    print(f"{written} rows → {args.output}")
    return 0
