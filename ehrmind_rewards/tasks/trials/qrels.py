"""TREC Clinical Trials relevance judgments (qrels).

:func:`load_qrels` reads TREC text (``qid 0 docid rel``, whitespace-separated, no header) or TSV
with a header naming the columns (``query-id  corpus-id  score``), told apart by the first line.
Grades are checked against the 0/1/2 vocabulary of :mod:`schemas.trials`.
"""

from __future__ import annotations

from pathlib import Path

from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialQrel, label_from_grade

_QUERY_COLUMNS = ("query-id", "query_id", "qid", "topic", "topic_id")
_DOC_COLUMNS = ("corpus-id", "corpus_id", "doc-id", "doc_id", "docid", "docno", "trial_id")
_LABEL_COLUMNS = ("score", "label", "relevance", "rel", "grade")


def load_qrels(path: str | Path) -> list[TrialQrel]:
    """Read relevance judgments (TREC ``qid 0 docid rel`` text, or TSV with a header).

    Raises:
        TrialDataError: naming file and line, for a malformed line, a grade other than 0/1/2, or a
            (topic, trial) pair judged twice.
    """
    qrels: list[TrialQrel] = []
    seen: set[tuple[str, str]] = set()
    columns: tuple[int, int, int] | None = None
    with open(path, encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split("\t") if columns is not None else line.split()
            fields = [f.strip() for f in fields]
            if not any(fields):
                continue
            if number == 1 and _is_header(fields):
                columns = _header_columns(line.rstrip("\r\n").split("\t"), path)
                continue
            if columns is not None:
                if len(fields) <= max(columns):
                    raise TrialDataError(f"{path}:{number}: expected {max(columns) + 1}+ columns")
                qid, docid, grade = (fields[i] for i in columns)
            elif len(fields) == 4:
                qid, _iteration, docid, grade = fields
            else:
                raise TrialDataError(
                    f"{path}:{number}: expected 'qid iter docid rel', found {len(fields)} fields"
                )
            try:
                label = label_from_grade(grade)
            except ValueError as error:
                raise TrialDataError(f"{path}:{number}: {error}") from None
            if (qid, docid) in seen:
                raise TrialDataError(f"{path}:{number}: {qid} {docid} judged twice")
            seen.add((qid, docid))
            qrels.append(TrialQrel.model_construct(query_id=qid, doc_id=docid, label=label))
    return qrels


def _is_header(fields: list[str]) -> bool:
    last = fields[-1]
    return not last.lstrip("-").isdigit()


def _header_columns(names: list[str], path: str | Path) -> tuple[int, int, int]:
    normalized = [name.strip().casefold() for name in names]

    def find(candidates: tuple[str, ...], role: str) -> int:
        for candidate in candidates:
            if candidate in normalized:
                return normalized.index(candidate)
        raise TrialDataError(f"{path}:1: header has no {role} column (one of {candidates})")

    return find(_QUERY_COLUMNS, "topic"), find(_DOC_COLUMNS, "trial"), find(_LABEL_COLUMNS, "grade")
