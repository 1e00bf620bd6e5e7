"""pass@k matches its closed form; reliable pass@k rejects answers right only by guessing."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from ehrmind_rewards.cli import main
from ehrmind_rewards.train.passk import answer_entropy, min_correct, pass_at_k


def closed_form(n: int, c: int, k: int) -> Fraction:
    return 1 - Fraction(math.comb(n - c, k), math.comb(n, k))


def test_pass_at_k_equals_the_closed_form_for_every_small_case() -> None:
    for n in range(1, 21):
        for c in range(n + 1):
            for k in range(1, n + 1):
                assert pass_at_k(n, c, k) == pytest.approx(float(closed_form(n, c, k)), abs=1e-12)


def test_pass_at_k_is_stable_where_binomials_overflow_floats() -> None:
    n, c, k = 5000, 3, 400  # C(5000, 400) ≈ 10^600: beyond float range
    assert pass_at_k(n, c, k) == pytest.approx(float(closed_form(n, c, k)), rel=1e-12)


def test_pass_at_k_refuses_fewer_samples_than_k() -> None:
    with pytest.raises(ValueError, match="at least 12 samples"):
        pass_at_k(8, 2, 12)


def test_ehrmind_minimum_correct_counts_at_k_12() -> None:
    assert min_correct("medcalc", "diagnosis", 12) == 3  # 12 // 7 + 2
    assert min_correct("medcalc", "severity", 12) == 3
    assert min_correct("medcalc", "risk", 12) == 2  # 12 // 21 + 2
    assert min_correct("trials", "trial_matching", 12) == 6  # 12 // 3 + 2
    assert min_correct("medcalc", "lab", 12) is None


def test_entropy_is_in_nats_and_ignores_missing_answers() -> None:
    assert answer_entropy(["a", "b", "c", None, ""]) == pytest.approx(math.log(3))
    assert answer_entropy(["Eligible", " eligible "]) == 0.0


def _write(path: Path, samples: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(s) + "\n" for s in samples), encoding="utf-8")
    return path


def _diagnose(path: Path, k: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["diagnose", str(path), "--k", str(k), "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _item(item_id: str, category: str, correct: list[bool], answers: list[str], task: str):  # type: ignore[no-untyped-def]
    return [
        {"id": item_id, "task": task, "category": category, "correct": ok, "answer": answer}
        for ok, answer in zip(correct, answers, strict=True)
    ]


def test_diagnose_reports_the_closed_form_per_category(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    n, k = 10, 4
    counts = {"a": 0, "b": 3, "c": 7}  # correct samples per item, all 'lab' (not guessable)
    samples = []
    for item_id, c in counts.items():
        samples += _item(
            item_id, "lab", [i < c for i in range(n)], [str(i) for i in range(n)], "medcalc"
        )
    report = _diagnose(_write(tmp_path / "s.jsonl", samples), k, capsys)
    lab = report["lab"]
    expected = sum(float(closed_form(n, c, k)) for c in counts.values()) / len(counts)
    assert lab["n_items"] == 3
    assert lab["pass@k"] == pytest.approx(expected, abs=1e-12)
    assert lab["reliable_pass@k"] == lab["pass@k"]  # continuous answers cannot be guessed
    assert lab["pass@1"] == pytest.approx((0 + 3 + 7) / 30)
    assert lab["recommendation"] == ("RLVR" if expected >= 0.5 else "SFT then RLVR")


def test_reliable_pass_at_k_rejects_uniform_guessing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    k = 12
    labels = ["Irrelevant", "Excluded", "Eligible"]
    guesser, knower = [], []
    for item in range(6):
        gold = labels[item % 3]
        answers = [labels[i % 3] for i in range(k)]  # uniform over the three classes
        guesser += _item(f"g{item}", "guess", [a == gold for a in answers], answers, "trials")
        knower += _item(f"k{item}", "know", [True] * k, [gold] * k, "trials")
    report = _diagnose(_write(tmp_path / "s.jsonl", guesser + knower), k, capsys)
    assert report["guess"]["pass@k"] == 1.0  # plain pass@k is fooled: every item "solved"
    assert report["guess"]["reliable_pass@k"] == 0.0
    assert report["guess"]["recommendation"] == "SFT then RLVR"
    assert report["know"]["reliable_pass@k"] == 1.0
    assert report["know"]["recommendation"] == "RLVR"


def test_entropy_limit_rejects_items_with_enough_correct_but_spread_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    k = 12  # trials: c_min = 6, limit 0.8·ln 3 ≈ 0.879 nats
    spread = ["Eligible"] * 6 + ["Excluded"] * 3 + ["Irrelevant"] * 3  # H ≈ 1.04 nats
    peaked = ["Eligible"] * 10 + ["Excluded"] * 2  # H ≈ 0.45 nats
    samples = _item("s", "spread", [a == "Eligible" for a in spread], spread, "trials")
    samples += _item("p", "peaked", [a == "Eligible" for a in peaked], peaked, "trials")
    report = _diagnose(_write(tmp_path / "s.jsonl", samples), k, capsys)
    assert report["spread"]["reliable_pass@k"] == 0.0
    assert report["peaked"]["reliable_pass@k"] == 1.0


def test_diagnose_names_the_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": 1, "task": "medcalc", "category": "lab", "correct": true}\n{oops\n')
    assert main(["diagnose", str(path), "--k", "1", "--json"]) == 2
    assert "s.jsonl:2: truncated JSON" in capsys.readouterr().err


def test_diagnose_refuses_items_with_fewer_than_k_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = _item("x", "lab", [True, False], ["1", "2"], "medcalc")
    assert main(["diagnose", str(_write(tmp_path / "s.jsonl", samples)), "--k", "3"]) == 2
    assert "'x'" in capsys.readouterr().err


def test_diagnose_reads_k_from_the_samples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples = _item("a", "lab", [True, False, False, False], ["1", "2", "3", "4"], "medcalc")
    samples += _item("b", "lab", [False] * 5, ["9"] * 5, "medcalc")
    path = _write(tmp_path / "s.jsonl", samples)
    assert main(["diagnose", str(path), "--json"]) == 0  # 4 and 5 samples: k = 4
    report = json.loads(capsys.readouterr().out)
    assert report["lab"]["k"] == 4 and report["lab"]["pass@k"] == 0.5
    assert main(["diagnose", str(path)]) == 0
    assert capsys.readouterr().out.startswith("k = 4\n")
    assert main(["diagnose", str(path), "--k", "12"]) == 2  # the old default, now explicit
    assert "has 4 samples, fewer than k=12" in capsys.readouterr().err
