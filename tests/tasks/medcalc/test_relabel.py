"""Relabelling, the generated errata page and the SFT export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from ehrmind_rewards.cli import main
from ehrmind_rewards.core.parsing.envelope import PREFILL
from ehrmind_rewards.tasks.medcalc.bench.errata import render_errata
from ehrmind_rewards.tasks.medcalc.bench.relabel import (
    ADDED_COLUMNS,
    REASON,
    REASON_CODES,
    STATUS,
    STATUSES,
    Summary,
    read_benchmark_csv,
    relabel_row,
    relabel_rows,
)
from ehrmind_rewards.tasks.medcalc.sft import sft_rows
from tests.paths import ROOT

V10 = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
ERRATA = ROOT / "docs" / "errata.md"


def _rows_by_number() -> dict[str, dict[str, str]]:
    return {row["Row Number"]: row for row in read_benchmark_csv(V10)[1]}


def test_errata_page_is_in_sync() -> None:
    summary = Summary()
    rows = list(relabel_rows(read_benchmark_csv(V10)[1], summary))
    page = render_errata(rows, summary, "tests/data/medcalc_bench/v1.0/test_data.csv")
    assert ERRATA.read_text(encoding="utf-8") == page, "regenerate: see the command in the page"


def test_gcs_row_changed_with_documented_cause() -> None:
    row = _rows_by_number()["848"]
    out, status, reason = relabel_row(row)
    assert (status, reason) == ("changed", "reference_bug:gcs_verbal_twice")
    assert out["Original Ground Truth Answer"] == "12"
    assert out["Ground Truth Answer"] == out["Lower Limit"] == out["Upper Limit"] == "9"


def test_correct_label_is_confirmed() -> None:
    # Hand-made entities on row 1's note (an 87-year-old man): compared with the entities only;
    # grounding is tested on notes written for it below and in test_grounding.py.
    out, status, reason = relabel_row(
        _rows_by_number()["1"]
        | {
            "Calculator ID": "4",
            "Relevant Entities": "{'age': [80, 'years'], 'sex': 'Female'}",
            "Ground Truth Answer": "3",
        },
        ground_note=False,
    )
    assert (status, reason, out["Ground Truth Answer"]) == ("confirmed", "", "3")


def test_not_computable_keeps_label_and_says_why() -> None:
    row = _rows_by_number()["848"] | {
        "Relevant Entities": "{'Best eye response': 'no eye opening'}"
    }
    out, status, reason = relabel_row(row)
    assert status == "not_computable"
    assert reason == "missing_input:best_verbal_response,best_motor_response"
    assert out["Ground Truth Answer"] == row["Ground Truth Answer"]


def test_unparseable_entities_never_evaluated() -> None:
    row = _rows_by_number()["848"] | {"Relevant Entities": "__import__('os').system('true')"}
    assert relabel_row(row)[1:] == ("not_computable", "unparseable_entities")


def test_decimal_limits_are_five_percent(tmp_path: Path) -> None:
    row = _rows_by_number()["848"] | {
        "Calculator ID": "8",
        "Relevant Entities": "{'Hemoptysis': True, 'Heart Rate or Pulse': [120, 'bpm']}",
    }
    out, _, _ = relabel_row(row, ground_note=False)  # entities not from this (GCS) note
    assert (out["Ground Truth Answer"], out["Lower Limit"], out["Upper Limit"]) == (
        "2.5",
        "2.375",
        "2.625",
    )


def test_cli_writes_same_rows_and_added_columns(tmp_path: Path, capsys: object) -> None:
    header, rows = read_benchmark_csv(V10)
    small = tmp_path / "small.csv"
    with small.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows[840:870])
    out = tmp_path / "out.csv"
    assert main(["relabel", str(small), "--output", str(out), "--quiet"]) == 0
    new_header, new_rows = read_benchmark_csv(out)
    assert new_header == header + list(ADDED_COLUMNS)
    assert [r["Row Number"] for r in new_rows] == [r["Row Number"] for r in rows[840:870]]
    assert {r[STATUS] for r in new_rows} <= set(STATUSES)
    assert all(r[REASON] for r in new_rows if r[STATUS] != "confirmed")


def test_sft_rows_prompt_completion_format() -> None:
    rows = [r for r in read_benchmark_csv(V10)[1] if r["Calculator ID"] == "21"][:2]
    items = list(sft_rows(rows))
    assert len(items) == 2
    for item, row in zip(items, rows, strict=True):
        assert set(item) == {"prompt", "completion"}
        assert item["prompt"].endswith(PREFILL)
        assert row["Question"] in item["prompt"]
        think, answer = item["completion"].split("</think>\n")
        assert "The answer is" in think
        payload = json.loads(answer.removeprefix("<answer>").removesuffix("</answer>"))
        assert isinstance(payload["answer"], int) and 3 <= payload["answer"] <= 15


def test_explain_cli(tmp_path: Path) -> None:
    out = tmp_path / "sft.jsonl"
    header, rows = read_benchmark_csv(V10)
    small = tmp_path / "small.csv"
    with small.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows[845:850])
    assert main(["explain", str(small), "--output", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["completion"].endswith("</answer>") for line in lines)


def test_equation_bugs_are_attributed_by_emulation() -> None:
    rows = _rows_by_number()
    expected = {
        "928": "reference_bug:edd_short_cycle_sign",
        "341": "reference_bug:meld_integer_rounding",
        "25": "reference_bug:ckd_epi_male_kappa",
        "870": "reference_bug:apache_v1_scoring",
        "908": "reference_bug:caprini_running_total",
    }
    for number, cause in expected.items():
        # Attribution concerns the label computed from the entities as listed; with the note,
        # row 870 is suspect and row 341 is corrected from the note (see test_grounding.py).
        assert relabel_row(rows[number], ground_note=False)[1:] == ("changed", cause), number


def test_every_code_used_is_in_a_vocabulary() -> None:
    from ehrmind_rewards.tasks.medcalc.bench.causes import CAUSES

    summary = Summary()
    list(relabel_rows(read_benchmark_csv(V10)[1], summary))
    failures = ("missing_input:", "invalid_input:", "unit_error:", "unknown_calculator:")
    codes = {r for r in summary.reasons if not r.startswith(failures)}
    assert codes <= set(CAUSES) | set(REASON_CODES)


def _write_rows(path: Path, calculator_id: str) -> list[dict[str, str]]:
    header, rows = read_benchmark_csv(V10)
    chosen = [r for r in rows if r["Calculator ID"] == calculator_id]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(chosen)
    return chosen


def test_relabel_cli_takes_conventions(tmp_path: Path, capsys: object) -> None:
    # The v1.0 delta-gap labels are AG − 12: they change under the default (Wrenn's ΔAG − ΔHCO3)
    # with the convention named as the cause, and stay under --convention ...=delta_anion_gap.
    small = tmp_path / "delta_gap.csv"
    chosen = _write_rows(small, "63")
    default, matching = tmp_path / "default.csv", tmp_path / "matching.csv"
    assert main(["relabel", str(small), "--output", str(default), "--quiet"]) == 0
    reasons = {r[REASON] for r in read_benchmark_csv(default)[1]}
    assert reasons == {"convention:delta_gap.definition"}
    option = "delta_gap.definition=delta_anion_gap"
    args = ["relabel", str(small), "--output", str(matching), "--quiet"]
    assert main([*args, "--convention", option]) == 0
    statuses = [r[STATUS] for r in read_benchmark_csv(matching)[1]]
    assert statuses == ["confirmed"] * len(chosen)
    assert main([*args, "--convention", "delta_gap.definition=sideways"]) == 2


def test_relabel_row_passes_conventions_through() -> None:
    # Row 890: P/F below 200 without ventilation or CPAP: respiration 2 as published, 3 when
    # support is not required. A convention of another calculator changes nothing.
    row = _rows_by_number()["890"]
    out, _, _ = relabel_row(row)
    relaxed, _, _ = relabel_row(row, {"sofa.respiratory_support": "not_required"})
    assert int(relaxed["Ground Truth Answer"]) == int(out["Ground Truth Answer"]) + 1
    assert relabel_row(row, {"gcs.not_testable": "one"})[0] == out


def test_question_stated_convention_wins_over_the_default() -> None:
    # Cockcroft-Gault's question asks for the BMI-based weight; the default is actual weight.
    row = _rows_by_number()["4"]
    assert "adjusted body weight" in row["Question"]
    out, status, _ = relabel_row(row)
    assert status == "confirmed"
    forced, _, _ = relabel_row(row, {"cockcroft_gault.weight": "actual"})
    assert float(forced["Ground Truth Answer"]) > float(out["Ground Truth Answer"])


def test_explain_cli_takes_conventions(tmp_path: Path) -> None:
    small = tmp_path / "conception.csv"
    _write_rows(small, "68")
    default, matching = tmp_path / "default.jsonl", tmp_path / "matching.jsonl"
    assert main(["explain", str(small), "--output", str(default)]) == 0
    option = "conception_date.rule=lmp_plus_14_days"
    assert main(["explain", str(small), "--output", str(matching), "--convention", option]) == 0
    first = json.loads(default.read_text(encoding="utf-8").splitlines()[0])["completion"]
    second = json.loads(matching.read_text(encoding="utf-8").splitlines()[0])["completion"]
    assert "cycle length − 14" in first and "lmp_plus_14_days" in second
