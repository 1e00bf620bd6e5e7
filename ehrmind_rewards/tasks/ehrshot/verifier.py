"""EHRSHOT verifier: exact labels, per-finding multilabel scoring, class weights, proper scores.

Row columns: ``ehrshot_task`` (labeler name, see :mod:`.benchmark`), ``label`` (class index; for
``chexpert`` a list of 14 zeros and ones — also as a numpy array, as pandas reads a parquet list
column, or as the JSON text of the list —, or the same as one integer bitmask with the first
finding most significant, which lets chexpert rows share an integer ``label`` column with other
tasks;
``ground_truth`` is read when there is no ``label``, as verl passes a scalar label) and optionally
``class_weight``.

Answer payload: ``{"prediction": <label name>, "label": <index>}`` plus an optional
``"probability"``. The name and the index must agree (``label_mismatch`` otherwise), as must a
stated probability and the label (``label 1`` with ``probability 0.1`` is a mismatch).

Scoring
    * binary and lab tasks: correct iff the stated index equals the reference label.
    * ``chexpert`` (multilabel): correct iff all 14 findings are right (exact match). A wrong
      answer's ``closeness`` is the Jaccard index |predicted ∩ true| / |predicted ∪ true| of the
      positive findings (1 when both are empty), which the ``graded`` spec pays as partial credit.
      Jaccard, unlike per-finding accuracy, gives nothing for answering "no findings" to a
      positive study, so it cannot be gamed by always predicting the majority (negative) value.
    * class weighting (EHRMind): a correct answer's correctness is multiplied by the row's
      ``class_weight``; :func:`class_weights` computes N / (K · N_class) (0.5·N/N_class for binary),
      which makes the mean correctness over a dataset equal its balanced accuracy.
    * proper scoring: under the ``brier`` or ``log_score`` specs (``rewards.BRIER`` and
      ``rewards.LOG_SCORE``) a stated probability is scored instead of the hard label:
      correctness = 1 − Brier score, or the log score rescaled to [0, 1] (see
      :func:`proper_score`), times ``class_weight``. An answer without a probability is scored as
      a certain one (probability 1 on the stated class). For ``chexpert`` each finding is scored
      as a binary outcome and the study's positive findings and its negative findings each carry
      half of the credit (:func:`multilabel_score`), so the majority value cannot carry it: an
      all-negative answer earns 0.5, not the 13/14 a plain mean over findings would pay it.

Probabilities: binary — P(positive class), a number in [0, 1]; lab — a list of four class
probabilities summing to 1 (±0.001); chexpert — a list of 14 per-finding probabilities.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ehrmind_rewards.core.parsing import EnvelopeFailure, JSONNumber, PayloadFailure, parse_envelope
from ehrmind_rewards.core.parsing import parse_payload as _parse_payload
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.tasks.ehrshot.benchmark import Task, TaskKind, get_task, int_to_bits
from schemas.reasons import Reason
from schemas.verdict import Verdict

REQUIRED_KEYS = ("prediction", "label")

LOG_FLOOR = 1e-4
"""Probabilities below this are scored as this in :data:`LOG_SCORE` (bounded reward)."""

PROBABILITY_SUM_TOLERANCE = 1e-3


class _AnswerError(Exception):
    """An answer failure (well-formed payload, unusable answer)."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def verify_row(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    """Grade one completion against an EHRSHOT row. Never raises.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> answer = '<think>…</think><answer>{"prediction": "lupus", "label": 1}</answer>'
    >>> row = {"ehrshot_task": "new_lupus", "label": 1, "class_weight": 2.0}
    >>> verify_row(answer, row, EHRMIND).score
    2.1
    """
    try:
        return _verify(completion, row, spec)
    except Exception as error:  # pragma: no cover - defensive: a reward must never crash a step
        return spec.verdict(
            format_ok=False,
            correct=None,
            reason=Reason.INTERNAL_ERROR,
            detail=f"{type(error).__name__}: {str(error)[:120]}",
        )


def _verify(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    reference = _reference(row)
    if isinstance(reference, str):
        return spec.verdict(
            format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail=reference
        )
    task, gold, weight = reference

    envelope = parse_envelope(completion)
    if isinstance(envelope, EnvelopeFailure):
        return spec.verdict(
            format_ok=False, correct=None, reason=envelope.reason, detail=envelope.detail
        )
    payload = _parse_payload(envelope.answer, REQUIRED_KEYS)
    if isinstance(payload, PayloadFailure):
        return spec.verdict(
            format_ok=False, correct=None, reason=payload.reason, detail=payload.detail
        )
    try:
        stated = _read_label(task, payload["prediction"], payload["label"])
        probability = _read_probability(task, payload.get("probability"), stated)
    except _AnswerError as error:
        return spec.verdict(format_ok=True, correct=False, reason=error.reason, detail=error.detail)
    parsed = _canonical(task, stated)
    correct = stated == gold
    stated_probability = _stated(task, probability)
    credit = closeness = None
    if spec.proper_score != "none":
        credit = proper_score(task, probability or _certain(task, stated), gold, spec.proper_score)
        detail: str | None = f"{spec.name} credit {credit * weight:.4f}"
    else:
        closeness = _jaccard(stated, gold) if isinstance(gold, tuple) else None
        detail = None if correct else f"reference {_canonical(task, gold)}"
    return spec.verdict(
        format_ok=True,
        correct=correct,
        reason=Reason.CORRECT if correct else Reason.WRONG_ANSWER,
        parsed=parsed,
        closeness=closeness,
        weight=weight,
        credit=credit,
        label=stated,
        probability=stated_probability,
        detail=detail,
    )


def _stated(task: Task, probability: tuple[float, ...] | None) -> float | tuple[float, ...] | None:
    """The probability as the answer stated it: P(positive) for binary tasks, else per class."""
    if probability is None:
        return None
    return probability[1] if task.kind is TaskKind.BINARY else probability


# --- reference row ---------------------------------------------------------------------------

Label = int | tuple[int, ...]


def _reference(row: Mapping[str, Any]) -> tuple[Task, Label, float] | str:
    """The task, gold label and weight of a row, or a description of what is wrong with it."""
    name = row.get("ehrshot_task")
    if not isinstance(name, str):
        return f"ehrshot_task is {type(name).__name__}, expected a task name"
    try:
        task = get_task(name)
    except KeyError as error:
        return str(error.args[0])
    gold = _gold_label(task, row["label"] if "label" in row else row.get("ground_truth"))
    if isinstance(gold, str):
        return gold
    raw_weight = row.get("class_weight")
    weight = 1.0
    if raw_weight is not None:
        try:
            weight = float(raw_weight)
        except (TypeError, ValueError):
            return f"class_weight {raw_weight!r} is not a number"
        if not math.isfinite(weight) or weight < 0:
            return f"class_weight {raw_weight!r} must be finite and ≥ 0"
    return task, gold, weight


def _as_int(value: object) -> int | None:
    """A reference label as an integer: an int, a bool, an integral float (``1.0``, as CSV and
    Arrow columns with gaps produce), a digit string or a numpy scalar of these; else ``None``.
    Only reference rows are read this leniently; the model's answer must be a JSON integer."""
    if hasattr(value, "dtype") and hasattr(value, "item") and getattr(value, "ndim", 0) == 0:
        value = value.item()
    if isinstance(value, (bool, int)):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 10:
        return int(value)
    return None


def _as_list(value: object) -> object:
    """A multilabel reference as a list: numpy arrays and pandas series through ``tolist``, the
    JSON text of a list (``"[0, 1, …]"``, as CSV files store it) decoded; else unchanged."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]") and len(text) < 1024:
            try:
                return json.loads(text)
            except ValueError:
                return value
        return value
    if getattr(value, "ndim", 0) == 1:
        tolist = getattr(value, "tolist", None)
        if callable(tolist):
            return tolist()
    return value


def _gold_label(task: Task, value: object) -> Label | str:
    if task.kind is TaskKind.MULTILABEL:
        value = _as_list(value)
        mask = None if isinstance(value, (str, bytes)) else _as_int(value)
        if mask is not None:  # one integer, the findings as bits (first finding most significant)
            try:
                return int_to_bits(mask, task.n_classes)
            except ValueError:
                return f"label {mask} is not a {task.n_classes}-bit findings mask"
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            return f"label must be a list of {task.n_classes} zeros and ones"
        bits = [_as_int(v) for v in value]
        if len(bits) != task.n_classes or any(b not in (0, 1) for b in bits):
            return f"label must be a list of {task.n_classes} zeros and ones"
        return tuple(b for b in bits if b is not None)
    label = _as_int(value)
    if label is None or not 0 <= label < task.n_classes:
        return f"label {value!r} is not a class index 0–{task.n_classes - 1}"
    return label


# --- the model's answer ------------------------------------------------------------------------


def _stated_index(value: object, n: int, what: str) -> int:
    """An index from the payload: a JSON integer literal (not a bool, float or string)."""
    if not isinstance(value, JSONNumber):
        raise _AnswerError(Reason.WRONG_TYPE, f"{what} is {type(value).__name__}, not an integer")
    text = str(value)
    if not text.isdigit() or len(text) > 3:
        raise _AnswerError(Reason.WRONG_TYPE, f"{what} {text[:20]!r} is not a small integer")
    index = int(text)
    if index >= n:
        raise _AnswerError(Reason.UNKNOWN_LABEL, f"{what} {index} outside 0–{n - 1}")
    return index


def _read_label(task: Task, prediction: object, label: object) -> Label:
    if task.kind is TaskKind.MULTILABEL:
        return _read_multilabel(task, prediction, label)
    if isinstance(prediction, list) or isinstance(label, list):
        raise _AnswerError(Reason.MULTIPLE_CANDIDATES, "a list where one class is expected")
    if not isinstance(prediction, str):
        raise _AnswerError(Reason.WRONG_TYPE, "prediction is not a label name")
    named = task.label_index(prediction)
    if named is None:
        raise _AnswerError(Reason.UNKNOWN_LABEL, f"unknown label name {prediction[:40]!r}")
    index = _stated_index(label, task.n_classes, "label")
    if index != named:
        raise _AnswerError(
            Reason.LABEL_MISMATCH, f"name {prediction[:40]!r} means {named}, label says {index}"
        )
    return index


def _read_multilabel(task: Task, prediction: object, label: object) -> tuple[int, ...]:
    if not isinstance(label, list) or len(label) != task.n_classes:
        raise _AnswerError(Reason.WRONG_TYPE, f"label must be a list of {task.n_classes} 0/1")
    bits = tuple(_stated_index(v, 2, "label entry") for v in label)
    if isinstance(prediction, str):
        prediction = [prediction] if prediction.strip() else []
    if not isinstance(prediction, list) or len(prediction) > task.n_classes:
        raise _AnswerError(Reason.WRONG_TYPE, "prediction must be a list of finding names")
    named = [0] * task.n_classes
    for name in prediction:
        index = task.label_index(name) if isinstance(name, str) else None
        if index is None:
            raise _AnswerError(Reason.UNKNOWN_LABEL, f"unknown finding {str(name)[:40]!r}")
        if named[index]:
            raise _AnswerError(Reason.MULTIPLE_CANDIDATES, f"finding {name[:40]!r} listed twice")
        named[index] = 1
    if tuple(named) != bits:
        raise _AnswerError(Reason.LABEL_MISMATCH, "named findings and label list disagree")
    return bits


def _number(value: object, what: str) -> float:
    if not isinstance(value, JSONNumber):
        raise _AnswerError(Reason.WRONG_TYPE, f"{what} is {type(value).__name__}, not a number")
    text = str(value)
    if len(text) > 32:
        raise _AnswerError(Reason.UNPARSEABLE_VALUE, f"{what} literal too long")
    try:
        number = float(text)
    except ValueError:
        raise _AnswerError(Reason.UNPARSEABLE_VALUE, f"{what} {text!r} unreadable") from None
    if not math.isfinite(number):
        raise _AnswerError(Reason.NON_FINITE, f"{what} is not finite")
    if not 0.0 <= number <= 1.0:
        raise _AnswerError(Reason.UNPARSEABLE_VALUE, f"{what} {text} outside [0, 1]")
    return number


def _read_probability(task: Task, value: object, stated: Label) -> tuple[float, ...] | None:
    """The stated probability as a distribution per class (multilabel: per finding)."""
    if value is None:
        return None
    if task.kind is TaskKind.BINARY:
        p = _number(value, "probability")
        if (p > 0.5 and stated == 0) or (p < 0.5 and stated == 1):
            raise _AnswerError(Reason.LABEL_MISMATCH, f"probability {p} contradicts label {stated}")
        return (1.0 - p, p)
    if not isinstance(value, list) or len(value) != task.n_classes:
        raise _AnswerError(
            Reason.WRONG_TYPE, f"probability must be a list of {task.n_classes} numbers"
        )
    probs = tuple(_number(v, "probability entry") for v in value)
    if task.kind is TaskKind.MULTICLASS:
        if abs(sum(probs) - 1.0) > PROBABILITY_SUM_TOLERANCE:
            raise _AnswerError(Reason.UNPARSEABLE_VALUE, "class probabilities do not sum to 1")
        assert isinstance(stated, int)
        if probs[stated] < max(probs):
            raise _AnswerError(Reason.LABEL_MISMATCH, "label is not the most probable class")
        return probs
    assert isinstance(stated, tuple)
    if any(
        (p > 0.5 and b == 0) or (p < 0.5 and b == 1) for p, b in zip(probs, stated, strict=True)
    ):
        raise _AnswerError(Reason.LABEL_MISMATCH, "a finding's probability contradicts its label")
    return probs


def _certain(task: Task, stated: Label) -> tuple[float, ...]:
    if isinstance(stated, tuple):
        return tuple(float(b) for b in stated)
    return tuple(1.0 if k == stated else 0.0 for k in range(task.n_classes))


def _canonical(task: Task, label: Label) -> str:
    if isinstance(label, tuple):
        names = [n for n, bit in zip(task.class_names, label, strict=True) if bit]
        return "[" + ", ".join(names) + "]"
    return f"{task.class_names[label]} ({label})"


def _jaccard(stated: Label, gold: tuple[int, ...]) -> float:
    assert isinstance(stated, tuple)
    union = sum(1 for s, g in zip(stated, gold, strict=True) if s or g)
    both = sum(1 for s, g in zip(stated, gold, strict=True) if s and g)
    return 1.0 if union == 0 else both / union


# --- proper scores and class weights ------------------------------------------------------------


def proper_score(task: Task, probs: Sequence[float], gold: Label, rule: str) -> float:
    """A strictly proper score of ``probs`` against ``gold``, affinely mapped to [0, 1].

    ``rule`` is a :attr:`~ehrmind_rewards.core.rewards.RewardSpec.proper_score` value.
    ``brier``: 1 − Σ_k (p_k − y_k)² / 2 for one class label (the multiclass Brier score, whose
    maximum is 2). ``log``: 1 + log₁₀(max(p_y, 1e-4)) / 4 — 1 for certainty on the true class, 0
    at or below probability 1e-4. Multilabel answers: :func:`multilabel_score`.

    >>> from ehrmind_rewards.tasks.ehrshot.benchmark import get_task
    >>> proper_score(get_task("new_lupus"), (0.2, 0.8), 1, "brier")
    0.96
    """
    if task.kind is TaskKind.MULTILABEL:
        assert isinstance(gold, tuple)
        return multilabel_score(probs, gold, rule)
    assert isinstance(gold, int)
    if rule == "brier":
        squared = sum((p - (1.0 if k == gold else 0.0)) ** 2 for k, p in enumerate(probs))
        return 1.0 - squared / 2.0
    return _log_credit(probs[gold])


def multilabel_score(probs: Sequence[float], gold: Sequence[int], rule: str) -> float:
    """The proper score of a multilabel answer, per finding, balanced between the two outcomes.

    Each finding is one binary outcome, scored as a binary task scores its positive class:
    Brier 1 − (p − y)², log 1 + log₁₀(max(p_y, 1e-4)) / 4 (``p_y`` the probability given to what
    happened). The study's positive findings share half of the credit and its negative findings
    the other half (each finding's score averaged within its group; a study with one kind only
    averages over all findings) — the multilabel form of EHRMind's class weighting, which makes
    mean reward a balanced score. A degenerate answer cannot carry the score on the majority
    (negative) value: an all-negative or all-positive certain answer earns 0.5 on any study that
    has both kinds of finding, and an answer that gives every finding the same probability earns
    at most what the uninformative 0.5 earns on a binary task (0.75 Brier, 0.925 log),
    whatever the study. Like class weighting, the balance trades strict propriety for balance:
    the expected credit is highest for the belief reweighted so that a study's positive and
    negative findings count equally, rather than for the calibrated probability.

    >>> round(multilabel_score([0.0] * 14, [0] * 13 + [1], "brier"), 3)  # all negative
    0.5
    >>> round(multilabel_score([0.0] * 13 + [1.0], [0] * 13 + [1], "brier"), 3)
    1.0
    """
    positive = [_proper_binary(p, 1, rule) for p, y in zip(probs, gold, strict=True) if y]
    negative = [_proper_binary(p, 0, rule) for p, y in zip(probs, gold, strict=True) if not y]
    if positive and negative:
        return (sum(positive) / len(positive) + sum(negative) / len(negative)) / 2.0
    scores = positive or negative
    return sum(scores) / len(scores)


def _proper_binary(p: float, y: int, rule: str) -> float:
    if rule == "brier":
        return 1.0 - (p - y) ** 2
    return _log_credit(p if y else 1.0 - p)


def _log_credit(p_true: float) -> float:
    return max(0.0, 1.0 + math.log10(max(p_true, LOG_FLOOR)) / 4.0)
