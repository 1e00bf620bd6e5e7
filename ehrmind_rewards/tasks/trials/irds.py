"""TREC Clinical Trials records from ``ir_datasets`` (optional dependency).

:func:`ir_datasets_topics` / :func:`ir_datasets_qrels` / :func:`ir_datasets_trials` give the same
records as the file loaders from an ``ir_datasets`` id (``clinicaltrials/2021/trec-ct-2021``,
``…/trec-ct-2022``) when that package is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ehrmind_rewards.tasks.trials.ctgov import trial_record
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialQrel, TrialRecord, TrialTopic, label_from_grade

IR_DATASETS_IDS = ("clinicaltrials/2021/trec-ct-2021", "clinicaltrials/2021/trec-ct-2022")
"""``ir_datasets`` ids of the two TREC CT tracks (both judged on the 2021-04-27 snapshot)."""


def _ir_dataset(dataset_id: str) -> Any:
    try:
        import ir_datasets  # type: ignore[import-not-found]
    except ImportError:
        raise ImportError(
            "ir_datasets is not installed: pip install ir_datasets (or use load_topics/load_qrels "
            "on the official files)"
        ) from None
    return ir_datasets.load(dataset_id)


def ir_datasets_topics(dataset_id: str) -> list[TrialTopic]:
    """Topics of an ``ir_datasets`` dataset (e.g. ``clinicaltrials/2021/trec-ct-2021``)."""
    return [
        TrialTopic(query_id=str(query.query_id), text=str(query.text).strip())
        for query in _ir_dataset(dataset_id).queries_iter()
    ]


def ir_datasets_qrels(dataset_id: str) -> list[TrialQrel]:
    """Qrels of an ``ir_datasets`` dataset, with grades checked against the 0/1/2 vocabulary."""
    qrels = []
    for qrel in _ir_dataset(dataset_id).qrels_iter():
        try:
            label = label_from_grade(qrel.relevance)
        except ValueError as error:
            raise TrialDataError(f"{dataset_id}: {qrel.query_id} {qrel.doc_id}: {error}") from None
        qrels.append(TrialQrel(query_id=str(qrel.query_id), doc_id=str(qrel.doc_id), label=label))
    return qrels


def ir_datasets_trials(dataset_id: str) -> Iterator[TrialRecord]:
    """Trials of an ``ir_datasets`` clinical-trials corpus, lazily.

    ``ir_datasets`` documents carry ``doc_id``, ``title``, ``condition``, ``summary``,
    ``detailed_description`` and ``eligibility`` (the criteria text) but no sex or age fields, so
    those stay empty.
    """
    for doc in _ir_dataset(dataset_id).docs_iter():
        condition = str(getattr(doc, "condition", "") or "").strip()
        yield trial_record(
            {
                "nct_id": str(doc.doc_id),
                "title": str(doc.title or "").strip(),
                "conditions": (condition,) if condition else (),
                "summary": str(getattr(doc, "summary", "") or "").strip(),
                "description": str(getattr(doc, "detailed_description", "") or "").strip(),
                "criteria_text": str(getattr(doc, "eligibility", "") or "").strip(),
            }
        )
