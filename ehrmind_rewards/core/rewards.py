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
            score, components = (
                self.format_failure,
                {
                    "format": self.format_failure,
                    "correctness": 0.0,
                },
            )
        elif credit is not None and self.proper_score != "none":
            value = credit * weight
            score, components = (
                self.format_ok + value,
                {
                    "format": self.format_ok,
                    "correctness": value,
                },
            )
        elif correct:
            credit = self.correct * weight
            score, components = (
                credit + self.format_ok,
                {
                    "format": self.format_ok,
                    "correctness": credit,
                },
            )
        else:
            credit = self.wrong
            if self.partial_credit == "closeness" and closeness is not None and correct is False:
                credit = max(self.wrong, self.correct * min(max(closeness, 0.0), 1.0))
            score, components = (
                credit + self.format_ok_when_wrong,
                {
                    "format": self.format_ok_when_wrong,
                    "correctness": credit,
                },
            )
        return _verdict(
            score, components, format_ok, correct, reason, parsed, detail, label, probability
        )


_VERDICT_FIELDS = frozenset(Verdict.model_fields)
_ALL_FIELDS_SET = set(_VERDICT_FIELDS)
"""Every verdict has all its fields set; one set serves them all (verdicts are frozen, and
pydantic copies the set before changing it in ``model_copy``)."""
_new_verdict = Verdict.__new__
_set_attribute = object.__setattr__


def _verdict(
    score: float,
    components: dict[str, float],
    format_ok: bool,
    correct: bool | None,
    reason: Reason,
    parsed: str | None,
    detail: str | None,
    label: int | tuple[int, ...] | None = None,
    probability: float | tuple[float, ...] | None = None,
) -> Verdict:
    """A :class:`Verdict` from trusted values, built the way ``model_construct`` builds it.

    It sets the same four attributes pydantic's ``model_construct`` sets (``__dict__``, the fields
    set, no extras, no private attributes) without its per-field default handling, which costs
    about 4x more; ``tests/core/test_rewards.py`` checks the result equals ``model_construct``'s.
    """
    verdict = _new_verdict(Verdict)
    _set_attribute(
        verdict,
        "__dict__",
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
    _set_attribute(verdict, "__pydantic_fields_set__", _ALL_FIELDS_SET)
    _set_attribute(verdict, "__pydantic_extra__", None)
    _set_attribute(verdict, "__pydantic_private__", None)
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
