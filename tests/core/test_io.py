"""``ehrmind_rewards.core.io``: strict record readers and the one safe-output helper."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import (
    MAX_INT_DIGITS,
    MAX_NESTING,
    BadRow,
    atomic_directory,
    atomic_output,
    check_header,
    csv_error_message,
    csv_reader,
    decode_jsonl,
    escape_surrogates,
    iter_rows,
    read_table,
    safe_outputs,
    spreadsheet_cell,
)

# --- JSON records ---------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return "[" * (depth - 1) + "]" * (depth - 1)


@pytest.mark.parametrize(
    ("raw", "kind", "message"),
    [
        (b'{"completion": "a", "completion": "b"}', "duplicate_key", "'completion' appears twice"),
        (b'{"a": {"b": 1, "b": 2}}', "duplicate_key", "'b' appears twice"),
        (b'{"id": ' + b"9" * (MAX_INT_DIGITS + 1) + b"}", "invalid_json", "4,301 digits"),
        (b'{"id": -' + b"9" * (MAX_INT_DIGITS + 1) + b"}", "invalid_json", "digits"),
        (b'{"x": ' + _nested(MAX_NESTING + 1).encode() + b"}", "invalid_json", "deeper than 64"),
        (b'{"x": ' + _nested(100_000).encode() + b"}", "invalid_json", "nested too deeply"),
        (b'{"completion": "caf\xe9"}', "encoding", "not UTF-8 (byte 0xe9"),
        (b'{"id": 1', "truncated_json", "truncated JSON"),
        (b"[1, 2]", "not_object", "got list"),
    ],
)
def test_unusable_records_are_bad_rows_with_a_reason(raw: bytes, kind: str, message: str) -> None:
    bad = decode_jsonl(7, raw)
    assert isinstance(bad, BadRow)
    assert (bad.line, bad.kind) == (7, kind)
    assert bad.message.startswith("line 7: ") and message in bad.message


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": ' + b"9" * MAX_INT_DIGITS + b"}",  # exactly at the limit
        b'{"x": ' + _nested(MAX_NESTING - 1).encode() + b"}",  # 64 levels with the object
        b'{"completion": "\\ud83d"}',  # a lone surrogate is valid JSON text
        b'{"completion": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}',
    ],
)
def test_records_at_the_limits_are_read(raw: bytes) -> None:
    assert isinstance(decode_jsonl(1, raw), dict)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=5))
def test_any_json_object_round_trips(record: dict[str, Any]) -> None:
    assert decode_jsonl(1, json.dumps(record).encode()) == record


def test_a_dataset_record_that_is_not_readable_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": 1}\n{"id": 2, "id": 3}\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        list(iter_rows(path))
    assert str(raised.value) == f"{path}:2: the key 'id' appears twice in one object"


# --- CSV ------------------------------------------------------------------------------------


def test_a_repeated_header_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("id,completion,completion\n1,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d\.csv:1: the column 'completion' appears twice"):
        read_table(path)
    with pytest.raises(InputError, match="columns 2 and 3"):
        check_header(path, ["id", "completion", "completion"])


def _strict_rows(text: str) -> list[Any]:
    reader = csv_reader(io.StringIO(text, newline=""))
    rows: list[Any] = []
    while True:
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error as error:
            rows.append(error)


def test_an_unclosed_quote_does_not_swallow_the_next_row_silently() -> None:
    # the permissive reader returns 3 fields here, the header's count, hiding the broken row
    text = 'a,b,c\n"abc,4,4\n"good",4,4\n1,2,3\n'
    assert len(next(csv.reader(io.StringIO(text.split("\n", 1)[1], newline="")))) == 3
    rows = _strict_rows(text)
    assert rows[0] == ["a", "b", "c"] and isinstance(rows[1], csv.Error)
    assert rows[2] == ["1", "2", "3"]  # the reader goes on after the broken record
    eof = _strict_rows('a,b\n"never closed,1\n2,3\n')
    assert isinstance(eof[-1], csv.Error)


def test_csv_error_messages_name_the_lines() -> None:
    assert "opened on line 4 is never closed (lines 4–9 not read)" in csv_error_message(
        csv.Error("unexpected end of data"), 4, 9
    )
    assert "lines 2–3 not read" in csv_error_message(csv.Error("',' expected after '\"'"), 2, 3)


def test_a_dataset_csv_with_an_unclosed_quote_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text('id,label\n1,"2\n3,1\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"d\.csv:2: a quoted field opened on line 2"):
        list(iter_rows(path))


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-2.5", "-2.5"),  # numbers stay numbers
        ("+1e3", "+1e3"),
        ("-.5", "-.5"),
        ("plain", "plain"),
        ("", ""),
        (-2.0, -2.0),
        (None, None),
    ],
)
def test_spreadsheet_cells(cell: object, shown: object) -> None:
    assert spreadsheet_cell(cell) == shown


def test_surrogates_are_escaped_not_fatal() -> None:
    text = escape_surrogates("ok \ud83d")
    assert text == "ok \\ud83d" and text.encode("utf-8")
    assert escape_surrogates("naïve ✓") == "naïve ✓"


# --- safe outputs -----------------------------------------------------------------------------


@pytest.fixture
def preds(tmp_path: Path) -> Path:
    path = tmp_path / "preds.jsonl"
    path.write_bytes(b'{"id": 1, "completion": "x"}\n')
    return path


def test_an_output_that_is_an_input_is_refused(tmp_path: Path, preds: Path) -> None:
    link = tmp_path / "link.jsonl"
    link.symlink_to(preds)
    hard = tmp_path / "hard.jsonl"
    os.link(preds, hard)
    for output in (preds, link, hard, tmp_path / "sub" / ".." / "preds.jsonl"):
        with pytest.raises(InputError, match="--output is the input FILE; refusing to overwrite"):
            safe_outputs({"FILE": preds}, {"--output": output})


def test_an_output_inside_an_input_folder_or_twice_is_refused(tmp_path: Path, preds: Path) -> None:
    with pytest.raises(InputError, match="lies inside the input folder ROOT"):
        safe_outputs({"ROOT": tmp_path}, {"--output": tmp_path / "rows.jsonl"})
    with pytest.raises(InputError, match="--report and --output are the same file"):
        safe_outputs({}, {"--output": tmp_path / "x", "--report": tmp_path / "x"})
    with pytest.raises(InputError, match="does not exist"):
        safe_outputs({}, {"--output": tmp_path / "missing" / "x"})
    safe_outputs({}, {"output_dir": tmp_path / "a" / "b"}, require_folder=False)
    safe_outputs({"FILE": preds, "--dataset": None}, {"--output": tmp_path / "v.csv"})


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"old")
    path.chmod(0o640)
    with pytest.raises(RuntimeError), atomic_output(path) as handle:
        handle.write("half")
        raise RuntimeError
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.csv"]
    with atomic_output(path) as handle:
        handle.write("new \ud83d")  # a lone surrogate is written as an escape
    assert path.read_bytes() == b"new \\ud83d"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # the target keeps its mode


def test_atomic_output_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with atomic_output(link) as handle:
        handle.write("new")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"


def test_atomic_directory(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not an empty folder"), atomic_directory(busy):
        pass
    assert os.listdir(busy) == ["keep.txt"]
    new = tmp_path / "new"
    with pytest.raises(RuntimeError), atomic_directory(new) as folder:
        (folder / "half").write_text("x", encoding="utf-8")
        raise RuntimeError
    assert not new.exists() and sorted(os.listdir(tmp_path)) == ["busy"]
    with atomic_directory(new) as folder:
        (folder / "done").write_text("x", encoding="utf-8")
    assert os.listdir(new) == ["done"]
