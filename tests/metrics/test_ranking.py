"""Ranking metrics: hand-computed cases, trec_eval's conventions, agreement with pytrec_eval."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from ehrmind_rewards.metrics import (
    evaluate_run,
    ndcg_at_k,
    precision_at_k,
    ranked,
    read_run,
    reciprocal_rank,
)

JUDGED = {"A": 2, "B": 0, "C": 1, "D": 2, "E": 0}


def test_ndcg_hand_computed() -> None:
    # ranking B, A, C: DCG = 0/1 + 2/log2(3) + 1/log2(4) = 1.26186 + 0.5
    # ideal A, D, C:    IDCG = 2/1 + 2/log2(3) + 1/log2(4) = 2 + 1.26186 + 0.5
    dcg = 2 / math.log2(3) + 1 / 2
    idcg = 2 + 2 / math.log2(3) + 1 / 2
    assert ndcg_at_k(["B", "A", "C"], JUDGED) == pytest.approx(dcg / idcg)
    assert ndcg_at_k(["A", "D", "C"], JUDGED) == pytest.approx(1.0)
    assert ndcg_at_k(["X", "B"], JUDGED) == 0.0  # unjudged documents gain nothing
    assert ndcg_at_k(["A"], {"A": 0}) == 0.0  # no relevant document: 0, not NaN


def test_ndcg_cutoff_uses_ideal_top_k_only() -> None:
    judged = {f"d{i}": 1 for i in range(12)}
    ranking = [f"d{i}" for i in range(10)]
    assert ndcg_at_k(ranking, judged, k=10) == pytest.approx(1.0)
    assert ndcg_at_k(ranking[:5], judged, k=10) == pytest.approx(
        sum(1 / math.log2(r + 1) for r in range(1, 6))
        / sum(1 / math.log2(r + 1) for r in range(1, 11))
    )


def test_precision_divides_by_k_and_counts_excluded_as_relevant() -> None:
    assert precision_at_k(["A", "C", "B"], JUDGED) == pytest.approx(2 / 10)
    assert precision_at_k(["A", "C", "B"], JUDGED, k=2) == 1.0


def test_reciprocal_rank_first_relevant_of_any_grade() -> None:
    assert reciprocal_rank(["B", "E", "C", "A"], JUDGED) == pytest.approx(1 / 3)
    assert reciprocal_rank(["B", "E"], JUDGED) == 0.0


def test_trec_eval_ordering_score_then_docid_descending() -> None:
    assert ranked({"a": 1.0, "b": 1.0, "c": 2.0, "B": 1.0}) == ["c", "b", "a", "B"]
    # the rank column of the run is ignored: only scores order documents


def test_read_run_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "run.txt"
    path.write_text("1 Q0 A 2 0.5 tag\n1 Q0 B 1 0.9 tag\n\n2 Q0 A 1 -1e3 tag\n")
    assert read_run(path) == {"1": {"A": 0.5, "B": 0.9}, "2": {"A": -1000.0}}
    for bad, message in [
        ("1 Q0 A 1 0.5\n", "expected 6 fields"),
        ("1 Q0 A 1 high tag\n", "not a number"),
        ("1 Q0 A 1 nan tag\n", "not finite"),
        ("1 Q0 A 1 1 t\n1 Q0 A 2 0 t\n", "listed twice"),
    ]:
        path.write_text(bad)
        with pytest.raises(ValueError, match=message) as info:
            read_run(path)
        assert str(path) in str(info.value)


def test_topics_scored_like_trec_eval() -> None:
    qrels = {"1": {"A": 2}, "2": {"B": 1}}
    run = {"1": {"A": 1.0}, "3": {"C": 1.0}}
    default = evaluate_run(run, qrels)
    assert list(default.per_topic) == ["1"]  # topic 3 unjudged, topic 2 not retrieved
    assert default.mean["ndcg@10"] == 1.0
    complete = evaluate_run(run, qrels, complete=True)
    assert complete.per_topic["2"] == {"ndcg@10": 0.0, "p@10": 0.0, "mrr": 0.0}
    assert complete.mean["mrr"] == 0.5


def _random_case(seed: int) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, int]]]:
    rng = random.Random(seed)
    docs = [f"NCT{rng.randint(0, 99):08d}" for _ in range(60)] + ["x", "X", "nct1", "Ω"]
    run: dict[str, dict[str, float]] = {}
    qrels: dict[str, dict[str, int]] = {}
    for topic in range(rng.randint(1, 6)):
        qid = str(topic + 1)
        qrels[qid] = {doc: rng.choice([0, 0, 1, 2]) for doc in rng.sample(docs, rng.randint(1, 25))}
        # few distinct scores, so many ties for the docid tie-break to decide
        run[qid] = {doc: float(rng.randint(0, 4)) for doc in rng.sample(docs, rng.randint(1, 30))}
    return run, qrels


@pytest.mark.parametrize("seed", range(40))
def test_agrees_with_pytrec_eval(seed: int) -> None:
    pytrec_eval = pytest.importorskip("pytrec_eval")
    run, qrels = _random_case(seed)
    reference = pytrec_eval.RelevanceEvaluator(
        qrels, {"ndcg_cut.10", "P.10", "recip_rank"}
    ).evaluate(run)
    ours = evaluate_run(run, qrels).per_topic
    assert set(ours) == set(reference)
    for qid, scores in reference.items():
        assert ours[qid]["ndcg@10"] == pytest.approx(scores["ndcg_cut_10"], abs=1e-12)
        assert ours[qid]["p@10"] == pytest.approx(scores["P_10"], abs=1e-12)
        assert ours[qid]["mrr"] == pytest.approx(scores["recip_rank"], abs=1e-12)
