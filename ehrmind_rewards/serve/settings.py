"""The reward server's settings: limits, timeout, token, default spec.

One frozen :class:`ServeSettings` configures an app. ``ehrmind-rewards serve`` passes it to every
worker process through the :data:`SETTINGS_ENV` environment variable (JSON), because uvicorn
starts its workers from an import string.
"""

from __future__ import annotations

import os
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ehrmind_rewards.core.rewards import SPECS

SETTINGS_ENV: Final = "EHRMIND_REWARDS_SERVE_SETTINGS"
"""Environment variable holding the JSON settings of a worker process."""

TOKEN_ENV: Final = "EHRMIND_REWARDS_TOKEN"
"""Environment variable read for the bearer token when ``--token`` is not given (keeps the token
out of the process list)."""


class ServeSettings(BaseModel):
    """What one reward server accepts and how long it works on a request."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    token: str | None = Field(None, min_length=1)
    """Bearer token every scoring and metrics request must send (``None``: no authentication).
    ``GET /health`` and the OpenAPI document stay open."""
    max_body_bytes: int = Field(32 * 1024 * 1024, gt=0)
    """Largest request body, in bytes (413 above it)."""
    max_items: int = Field(4096, gt=0)
    """Most completions in one request (413 above it)."""
    timeout_s: float = Field(60.0, gt=0)
    """Longest a request may wait for and spend on grading, in seconds (503 after it)."""
    concurrency: int = Field(4, gt=0)
    """Requests graded at once per worker process; later ones wait (within their timeout)."""
    spec: str = "ehrmind"
    """Reward spec used when a request names none (``/openrlhf`` can only choose one through its
    ``?spec=`` query parameter)."""

    @field_validator("spec")
    @classmethod
    def _known_spec(cls, value: str) -> str:
        if value not in SPECS:
            raise ValueError(f"unknown reward spec {value!r}; known: {', '.join(SPECS)}")
        return value

    @classmethod
    def from_environment(cls) -> ServeSettings:
        """The settings a worker process was started with (defaults when the variable is unset).

        >>> ServeSettings.from_environment().max_items > 0
        True
        """
        raw = os.environ.get(SETTINGS_ENV)
        return cls() if raw is None else cls.model_validate_json(raw)
