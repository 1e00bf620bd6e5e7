"""Corrupt input: a clear message and a correct count; nothing is lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ehrmind_rewards.cli import main
from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.grading.readers import InputError
from tests.helpers import completion

OPTIONS = GradeOptions(task="medcalc")
INLINE = {"calculator_id": 4, "ground_truth": "4", "lower_limit": "4", "upper_limit": "4"}


def _good(answer: int = 4) -> bytes:
    return json.dumps({"completion": completion(answer), **INLINE}).encode() + b"\n"


def test_truncated_line_wrong_encoding_and_non_objects_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(
        _good()
        + b'{"completion": "<think>x</think><answer>{\\"answer\\": 4}</ans\n'  # truncated (line 2)
        + _good(5)
        + b'{"completion": "caf\xe9", "calculator_id": 4, "ground_truth": "4"}\n'  # latin-1 (4)
        + b"\n"  # blank lines are not records
        + b"[1, 2, 3]\n"  # line 6: not an object
        + b'{"completion": "x", "calculator_id": 4, "ground_truth": "4",}\n'  # line 7: invalid
        + _good()[:-1]  # line 8, no final newline
    )
    result = grade_file(path, OPTIONS)
    bad = {b.line: b.kind for b in result.tally.bad_rows}
    assert bad == {2: "truncated_json", 4: "encoding", 6: "not_object", 7: "invalid_json"}
    assert result.tally.total.n == 3
    assert result.records == 7  # every non-blank line is either graded or reported
    messages = {b.line: b.message for b in result.tally.bad_rows}
    assert "line 4: not UTF-8 (byte 0xe9" in messages[4]
    assert "truncated JSON" in messages[2]


def test_rows_without_completion_or_labels_or_known_id(tmp_path: Path, v1_references) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": 1, "text": "x"})
        + "\n"
        + json.dumps({"id": 424242, "completion": completion(1)})
        + "\n"
        + json.dumps({"completion": completion(1)})
        + "\n",
        encoding="utf-8",
    )
    result = grade_file(path, OPTIONS, references=v1_references)
    kinds = [(b.line, b.kind) for b in result.tally.bad_rows]
    assert kinds == [(1, "missing_field"), (2, "unknown_id"), (3, "missing_field")]
    assert "--completion-field" in result.tally.bad_rows[0].message
    no_dataset = grade_file(path, OPTIONS)
    kinds = [b.kind for b in no_dataset.tally.bad_rows]
    assert kinds == ["missing_field", "no_label", "no_label"]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_unusable_input(tmp_path: Path, content: bytes, capsys) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        grade_file(path, OPTIONS)
    assert main(["grade", str(path), "--quiet"]) == 2
    assert "the file is empty" in capsys.readouterr().err


def test_csv_missing_columns_and_header_only(tmp_path: Path, capsys) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,output\n1,hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column\\(s\\) 'completion'"):
        grade_file(path, OPTIONS)
    assert main(["grade", str(path), "--quiet"]) == 2
    assert "--completion-field" in capsys.readouterr().err
    header_only = tmp_path / "h.csv"
    header_only.write_text("completion,calculator_id,ground_truth\n", encoding="utf-8")
    with pytest.raises(InputError, match="no data rows"):
        grade_file(header_only, OPTIONS)


def test_csv_bad_records_are_counted_with_their_line(tmp_path: Path) -> None:
    good = completion(4).replace('"', '""')
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"completion,calculator_id,ground_truth\n"
        + f'"{good}",4,4\n'.encode()
        + b'"multi\nline \xff",4,4\n'  # lines 3-4: not UTF-8
        + b"only,two\n"  # line 5: wrong column count
        + f'"{good}",4,4\n'.encode()
    )
    result = grade_file(path, OPTIONS)
    assert [(b.line, b.kind) for b in result.tally.bad_rows] == [
        (3, "encoding"),
        (5, "wrong_column_count"),
    ]
    assert result.tally.total.n == 2 and result.tally.total.correct == 2


def test_missing_file_and_unknown_dataset_id_column(tmp_path: Path, capsys) -> None:
    assert main(["grade", str(tmp_path / "nope.jsonl"), "--quiet"]) == 2
    assert "no such file" in capsys.readouterr().err
    dataset = tmp_path / "d.csv"
    dataset.write_text("key,label\n1,0\n", encoding="utf-8")
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(json.dumps({"id": 1, "completion": "x"}) + "\n", encoding="utf-8")
    assert main(["grade", str(predictions), "--dataset", str(dataset), "--quiet"]) == 2
    assert "no id column" in capsys.readouterr().err


def test_every_bad_row_is_counted_and_listed_but_messages_are_capped(tmp_path: Path) -> None:
    from ehrmind_rewards.grading.summary import summarize
    from ehrmind_rewards.grading.tally import MAX_BAD_DETAILS

    path = tmp_path / "p.jsonl"
    path.write_bytes(_good() + b'{"completion": \n' * 1500 + _good())
    options = GradeOptions(task="medcalc", workers=2, chunk_rows=64)
    result = grade_file(path, options)
    summary = summarize(result.tally, task="medcalc", spec="ehrmind", records=result.records)
    assert summary["n"] == 2 and summary["n_bad"] == 1500
    assert summary["bad_rows"] == list(range(2, 1502))
    assert summary["bad_row_kinds"] == {"truncated_json": 1500}
    assert len(summary["bad_row_details"]) == MAX_BAD_DETAILS
    assert summary["bad_row_details"][-1]["line"] == MAX_BAD_DETAILS + 1
