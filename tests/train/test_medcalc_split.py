"""The SmolLM2 recipe's rows (examples/medcalc_split.py) on the shipped MedCalc-Bench v1.0 test
set: disjoint, deterministic, copied unchanged, and graded by labels the calculators agree with."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.paths import DATA
from tests.train.recipe_rows import load_split_module

SOURCE = DATA / "medcalc_bench" / "v1.0" / "test_data.csv"


split = load_split_module()


def _rows() -> list[dict[str, str]]:
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def cpu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cpu")
    assert split.main(["--scale", "cpu", "--out", str(out)]) == 0
    return out


def test_cpu_scale_holds_out_two_rows_of_each_of_seven_calculators(cpu: Path) -> None:
    heldout = _read(cpu / "heldout.csv")
    calculators = ("5", "11", "24", "58", "61", "68", "69")
    assert Counter(row["Calculator ID"] for row in heldout) == dict.fromkeys(calculators, 2)
    assert Counter(row["Category"] for row in heldout) == {"physical": 8, "date": 4, "dosage": 2}
    train = _read(cpu / "train.csv")
    per_calculator = Counter(row["Calculator ID"] for row in train)
    assert set(per_calculator) == set(calculators)
    assert max(per_calculator.values()) == 16
    assert all(len(row["Patient Note"]) <= 1000 for row in train + heldout)


def test_no_held_out_row_or_note_is_trained_on(cpu: Path) -> None:
    heldout, train = _read(cpu / "heldout.csv"), _read(cpu / "train.csv")
    assert not {r["Row Number"] for r in heldout} & {r["Row Number"] for r in train}
    notes = {r["Patient Note"].strip() for r in heldout}
    assert not any(r["Patient Note"].strip() in notes for r in train)
    record = json.loads((cpu / "split.json").read_text())
    # QTc notes repeat across the QTc calculators: two training rows share a held-out note
    assert record["train_dropped_for_a_heldout_note"] == 2
    assert record["heldout_rows"] == [r["Row Number"] for r in heldout]


def test_rows_are_copied_unchanged(cpu: Path) -> None:
    source = {row["Row Number"]: row for row in _rows()}
    for row in _read(cpu / "train.csv") + _read(cpu / "heldout.csv"):
        assert row == source[row["Row Number"]]


def test_the_split_is_the_same_every_time(cpu: Path, tmp_path: Path) -> None:
    assert split.main(["--scale", "cpu", "--out", str(tmp_path)]) == 0
    for name in ("train.csv", "heldout.csv"):
        assert (tmp_path / name).read_bytes() == (cpu / name).read_bytes()


def test_cpu_scale_labels_are_the_ones_the_calculators_recompute(cpu: Path) -> None:
    """The seven calculators recompute the v1.0 labels, except where v1.0 follows another named
    convention: its conception dates are LMP + 14 days, the calculator's default is
    LMP + (cycle length − 14) (docs/calculators.md)."""
    from ehrmind_rewards.tasks.medcalc.bench.relabel import relabel_rows

    rows = _read(cpu / "train.csv") + _read(cpu / "heldout.csv")
    differing = {
        (row["Calculator ID"], row["Relabel Status"], row["Relabel Reason"])
        for row in relabel_rows(rows)
        if row["Relabel Status"] != "confirmed"
    }
    assert differing <= {("68", "changed", "convention:conception_date.rule")}


def test_gpu_scale_takes_every_calculator(tmp_path: Path) -> None:
    train, heldout, dropped = split.split_rows(_rows(), split.SCALES["gpu"])
    counts = Counter(row["Calculator ID"] for row in heldout)
    assert len(counts) == 55 and set(counts.values()) == {2, 4}  # HOMA-IR has only 2 rows
    assert len(train) + len(heldout) + dropped == len(_rows())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--source", "no/such.csv"], "no such file"),
        (["--scale", "cpu"], "no rows"),
    ],
)
def test_bad_sources_fail_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("Row Number,Calculator ID,Patient Note\n")
    if "--source" not in argv:
        argv = [*argv, "--source", str(empty)]
    assert split.main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
