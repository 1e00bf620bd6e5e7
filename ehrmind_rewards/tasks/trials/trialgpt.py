"""Criterion-level (TrialGPT-style) grading of patient–trial matching.

TrialGPT (Jin et al., *Nature Communications* 2024; ncbi-nlp/TrialGPT) has a model judge each
criterion of a trial separately and answer, per criterion section, one JSON object::

    {"0": ["brief reasoning", [sentence ids of the patient note], "included"], "1": [...], ...}

with labels from the section's set (:data:`INCLUSION_LABELS`, :data:`EXCLUSION_LABELS`). This
module reads those outputs as untrusted text (:func:`parse_criteria_output`: capped length and
criterion count, linear-time, never raising; bad entries are reported in ``issues`` and skipped),
aggregates them per trial (:func:`assess`) and scores a set of assessments against TREC qrels
(:func:`evaluate_assessments`).

Aggregation (TrialGPT's matching score and eligibility rule):

* score = included / (included + not included + not enough information), 0 when that
  denominator is 0; minus 1 if any inclusion criterion is *not included*; minus 1 if any exclusion
  criterion is *excluded*. Range [−2, 1]; *not applicable* criteria are ignored;
* eligibility: **Excluded** (grade 1) if any inclusion criterion is *not included* or any exclusion
  criterion is *excluded*, else **Eligible** (grade 2). Criterion judgments alone never say *not
  relevant*: TrialGPT decides relevance with a separate LLM aggregation step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ehrmind_rewards.core.parsing import JSONNumber, PayloadFailure, parse_payload
from ehrmind_rewards.metrics.classification import ClassificationReport, classification_report
from ehrmind_rewards.metrics.ranking import RunEvaluation, evaluate_run
from schemas.trials import TrialLabel

Section = Literal["inclusion", "exclusion"]

INCLUSION_LABELS = ("included", "not included", "not enough information", "not applicable")
"""Labels of an inclusion criterion."""
EXCLUSION_LABELS = ("excluded", "not excluded", "not enough information", "not applicable")
"""Labels of an exclusion criterion."""
LABELS: dict[Section, tuple[str, ...]] = {
    "inclusion": INCLUSION_LABELS,
    "exclusion": EXCLUSION_LABELS,
}

MAX_OUTPUT_CHARS = 65_536
"""Longer outputs are refused unread."""
MAX_CRITERIA = 256
"""Criteria beyond this many are ignored (and reported)."""
MAX_SENTENCE_ID_DIGITS = 6


@dataclass(frozen=True, slots=True)
class CriterionJudgement:
    """One criterion's judgment: reasoning, cited note sentences and a normalized label."""

    criterion: str
    reasoning: str
    sentence_ids: tuple[int, ...]
    label: str


@dataclass(frozen=True, slots=True)
class CriteriaParse:
    """The judgments read from one section's output, and every problem met on the way.

    ``ok`` is false when the output could not be read at all (no judgments then).
    """

    section: Section
    judgements: tuple[CriterionJudgement, ...]
    issues: tuple[str, ...]
    ok: bool

    def count(self, label: str) -> int:
        """How many criteria carry ``label``."""
        return sum(1 for judgement in self.judgements if judgement.label == label)


def _normalize(label: str) -> str:
    return " ".join(label.casefold().split()).rstrip(".")


def _json_object_text(text: str) -> str:
    """The span from the first ``{`` to the last ``}`` (drops code fences and chatter)."""
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if 0 <= start < end else text


def _sentence_ids(value: object) -> tuple[int, ...] | None:
    if not isinstance(value, list):
        return None
    ids = []
    for item in value:
        if not isinstance(item, JSONNumber) or len(item) > MAX_SENTENCE_ID_DIGITS:
            return None
        if not (item.isascii() and item.isdigit()):
            return None
        ids.append(int(item))
    return tuple(ids)


def _judgement(criterion: str, value: object, labels: tuple[str, ...]) -> CriterionJudgement | str:
    if not isinstance(value, list) or len(value) != 3:
        return f"criterion {criterion!r}: not a [reasoning, sentence ids, label] triple"
    reasoning, sentence_value, label_value = value
    if not isinstance(reasoning, str) or isinstance(reasoning, JSONNumber):
        return f"criterion {criterion!r}: reasoning is not a string"
    sentence_ids = _sentence_ids(sentence_value)
    if sentence_ids is None:
        return f"criterion {criterion!r}: sentence ids are not a list of non-negative integers"
    if not isinstance(label_value, str) or isinstance(label_value, JSONNumber):
        return f"criterion {criterion!r}: label is not a string"
    label = _normalize(label_value[:64])
    if label not in labels:
        return f"criterion {criterion!r}: unknown label {label_value[:64]!r}"
    return CriterionJudgement(criterion, reasoning, sentence_ids, label)


def parse_criteria_output(output: object, section: Section) -> CriteriaParse:
    """Read one section's criterion judgments from untrusted model output. Never raises."""
    labels = LABELS[section]
    if not isinstance(output, str):
        return CriteriaParse(section, (), (f"output is {type(output).__name__}, not text",), False)
    if len(output) > MAX_OUTPUT_CHARS:
        return CriteriaParse(section, (), (f"output longer than {MAX_OUTPUT_CHARS} chars",), False)
    payload = parse_payload(_json_object_text(output), ())
    if isinstance(payload, PayloadFailure):
        return CriteriaParse(section, (), (payload.detail,), False)
    judgements: list[CriterionJudgement] = []
    issues: list[str] = []
    items: list[tuple[str, Any]] = list(payload.items())
    if len(items) > MAX_CRITERIA:
        issues.append(f"{len(items) - MAX_CRITERIA} criteria beyond the cap of {MAX_CRITERIA}")
        items = items[:MAX_CRITERIA]
    for criterion, value in items:
        judgement = _judgement(criterion[:32], value, labels)
        if isinstance(judgement, str):
            issues.append(judgement)
        else:
            judgements.append(judgement)
    return CriteriaParse(section, tuple(judgements), tuple(issues), True)


@dataclass(frozen=True, slots=True)
class TrialAssessment:
    """A trial-level result aggregated from criterion judgments (see the module docstring)."""

    score: float
    label: TrialLabel
    included: int
    not_included: int
    inclusion_no_info: int
    excluded: int


def assess(inclusion: CriteriaParse, exclusion: CriteriaParse) -> TrialAssessment:
    """TrialGPT's matching score and eligibility for one (patient, trial) pair."""
    included = inclusion.count("included")
    not_included = inclusion.count("not included")
    no_info = inclusion.count("not enough information")
    excluded = exclusion.count("excluded")
    judged = included + not_included + no_info
    score = included / judged if judged else 0.0
    score -= 1.0 if not_included else 0.0
    score -= 1.0 if excluded else 0.0
    violated = not_included > 0 or excluded > 0
    return TrialAssessment(
        score=score,
        label=TrialLabel.EXCLUDED if violated else TrialLabel.ELIGIBLE,
        included=included,
        not_included=not_included,
        inclusion_no_info=no_info,
        excluded=excluded,
    )


@dataclass(frozen=True)
class TrialGPTEvaluation:
    """Assessments scored against qrels.

    ``ranking``: NDCG@10, P@10 and MRR of the run that ranks each topic's assessed trials by
    score. ``eligibility``: excluded-vs-eligible classification on the assessed pairs the qrels
    judge relevant (grade 1 or 2). ``unjudged``: assessed pairs absent from the qrels.
    """

    ranking: RunEvaluation
    eligibility: ClassificationReport
    unjudged: int


def evaluate_assessments(
    assessments: Mapping[tuple[str, str], TrialAssessment],
    qrels: Mapping[str, Mapping[str, int]],
) -> TrialGPTEvaluation:
    """Score ``(query_id, doc_id) → assessment`` against ``query_id → {doc_id: grade}``."""
    run: dict[str, dict[str, float]] = {}
    y_true: list[int] = []
    y_pred: list[int] = []
    unjudged = 0
    for (query_id, doc_id), assessment in assessments.items():
        run.setdefault(query_id, {})[doc_id] = assessment.score
        grade = qrels.get(query_id, {}).get(doc_id)
        if grade is None:
            unjudged += 1
        elif grade >= TrialLabel.EXCLUDED:
            y_true.append(int(grade))
            y_pred.append(int(assessment.label))
    return TrialGPTEvaluation(
        ranking=evaluate_run(run, qrels),
        eligibility=classification_report(
            y_true, y_pred, [int(TrialLabel.EXCLUDED), int(TrialLabel.ELIGIBLE)]
        ),
        unjudged=unjudged,
    )
