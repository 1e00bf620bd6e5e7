"""``ehrmind-rewards ehrshot synthesize|label|rows``: synthetic data, labels, TRL rows.

* ``ehrshot synthesize --patients N -o DIR [--seed S] [--format meds|femr]`` writes a SYNTHETIC
  dataset in EHRSHOT's layout (see ``docs/ehrshot.md``) into a new folder.
* ``ehrshot label DATA_DIR --task NAME -o FILE`` derives a task's labels from the events with
  EHRSHOT's rules and writes a MEDS label parquet; ``--task all`` writes ``<task>.parquet`` for all
  15 tasks into the new folder ``-o``.
* ``ehrshot rows ROOT -o rows.jsonl [--tasks …] [--split train] [--class-weights eval]`` writes one
  TRL row per label (prompt messages, ``task``, ``ehrshot_task``, ``label``, ``class_weight``).

Both refuse an output inside the dataset they read and write atomically: a failed run leaves no
partial folder or file behind.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ehrmind_rewards.cli.common import (
    add_output,
    add_quiet,
    error,
    positive_int,
    progress_bar,
    warn,
)
from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS, TASKS
from ehrmind_rewards.tasks.ehrshot.weights import CLASS_WEIGHTINGS, TRAINING_SPLITS


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

    label = actions.add_parser(
        "label",
        help="derive labels from events with EHRSHOT's rules (MEDS label parquet)",
        description="Apply EHRSHOT's labelers to a dataset's events (any layout that 'rows' "
        "reads) and write MEDS label files.",
    )
    label.add_argument("root", type=Path, help="MEDS folder (or any EHRSHOT layout)")
    label.add_argument(
        "--task",
        required=True,
        choices=[*TASKS, "all"],
        metavar="NAME",
        help=f"the EHRSHOT task to label ({', '.join(TASKS)}), or all",
    )
    add_output(
        label,
        "label .parquet to write (a new folder for --task all)",
        required=True,
        metavar="PATH",
    )
    label.add_argument(
        "--code-sets", type=Path, default=None, help="code-set CSV (default: the bundled one)"
    )
    label.add_argument(
        "--ontology",
        type=Path,
        default=None,
        help="folder with OMOP concept + concept_relationship tables (default: looked for in "
        "the dataset folder; without one the bundled fallback codes are used)",
    )
    label.add_argument(
        "--no-ontology", action="store_true", help="ignore any ontology tables found"
    )
    label.set_defaults(handler=run_label)

    rows = actions.add_parser(
        "rows",
        help="TRL rows (JSONL), one per label",
        description="Build one TRL row per label of the chosen tasks from a MEDS directory, "
        "EHRSHOT's original release, a meds_reader database or a FEMR-CSV folder: the prompt "
        "messages with the patient's timeline, the label and its class weight.",
    )
    rows.add_argument(
        "root", type=Path, help="MEDS folder, original EHRSHOT release, meds_reader DB or FEMR CSV"
    )
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
        default=None,
        help="only patients of this split (train, tuning/val, held_out/test, …; default: all)",
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


_SKIP_HINTS = {
    "visit_without_end": "admissions need a visit end; EHRSHOT's MEDS release has none, so use "
    "the labels it ships (or the original release, whose events carry ends)",
    "icu_stay_without_end": "ICU stays need an end (visit_detail end time)",
}


def run_label(args: argparse.Namespace) -> int:
    """Derive labels and write MEDS label parquet files; exit 1 when nothing was labelled."""
    from ehrmind_rewards.core.io import atomic_directory, safe_outputs
    from ehrmind_rewards.tasks.ehrshot.code_sets import CodeSetError, load_code_sets
    from ehrmind_rewards.tasks.ehrshot.io import EHRSHOTFormatError, open_ehrshot
    from ehrmind_rewards.tasks.ehrshot.io.meds_writer import write_label_file
    from ehrmind_rewards.tasks.ehrshot.labelers import Label, Labeler, iter_labels
    from ehrmind_rewards.tasks.ehrshot.ontology import OntologyError, load_ontology_from

    command = "ehrshot label"
    tasks = list(TASKS) if args.task == "all" else [args.task]
    safe_outputs(
        {"ROOT": args.root, "--ontology": args.ontology, "--code-sets": args.code_sets},
        {"--output": args.output},
        require_folder=args.task != "all",
    )
    try:
        source = open_ehrshot(args.root)
        ontology = None
        if not args.no_ontology:
            ontology = load_ontology_from(args.ontology or args.root)
            if args.ontology is not None and ontology is None:
                return error(command, f"{args.ontology}: no concept + concept_relationship tables")
        sets = load_code_sets(args.code_sets).resolve(ontology)
        labeler = Labeler(sets)
        found: dict[str, list[Label]] = {task: [] for task in tasks}
        for task, label in iter_labels(source.patients(), tasks, labeler):
            found[task].append(label)
        if args.task == "all":
            with atomic_directory(args.output) as folder:
                for task in tasks:
                    write_label_file(folder / f"{task}.parquet", task, found[task])
            targets = {task: args.output / f"{task}.parquet" for task in tasks}
        else:
            write_label_file(args.output, args.task, found[args.task])
            targets = {args.task: args.output}
    except (EHRSHOTFormatError, CodeSetError, OntologyError, ValueError) as problem:
        return error(command, str(problem))
    for message in source.warnings:
        warn(command, message)
    expansion = "ontology-expanded" if ontology is not None else "bundled fallback"
    print(f"code sets: {expansion} ({args.code_sets or 'bundled code_sets.csv'})")
    for task, path in targets.items():
        labels = found[task]
        positive = sum(
            1 for x in labels if (any(x.value) if isinstance(x.value, tuple) else x.value)
        )
        share = f"{100 * positive / len(labels):.1f}% positive" if labels else "no labels"
        print(f"{task}: {len(labels)} labels ({share}) → {path}")
    for reason, count in labeler.skipped.most_common():
        hint = _SKIP_HINTS.get(reason, "")
        warn(command, f"skipped {count} events: {reason}" + (f" ({hint})" if hint else ""))
    if not sum(len(labels) for labels in found.values()):
        error(command, "no labels derived (see the skipped events above)")
        return 1
    return 0
