"""The result of grading one completion."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.reasons import Reason


class Verdict(BaseModel):
    """What a verifier concluded about one completion, and the reward it earned.

    ``score`` is the reward under the reward spec that produced the verdict; ``components`` splits
    it into named parts (``format``, ``correctness``, ...) that trainers log separately.
    ``correct`` is ``None`` when the completion could not be judged at all (broken format or an
    unusable reference record).
    """

    model_config = ConfigDict(frozen=True)

    score: float
    components: dict[str, float] = Field(default_factory=dict)
    format_ok: bool
    correct: bool | None
    reason: Reason
    parsed: str | None = None
    """The answer as the verifier read it, in canonical text form (``"25.24"``, ``"2014-09-11"``,
    ``"14 weeks, 1 day"``, ``"Eligible (2)"``), or ``None`` if nothing was read."""
    detail: str | None = None
    """A short human-readable explanation (which key was missing, which limits applied, ...)."""
    label: int | tuple[int, ...] | None = None
    """For classification answers, the class index the completion predicted (a tuple of 0/1 per
    finding for multilabel answers); ``None`` when no single label was read."""
    probability: float | tuple[float, ...] | None = None
    """The probability the answer stated, if any: P(positive) for a binary label, one value per
    class (multiclass) or per finding (multilabel)."""
