"""Patient–trial matching verifier (TREC Clinical Trials, EHRMind's format).

The model answers ``<think>…</think><answer>{"prediction": NAME, "idx": N}</answer>`` where NAME is
``"Irrelevant"``, ``"Excluded"`` or ``"Eligible"`` (or a synonym from :mod:`schemas.trials`) and N
is the matching TREC CT grade 0, 1 or 2. Rules, in order:

1. format (a format failure): the envelope of :func:`~ehrmind_rewards.core.parsing.parse_envelope`
   (nothing but whitespace or end-of-turn tokens after ``</answer>``), then a JSON object with both
   keys (:func:`~ehrmind_rewards.core.parsing.parse_payload`);
2. ``prediction`` must be a string and ``idx`` a JSON integer literal (``2``, not ``"2"``, ``2.0``
   or ``true``) — else ``wrong_type`` (a list of names is ``multiple_candidates``);
3. a name outside the vocabulary or an idx outside 0–2 is ``unknown_label``;
4. a name and idx that disagree (``{"prediction": "Eligible", "idx": 0}``) is ``label_mismatch``: a
   wrong answer whatever the label, so hedging across the two keys is never rewarded;
5. otherwise the answer is correct iff its grade equals the row's ``label``.

The row holds ``label`` (the qrels grade 0/1/2, its text, or a label name; verl's scalar
``ground_truth`` is read when there is no ``label``) and optionally ``idx`` (which must then agree
with ``label``); an unusable row is ``bad_record`` with ``correct=None``.

**Partial credit** (the ``trials_partial`` spec, or any spec with ``partial_credit="closeness"``
such as ``"graded"``): confusing *excluded* with *eligible* — both grades TREC counts as relevant —
earns :data:`RELEVANT_CONFUSION_CLOSENESS` of the correctness reward; every other wrong answer (any
confusion involving *not relevant*, a contradiction, an unknown label) earns nothing. Under the
default ``ehrmind`` spec a confusion is simply wrong, as in EHRMind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ehrmind_rewards.core.parsing import (
    EnvelopeFailure,
    JSONNumber,
    PayloadFailure,
    parse_envelope,
    parse_payload,
)
from ehrmind_rewards.core.rewards import RewardSpec
from schemas.reasons import Reason
from schemas.trials import LABEL_NAMES, TrialLabel, label_from_grade, label_from_name
from schemas.verdict import Verdict

REQUIRED_KEYS: tuple[str, str] = ("prediction", "idx")
"""Keys the answer object must hold."""

RELEVANT_CONFUSION_CLOSENESS = 0.5
"""Closeness reported for an excluded↔eligible confusion (used only by partial-credit specs)."""

_IDX_LITERALS: dict[str, TrialLabel] = {str(int(label)): label for label in TrialLabel}


def canonical(label: TrialLabel) -> str:
    """The canonical text of a grade in verdicts: ``"Eligible (2)"``.

    >>> from schemas.trials import TrialLabel
    >>> canonical(TrialLabel.ELIGIBLE)
    'Eligible (2)'
    """
    return f"{LABEL_NAMES[label]} ({int(label)})"


def row_label(row: Mapping[str, Any]) -> TrialLabel | str:
    """The row's reference grade, or a message saying why the row is unusable.

    >>> row_label({"label": "2"}), row_label({"label": 2.0}), row_label({"label": 5})
    (<TrialLabel.ELIGIBLE: 2>, <TrialLabel.ELIGIBLE: 2>, 'relevance grade must be 0, 1 or 2, not 5')
    """
    if not isinstance(row, Mapping):
        return "row is not a mapping"
    key = "label" if "label" in row else "ground_truth"
    if key not in row:
        return "row has no 'label' (or 'ground_truth') column"
    value = _whole(row[key])
    label = label_from_name(value) if isinstance(value, str) else None
    if label is None:
        try:
            label = label_from_grade(value)
        except ValueError as error:
            return str(error)
    idx = _whole(row.get("idx"))
    if idx is not None:
        try:
            idx_label = label_from_grade(idx)
        except ValueError as error:
            return f"row idx: {error}"
        if idx_label is not label:
            return f"row label {label.display_name!r} and idx {idx!r} disagree"
    return label


_WHOLE_GRADE = re.compile(r"\s*([0-9])\.0*\s*")


def _whole(value: object) -> object:
    """A reference grade written as an integral float (``2.0``) or numeral (``"2.0"``, as CSV
    writers produce) as the int; anything else unchanged. Only reference rows are read this
    leniently: the model's ``idx`` must be a JSON integer."""
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, str):
        match = _WHOLE_GRADE.fullmatch(value)
        if match is not None:
            return match.group(1)
    return value


def _read_idx(value: object) -> TrialLabel | Reason:
    if not isinstance(value, JSONNumber):
        return Reason.WRONG_TYPE
    return _IDX_LITERALS.get(
        str(value), Reason.UNKNOWN_LABEL if _is_int(value) else Reason.WRONG_TYPE
    )


def _is_int(text: str) -> bool:
    digits = text[1:] if text.startswith("-") else text
    return digits.isascii() and digits.isdigit()


def _read_name(value: object) -> TrialLabel | Reason:
    if isinstance(value, list):
        return Reason.MULTIPLE_CANDIDATES
    if not isinstance(value, str) or isinstance(value, JSONNumber):
        return Reason.WRONG_TYPE
    label = label_from_name(value)
    return Reason.UNKNOWN_LABEL if label is None else label


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """Why no single grade could be read from a completion."""

    reason: Reason
    detail: str
    format_ok: bool
    parsed: str | None = None


def read_answer(completion: object) -> TrialLabel | _Unreadable:
    """The one grade a completion answers (name and idx agreeing), or why there is none.

    >>> read_answer('<think>…</think><answer>{"prediction": "Excluded", "idx": 1}</answer>')
    <TrialLabel.EXCLUDED: 1>
    """
    envelope = parse_envelope(completion)
    if isinstance(envelope, EnvelopeFailure):
        return _Unreadable(envelope.reason, envelope.detail, format_ok=False)
    payload = parse_payload(envelope.answer, REQUIRED_KEYS)
    if isinstance(payload, PayloadFailure):
        return _Unreadable(payload.reason, payload.detail, format_ok=False)
    name = _read_name(payload["prediction"])
    if isinstance(name, Reason):
        return _Unreadable(name, "bad prediction", format_ok=True)
    idx = _read_idx(payload["idx"])
    if isinstance(idx, Reason):
        return _Unreadable(idx, "bad idx", format_ok=True)
    if name is not idx:
        return _Unreadable(
            Reason.LABEL_MISMATCH,
            "prediction and idx name different grades",
            format_ok=True,
            parsed=f"{LABEL_NAMES[name]} / idx {int(idx)}",
        )
    return name


def predicted_grade(completion: object) -> int | None:
    """The grade (0/1/2) a completion predicts, or ``None`` if it has none (for graders' metrics).

    ``None`` covers format failures, unknown names, bad idx values and name/idx contradictions;
    :func:`ehrmind_rewards.metrics.classification_report` counts those as invalid predictions.

    >>> predicted_grade('<think>…</think><answer>{"prediction": "Eligible", "idx": 0}</answer>')
    """
    answer = read_answer(completion)
    return None if isinstance(answer, _Unreadable) else int(answer)


def verify_row(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    """Grade one trial-matching completion against its row (see the module docstring).

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> answer = '<think>…</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'
    >>> verify_row(answer, {"label": 2}, EHRMIND).score
    1.1
    >>> verify_row(answer, {"label": 1}, EHRMIND).score
    0.0
    """
    reference = row_label(row)
    if isinstance(reference, str):
        return spec.verdict(
            format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail=reference
        )
    answer = read_answer(completion)
    if isinstance(answer, _Unreadable):
        return spec.verdict(
            format_ok=answer.format_ok,
            correct=False if answer.format_ok else None,
            reason=answer.reason,
            parsed=answer.parsed,
            detail=answer.detail,
        )
    if answer is reference:
        return spec.verdict(
            format_ok=True,
            correct=True,
            reason=Reason.CORRECT,
            parsed=canonical(answer),
            label=int(answer),
        )
    relevant_confusion = answer.is_relevant and reference.is_relevant
    return spec.verdict(
        format_ok=True,
        correct=False,
        reason=Reason.WRONG_ANSWER,
        parsed=canonical(answer),
        detail=f"expected {canonical(reference)}"
        + (" (excluded/eligible confusion)" if relevant_confusion else ""),
        closeness=RELEVANT_CONFUSION_CLOSENESS if relevant_confusion else 0.0,
        label=int(answer),
    )
