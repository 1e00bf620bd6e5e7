"""``grade`` output is byte-identical for any ``--workers``, also when equal-but-differently-typed
values (``2`` and ``2.0``) meet in different chunks and processes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ehrmind_rewards.cli import main

ROWS_PER_CHUNK = 2048 * 512 // 160  # the JSONL reader's block, in rows of about 160 bytes


def _rows(n: int) -> list[dict[str, object]]:
    rows = []
    for i in range(n):
        label = 20 + i % 97
        calculator_id: object = 2 if (i // 7) % 2 else 2.0  # the same labels under 2 and 2.0
        answer = json.dumps({"answer": label + (i % 5) * 0.75})
        rows.append(
            {
                "id": i,
                "completion": f"<think>x</think><answer>{answer}</answer>",
                "calculator_id": calculator_id,
                "ground_truth": str(label),
                "lower_limit": str(label - 1),
                "upper_limit": str(label + 1),
            }
        )
    return rows


@pytest.mark.parametrize("order", ["int_first", "float_first"])
def test_grade_output_is_the_same_for_any_number_of_workers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], order: str
) -> None:
    rows = _rows(3 * ROWS_PER_CHUNK)
    if order == "float_first":
        rows.reverse()
    path = tmp_path / "predictions.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    outputs = []
    for workers in ("1", "2", "3"):
        verdicts = tmp_path / f"verdicts_{workers}.jsonl"
        args = ["grade", str(path), "--task", "medcalc", "--json", "--quiet"]
        code = main([*args, "--workers", workers, "--output", str(verdicts)])
        outputs.append((code, capsys.readouterr().out, verdicts.read_bytes()))
    assert outputs[0] == outputs[1] == outputs[2]
    summary = json.loads(outputs[0][1])
    assert summary["n"] == len(rows) and summary["bad_rows"] == []
