"""Ranking metrics for TREC runs: NDCG@10, P@10 and MRR, computed as ``trec_eval`` computes them.

A run is the TREC format, one line per retrieved document::

    qid Q0 docid rank score tag

The TREC Clinical Trials tracks judge graded relevance: 0 not relevant, 1 excluded, 2 eligible
(:class:`schemas.trials.TrialLabel`). Conventions, all those of ``trec_eval`` 9.x (``ndcg_cut``,
``P``, ``recip_rank``; checked against ``pytrec_eval`` in the tests):

* **ordering**: documents are sorted by score, highest first; ties by document id in *decreasing*
  byte order (``trec_eval``'s ``comp_sim_docno``). The rank column is ignored.
* **NDCG@k**: gain = the qrels relevance level (eligible 2, excluded 1, not relevant or unjudged 0;
  not 2^rel − 1); the document at rank r (from 1) is discounted by log2(r + 1);
  DCG@k / IDCG@k where the ideal ranking sorts every judged document of the topic by level; 0 when
  the topic has no relevant document.
* **P@k**: documents at ranks 1..k with level ≥ 1 (``relevance_level`` = 1), divided by k even
  when fewer than k were retrieved.
* **MRR**: 1 / rank of the first document with level ≥ 1; 0 if none was retrieved.
* **topics**: a topic is scored when it appears in both the run and the qrels; the mean is over
  those (``trec_eval`` without ``-c``). With ``complete=True`` every qrels topic absent from the
  run scores 0 and counts in the mean (``trec_eval -c``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

CUTOFF = 10
"""The cutoff of NDCG and P used by the TREC CT tracks."""

RELEVANCE_LEVEL = 1
"""Minimum qrels level counted as relevant by P@k and MRR (excluded and eligible)."""

Run = dict[str, dict[str, float]]
"""``query_id → {doc_id: score}``."""

Qrels = Mapping[str, Mapping[str, int]]
"""``query_id → {doc_id: relevance level}``."""


def read_run(path: str | Path) -> Run:
    """Read a TREC run file (``qid Q0 docid rank score tag``; whitespace-separated).

    Raises:
        ValueError: naming the file and line for a line without six fields, a score that is not a
            finite number, or a document listed twice for the same topic.
    """
    run: Run = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 6:
                raise ValueError(f"{path}:{number}: expected 6 fields, found {len(fields)}")
            qid, _q0, docid, _rank, score_text, _tag = fields
            try:
                score = float(score_text)
            except ValueError:
                raise ValueError(f"{path}:{number}: score {score_text!r} is not a number") from None
            if not math.isfinite(score):
                raise ValueError(f"{path}:{number}: score {score_text!r} is not finite")
            topic = run.setdefault(qid, {})
            if docid in topic:
                raise ValueError(f"{path}:{number}: document {docid} listed twice for topic {qid}")
            topic[docid] = score
    return run


class Judgment(Protocol):
    """Anything with a topic id, a document id and an integer-like relevance label."""

    @property
    def query_id(self) -> str: ...
    @property
    def doc_id(self) -> str: ...
    @property
    def label(self) -> int: ...


def qrels_mapping(records: Iterable[Judgment]) -> dict[str, dict[str, int]]:
    """Group judgments (e.g. :func:`ehrmind_rewards.data.trials.load_qrels`) into :data:`Qrels`."""
    qrels: dict[str, dict[str, int]] = {}
    for record in records:
        qrels.setdefault(record.query_id, {})[record.doc_id] = int(record.label)
    return qrels


def ranked(scores: Mapping[str, float]) -> list[str]:
    """Document ids in ``trec_eval`` order: score descending, then document id descending."""
    return sorted(scores, key=lambda doc: (scores[doc], doc.encode("utf-8")), reverse=True)


def ndcg_at_k(ranking: list[str], judged: Mapping[str, int], k: int = CUTOFF) -> float:
    """NDCG@k of one topic's ranking (gain = level, discount log2(rank + 1))."""
    dcg = sum(
        max(judged.get(doc, 0), 0) / math.log2(rank + 1)
        for rank, doc in enumerate(ranking[:k], start=1)
    )
    ideal_levels = sorted((level for level in judged.values() if level > 0), reverse=True)[:k]
    idcg = sum(level / math.log2(rank + 1) for rank, level in enumerate(ideal_levels, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def precision_at_k(
    ranking: list[str], judged: Mapping[str, int], k: int = CUTOFF, level: int = RELEVANCE_LEVEL
) -> float:
    """Relevant documents (level ≥ ``level``) among the first k, divided by k."""
    return sum(1 for doc in ranking[:k] if judged.get(doc, 0) >= level) / k


def reciprocal_rank(
    ranking: list[str], judged: Mapping[str, int], level: int = RELEVANCE_LEVEL
) -> float:
    """1 / rank of the first document with level ≥ ``level``; 0 if there is none."""
    for rank, doc in enumerate(ranking, start=1):
        if judged.get(doc, 0) >= level:
            return 1.0 / rank
    return 0.0


@dataclass(frozen=True)
class RunEvaluation:
    """Per-topic and mean NDCG@10, P@10 and MRR of one run."""

    per_topic: dict[str, dict[str, float]]
    mean: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        """``{"ndcg@10": …, "p@10": …, "mrr": …, "per_topic": {qid: {…}}}``."""
        return {**self.mean, "per_topic": self.per_topic}


METRIC_NAMES = ("ndcg@10", "p@10", "mrr")
"""The keys of every per-topic and mean result, in report order."""


def evaluate_run(
    run: Mapping[str, Mapping[str, float]], qrels: Qrels, *, complete: bool = False
) -> RunEvaluation:
    """Score every topic of ``run`` judged in ``qrels`` (see the module docstring for topics)."""
    per_topic: dict[str, dict[str, float]] = {}
    topics = sorted(set(qrels) if complete else set(run) & set(qrels))
    for qid in topics:
        ranking = ranked(run.get(qid, {}))
        judged = qrels[qid]
        per_topic[qid] = {
            "ndcg@10": ndcg_at_k(ranking, judged),
            "p@10": precision_at_k(ranking, judged),
            "mrr": reciprocal_rank(ranking, judged),
        }
    mean = {
        name: (
            sum(scores[name] for scores in per_topic.values()) / len(per_topic)
            if per_topic
            else 0.0
        )
        for name in METRIC_NAMES
    }
    return RunEvaluation(per_topic=per_topic, mean=mean)
