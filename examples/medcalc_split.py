"""Training and held-out rows for the SmolLM2 recipe, picked from a MedCalc-Bench v1.0 CSV.

    python examples/medcalc_split.py --scale cpu --out runs/smollm2-medcalc/cpu/data

Rows are copied unchanged (every column) into ``train.csv`` and ``heldout.csv``; ``split.json``
records the source's SHA-256, the scale's settings and every row number in each file. Per
calculator, rows are ordered by the SHA-256 of their ``Row Number`` (a fixed, seed-free
shuffle); the first ``heldout`` rows are held out, the next ``train`` rows train. A training row
whose patient note is also a held-out row's note is dropped (and counted), so no held-out note is
ever trained on, even under another calculator's question.

Scales:

* ``cpu`` — seven calculators whose notes are short and whose calculator explanations fit in
  about 150 SmolLM2 tokens (MAP, QTc Bazett, QTc Hodges, target weight, steroid conversion,
  conception date, gestational age: categories physical, dosage, date), notes of at most 1,000
  characters, 2 held-out and up to 16 training rows per calculator; none of the seven has a v1.0
  label that the calculators recompute differently (``docs/errata.md``).
* ``gpu`` — every calculator and note, 4 held-out rows per calculator, all others train. Run
  ``ehrmind-rewards relabel`` on the source first (``examples/smollm2_recipe.sh gpu`` does), so
  the rows of calculators with v1.0 errata are graded against the recomputed labels that the SFT
  text teaches.

The default source is the v1.0 test set shipped in ``tests/data`` (CC-BY-SA 4.0, see its
``SOURCE.md``); the rows chosen are therefore v1.0 *test* rows, and a model trained on them must
not be compared with published MedCalc-Bench figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"


@dataclass(frozen=True)
class Scale:
    """Which rows a scale uses: calculators (``None``: all), note cap, rows per calculator."""

    calculators: tuple[int, ...] | None
    max_note_chars: int | None
    heldout: int
    train: int | None


SCALES = {
    "cpu": Scale(calculators=(5, 11, 24, 58, 61, 68, 69), max_note_chars=1000, heldout=2, train=16),
    "gpu": Scale(calculators=None, max_note_chars=None, heldout=4, train=None),
}


def _order(row: dict[str, str]) -> str:
    return hashlib.sha256(row["Row Number"].encode()).hexdigest()


def split_rows(
    rows: list[dict[str, str]], scale: Scale
) -> tuple[list[dict[str, str]], list[dict[str, str]], int]:
    """``(train, heldout, dropped)``: the rows of each set and the training rows dropped for
    sharing a held-out note."""
    by_calculator: dict[int, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        calculator = int(row["Calculator ID"])
        if scale.calculators is not None and calculator not in scale.calculators:
            continue
        if scale.max_note_chars is not None and len(row["Patient Note"]) > scale.max_note_chars:
            continue
        by_calculator[calculator].append(row)
    heldout: list[dict[str, str]] = []
    candidates: list[dict[str, str]] = []
    for calculator in sorted(by_calculator):
        ordered = sorted(by_calculator[calculator], key=_order)
        heldout += ordered[: scale.heldout]
        rest = ordered[scale.heldout :]
        candidates += rest if scale.train is None else rest[: scale.train]
    held_notes = {row["Patient Note"].strip() for row in heldout}
    train = [row for row in candidates if row["Patient Note"].strip() not in held_notes]
    return train, heldout, len(candidates) - len(train)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    staging = path.with_name(f".{path.name}.partial")
    with staging.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    staging.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="cpu")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="MedCalc-Bench CSV")
    parser.add_argument("--out", type=Path, required=True, help="folder for the two CSV files")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"medcalc_split: no such file {args.source}", file=sys.stderr)
        return 2
    with args.source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    missing = {"Row Number", "Calculator ID", "Patient Note"} - set(header)
    if missing:
        print(f"medcalc_split: {args.source} lacks column(s) {sorted(missing)}", file=sys.stderr)
        return 2
    scale = SCALES[args.scale]
    train, heldout, dropped = split_rows(rows, scale)
    if not train or not heldout:
        print("medcalc_split: the scale's filters left no rows", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    _write(args.out / "train.csv", header, train)
    _write(args.out / "heldout.csv", header, heldout)
    record = {
        "source": str(args.source),
        "source_sha256": hashlib.sha256(args.source.read_bytes()).hexdigest(),
        "scale": args.scale,
        "settings": asdict(scale),
        "train_rows": [row["Row Number"] for row in train],
        "heldout_rows": [row["Row Number"] for row in heldout],
        "train_dropped_for_a_heldout_note": dropped,
    }
    (args.out / "split.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(
        f"{len(train)} training rows, {len(heldout)} held-out rows "
        f"({dropped} training rows dropped for sharing a held-out note) in {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
