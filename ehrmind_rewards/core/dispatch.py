"""The one call every adapter makes: grade a completion against a row, never raising, never silent.

A row reaches here in any layout (a dataset row, verl's ``ground_truth``/``extra_info``, an
OpenRLHF label). :func:`resolve` finds its family — the ``task`` column, else the family its
``data_source`` names, else the family that recognizes its columns — and hands the row to that
family's :meth:`~ehrmind_rewards.core.task.TaskFamily.normalize_row`.

A row that cannot be graded — an unknown task, a row no family recognizes, an unusable record —
is **ungraded**. Adapters keep their "no reward" value for it (``None`` in TRL, ``graded = 0`` in
verl, 0 in OpenRLHF), and every ungraded row is also counted (:func:`ungraded_counts`), logged
once per distinct cause with the fix in the message (logger ``ehrmind_rewards``, level
``WARNING``), and raises :class:`~ehrmind_rewards.core.errors.UngradedError` instead when the
caller asked for ``strict=True``. The messages are listed in ``docs/adapters.md``.

>>> from ehrmind_rewards.core.rewards import EHRMIND
>>> row = {"calculator_id": 2, "ground_truth": "25.238", "lower_limit": "23.97",
...        "upper_limit": "26.5"}
>>> grade_row(None, '<think>…</think><answer>{"answer": 25.2}</answer>', row, EHRMIND).score
1.1
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Final

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import UngradedError
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.core.rows import LAYOUT_COLUMNS, PLAIN_TYPES, flatten_record
from ehrmind_rewards.core.task import TaskFamily
from schemas.reasons import Reason
from schemas.verdict import Verdict

logger = logging.getLogger("ehrmind_rewards")

# --- ungraded rows: counted, logged once per cause, strict on request ---------------------------

UNKNOWN_TASK: Final = (
    "task {task!r} is not a registered task; known: {known}. Set the row's 'task' column to one "
    "of them, or install the package that registers {task!r}."
)
UNRECOGNIZED_ROW: Final = (
    "no task family recognizes a row with columns {columns}. Add a 'task' column (one of "
    "{known}), or the columns that identify a family ({markers})."
)
UNKNOWN_SOURCE: Final = (
    "data_source {source!r} names no task family, and no family recognizes a record with "
    "columns {columns}; {fallback}. Name the task in the record (a 'task' key in ground_truth "
    "or extra_info: one of {known}), or use a data_source that contains one of: {sources}."
)
BARE_LABEL: Final = (
    "label {label!r} is a bare value, not a record. Give each label as a JSON object with the "
    "record's columns (for example {example}), or build the reward with "
    "make_reward_func(task=...) so that a bare label is read as that task's label."
)
BAD_RECORD: Final = (
    "{task} record cannot be graded: {detail}. Fix the record's label columns; rows like it "
    "get no reward (None in TRL, graded=0 in verl, 0 in OpenRLHF)."
)
LOG_PREFIX: Final = "ehrmind_rewards: row not graded: "
LOG_SUFFIX: Final = " (logged once per cause; ehrmind_rewards.ungraded_counts() counts every row)"


UNGRADED_MESSAGES: Final[Mapping[str, str]] = {
    "unknown_task": UNKNOWN_TASK,
    "unrecognized_row": UNRECOGNIZED_ROW,
    "unknown_source": UNKNOWN_SOURCE,
    "bare_label": BARE_LABEL,
    "bad_record": BAD_RECORD,
}
"""Each kind counted by :func:`ungraded_counts` → its message template."""


def ungraded_messages_table() -> str:
    """The kinds of ungraded rows and their logged messages, as the table of ``docs/adapters.md``.

    >>> ungraded_messages_table().splitlines()[4].startswith("| `unknown_task` | task {task!r}")
    True
    """
    rows = [
        f"| `{kind}` | {template.replace('|', chr(92) + '|')} |"
        for kind, template in UNGRADED_MESSAGES.items()
    ]
    head = [f"Every message is logged as `{LOG_PREFIX}<message>{LOG_SUFFIX}`.", ""]
    return "\n".join([*head, "| kind | message |", "|---|---|", *rows])


@dataclass(frozen=True, slots=True)
class UngradedFailure:
    """Why a row cannot be graded: its ``kind``, the ``cause`` it is logged once under, and the
    ``message`` (what is wrong and how to fix it)."""

    kind: str
    cause: str
    message: str


_lock = threading.Lock()
_counts: Counter[str] = Counter()
_logged: set[str] = set()


def report_ungraded(failure: UngradedFailure, *, strict: bool = False, rows: int = 1) -> None:
    """Count ``rows`` ungraded rows of ``failure``'s kind; log the first of each cause; raise
    :class:`~ehrmind_rewards.core.errors.UngradedError` when ``strict``.

    >>> failure = unknown_task("demo-task")
    >>> report_ungraded(failure, rows=2)
    >>> ungraded_counts()["unknown_task"] >= 2
    True
    """
    with _lock:
        _counts[failure.kind] += rows
        first = failure.cause not in _logged
        if first:
            _logged.add(failure.cause)
    if first:
        logger.warning("%s%s%s", LOG_PREFIX, failure.message, LOG_SUFFIX)
    if strict:
        raise UngradedError(failure.message)


def ungraded_counts() -> dict[str, int]:
    """Ungraded rows seen by this process so far, by kind (``unknown_task``,
    ``unrecognized_row``, ``unknown_source``, ``bare_label``, ``bad_record``).

    >>> isinstance(ungraded_counts(), dict)
    True
    """
    with _lock:
        return dict(_counts)


def reset_ungraded() -> None:
    """Forget the counts and which causes were logged (a new run in the same process).

    >>> reset_ungraded(); ungraded_counts()
    {}
    """
    with _lock:
        _counts.clear()
        _logged.clear()


def _known() -> str:
    return ", ".join(registry.names())


def unknown_task(task: object) -> UngradedFailure:
    """The failure for a ``task`` value no installed family answers to.

    >>> unknown_task("medcalcc").message.startswith("task 'medcalcc' is not a registered task")
    True
    """
    return UngradedFailure(
        "unknown_task", f"unknown_task:{task!r}", UNKNOWN_TASK.format(task=task, known=_known())
    )


def _columns(row: Mapping[str, Any]) -> str:
    names = sorted(map(str, row))
    shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
    return f"[{shown}]"


def _markers() -> str:
    pairs = [
        f"{' + '.join(family.row_markers)} for {family.name}"
        for family in registry.families()
        if family.row_markers
    ]
    return "; ".join(pairs) or "none registered"


def unrecognized_row(row: Mapping[str, Any]) -> UngradedFailure:
    """The failure for a row without a ``task`` column that no family recognizes.

    >>> print(unrecognized_row({"label": 2}).message)  # doctest: +NORMALIZE_WHITESPACE
    no task family recognizes a row with columns [label]. Add a 'task' column (one of ehrshot,
    medcalc, trials), or the columns that identify a family (ehrshot_task for ehrshot;
    calculator_id for medcalc).
    """
    columns = _columns(row)
    message = UNRECOGNIZED_ROW.format(columns=columns, known=_known(), markers=_markers())
    return UngradedFailure("unrecognized_row", f"unrecognized_row:{columns}", message)


def unknown_source(source: object, row: Mapping[str, Any], fallback: str) -> UngradedFailure:
    """The failure for a verl row whose ``data_source`` and columns name no family.

    >>> unknown_source("gsm8k", {"answer": "72"}, "verl is not installed").cause
    "unknown_source:'gsm8k':[answer]"
    """
    sources = ", ".join(
        sorted({marker for family in registry.families() for marker in family.source_markers})
    )
    columns = _columns(row)
    message = UNKNOWN_SOURCE.format(
        source=source, columns=columns, fallback=fallback, known=_known(), sources=sources
    )
    return UngradedFailure("unknown_source", f"unknown_source:{source!r}:{columns}", message)


def bare_label(label: object) -> UngradedFailure:
    """The failure for an OpenRLHF label that is a bare value while no task was given.

    >>> bare_label("2").message.startswith("label '2' is a bare value, not a record")
    True
    """
    names = registry.names()
    example = f'{{"task": "{names[0]}", "label": ...}}' if names else '{"task": ..., ...}'
    text = repr(label)
    shown = text if len(text) <= 40 else text[:39] + "…"
    message = BARE_LABEL.format(label=_Shown(shown), example=example)
    return UngradedFailure("bare_label", "bare_label", message)


class _Shown(str):
    """Text already in ``repr`` form (so ``{label!r}`` shows it as is)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


_VARIABLE_PART = re.compile(r"'[^']{0,200}'|\"[^\"]{0,200}\"|\[[^\]]{0,200}\]|[-+]?\d[\d.,eE+-]*")


def bad_record(task: str, verdict: Verdict) -> UngradedFailure:
    """The failure for a ``bad_record`` verdict; causes differ by message shape, not by values.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> verdict = EHRMIND.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD,
    ...                           detail="limits [26, 27] do not contain ground_truth 25")
    >>> bad_record("medcalc", verdict).cause
    'bad_record:medcalc:limits … do not contain ground_truth …'
    """
    detail = (verdict.detail or "the record is unusable")[:200]
    shape = _VARIABLE_PART.sub("…", detail)
    message = BAD_RECORD.format(task=task, detail=detail)
    return UngradedFailure("bad_record", f"bad_record:{task}:{shape}", message)


def check_verdict(family: TaskFamily, verdict: Verdict, *, strict: bool = False) -> bool:
    """Report ``verdict`` if it is a ``bad_record`` (see :func:`report_ungraded`); return whether
    the row was graded.

    >>> from ehrmind_rewards.core import registry
    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> verdict = EHRMIND.verdict(format_ok=True, correct=True, reason=Reason.CORRECT)
    >>> check_verdict(registry.get("trials"), verdict)
    True
    """
    if verdict.reason is Reason.BAD_RECORD:
        report_ungraded(bad_record(family.name, verdict), strict=strict)
        return False
    return True


# --- finding a row's family -------------------------------------------------------------------


def task_of(row: Mapping[str, Any]) -> str | None:
    """The task a row belongs to: its ``task`` column, else the family that recognizes it.

    >>> task_of({"calculator_id": 2, "ground_truth": "1"}), task_of({"Calculator ID": 2})
    ('medcalc', 'medcalc')
    >>> task_of({"label": 2}) is None
    True
    """
    flat = flatten_record(row)
    task = flat.get("task")
    if isinstance(task, str) and task:
        return task
    if task is not None:
        return None
    family = registry.family_for_row(flat)
    return None if family is None else family.name


def resolve(
    row: Mapping[str, Any], task: str | None = None
) -> tuple[TaskFamily, dict[str, Any]] | UngradedFailure | None:
    """The family that grades ``row`` and the row in that family's form.

    ``task`` restricts grading to one task: a row whose ``task`` column names another registered
    task gives ``None`` (not this reward's row, not an error). Otherwise the family is the row's
    ``task`` column, else the family its ``data_source`` names, else the one that recognizes its
    columns; an :class:`UngradedFailure` says why there is none.

    >>> family, normal = resolve({"Calculator ID": 2.0, "Ground Truth Answer": "25"})
    >>> family.name, normal
    ('medcalc', {'calculator_id': 2, 'ground_truth': '25'})
    >>> resolve({"task": "medcalcc"}).kind
    'unknown_task'
    """
    flat = flatten_record(row)
    row_task = flat.get("task")
    if row_task is not None and not (isinstance(row_task, str) and row_task):
        return unknown_task(row_task)
    family: TaskFamily | None
    if task is not None:
        if row_task is not None and row_task != task:
            return None if registry.find(row_task) is not None else unknown_task(row_task)
        family = registry.find(task)
        if family is None:
            return unknown_task(task)
    elif row_task is not None:
        family = registry.find(row_task)
        if family is None:
            return unknown_task(row_task)
    else:
        family = registry.family_for_row(flat)
        if family is None:
            return unrecognized_row(flat)
    return family, family.normalize_row(flat)


def normalize_batch(family: TaskFamily, table: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The rows of a column batch (TRL's keyword columns) in ``family``'s form.

    Column names are resolved once per batch; when every column then has the verifier's name
    and holds only ``str``, ``int`` and ``None`` values (the common case), the rows are built
    directly, which is what :meth:`~ehrmind_rewards.core.task.TaskFamily.normalize_row` would
    return for them; otherwise each row goes through it.

    >>> from ehrmind_rewards.core import registry
    >>> normalize_batch(registry.get("medcalc"), {"Calculator ID": [2.0], "ground_truth": ["1"]})
    [{'calculator_id': 2, 'ground_truth': '1'}]
    """
    keys = tuple(table)
    names = tuple(family.column_name(key) for key in keys)
    columns = tuple(table.values())
    plain = (
        len(set(names)) == len(names)
        and not LAYOUT_COLUMNS.intersection(names)
        and all({*map(type, column)} <= PLAIN_TYPES for column in columns)
    )
    if plain:  # every step in C: one dict per row from the names and the row's values
        return list(map(dict, map(zip, repeat(names), zip(*columns, strict=True))))
    normalize = family.normalize_row
    return [
        normalize(dict(zip(keys, values, strict=True))) for values in zip(*columns, strict=True)
    ]


# --- grading ----------------------------------------------------------------------------------


def attempt(
    task: str | None,
    completion: object,
    row: Mapping[str, Any],
    spec: RewardSpec,
    *,
    strict: bool = False,
) -> Verdict | UngradedFailure | None:
    """Grade ``completion`` against ``row``: the verdict, the (already reported) reason the row
    is ungraded, or ``None`` when the row belongs to another task than ``task``.

    A ``bad_record`` verdict is reported as ungraded and still returned.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> attempt(None, "x", {"task": "medcalcc"}, EHRMIND).kind
    'unknown_task'
    """
    resolved = resolve(row, task)
    if resolved is None:
        return None
    if isinstance(resolved, UngradedFailure):
        report_ungraded(resolved, strict=strict)
        return resolved
    family, normal = resolved
    verdict = verify(family, completion, normal, spec)
    check_verdict(family, verdict, strict=strict)
    return verdict


def grade_row(
    task: str | None,
    completion: object,
    row: Mapping[str, Any],
    spec: RewardSpec,
    *,
    strict: bool = False,
) -> Verdict | None:
    """Grade ``completion`` against ``row``; ``None`` when no family grades it (see
    :func:`attempt`: an ungraded row is also reported, and raises when ``strict``).

    ``task`` restricts grading to one task (rows of another task give ``None``); ``None`` means
    dispatch on the row. An unexpected error inside a verifier is logged once per task and
    becomes an ``internal_error`` verdict, scored as a format failure.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> grade_row(None, "x", {"task": "trials", "label": 2}, EHRMIND).reason
    <Reason.MISSING_THINK: 'missing_think'>
    """
    outcome = attempt(task, completion, row, spec, strict=strict)
    return outcome if isinstance(outcome, Verdict) else None


def verify(
    family: TaskFamily, completion: object, row: Mapping[str, Any], spec: RewardSpec
) -> Verdict:
    """``family.verify_row`` with an unexpected exception turned into an ``internal_error``.

    >>> from ehrmind_rewards.core import registry
    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> family = registry.get(registry.DEFAULT_TASK)
    >>> verify(family, "no tags", {"calculator_id": 4, "ground_truth": "1"}, EHRMIND).score
    -2.0
    """
    try:
        return family.verify_row(completion, row, spec)
    except Exception as error:
        return internal_error(family.name, error, spec)


_LOGGED_ERRORS: set[str] = set()
INTERNAL_ERROR_LOG: Final = "ehrmind_rewards: %s verifier failed (logged once per task)"
"""Logged at ``ERROR``, with the traceback, the first time a task's verifier raises."""


def internal_error(task: str, error: Exception, spec: RewardSpec) -> Verdict:
    """Log ``error`` (once per task) and score it as a format failure.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> internal_error("demo", RuntimeError("boom"), EHRMIND).reason
    <Reason.INTERNAL_ERROR: 'internal_error'>
    """
    if task not in _LOGGED_ERRORS:
        _LOGGED_ERRORS.add(task)
        logger.error(INTERNAL_ERROR_LOG, task, exc_info=error)
    return spec.verdict(
        format_ok=False,
        correct=None,
        reason=Reason.INTERNAL_ERROR,
        detail=f"{type(error).__name__} inside the {task} verifier",
    )


def score_of(verdict: Verdict | None) -> float | None:
    """The reward a trainer should see: ``None`` for unhandled rows and unusable records.

    >>> from ehrmind_rewards.core.rewards import EHRMIND
    >>> unusable = EHRMIND.verdict(format_ok=True, correct=None, reason=Reason.BAD_RECORD)
    >>> score_of(None), score_of(unusable)
    (None, None)
    """
    if verdict is None or verdict.reason is Reason.BAD_RECORD:
        return None
    return verdict.score
