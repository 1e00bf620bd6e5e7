"""What every EHRSHOT on-disk format shares: the reading error, split names, label values."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, TaskKind, int_to_bits

SPLITS = ("train", "tuning", "held_out")
"""MEDS's standard split names (a dataset may use any others)."""

SPLIT_ALIASES: tuple[tuple[str, ...], ...] = (
    ("train",),
    ("tuning", "val", "valid", "validation", "dev"),
    ("held_out", "test"),
)
"""Names that mean the same patient split: MEDS's, then the original EHRSHOT release's
(``splits/person_id_map.csv``: ``train``/``val``/``test``) and other common spellings."""


def resolve_split(name: str, present: set[str], root: object) -> str | None:
    """The split of a dataset (names ``present``) that ``name`` means: itself, else an alias.

    With ``root`` given, a split that cannot be found raises ``ValueError`` naming the dataset and
    its splits; with ``root=None`` it returns ``None``.

    >>> resolve_split("held_out", {"train", "val", "test"}, None)
    'test'
    >>> resolve_split("tuning", {"train", "tuning"}, None)
    'tuning'
    """
    if name in present:
        return name
    for group in SPLIT_ALIASES:
        if name in group:
            for alias in group:
                if alias in present:
                    return alias
    if root is None:
        return None
    if not present:
        raise ValueError(f"{root}: no split file, cannot select split {name!r}")
    raise ValueError(f"{root}: no split {name!r} (splits: {', '.join(sorted(present))})")


class EHRSHOTFormatError(EhrmindError, ValueError):
    """A file does not follow the MEDS / FEMR-CSV layout; the message names file, row, column."""


def require_pyarrow() -> Any:
    """The ``pyarrow`` module, or an ImportError naming the extra that installs it."""
    try:
        import pyarrow  # type: ignore[import-untyped]
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "reading EHRSHOT MEDS data needs pyarrow: pip install '.[ehrshot]' from a clone"
        ) from error
    return pyarrow


def check_columns(path: Path, names: Sequence[str], required: Sequence[str]) -> None:
    """Raise naming ``path`` when a required column is absent."""
    missing = [column for column in required if column not in names]
    if missing:
        raise EHRSHOTFormatError(f"{path}: missing column(s) {', '.join(missing)}")


def label_value(task: str, value: object, where: str, column: str) -> int | tuple[int, ...]:
    """A label file's value as a class index (chexpert: its 14 bits), or a named error."""
    spec = TASKS[task]
    if value is None:
        raise EHRSHOTFormatError(f"{where} {column} is null")
    if spec.kind is TaskKind.BINARY:
        if not isinstance(value, bool):
            raise EHRSHOTFormatError(f"{where} {column} {value!r} is not a boolean")
        return int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise EHRSHOTFormatError(f"{where} {column} {value!r} is not an integer")
    if spec.kind is TaskKind.MULTILABEL:
        try:
            return int_to_bits(value, spec.n_classes)
        except ValueError as error:
            raise EHRSHOTFormatError(f"{where} {column}: {error}") from None
    if not 0 <= value < spec.n_classes:
        raise EHRSHOTFormatError(f"{where} {column} {value} is not a class 0–{spec.n_classes - 1}")
    return value
