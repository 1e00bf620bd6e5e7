"""Reward specs: how a verifier's outcome becomes a number a trainer can use.

A verifier decides three things about a completion: whether its format is valid, whether its
answer is correct (``None`` when it cannot be judged), and why (a :class:`~schemas.Reason`). A
:class:`RewardSpec` turns that outcome into a :class:`~schemas.Verdict` with a scalar ``score`` and
named ``components``. The default, :data:`EHRMIND`, reproduces EHRMind (arXiv 2505.24105) exactly:

==========================  =====  =============================
outcome                     score  components
==========================  =====  =============================
format fails                −2.0   format −2.0, correctness 0.0
format ok, answer wrong      0.0   format 0.0,  correctness 0.0
format ok, answer correct    1.1   format 0.1,  correctness 1.0
==========================  =====  =============================

Named alternatives: :data:`BINARY` (1 if correct, else 0) and :data:`GRADED` (EHRMind's values, plus
partial credit ``closeness · correct`` for a wrong answer whose verifier measured how close it was).
Any weights can be set by building a :class:`RewardSpec` directly.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.reasons import Reason
from schemas.verdict import Verdict


class RewardSpec(BaseModel):
    """Weights that turn a verifier outcome into a reward.

    ``correct`` is scaled by the outcome's ``weight`` (1 unless the task weights classes, as
    EHRMind's EHRSHOT evaluation does with 0.5·N/N_class so that mean reward equals balanced
    accuracy). ``partial_credit`` enables graded rewards for wrong answers that carry a
    ``closeness`` in [0, 1).
    """

    model_config = ConfigDict(frozen=True)

    name: str = "ehrmind"
    format_failure: float = Field(-2.0, description="Score when the format is invalid.")
    format_ok: float = Field(0.1, description="Format component when the answer is correct.")
    format_ok_when_wrong: float = Field(
        0.0, description="Format component when the format is valid but the answer is wrong."
    )
    correct: float = Field(1.0, description="Correctness component of a correct answer.")
    wrong: float = Field(0.0, description="Correctness component of a wrong answer.")
    partial_credit: Literal["none", "closeness"] = "none"
    """``"closeness"``: a wrong answer whose verifier measured how close it was earns
    ``closeness × correct`` (graded rewards)."""
    proper_score: Literal["none", "brier", "log"] = "none"
    """Score stated probabilities with this strictly proper rule instead of the hard label, for
    verifiers that read probabilities (EHRSHOT): the verifier passes the rule's credit in [0, 1]
    as ``credit``."""
    compat: Literal["none", "ehrmind"] = "none"
    """``"ehrmind"``: read answers exactly as the reference implementation's released reward does,
    quirks included, for verifiers that ship such a reading (EHRSHOT: EHRMind's
    ``verl/utils/reward_score/ehrshot.py``); verifiers without one read as under ``"none"``, this
    project's stricter reading."""

    def verdict(
        self,
        *,
        format_ok: bool,
        correct: bool | None,
        reason: Reason,
        parsed: str | None = None,
        detail: str | None = None,
        closeness: float | None = None,
        weight: float = 1.0,
        credit: float | None = None,
        label: int | tuple[int, ...] | None = None,
        probability: float | tuple[float, ...] | None = None,
    ) -> Verdict:
        """Build the verdict for one outcome under this spec.

        Args:
            format_ok: the envelope and payload are valid.
            correct: the answer matches the label; ``None`` if it could not be judged.
            reason: why (see :class:`~schemas.Reason`).
            parsed: the answer as read, in canonical text.
            detail: a short human-readable explanation.
            closeness: for a wrong answer, how close it was in [0, 1) (graded specs only).
            weight: multiplies the correctness component of a correct answer (class weighting).
            credit: a proper score's credit in [0, 1] (only read when :attr:`proper_score` is
                set): the correctness component is ``credit × weight`` whatever ``correct`` says.
            label: the predicted class index (a tuple of 0/1 for multilabel answers).
            probability: the probability the answer stated (per class or finding for tuples).

        >>> EHRMIND.verdict(format_ok=True, correct=True, reason=Reason.CORRECT).score
        1.1
        >>> EHRMIND.verdict(format_ok=False, correct=None, reason=Reason.MISSING_ANSWER).score
        -2.0
        """
        if not format_ok:
            score = self.format_failure
            components = {"format": score, "correctness": 0.0}
        elif credit is not None and self.proper_score != "none":
            value = credit * weight
            score = self.format_ok + value
            components = {"format": self.format_ok, "correctness": value}
        elif correct:
            value = self.correct * weight
            score = value + self.format_ok
            components = {"format": self.format_ok, "correctness": value}
        else:
            value = self.wrong
            if self.partial_credit == "closeness" and closeness is not None and correct is False:
                value = max(self.wrong, self.correct * min(max(closeness, 0.0), 1.0))
            score = value + self.format_ok_when_wrong
            components = {"format": self.format_ok_when_wrong, "correctness": value}
        return _build(
            score, components, format_ok, correct, reason, parsed, detail, label, probability
        )

    def answered(
        self, correct: bool, parsed: str | None, closeness: float | None = None
    ) -> Verdict:
        """The verdict of a well-formed answer judged ``correct`` (or wrong): what
        :meth:`verdict` gives for ``format_ok=True``, reason ``correct``/``wrong_answer``, no
        class weight and no proper score, without its general branches — for a verifier's hot
        path (a test checks the two agree).

        >>> EHRMIND.answered(True, "25.2").score, GRADED.answered(False, "27", 0.5).score
        (1.1, 0.5)
        """
        if correct:
            value, form, reason = self.correct, self.format_ok, Reason.CORRECT
        else:
            value, form, reason = self.wrong, self.format_ok_when_wrong, Reason.WRONG_ANSWER
            if self.partial_credit == "closeness" and closeness is not None:
                value = max(value, self.correct * min(max(closeness, 0.0), 1.0))
        components = {"format": form, "correctness": value}
        return _build(value + form, components, True, correct, reason, parsed, None, None, None)

    def malformed(self, reason: Reason, detail: str | None = None) -> Verdict:
        """The verdict of a completion whose format is invalid: what :meth:`verdict` gives for
        ``format_ok=False, correct=None``, for a verifier's hot path (a test checks the two
        agree).

        >>> EHRMIND.malformed(Reason.MISSING_ANSWER, "no answer block").score
        -2.0
        """
        score = self.format_failure
        return _build(
            score,
            {"format": score, "correctness": 0.0},
            False,
            None,
            reason,
            None,
            detail,
            None,
            None,
        )


_ALL_FIELDS_SET = set(Verdict.model_fields)
"""Every verdict has all its fields set; one set serves them all (verdicts are frozen, and
pydantic copies the set before changing it in ``model_copy``)."""
_new_verdict = Verdict.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
"""The setters of the four slots every pydantic model instance has."""


def _build(
    score: float,
    components: dict[str, float],
    format_ok: bool,
    correct: bool | None,
    reason: Reason,
    parsed: str | None,
    detail: str | None,
    label: int | tuple[int, ...] | None,
    probability: float | tuple[float, ...] | None,
) -> Verdict:
    """A :class:`Verdict` from trusted values, built the way pydantic's ``model_construct``
    builds it: the same four slots (``__dict__``, the fields set, no extras, no private
    attributes), set through their descriptors, without its per-field default handling, which
    costs several times more. ``tests/core/test_rewards.py`` checks the result equals
    ``model_construct``'s."""
    verdict = _new_verdict(Verdict)
    _set_dict(
        verdict,
        {
            "score": score,
            "components": components,
            "format_ok": format_ok,
            "correct": correct,
            "reason": reason,
            "parsed": parsed,
            "detail": detail,
            "label": label,
            "probability": probability,
        },
    )
    _set_fields_set(verdict, _ALL_FIELDS_SET)
    _set_extra(verdict, None)
    _set_private(verdict, None)
    return verdict


EHRMIND = RewardSpec()
"""EHRMind's reward: −2 format failure, 0 wrong, 1.1 correct (1.0 + 0.1 format)."""

BINARY = RewardSpec(name="binary", format_failure=0.0, format_ok=0.0, correct=1.0, wrong=0.0)
"""1 if correct, else 0 (format failures included)."""

GRADED = RewardSpec(name="graded", partial_credit="closeness")
"""EHRMind's values, plus partial credit for near misses (decays with relative error)."""

BRIER = RewardSpec(name="brier", proper_score="brier")
"""EHRMind's format values; a verifier that reads stated probabilities (EHRSHOT) pays
correctness = 1 − Brier score instead of the hard label (see ``tasks/ehrshot/verifier.py``)."""

LOG_SCORE = RewardSpec(name="log_score", proper_score="log")
"""As :data:`BRIER`, with the log score rescaled to [0, 1] (floor at probability 1e-4)."""

EHRMIND_COMPAT = RewardSpec(name="ehrmind_compat", compat="ehrmind")
"""EHRMind's values and EHRMind's own answer reading where a verifier reproduces it (EHRSHOT:
a string label ``"1"`` counts, a stated probability is ignored, a second ``<think>`` after the
pre-fill is a format failure); see ``docs/ehrshot.md``."""

TRIALS_PARTIAL = RewardSpec(name="trials_partial", partial_credit="closeness")
"""Trial matching with half credit for an excluded↔eligible confusion (both relevant), none for
a relevant↔not-relevant one (see ``tasks/trials/verifier.py``): −2 / 0 / 0.5 / 1.1."""

SPECS: dict[str, RewardSpec] = {
    spec.name: spec
    for spec in (EHRMIND, BINARY, GRADED, BRIER, LOG_SCORE, EHRMIND_COMPAT, TRIALS_PARTIAL)
}
"""Reward specs by name, for configs and the command line."""


def get_spec(spec: str | RewardSpec | None) -> RewardSpec:
    """Resolve a spec given by name (``"ehrmind"``, ``"binary"``, ``"graded"``) or as an object.

    >>> get_spec("binary").correct, get_spec(None) is EHRMIND
    (1.0, True)
    """
    if spec is None:
        return EHRMIND
    if isinstance(spec, RewardSpec):
        return spec
    try:
        return SPECS[spec]
    except KeyError:
        raise ValueError(f"unknown reward spec {spec!r}; known: {', '.join(SPECS)}") from None
