"""The one exception root of ehrmind-rewards.

Every error this package raises on purpose — unusable input files, configs, datasets, an unknown
task — derives from :class:`EhrmindError`, so a caller can catch them all at once and tell them
apart from bugs. Completions never raise: a broken completion is a verdict, not an exception.

>>> issubclass(InputError, EhrmindError)
True
"""

from __future__ import annotations


class EhrmindError(Exception):
    """Root of every error ehrmind-rewards raises on purpose; the message says what to do."""


class InputError(EhrmindError):
    """An input cannot be used at all (missing, empty, unreadable); the message says why.

    >>> str(InputError("preds.jsonl: no such file"))
    'preds.jsonl: no such file'
    """


class UnknownTaskError(EhrmindError, ValueError):
    """A task name that no registered task family answers to; the message lists the known ones."""


class DataError(EhrmindError, ValueError):
    """A data file or row that cannot be used for training; the message names the file and row."""


class UngradedError(EhrmindError, ValueError):
    """A row could not be graded and the reward was built with ``strict=True``; the message
    says why and how to fix the row."""
