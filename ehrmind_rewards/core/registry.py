"""The task registry: name → :class:`~ehrmind_rewards.core.task.TaskFamily`, loaded lazily.

Built-in families are named in :data:`BUILTIN` and imported on first use; third-party packages
add theirs through the entry point group ``ehrmind_rewards.tasks`` (the value is
``"package.module:FAMILY"``, an instance or a class) or at run time with :func:`register`.

>>> "medcalc" in names()
True
>>> get("medcalc").title
'MedCalc-Bench'
>>> try:
...     get("medcalcc")
... except UnknownTaskError as error:
...     print(error)
task 'medcalcc' is not a registered task; known: ehrshot, medcalc, trials
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ehrmind_rewards.core.errors import UnknownTaskError
from ehrmind_rewards.core.task import TaskFamily

logger = logging.getLogger("ehrmind_rewards")

ENTRY_POINT_GROUP: Final = "ehrmind_rewards.tasks"
"""Entry point group through which other distributions add task families."""

BUILTIN: Final[Mapping[str, str]] = {
    "medcalc": "ehrmind_rewards.tasks.medcalc:FAMILY",
    "trials": "ehrmind_rewards.tasks.trials:FAMILY",
    "ehrshot": "ehrmind_rewards.tasks.ehrshot:FAMILY",
}
"""The lazy table of built-in families: name → ``module:attribute``, imported on first use."""

DEFAULT_TASK: Final = "medcalc"
"""The family the command line grades when no task is given or inferred."""

_families: dict[str, TaskFamily] = {}
_pending: dict[str, str] = dict(BUILTIN)
_missing: set[str] = set()
_entry_points_read = False
_loading = threading.RLock()
"""Serializes first loads, so threads that first ask for one family at once load it once."""


def register(family: TaskFamily | type[TaskFamily], *, replace: bool = False) -> TaskFamily:
    """Add ``family`` (an instance, or a class to instantiate) to the registry and return it.

    Raises :class:`ValueError` when the name is already registered, unless ``replace``.

    >>> from ehrmind_rewards.core.task import TaskFamily
    >>> class Demo(TaskFamily):
    ...     name, title = "demo", "Demo"
    >>> register(Demo).name, "demo" in names()
    ('demo', True)
    >>> unregister("demo")
    """
    instance = family() if isinstance(family, type) else family
    name = getattr(instance, "name", None)
    if not isinstance(instance, TaskFamily) or not isinstance(name, str) or not name:
        raise TypeError(f"{family!r} is not a TaskFamily with a name")
    if not replace and (name in _families or name in _pending):
        raise ValueError(f"task family {name!r} is already registered")
    _pending.pop(name, None)
    _missing.discard(name)
    _families[name] = instance
    return instance


def unregister(name: str) -> None:
    """Remove a family registered at run time (tests and plugins that clean up after them).

    >>> unregister("never-registered")  # unknown names are ignored
    """
    _families.pop(name, None)
    _pending.pop(name, None)


DUPLICATE_ENTRY_POINT: Final = (
    "ehrmind_rewards: entry point %r (%s) ignored: task %r is already registered"
)
"""Logged at ``WARNING`` when an installed package's entry point names a registered task."""
TASK_NOT_INSTALLED: Final = "ehrmind_rewards: task %r is not installed (%s)"
"""Logged at ``WARNING`` when a task's entry point names a module that cannot be imported."""


def _read_entry_points() -> None:
    global _entry_points_read
    if _entry_points_read:
        return
    _entry_points_read = True
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINT_GROUP):
        if point.name in _families or point.name in _pending:
            logger.warning(DUPLICATE_ENTRY_POINT, point.name, point.value, point.name)
            continue
        _pending[point.name] = point.value


def _load(name: str) -> TaskFamily | None:
    with _loading:
        family = _families.get(name)
        return family if family is not None else _load_pending(name)


def _load_pending(name: str) -> TaskFamily | None:
    target = _pending.get(name)
    if target is None:
        return None
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or not module_name.startswith(error.name):
            raise
        _pending.pop(name)
        _missing.add(name)
        logger.warning(TASK_NOT_INSTALLED, name, error)
        return None
    value: Any = getattr(module, attribute or "FAMILY")
    family = value() if isinstance(value, type) else value
    if not isinstance(family, TaskFamily) or family.name != name:
        raise TypeError(f"{target} is not the TaskFamily named {name!r}")
    _pending.pop(name)
    _families[name] = family
    return family


def find(name: str) -> TaskFamily | None:
    """The family named ``name``, or ``None`` when no installed family has that name.

    >>> find("trials").name, find("no-such-task")
    ('trials', None)
    """
    family = _families.get(name)
    if family is not None:
        return family
    if name not in _pending:
        _read_entry_points()
    return _load(name)


def get(name: str) -> TaskFamily:
    """The family named ``name``; raises :class:`UnknownTaskError` listing the known names.

    >>> get("ehrshot").classification
    True
    """
    family = find(name) if isinstance(name, str) else None
    if family is None:
        raise UnknownTaskError(
            f"task {name!r} is not a registered task; known: {', '.join(names())}"
        )
    return family


def names() -> tuple[str, ...]:
    """Every registered task name (built-in, entry points and run-time), sorted.

    >>> names()
    ('ehrshot', 'medcalc', 'trials')
    """
    _read_entry_points()
    return tuple(sorted({*_families, *_pending} - _missing))


def families() -> tuple[TaskFamily, ...]:
    """Every installed family, loaded, in :func:`names` order.

    >>> " | ".join(family.title for family in families())
    'EHRSHOT | MedCalc-Bench | TREC Clinical Trials'
    """
    return tuple(family for family in map(find, names()) if family is not None)


def family_for_row(row: Mapping[str, Any]) -> TaskFamily | None:
    """The family of a flat ``row``: its ``task`` column, else the family its ``data_source``
    names (:func:`family_for_source`), else the first family that recognizes its columns.

    A ``task`` value no family answers to gives ``None`` (the caller reports it).

    >>> family_for_row({"calculator_id": 2}).name, family_for_row({"task": "trials"}).name
    ('medcalc', 'trials')
    >>> family_for_row({"Calculator ID": 2}).name, family_for_row({"data_source": "matching_train"})
    ('medcalc', <task family 'trials'>)
    """
    task = row.get("task")
    if isinstance(task, str) and task:
        return find(task)
    if task is not None:
        return None
    source = family_for_source(row.get("data_source"))
    if source is not None:
        return source
    for family in families():
        if family.recognizes(row):
            return family
    return None


def family_for_columns(columns: Mapping[str, Sequence[Any]]) -> TaskFamily | None:
    """The family every row of a column batch belongs to when the columns alone settle it.

    That is when there is no ``task`` or ``data_source`` column and one family's markers are
    columns (under any of their names) with a value in every row; ``None`` otherwise (rows are
    then dispatched one by one).

    >>> family_for_columns({"calculator_id": [2, 5], "ground_truth": ["1", "2"]}).name
    'medcalc'
    >>> family_for_columns({"Calculator ID": [2], "Ground Truth Answer": ["1"]}).name
    'medcalc'
    """
    if "task" in columns or "data_source" in columns:
        return None
    for family in families():
        markers = family.row_markers
        if not markers:
            continue
        named = {family.column_name(key): values for key, values in columns.items()}
        if all(key in named and all(value is not None for value in named[key]) for key in markers):
            return family
    return None


def family_for_source(data_source: object) -> TaskFamily | None:
    """The family a verl ``data_source`` name stands for (``"trec_ct_2021"`` → trials).

    >>> family_for_source("trec_ct_2021").name, family_for_source("gsm8k")
    ('trials', None)
    """
    if not isinstance(data_source, str):
        return None
    lowered = data_source.lower()
    for family in families():
        if any(marker in lowered for marker in family.source_markers):
            return family
    return None
