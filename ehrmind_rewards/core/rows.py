"""Records as pipelines deliver them → one flat row of plain Python values.

The same record reaches a verifier in many shapes. This module does the part that does not
depend on the task; each family's :meth:`~ehrmind_rewards.core.task.TaskFamily.normalize_row`
adds its own column names on top.

* **Values** (:func:`plain_value`): numpy and pandas scalars (``np.int64``, ``np.float64``,
  ``np.str_``), numpy arrays and pandas series (as lists), pyarrow scalars, ``Decimal`` and
  missing values (``NaN``, pandas ``NA``/``NaT``, which become ``None``) are converted without
  importing any of those libraries: they are recognized by their ``as_py``/``item``/``tolist``
  methods.
* **Layouts** (:func:`flatten_record`): verl's ``reward_model.ground_truth`` (a dict, a JSON object
  string or a bare label) and ``extra_info`` are merged into the row, as EHRMind's data scripts
  write them (``linjc16/EHRMind``, ``src/dataset/*/rl/*.py``: ``"reward_model": {"style": "rule",
  "ground_truth": {...}}, "extra_info": {"split": ..., "index": ...}``); :func:`record_from` does
  the same for verl's and OpenRLHF's separate ``ground_truth``/``label`` and ``extra_info``
  arguments.
* **Column names** (:func:`canonical_key`, :func:`compact_key`): compared without case, spacing,
  ``_`` or ``-``.

>>> flatten_record({"data_source": "medcalc_train",
...                 "reward_model": {"style": "rule", "ground_truth": {"calid": 2, "target": "25"}},
...                 "extra_info": {"split": "train", "index": 7}})
{'calid': 2, 'target': '25', 'split': 'train', 'index': 7, 'data_source': 'medcalc_train'}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from ehrmind_rewards.core.io import canonical_key

__all__ = [
    "LAYOUT_COLUMNS",
    "PLAIN_TYPES",
    "canonical_key",
    "compact_key",
    "flatten_record",
    "integral",
    "plain_value",
    "record_from",
]

PLAIN_TYPES: Final = frozenset({str, int, type(None)})
"""Value types that need no conversion: a row holding only these (in canonical columns) is
already normal."""

LAYOUT_COLUMNS: Final = frozenset({"reward_model", "extra_info", "data_source"})
"""Columns that mean a row is in a pipeline's layout (verl, EHRMind) and must be flattened."""

_MAX_DEPTH: Final = 8
"""Nested lists/dicts deeper than this are left as they are (records are shallow)."""

_MISSING_TYPE_NAMES: Final = frozenset({"NAType", "NaTType"})


def plain_value(value: object, _depth: int = 0) -> Any:
    """``value`` as plain Python: numpy/pandas/pyarrow scalars and arrays converted, missing → None.

    >>> import decimal
    >>> plain_value(float("nan")), plain_value(decimal.Decimal("25.20")), plain_value([1, (2, 3)])
    (None, '25.20', [1, [2, 3]])
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return None if value != value else value  # NaN is how pandas writes a missing value
    if _depth >= _MAX_DEPTH:
        return value
    if isinstance(value, (list, tuple)):
        return [plain_value(item, _depth + 1) for item in value]
    if isinstance(value, Mapping):
        return {str(key): plain_value(item, _depth + 1) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else None
    if isinstance(value, (str, int, float)) and not hasattr(value, "dtype"):
        return plain_value(_builtin(value), _depth)  # subclasses of the builtins
    return _third_party(value, _depth)


def _builtin(value: str | int | float) -> str | int | float | bool:
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    return int(value) if isinstance(value, int) else float(value)


def _third_party(value: object, depth: int) -> Any:
    """numpy, pandas and pyarrow values, recognized by their conversion methods."""
    as_py = getattr(value, "as_py", None)  # pyarrow scalars
    if callable(as_py):
        return plain_value(as_py(), depth + 1)
    if type(value).__name__ in _MISSING_TYPE_NAMES:  # pandas NA and NaT
        return None
    if getattr(value, "ndim", None) == 0:  # numpy scalars and 0-d arrays
        item = getattr(value, "item", None)
        if callable(item):
            return plain_value(item(), depth + 1)
    for method in ("tolist", "to_pylist"):  # numpy arrays, pandas series, pyarrow arrays
        convert = getattr(value, method, None)
        if callable(convert):
            return plain_value(convert(), depth + 1)
    return value


def integral(value: object) -> object:
    """An integral float (``2.0``, as CSV readers and Arrow columns with gaps produce) as an int;
    anything else unchanged. For id and class-label columns, whose values are whole numbers.

    >>> integral(2.0), integral(2.5), integral("2"), integral([1.0, 0.0])
    (2, 2.5, '2', [1, 0])
    """
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if type(value) is list:
        return [integral(item) for item in value]
    return value


def compact_key(name: str) -> str:
    """A column name with case, spaces and punctuation removed: the loosest comparison.

    >>> compact_key("Ground Truth Answer"), compact_key("CalculatorID")
    ('groundtruthanswer', 'calculatorid')
    """
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _json_object(value: object) -> object:
    """A JSON object string decoded to a dict; any other value unchanged."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("{") and text.endswith("}"):
            try:
                decoded = json.loads(text)
            except ValueError:
                return value
            return decoded if isinstance(decoded, dict) else value
    return value


def record_from(ground_truth: object, extra_info: object = None) -> dict[str, Any]:
    """verl's ``ground_truth`` and ``extra_info`` (or OpenRLHF's label) merged into one row.

    ``ground_truth`` may be the record (a dict or a JSON object string) or the bare label, which
    then becomes the row's ``ground_truth`` column; ``extra_info`` (a dict or JSON object string)
    adds the other columns. Where both name a column, ``ground_truth`` wins.

    >>> record_from('{"label": 2}', {"idx": 2})
    {'idx': 2, 'label': 2}
    >>> record_from("25.238", {"calculator_id": 2})
    {'calculator_id': 2, 'ground_truth': '25.238'}
    """
    row: dict[str, Any] = {}
    extra = _json_object(plain_value(extra_info))
    if isinstance(extra, Mapping):
        row.update(extra)
    truth = _json_object(plain_value(ground_truth))
    if isinstance(truth, Mapping):
        row.update(truth)
    elif truth is not None:
        row["ground_truth"] = truth
    return row


def flatten_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One flat row of plain values from a row in any layout (see the module docstring).

    Keys are kept as given (families rename them). ``reward_model`` and ``extra_info`` are
    replaced by their contents, and a ``ground_truth`` that holds the whole record (a dict or a
    JSON object string) is merged in. Where several name one column, the ground truth wins, then
    ``extra_info``, then the row's other columns (EHRMind's parquet keeps the benchmark's own
    columns beside the layout).

    >>> flatten_record({"ground_truth": '{"calculator_id": 2, "ground_truth": "25"}'})
    {'calculator_id': 2, 'ground_truth': '25'}
    """
    truths: list[object] = []
    extras: list[object] = []
    rest: dict[str, Any] = {}
    for key, value in row.items():
        name = str(key)
        if name == "reward_model":
            model = _json_object(plain_value(value))
            if isinstance(model, Mapping) and "ground_truth" in model:
                truths.append(model["ground_truth"])
                continue
        elif name == "extra_info":
            extras.append(value)
            continue
        elif name == "ground_truth":
            truth = _json_object(plain_value(value))
            if isinstance(truth, Mapping):
                truths.append(truth)
                continue
            rest[name] = truth
            continue
        rest[name] = plain_value(value)
    if not truths and not extras:
        return rest
    flat: dict[str, Any] = {}
    for truth in truths:
        flat.update(record_from(truth))
    for extra in extras:
        for key, value in record_from(None, extra).items():
            flat.setdefault(key, value)
    for key, value in rest.items():
        flat.setdefault(key, value)
    return flat
