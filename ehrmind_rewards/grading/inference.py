"""Which task family a prediction file belongs to, read from its columns.

``ehrmind-rewards grade FILE`` without ``--task`` looks at the columns of the file's first record
(the header of a CSV) and, if those say nothing, at the columns of ``--dataset``:

1. a ``task`` column naming a registered family settles it;
2. else the families whose :attr:`~ehrmind_rewards.core.task.TaskFamily.row_markers` are all
   columns (MedCalc: ``calculator_id``; EHRSHOT: ``ehrshot_task``);
3. else the families without markers whose
   :attr:`~ehrmind_rewards.core.task.TaskFamily.label_fields` are all columns (trials: ``label``).

Column names are compared in canonical spelling with each family's
:attr:`~ehrmind_rewards.core.task.TaskFamily.column_aliases`, so MedCalc-Bench's own
``Calculator ID`` counts as ``calculator_id``. One family is the answer; several are an
:class:`~ehrmind_rewards.core.errors.InputError` that asks for ``--task``; none gives ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import canonical_key, iter_rows
from ehrmind_rewards.core.task import TaskFamily


def first_record(path: Path) -> dict[str, Any] | None:
    """The first record of ``path`` (a CSV's header with its first row), or ``None`` when the
    file cannot be read: grading then reports the problem with its line."""
    try:
        for _, row in iter_rows(path):
            return row
    except (InputError, OSError, UnicodeError):
        return None
    return None


def _columns(family: TaskFamily, record: dict[str, Any]) -> set[str]:
    aliases = family.column_aliases
    return {aliases.get(canonical_key(k), canonical_key(k)) for k in record if isinstance(k, str)}


def fitting_families(record: dict[str, Any]) -> list[TaskFamily]:
    """The families ``record``'s columns point to (see the module doc), best evidence first."""
    task = record.get("task")
    if isinstance(task, str) and registry.find(task) is not None:
        return [registry.get(task)]
    families = registry.families()
    marked = [f for f in families if f.row_markers and set(f.row_markers) <= _columns(f, record)]
    if marked:
        return marked
    return [
        f
        for f in families
        if not f.row_markers and f.label_fields and set(f.label_fields) <= _columns(f, record)
    ]


def infer_task(paths: Iterable[tuple[str, Path | None]]) -> str | None:
    """The task of the first of ``paths`` (``(argument name, path)``) whose columns settle it.

    Raises :class:`InputError` when a file's columns fit several families.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "rows.csv"
    >>> _ = path.write_text("id,completion,label\\n1,x,2\\n", encoding="utf-8")
    >>> print(infer_task([("FILE", path)]))
    trials
    """
    for name, path in paths:
        if path is None:
            continue
        record = first_record(path)
        if record is None:
            continue
        fits = fitting_families(record)
        if len(fits) == 1:
            return fits[0].name
        if len(fits) > 1:
            names = ", ".join(f.name for f in fits)
            raise InputError(
                f"{path}: the columns of {name} fit several tasks ({names}); pass --task"
            )
    return None
