"""TrialGPT's criterion-level matching and its final ranking, as its released code computes them.

TrialGPT (Jin et al., *Nature Communications* 2024; ncbi-nlp/TrialGPT) works in two model steps:

* **TrialGPT-Matching** judges each criterion of a trial and answers, per section, one JSON
  object ``{"0": ["brief reasoning", [sentence ids of the patient note], "included"], …}`` with a
  label from :data:`INCLUSION_LABELS` or :data:`EXCLUSION_LABELS`
  (``trialgpt_matching/TrialGPT.py``, ``get_matching_prompt``);
* **TrialGPT-Ranking** (aggregation) reads those judgments and answers
  ``{"relevance_explanation", "relevance_score_R", "eligibility_explanation",
  "eligibility_score_E"}`` with R in 0–100 and E in −R–R (``trialgpt_ranking/TrialGPT.py``).

Its final ranking (``trialgpt_ranking/rank_results.py``) scores each (patient, trial) pair as

* matching score = included / (included + not included + not enough information + ε), ε = 10⁻⁹,
  − 1 if any inclusion criterion is *not included*, − 1 if any exclusion criterion is *excluded*
  (``get_matching_score``, lines 12–65; range [−2, 1)). Only entries that are 3-element lists
  count, by their third element; *not applicable* counts nowhere;
* aggregation score = (R + E) / 100 (``get_agg_score``, lines 68–78), 0 for both when either
  value is not a number, and 0 when the pair has no aggregation result;
* final score = matching score + aggregation score (``__main__``, line 106), sorted descending.

Worked example: two inclusion criteria *included*, nothing violated and R + E = 190 give
2 / (2 + 10⁻⁹) + 190 / 100 = 2.8999999995, the first score of the example ranking in TrialGPT's
README (its next two, 2.84999999975 and 2.7999999998, are four and five criteria met with R + E =
185 and 180); the ε is why no score is a round number.

**Labels.** TrialGPT compares labels exactly (``info[2] == "included"``): ``"Included"`` or
``"included."`` counts nowhere. That is the default here (``matching="exact"``), with every
label that does not match reported in ``issues``; ``matching="lenient"`` reads labels after
case-folding, collapsing whitespace and dropping a final full stop.

**Grades.** TrialGPT's code assigns no trial-level grade: it ranks. :func:`assess` also gives each
pair the grade this project's label definitions imply
(:func:`~ehrmind_rewards.tasks.trials.definitions.grade_from_criteria`): not relevant if an
inclusion criterion fails or none is met, excluded if an exclusion criterion is met, else
eligible.

**Inputs.** Model outputs are untrusted text (:func:`parse_criteria_output`: capped length and
criterion count, linear-time, never raising). TrialGPT's own result files are read by
:func:`read_matching_results` (``results/matching_results_{corpus}_{model}.json``:
``{patient_id: {qrels_grade: {trial_id: {"inclusion": {…}, "exclusion": {…}}}}}``) and
:func:`read_aggregation_results` (``results/aggregation_results_{corpus}_{model}.json``:
``{patient_id: {trial_id: {"relevance_score_R": …, "eligibility_score_E": …, …}}}``).
:func:`ranking_run` turns them into a run (patient → trial → final score) for
:func:`~ehrmind_rewards.metrics.ranking.evaluate_run`, and :func:`evaluate_assessments` scores
them against TREC qrels.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ehrmind_rewards.core.parsing import JSONNumber, PayloadFailure, parse_payload
from ehrmind_rewards.metrics.classification import ClassificationReport, classification_report
from ehrmind_rewards.metrics.ranking import RunEvaluation, evaluate_run
from ehrmind_rewards.tasks.trials.definitions import grade_from_criteria
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialLabel

Section = Literal["inclusion", "exclusion"]
Matching = Literal["exact", "lenient"]

INCLUSION_LABELS = ("included", "not included", "not enough information", "not applicable")
"""Labels of an inclusion criterion."""
EXCLUSION_LABELS = ("excluded", "not excluded", "not enough information", "not applicable")
"""Labels of an exclusion criterion."""
LABELS: dict[Section, tuple[str, ...]] = {
    "inclusion": INCLUSION_LABELS,
    "exclusion": EXCLUSION_LABELS,
}

EPSILON = 1e-9
"""TrialGPT's ``eps`` in the matching score's denominator (``rank_results.py``, line 10)."""

MAX_OUTPUT_CHARS = 65_536
"""Longer outputs are refused unread."""
MAX_CRITERIA = 256
"""Criteria beyond this many are ignored (and reported)."""
MAX_SENTENCE_ID_DIGITS = 6
MAX_LABEL_CHARS = 64
MAX_SCORE_CHARS = 64


@dataclass(frozen=True, slots=True)
class CriterionJudgement:
    """One criterion's judgment: reasoning, cited note sentences and its label as matched."""

    criterion: str
    reasoning: str
    sentence_ids: tuple[int, ...]
    label: str


@dataclass(frozen=True, slots=True)
class CriteriaParse:
    """The judgments read from one section's output, and every problem met on the way.

    ``judgements`` holds the entries that count (a triple whose label matched); ``ok`` is false
    when the output could not be read at all (no judgments then).
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


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not isinstance(value, JSONNumber)


def _sentence_id(item: object) -> int | None:
    if isinstance(item, JSONNumber):
        ok = len(item) <= MAX_SENTENCE_ID_DIGITS and item.isascii() and item.isdigit()
        return int(item) if ok else None
    if isinstance(item, int) and not isinstance(item, bool) and 0 <= item < 10**6:
        return item
    return None


def _sentence_ids(value: object) -> tuple[int, ...] | None:
    if not isinstance(value, list):
        return None
    ids = [_sentence_id(item) for item in value]
    return None if None in ids else tuple(i for i in ids if i is not None)


def _label(value: str, labels: tuple[str, ...], matching: Matching) -> str | None:
    if matching == "exact":
        return value if value in labels else None
    normalized = _normalize(value[:MAX_LABEL_CHARS])
    return normalized if normalized in labels else None


def _judgement(
    criterion: str, value: object, labels: tuple[str, ...], matching: Matching
) -> tuple[CriterionJudgement | None, list[str]]:
    """The judgment an entry counts as (``None``: it counts nowhere) and its problems."""
    where = f"criterion {criterion!r}"
    if not isinstance(value, list) or len(value) != 3:
        return None, [f"{where}: not a [reasoning, sentence ids, label] triple; not counted"]
    reasoning, sentence_value, label_value = value
    issues = []
    if not _is_text(label_value):
        return None, [f"{where}: label is not a string; not counted"]
    shown = label_value[:MAX_LABEL_CHARS]
    label = _label(label_value, labels, matching)
    if label is None:
        hint = ""
        if matching == "exact" and _label(label_value, labels, "lenient") is not None:
            hint = f" (lenient matching reads it as {_normalize(shown)!r})"
        return None, [f"{where}: unknown label {shown!r}; not counted{hint}"]
    if not _is_text(reasoning):
        issues.append(f"{where}: reasoning is not a string")
        reasoning = ""
    sentence_ids = _sentence_ids(sentence_value)
    if sentence_ids is None:
        issues.append(f"{where}: sentence ids are not a list of non-negative integers")
        sentence_ids = ()
    return CriterionJudgement(criterion, str(reasoning), sentence_ids, label), issues


def criteria_from_object(
    obj: Mapping[str, Any], section: Section, *, matching: Matching = "exact"
) -> CriteriaParse:
    """Read one section's judgments from a decoded JSON object (TrialGPT's result files).

    An entry counts when it is a 3-element list whose third element is a label of ``section``
    (exactly, or after normalizing with ``matching="lenient"``), as in TrialGPT's
    ``get_matching_score``; reasoning that is not a string or sentence ids that are not
    non-negative integers are reported in ``issues`` but do not stop the label from counting.

    >>> parsed = criteria_from_object({"0": ["ok", [0], "included"], "1": ["", [], "Included"]},
    ...                               "inclusion")
    >>> parsed.count("included"), parsed.issues
    (1, ("criterion '1': unknown label 'Included'; not counted (lenient matching reads it as 'included')",))
    """  # noqa: E501
    labels = LABELS[section]
    judgements: list[CriterionJudgement] = []
    issues: list[str] = []
    items = list(obj.items())
    if len(items) > MAX_CRITERIA:
        issues.append(f"{len(items) - MAX_CRITERIA} criteria beyond the cap of {MAX_CRITERIA}")
        items = items[:MAX_CRITERIA]
    for criterion, value in items:
        judgement, problems = _judgement(str(criterion)[:32], value, labels, matching)
        issues.extend(problems)
        if judgement is not None:
            judgements.append(judgement)
    return CriteriaParse(section, tuple(judgements), tuple(issues), True)


def parse_criteria_output(
    output: object, section: Section, *, matching: Matching = "exact"
) -> CriteriaParse:
    """Read one section's criterion judgments from untrusted model output. Never raises.

    The JSON object is taken from the first ``{`` to the last ``}`` (code fences and chatter
    around it are dropped); see :func:`criteria_from_object` for which entries count.

    >>> parse_criteria_output('```json\\n{"0": ["r", [1], "excluded"]}\\n```', "exclusion").judgements
    (CriterionJudgement(criterion='0', reasoning='r', sentence_ids=(1,), label='excluded'),)
    """  # noqa: E501
    if not isinstance(output, str):
        return CriteriaParse(section, (), (f"output is {type(output).__name__}, not text",), False)
    if len(output) > MAX_OUTPUT_CHARS:
        return CriteriaParse(section, (), (f"output longer than {MAX_OUTPUT_CHARS} chars",), False)
    payload = parse_payload(_json_object_text(output), ())
    if isinstance(payload, PayloadFailure):
        return CriteriaParse(section, (), (payload.detail,), False)
    return criteria_from_object(payload, section, matching=matching)


@dataclass(frozen=True, slots=True)
class TrialAssessment:
    """One (patient, trial) pair from its criterion judgments (see the module docstring).

    ``score`` is TrialGPT's matching score; ``label`` the grade the project's definitions give.
    """

    score: float
    label: TrialLabel
    included: int
    not_included: int
    inclusion_no_info: int
    excluded: int
    issues: tuple[str, ...] = ()


def matching_score(*, included: int, not_included: int, no_info: int, excluded: int) -> float:
    """TrialGPT's matching score (``rank_results.py``, ``get_matching_score``), ε included.

    >>> matching_score(included=2, not_included=0, no_info=0, excluded=0)
    0.9999999995
    >>> matching_score(included=1, not_included=1, no_info=0, excluded=1)
    -1.50000000025
    """
    score = included / (included + not_included + no_info + EPSILON)
    if not_included > 0:
        score -= 1
    if excluded > 0:
        score -= 1
    return score


def assess(inclusion: CriteriaParse, exclusion: CriteriaParse) -> TrialAssessment:
    """TrialGPT's matching score and the project's grade for one (patient, trial) pair.

    >>> inclusion = criteria_from_object({"0": ["", [], "included"]}, "inclusion")
    >>> exclusion = criteria_from_object({"0": ["", [], "excluded"]}, "exclusion")
    >>> result = assess(inclusion, exclusion)
    >>> round(result.score, 6), result.label
    (-0.0, <TrialLabel.EXCLUDED: 1>)
    """
    included = inclusion.count("included")
    not_included = inclusion.count("not included")
    no_info = inclusion.count("not enough information")
    excluded = exclusion.count("excluded")
    return TrialAssessment(
        score=matching_score(
            included=included, not_included=not_included, no_info=no_info, excluded=excluded
        ),
        label=grade_from_criteria(included=included, not_included=not_included, excluded=excluded),
        included=included,
        not_included=not_included,
        inclusion_no_info=no_info,
        excluded=excluded,
        issues=inclusion.issues + exclusion.issues,
    )


# ------------------------------------------------------------------------- aggregation (R, E)


@dataclass(frozen=True, slots=True)
class Aggregation:
    """TrialGPT-Ranking's relevance ``R`` (0–100) and eligibility ``E`` (−R–R) for one pair."""

    relevance: float
    eligibility: float
    issues: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        """(R + E) / 100, TrialGPT's aggregation score."""
        return (self.relevance + self.eligibility) / 100


def _score_value(value: object) -> float | None:
    """``float(value)`` as TrialGPT takes it, refusing non-finite values and huge strings."""
    if isinstance(value, str) and len(value) > MAX_SCORE_CHARS:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def read_aggregation(value: object) -> Aggregation:
    """One aggregation result as TrialGPT's ``get_agg_score`` reads it. Never raises.

    ``value`` is the model's decoded JSON object. If ``relevance_score_R`` or
    ``eligibility_score_E`` is missing or not a number (TrialGPT: ``float()`` fails), both are
    0 — TrialGPT's fallback — and the reason is in ``issues``; a value that is not finite is
    treated the same. Values outside R ∈ [0, 100], |E| ≤ R are kept, as TrialGPT keeps them, and
    reported.

    >>> read_aggregation({"relevance_score_R": 90, "eligibility_score_E": "60"}).score
    1.5
    >>> read_aggregation("matching result error")
    Aggregation(relevance=0.0, eligibility=0.0, issues=('aggregation result is str, not an object; scored 0',))
    """  # noqa: E501
    if not isinstance(value, Mapping):
        problem = f"aggregation result is {type(value).__name__}, not an object; scored 0"
        return Aggregation(0.0, 0.0, (problem,))
    relevance = _score_value(value.get("relevance_score_R"))
    eligibility = _score_value(value.get("eligibility_score_E"))
    if relevance is None or eligibility is None:
        name = "relevance_score_R" if relevance is None else "eligibility_score_E"
        return Aggregation(0.0, 0.0, (f"{name} is missing or not a number; scored 0",))
    issues = []
    if not 0 <= relevance <= 100:
        issues.append(f"relevance_score_R {relevance:g} is outside 0–100")
    if abs(eligibility) > abs(relevance):
        issues.append(f"eligibility_score_E {eligibility:g} is outside −R–R")
    return Aggregation(relevance, eligibility, tuple(issues))


def ranking_score(assessment: TrialAssessment, aggregation: Aggregation | None) -> float:
    """TrialGPT's final score: matching score + (R + E) / 100 (0 without an aggregation).

    >>> met = {"0": ["", [], "included"], "1": ["", [], "included"]}
    >>> inclusion = criteria_from_object(met, "inclusion")
    >>> assessment = assess(inclusion, criteria_from_object({}, "exclusion"))
    >>> aggregation = read_aggregation({"relevance_score_R": 95, "eligibility_score_E": 95})
    >>> ranking_score(assessment, aggregation)
    2.8999999995
    """
    return assessment.score + (aggregation.score if aggregation is not None else 0.0)


# ------------------------------------------------------------------------- TrialGPT's files

Pair = tuple[str, str]
"""(patient / topic id, trial id)."""


@dataclass
class MatchingResults:
    """The pairs of a TrialGPT matching-results file and what was odd about the file."""

    assessments: dict[Pair, TrialAssessment] = field(default_factory=dict)
    duplicates: list[Pair] = field(default_factory=list)
    """Pairs listed under two qrels grades; the later one is kept, as TrialGPT keeps it."""


def _load_json(path: str | Path) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError) as error:
        raise TrialDataError(f"{path}: not readable JSON: {error}") from None


def _section(value: object, section: Section, matching: Matching) -> CriteriaParse:
    if isinstance(value, Mapping):
        return criteria_from_object(value, section, matching=matching)
    if isinstance(value, str):  # TrialGPT stores the raw message when json.loads failed
        problem = "TrialGPT could not decode this output as JSON (stored as text); nothing counted"
        return CriteriaParse(section, (), (problem,), False)
    return CriteriaParse(
        section, (), (f"{section} is {type(value).__name__}, not an object",), False
    )


def read_matching_results(path: str | Path, *, matching: Matching = "exact") -> MatchingResults:
    """Assess every pair of a TrialGPT matching-results file (see the module docstring).

    Raises:
        TrialDataError: naming the file and the key, when it is not JSON or not shaped
            ``{patient: {grade: {trial: {"inclusion": …, "exclusion": …}}}}``.
    """
    data = _load_json(path)
    if not isinstance(data, dict):
        raise TrialDataError(f"{path}: top level is not an object of patients")
    results = MatchingResults()
    for patient, by_grade in data.items():
        if not isinstance(by_grade, dict):
            raise TrialDataError(f"{path}: {patient!r} is not an object of qrels grades")
        for grade, trials in by_grade.items():
            if not isinstance(trials, dict):
                raise TrialDataError(f"{path}: {patient!r} → {grade!r} is not an object of trials")
            for trial, sections in trials.items():
                if not isinstance(sections, dict):
                    raise TrialDataError(
                        f"{path}: {patient!r} → {grade!r} → {trial!r} is not an object with "
                        "'inclusion' and 'exclusion'"
                    )
                pair = (str(patient), str(trial))
                if pair in results.assessments:
                    results.duplicates.append(pair)
                results.assessments[pair] = assess(
                    _section(sections.get("inclusion", {}), "inclusion", matching),
                    _section(sections.get("exclusion", {}), "exclusion", matching),
                )
    return results


def read_aggregation_results(path: str | Path) -> dict[Pair, Aggregation]:
    """Read every pair of a TrialGPT aggregation-results file (see :func:`read_aggregation`).

    Raises:
        TrialDataError: naming the file and the key, when it is not JSON or not shaped
            ``{patient: {trial: result}}``.
    """
    data = _load_json(path)
    if not isinstance(data, dict):
        raise TrialDataError(f"{path}: top level is not an object of patients")
    aggregations: dict[Pair, Aggregation] = {}
    for patient, trials in data.items():
        if not isinstance(trials, dict):
            raise TrialDataError(f"{path}: {patient!r} is not an object of trials")
        for trial, result in trials.items():
            aggregations[(str(patient), str(trial))] = read_aggregation(result)
    return aggregations


def ranking_run(
    assessments: Mapping[Pair, TrialAssessment],
    aggregations: Mapping[Pair, Aggregation] | None = None,
) -> dict[str, dict[str, float]]:
    """A run, patient → trial → TrialGPT's final score (matching score alone without R and E).

    >>> pair = ("1", "NCT1")
    >>> inclusion = criteria_from_object({"0": ["", [], "included"]}, "inclusion")
    >>> run = ranking_run({pair: assess(inclusion, criteria_from_object({}, "exclusion"))})
    >>> run
    {'1': {'NCT1': 0.9999999989999999}}
    """
    run: dict[str, dict[str, float]] = {}
    for pair, assessment in assessments.items():
        aggregation = aggregations.get(pair) if aggregations is not None else None
        run.setdefault(pair[0], {})[pair[1]] = ranking_score(assessment, aggregation)
    return run


# ------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class TrialGPTEvaluation:
    """Assessments scored against qrels.

    ``ranking``: NDCG@10, P@10 and MRR of the run that ranks each topic's assessed trials by
    TrialGPT's final score (the matching score alone when no aggregations were given).
    ``classification``: the assessments' grades against the qrels grades (0/1/2) on the judged
    pairs. ``unjudged``: assessed pairs absent from the qrels. ``missing_aggregation``: assessed
    pairs without an aggregation result when aggregations were given (scored with 0, as TrialGPT
    does).
    """

    ranking: RunEvaluation
    classification: ClassificationReport
    unjudged: int
    missing_aggregation: int = 0


def evaluate_assessments(
    assessments: Mapping[Pair, TrialAssessment],
    qrels: Mapping[str, Mapping[str, int]],
    aggregations: Mapping[Pair, Aggregation] | None = None,
) -> TrialGPTEvaluation:
    """Score ``(query_id, doc_id) → assessment`` against ``query_id → {doc_id: grade}``.

    >>> met = assess(criteria_from_object({"0": ["", [], "included"]}, "inclusion"),
    ...              criteria_from_object({}, "exclusion"))
    >>> result = evaluate_assessments({("1", "NCT1"): met}, {"1": {"NCT1": 2, "NCT2": 1}})
    >>> result.ranking.per_topic["1"]["mrr"], result.classification.accuracy, result.unjudged
    (1.0, 1.0, 0)
    """
    y_true: list[int] = []
    y_pred: list[int] = []
    unjudged = 0
    for (query_id, doc_id), assessment in assessments.items():
        grade = qrels.get(query_id, {}).get(doc_id)
        if grade is None:
            unjudged += 1
        else:
            y_true.append(int(grade))
            y_pred.append(int(assessment.label))
    missing = 0 if aggregations is None else sum(1 for p in assessments if p not in aggregations)
    grades = [int(label) for label in TrialLabel]
    return TrialGPTEvaluation(
        ranking=evaluate_run(ranking_run(assessments, aggregations), qrels),
        classification=classification_report(y_true, y_pred, grades),
        unjudged=unjudged,
        missing_aggregation=missing,
    )
