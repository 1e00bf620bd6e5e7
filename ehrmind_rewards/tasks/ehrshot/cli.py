"""``ehrmind-rewards ehrshot synthesize|label|rows``: synthetic data, labels, TRL rows.

* ``ehrshot synthesize --patients N --out DIR [--seed S] [--format meds|femr]`` writes a SYNTHETIC
  dataset in EHRSHOT's layout (see ``docs/ehrshot.md``).
* ``ehrshot label DATA_DIR --task NAME --output FILE`` derives a task's labels from the events with
  EHRSHOT's rules and writes a MEDS label parquet; ``--task all`` writes ``<task>.parquet`` for all
  15 tasks into the folder ``--output``.
* ``ehrshot rows ROOT -o rows.jsonl [--tasks …] [--split train] [--class-weights eval]`` writes one
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

    label = actions.add_parser(
        "label",
        help="derive labels from events with EHRSHOT's rules (MEDS label parquet)",
        description="Apply EHRSHOT's labelers to a dataset's events (any layout that 'rows' "
        "reads) and write MEDS label files.",
    )
    label.add_argument("root", type=Path, help="MEDS folder (or any EHRSHOT layout)")
    label.add_argument("--task", required=True, choices=[*TASKS, "all"], metavar="NAME")
    label.add_argument(
        "--output", "-o", type=Path, required=True, help="label .parquet (a folder for --task all)"
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

    rows = actions.add_parser("rows", help="TRL rows (JSONL), one per label")
    rows.add_argument(
        "root", type=Path, help="MEDS folder, original EHRSHOT release, meds_reader DB or FEMR CSV"
    )
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


_SKIP_HINTS = {
    "visit_without_end": "admissions need a visit end; EHRSHOT's MEDS release has none, so use "
    "the labels it ships (or the original release, whose events carry ends)",
    "icu_stay_without_end": "ICU stays need an end (visit_detail end time)",
}


def run_label(args: argparse.Namespace) -> int:
    """Derive labels and write MEDS label parquet files; exit 1 when nothing was labelled."""
    from ehrmind_rewards.tasks.ehrshot.code_sets import CodeSetError, load_code_sets
    from ehrmind_rewards.tasks.ehrshot.io import EHRSHOTFormatError, open_ehrshot
    from ehrmind_rewards.tasks.ehrshot.io.meds_writer import write_label_file
    from ehrmind_rewards.tasks.ehrshot.labelers import Label, Labeler, iter_labels
    from ehrmind_rewards.tasks.ehrshot.ontology import OntologyError, load_ontology_from

    tasks = list(TASKS) if args.task == "all" else [args.task]
    root, output = args.root.resolve(), args.output.resolve()
    if output == root or root in output.parents:
        print(
            f"error: --output {args.output} is inside the input folder {args.root}", file=sys.stderr
        )
        return 2
    try:
        source = open_ehrshot(args.root)
        ontology = None
        if not args.no_ontology:
            ontology = load_ontology_from(args.ontology or args.root)
            if args.ontology is not None and ontology is None:
                print(
                    f"error: {args.ontology}: no concept + concept_relationship tables",
                    file=sys.stderr,
                )
                return 2
        sets = load_code_sets(args.code_sets).resolve(ontology)
        labeler = Labeler(sets)
        found: dict[str, list[Label]] = {task: [] for task in tasks}
        for task, label in iter_labels(source.patients(), tasks, labeler):
            found[task].append(label)
        if args.task == "all":
            output.mkdir(parents=True, exist_ok=True)
            targets = {task: output / f"{task}.parquet" for task in tasks}
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            targets = {args.task: output}
        for task, path in targets.items():
            write_label_file(path, task, found[task])
    except (EHRSHOTFormatError, CodeSetError, OntologyError, OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for message in source.warnings:
        print(f"warning: {message}", file=sys.stderr)
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
        print(f"skipped {count} events: {reason}" + (f" ({hint})" if hint else ""), file=sys.stderr)
    total = sum(len(labels) for labels in found.values())
    if not total:
        print("error: no labels derived (see the skipped events above)", file=sys.stderr)
        return 1
    return 0
