"""Request and response bodies of the reward server (they make its OpenAPI document).

Completions and records are JSON of any shape on the wire: a completion that is not text is a
``not_text`` verdict (score −2 under ``ehrmind``), never an error, and a record is a mapping of
dataset columns whose family is found as in :func:`ehrmind_rewards.grade`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.rewards import SPECS


def _spec_names(schema: dict[str, Any]) -> None:
    """Enumerate the spec names when the OpenAPI document is written (plugins included)."""
    schema["enum"] = [*SPECS, None]


def _task_names(schema: dict[str, Any]) -> None:
    schema["enum"] = [*registry.names(), None]


class ScoreItem(BaseModel):
    """One completion and the record it is graded against."""

    model_config = ConfigDict(extra="forbid")

    completion: JsonValue = Field(
        description="The model output: text, or chat messages (the last assistant message is read)."
    )
    record: dict[str, JsonValue] = Field(
        description="The reference row's columns, as in a dataset (a `task` column picks the "
        "family; otherwise the family that recognizes the columns)."
    )


class ScoreRequest(BaseModel):
    """A batch of completions to grade."""

    model_config = ConfigDict(extra="forbid")

    items: list[ScoreItem] = Field(description="Completions with their records.")
    spec: str | None = Field(
        None,
        description="Reward spec name; the server's default when absent.",
        json_schema_extra=_spec_names,
    )
    task: str | None = Field(
        None,
        description="Grade every item as this task (items whose record names another task are "
        "`unhandled_record`).",
        json_schema_extra=_task_names,
    )


class ScoreResult(BaseModel):
    """The verdict on one completion."""

    score: float | None = Field(
        description="The reward; null when the record cannot be graded (`bad_record`) or no task "
        "family handles it (`unhandled_record`)."
    )
    components: dict[str, float] = Field(description="Named parts of the score (they sum to it).")
    reason: str = Field(description="Why: `correct`, `wrong_answer`, or the failure's name.")
    format_ok: bool = Field(description="The envelope and payload are valid.")
    correct: bool | None = Field(description="The answer is right (null: not judged).")
    task: str | None = Field(description="The task family that graded the item (null: none).")
    parsed: str | None = Field(None, description="The answer as read, in canonical text.")
    detail: str | None = Field(None, description="A short explanation of the reason.")


class ScoreResponse(BaseModel):
    """One result per item, in request order."""

    results: list[ScoreResult]


class OpenRLHFRequest(BaseModel):
    """OpenRLHF's remote reward request (``openrlhf/utils/agent.py``, ``_fetch_rewards_via_http``):
    each query is the prompt followed by the response, each label the dataset's label column
    (the record as a JSON object string, or an object)."""

    query: list[str]
    prompts: list[str]
    labels: list[JsonValue]


class OpenRLHFResponse(BaseModel):
    """What OpenRLHF reads back: ``rewards`` for the advantage, ``scores`` (1 correct, 0 not)
    for dynamic filtering, ``extra_logs`` for its logger."""

    rewards: list[float]
    scores: list[float]
    extra_logs: dict[str, float] = Field(
        description="`accuracy`, `format_ok` and `graded` (the share of items a task family "
        "handled; the others score 0), as batch means."
    )


class Health(BaseModel):
    """The server is up; what it serves."""

    status: str = "ok"
    version: str
    tasks: list[str]
    specs: list[str]
    process: int = Field(description="The id of the worker process that answered.")


class ErrorBody(BaseModel):
    """Every error response: what was wrong, and where when a body field was at fault."""

    detail: Any
