"""The JSON payloads a model writes inside ``<answer>…</answer>``, one model per task.

These models document the contract and export JSON Schema for guided decoding (vLLM, outlines).
The reward hot path does not instantiate them: it checks the same keys directly, for speed.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MedCalcAnswer(BaseModel):
    """``{"answer": …}``: a number, a date, or a weeks+days gestational age."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"title": "MedCalcAnswer"})

    answer: str | float | int | list[str] = Field(
        description=(
            "One value: a number (units may follow), a date such as 09/23/2014, or a "
            "gestational age such as '(14 weeks, 1 day)'."
        )
    )


class TrialAnswer(BaseModel):
    """``{"prediction": "Irrelevant"|"Excluded"|"Eligible", "idx": 0|1|2}`` (TREC CT grades)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"title": "TrialAnswer"})

    prediction: str = Field(description="Irrelevant, Excluded or Eligible.")
    idx: int = Field(ge=0, le=2, description="0 not relevant, 1 excluded, 2 eligible.")


class EHRSHOTAnswer(BaseModel):
    """``{"prediction": <label name>, "label": …}`` with an optional stated probability."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"title": "EHRSHOTAnswer"})

    prediction: str = Field(description="The label name, e.g. 'hypertension' or 'no hypertension'.")
    label: int | list[int] = Field(
        description="The class index; a list of 0/1 for multilabel tasks."
    )
    probability: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Optional probability of the positive class."
    )
