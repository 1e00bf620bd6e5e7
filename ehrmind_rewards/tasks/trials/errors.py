"""The one exception of the trial-matching readers."""

from __future__ import annotations

from ehrmind_rewards.core.errors import EhrmindError


class TrialDataError(EhrmindError, ValueError):
    """A data file that cannot be read; the message names the file (and line or field)."""
