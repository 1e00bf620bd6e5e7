"""``ehrmind-rewards ehrshot synthesize|rows``: synthetic EHRSHOT data and TRL rows from a copy.

* ``ehrshot synthesize --patients N --out DIR [--seed S] [--format meds|femr]`` writes a SYNTHETIC
  dataset in EHRSHOT's layout (see ``docs/ehrshot.md``).
* ``ehrshot rows ROOT -o rows.jsonl [--tasks …] [--split train] [--max-tokens 4000]`` writes one
  TRL row per label (prompt messages, ``task``, ``ehrshot_task``, ``label``, ``class_weight``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS, TASKS
from ehrmind_rewards.tasks.ehrshot.weights import CLASS_WEIGHTINGS, TRAINING_SPLITS


def register(subparsers: Any) -> None:
    """Add the ``ehrshot`` subcommand and its two actions."""
    parser = subparsers.add_parser(
        "ehrshot",
        help="EHRSHOT: write synthetic data, or build TRL rows from a MEDS/FEMR copy",
        description="EHRSHOT tools (the data is credentialed; synthetic data is labelled so).",
    )
    actions = parser.add_subparsers(dest="action", required=True)

    synth = actions.add_parser("synthesize", help="write a SYNTHETIC EHRSHOT-shaped dataset")
    synth.add_argument("--patients", type=int, required=True)
    synth.add_argument("--out", type=Path, required=True)
    synth.add_argument("--seed", type=int, default=0)
    synth.add_argument("--format", choices=["meds", "femr"], default="meds")
    synth.add_argument("--events-per-patient", type=int, default=None)
    synth.set_defaults(handler=run_synthesize)

    rows = actions.add_parser("rows", help="TRL rows (JSONL), one per label")
    rows.add_argument("root", type=Path, help="MEDS directory or FEMR-CSV folder")
    rows.add_argument("-o", "--output", type=Path, required=True, help="rows .jsonl to write")
    rows.add_argument(
        "--tasks", nargs="+", choices=list(TASKS), default=list(EHRMIND_TASKS), metavar="TASK"
    )
    rows.add_argument(
        "--split", default=None, help="one patient split (train, tuning/val, held_out/test, …)"
    )
    rows.add_argument(
        "--class-weights",
        choices=list(CLASS_WEIGHTINGS),
        default="eval",
        help="rows carrying EHRMind's 0.5·N/N_class: eval = evaluation splits only, as EHRMind "
        "(default; training rows get 1), all = every split, none = no row",
    )
    rows.add_argument(
        "--train-split",
        action="append",
        default=None,
        metavar="NAME",
        help="split(s) whose rows are training rows (default: train)",
    )
    rows.add_argument("--max-tokens", type=int, default=4_000, help="timeline token budget")
    rows.add_argument("--chars-per-token", type=float, default=4.0)
    rows.add_argument(
        "--all-tables", action="store_true", help="every event table, not only EHRMind's"
    )
    rows.set_defaults(handler=run_rows)


def run_synthesize(args: argparse.Namespace) -> int:
    """Write the synthetic dataset and print its path."""
    from ehrmind_rewards.tasks.ehrshot.synthetic import synthesize

    if args.patients < 1:
        print("error: --patients must be ≥ 1", file=sys.stderr)
        return 2
    root = synthesize(
        args.patients, args.seed, args.out, args.format, events_per_patient=args.events_per_patient
    )
    print(root)
    return 0


def run_rows(args: argparse.Namespace) -> int:
    """Stream rows to a JSONL file; malformed input files exit with status 2 and the location."""
    from ehrmind_rewards.tasks.ehrshot.dataset import iter_training_rows
    from ehrmind_rewards.tasks.ehrshot.io import EHRSHOTFormatError
    from ehrmind_rewards.tasks.ehrshot.timeline import EHRMIND_TABLES, TimelineOptions

    options = TimelineOptions(
        tables=None if args.all_tables else EHRMIND_TABLES,
        max_tokens=args.max_tokens,
        chars_per_token=args.chars_per_token,
    )
    written = 0
    try:
        with args.output.open("w", encoding="utf-8") as handle:
            rows = iter_training_rows(
                args.root,
                args.tasks,
                split=args.split,
                options=options,
                weighting=args.class_weights,
                training_splits=frozenset(args.train_split or TRAINING_SPLITS),
            )
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                written += 1
    except (EHRSHOTFormatError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{written} rows → {args.output}")
    return 0
