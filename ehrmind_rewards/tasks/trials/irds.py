"""TREC Clinical Trials records from ``ir_datasets`` (optional dependency), for what it provides.

What ``ir_datasets`` 0.6.3 offers for the TREC CT tracks (``ir_datasets/datasets/clinicaltrials.py``
and ``etc/downloads.json`` of that release):

* ``clinicaltrials/2021/trec-ct-2021`` — 75 topics, 35,832 qrels, the 2021-04-27 snapshot;
* ``clinicaltrials/2021/trec-ct-2022`` — 50 topics, **no qrels**, the same snapshot;
* ``clinicaltrials/2021`` — the snapshot's documents only.

There is no TREC CT 2023 dataset and no 2022 qrels. Its ``clinicaltrials/2017/trec-pm-*`` and
``…/2019/trec-pm-2019`` datasets are the Precision Medicine tracks, whose grades mean *possibly*
and *definitely relevant*, not excluded and eligible, so they are refused for topics and qrels.

The functions ask ``ir_datasets`` at run time — whether the id exists, whether it has the part
asked for, and what its qrels grades mean — and raise :class:`~.errors.TrialDataError` naming the
alternatives otherwise (the official files with :func:`~.topics.load_topics` /
:func:`~.qrels.load_qrels`, or TrialGPT's copies), so a newer ``ir_datasets`` that adds a
dataset is used as soon as it exists.

Its documents are thinner than the registry records: ``condition`` is always empty and ``title``
is the brief title (``ClinicalTrialsDocs._parse_doc``, lines 79–84 in 0.6.3, tests elements for
truth, and an element without children is false), and there are no sex, age or
healthy-volunteer fields. :func:`ir_datasets_trials` keeps a
non-empty ``condition``, and when it is empty leaves ``conditions`` empty and warns once
(:class:`IrDatasetsWarning`) that the full records are in the snapshot's own files, which
:class:`~.ctgov.TrialDirectory` reads (archives included).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any, Literal

from ehrmind_rewards.tasks.trials.ctgov import dedent_block, trial_record
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import (
    TrialLabel,
    TrialQrel,
    TrialRecord,
    TrialTopic,
    label_from_grade,
    label_from_name,
)

IR_DATASETS_IDS = ("clinicaltrials/2021/trec-ct-2021", "clinicaltrials/2021/trec-ct-2022")
"""``ir_datasets`` ids of the TREC CT tracks in ``ir_datasets`` 0.6.3 (topics of both; qrels of
2021 only; both judged on the 2021-04-27 snapshot)."""

ALTERNATIVES = (
    "load the official files instead: load_topics('topics2021.xml' | 'topics2022.xml' | "
    "'topics2023.xml') and load_qrels('qrels2021.txt' | 'qrels2022.txt' | 'qrels2023.txt') "
    "from trec-cds.org / trec.nist.gov, or TrialGPT's dataset/trec_2021|trec_2022/queries.jsonl "
    "and qrels/test.tsv"
)

Part = Literal["queries", "qrels", "docs"]
_HAS = {"queries": "has_queries", "qrels": "has_qrels", "docs": "has_docs"}
_WHAT = {"queries": "topics", "qrels": "qrels", "docs": "documents"}


class IrDatasetsWarning(UserWarning):
    """``ir_datasets`` gives less than the records need (warned once per dataset)."""


_warned: set[str] = set()


def _module() -> Any:
    try:
        import ir_datasets  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise ImportError(
            "ir_datasets is not installed: pip install ir_datasets (or use load_topics/load_qrels "
            "on the official files)"
        ) from None
    return ir_datasets


def _trec_ct_ids(ir_datasets: Any, part: Part) -> list[str]:
    """The TREC CT dataset ids this ``ir_datasets`` has with ``part``, by asking it."""
    found = []
    for name in sorted(ir_datasets.registry):
        if not (name.startswith("clinicaltrials/") and "/trec-ct-" in name):
            continue
        if getattr(ir_datasets.load(name), _HAS[part])():
            found.append(name)
    return found


def _ir_dataset(dataset_id: str, part: Part) -> Any:
    """``ir_datasets.load(dataset_id)`` after checking it exists and has ``part``."""
    ir_datasets = _module()
    version = getattr(ir_datasets, "__version__", "?")
    try:
        dataset = ir_datasets.load(dataset_id)
    except KeyError:
        raise TrialDataError(
            f"ir_datasets {version} has no dataset {dataset_id!r}; its TREC CT datasets with "
            f"{_WHAT[part]} are {_trec_ct_ids(ir_datasets, part)}; or {ALTERNATIVES}"
        ) from None
    if part != "docs" and "/trec-ct-" not in dataset_id:
        raise TrialDataError(
            f"{dataset_id!r} is not a TREC Clinical Trials track (its grades do not mean not "
            f"relevant / excluded / eligible); TREC CT datasets in ir_datasets {version}: "
            f"{_trec_ct_ids(ir_datasets, part)}"
        )
    if not getattr(dataset, _HAS[part])():
        raise TrialDataError(
            f"ir_datasets {version} has no {_WHAT[part]} for {dataset_id!r}; its TREC CT datasets "
            f"with {_WHAT[part]} are {_trec_ct_ids(ir_datasets, part)}; or {ALTERNATIVES}"
        )
    return dataset


def ir_datasets_topics(dataset_id: str) -> list[TrialTopic]:
    """Topics of an ``ir_datasets`` TREC CT dataset (``clinicaltrials/2021/trec-ct-2021`` or 2022).

    Raises:
        TrialDataError: when ``ir_datasets`` has no such dataset or it has no topics, naming the
            ids it does have and the file alternatives.
        ImportError: when ``ir_datasets`` is not installed.
    """
    return [
        TrialTopic(query_id=str(query.query_id), text=str(query.text).strip())
        for query in _ir_dataset(dataset_id, "queries").queries_iter()
    ]


def ir_datasets_qrels(dataset_id: str) -> list[TrialQrel]:
    """Qrels of an ``ir_datasets`` TREC CT dataset (only ``clinicaltrials/2021/trec-ct-2021`` in
    0.6.3), grades checked against the 0/1/2 vocabulary and against the dataset's own grade
    definitions (``qrels_defs()``: 0 Not Relevant, 1 Excluded, 2 Eligible).

    Raises:
        TrialDataError: for a dataset without qrels (naming those with qrels and the files to use
            instead), grade definitions that are not TREC CT's, or a grade other than 0/1/2.
        ImportError: when ``ir_datasets`` is not installed.
    """
    dataset = _ir_dataset(dataset_id, "qrels")
    _check_grade_definitions(dataset_id, dataset)
    qrels = []
    for qrel in dataset.qrels_iter():
        try:
            label = label_from_grade(qrel.relevance)
        except ValueError as error:
            raise TrialDataError(f"{dataset_id}: {qrel.query_id} {qrel.doc_id}: {error}") from None
        qrels.append(TrialQrel(query_id=str(qrel.query_id), doc_id=str(qrel.doc_id), label=label))
    return qrels


def _check_grade_definitions(dataset_id: str, dataset: Any) -> None:
    defs_method = getattr(dataset, "qrels_defs", None)
    definitions = defs_method() if callable(defs_method) else None
    if not definitions:
        return
    for grade, name in definitions.items():
        try:
            expected = label_from_grade(grade)
        except ValueError:
            expected = None
        if expected is None or label_from_name(str(name)) is not expected:
            wanted = {int(label): label.display_name for label in TrialLabel}
            raise TrialDataError(
                f"{dataset_id}: its qrels grades mean {definitions}, not TREC CT's {wanted}"
            )


def ir_datasets_trials(dataset_id: str) -> Iterator[TrialRecord]:
    """Trials of an ``ir_datasets`` clinical-trials corpus, lazily, as far as its documents go.

    ``ir_datasets`` documents carry ``doc_id``, ``title`` (the brief title), ``condition``,
    ``summary``, ``detailed_description`` and ``eligibility`` (the criteria text, indented as in
    the XML: dedented here) and no sex, age or healthy-volunteer fields, so those stay empty. An
    empty ``condition`` (every document of ``ir_datasets`` 0.6.3) leaves ``conditions`` empty and
    raises one :class:`IrDatasetsWarning` per dataset.

    Raises:
        TrialDataError: when ``ir_datasets`` has no such dataset or it has no documents.
        ImportError: when ``ir_datasets`` is not installed.
    """
    for doc in _ir_dataset(dataset_id, "docs").docs_iter():
        condition = str(getattr(doc, "condition", "") or "").strip()
        if not condition and dataset_id not in _warned:
            _warned.add(dataset_id)
            warnings.warn(
                f"{dataset_id}: ir_datasets documents carry no conditions (empty 'condition'), "
                "no sex, age or healthy-volunteer fields, and the brief title only; prompts built "
                "from them have no Conditions line. The full records are in the snapshot's own "
                "files: read them with TrialDirectory (it reads the .zip archives as they are)",
                IrDatasetsWarning,
                stacklevel=2,
            )
        yield trial_record(
            {
                "nct_id": str(doc.doc_id),
                "title": str(doc.title or "").strip(),
                "conditions": (condition,) if condition else (),
                "summary": dedent_block(str(getattr(doc, "summary", "") or "")),
                "description": dedent_block(str(getattr(doc, "detailed_description", "") or "")),
                "criteria_text": dedent_block(str(getattr(doc, "eligibility", "") or "")),
            }
        )
