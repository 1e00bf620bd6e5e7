"""``ehrmind-rewards eval-run``: per-topic and mean NDCG@10 / P@10 / MRR."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ehrmind_rewards.cli import main
from tests.paths import DATA

TSV_QRELS = DATA / "trec_ct" / "trialgpt" / "trec_2021" / "qrels" / "test.tsv"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    run = tmp_path / "run.txt"
    run.write_text("1 Q0 D1 1 3.0 t\n1 Q0 D2 2 2.0 t\n2 Q0 D3 1 1.0 t\n")
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("1 0 D1 2\n1 0 D2 0\n2 0 D3 1\n2 0 D4 2\n")
    return run, qrels


def test_json_output(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-run", str(files[0]), str(files[1]), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"ndcg@10", "p@10", "mrr", "per_topic"}
    topic2 = 1 / (2 + 1 / math.log2(3))  # D3 (gain 1) at rank 1; ideal D4 (2), D3 (1)
    assert result["per_topic"]["2"] == pytest.approx({"ndcg@10": topic2, "p@10": 0.1, "mrr": 1.0})
    assert result["ndcg@10"] == pytest.approx((1.0 + topic2) / 2)


def test_table_output(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval-run", str(files[0]), str(files[1])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["topic", "ndcg@10", "p@10", "mrr"]
    assert lines[-2].split()[0] == "mean" and lines[-1] == "(2 topics)"


def test_tsv_qrels_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.txt"
    run.write_text("trec-20211 Q0 NCT00002569 1 1 t\n")  # judged excluded (grade 1) in the qrels
    assert main(["eval-run", str(run), str(TSV_QRELS), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["mrr"] == 1.0
    run.write_text("broken line\n")
    assert main(["eval-run", str(run), str(TSV_QRELS)]) == 2
    assert "expected 6 fields" in capsys.readouterr().err
    run.write_text("nope Q0 D 1 1 t\n")
    assert main(["eval-run", str(run), str(TSV_QRELS)]) == 2
    assert "no topic" in capsys.readouterr().err


def test_a_run_file_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run.txt"
    run.write_bytes(b"trec-20211 Q0 NCT\xe9 1 1 t\n")
    assert main(["eval-run", str(run), str(TSV_QRELS)]) == 2
    expected = f"ehrmind-rewards eval-run: {run}: not UTF-8 (byte offset 17)\n"
    assert capsys.readouterr().err == expected
