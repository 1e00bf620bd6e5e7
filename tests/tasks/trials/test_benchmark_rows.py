"""TREC CT as an evaluation benchmark: topics × qrels × trial files → one row per judged pair."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from ehrmind_rewards import tasks
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from tests.paths import DATA

TOPICS = DATA / "trec_ct" / "trialgpt" / "trec_2021" / "queries.jsonl"
TRIALS = DATA / "trec_ct" / "clinicaltrials"


def write_qrels(path: Path, lines: list[str]) -> Path:
    path.write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{x}\n" for x in lines))
    return path


def test_every_judged_pair_becomes_a_row(tmp_path: Path) -> None:
    qrels = write_qrels(
        tmp_path / "qrels.tsv",
        ["trec-20211\tNCT90000001\t2", "trec-20211\tNCT90000002\t0", "trec-20212\tNCT90000003\t1"],
    )
    rows = tasks.get("trials").benchmark_rows(TOPICS, qrels, TRIALS)
    assert sorted((r["id"], r["label"]) for r in rows) == [
        ("trec-20211:NCT90000001", 2),
        ("trec-20211:NCT90000002", 0),
        ("trec-20212:NCT90000003", 1),
    ]
    row = rows[0]
    assert [m["role"] for m in row["prompt"]] == ["system", "user"]  # no assistant pre-fill
    assert row["task"] == "trials"
    assert tasks.get("trials").benchmark_rows(TOPICS, qrels, TRIALS, limit=1) == rows[:1]


def test_missing_trials_and_topics_are_counted_not_dropped_silently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    qrels = write_qrels(
        tmp_path / "qrels.tsv",
        [
            "trec-20211\tNCT90000001\t2",
            "trec-20211\tNCT09999999\t1",
            "no-such-topic\tNCT90000002\t0",
        ],
    )
    with caplog.at_level(logging.WARNING):
        rows = tasks.get("trials").benchmark_rows(TOPICS, qrels, TRIALS)
    assert [r["doc_id"] for r in rows] == ["NCT90000001"]
    assert "1 trials without a record left out, e.g. ['NCT09999999']" in caplog.text
    assert "1 judged topics without a text left out" in caplog.text


def test_only_judged_trial_files_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "trials"
    shutil.copytree(TRIALS / "snapshot_2021", folder)
    (folder / "NCT90000009.xml").write_text("not xml")  # unjudged: never opened
    qrels = write_qrels(tmp_path / "qrels.tsv", ["trec-20211\tNCT90000001\t2"])
    assert len(tasks.get("trials").benchmark_rows(TOPICS, qrels, folder)) == 1


def test_no_usable_pair_is_an_error(tmp_path: Path) -> None:
    qrels = write_qrels(tmp_path / "qrels.tsv", ["trec-20211\tNCT09999999\t1"])
    with pytest.raises(TrialDataError, match="no judged pair has both a topic and a trial"):
        tasks.get("trials").benchmark_rows(TOPICS, qrels, TRIALS)
    with pytest.raises(TrialDataError, match="no such trial file or folder"):
        tasks.get("trials").benchmark_rows(TOPICS, qrels, tmp_path / "absent")
