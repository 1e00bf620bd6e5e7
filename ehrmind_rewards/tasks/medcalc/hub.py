"""MedCalc-Bench on the Hugging Face Hub: its native columns → TRL or verl rows in one call.

The benchmark's maintainers publish it on the Hub with the CSV's own columns
(``Row Number``, ``Calculator ID``, ``Calculator Name``, ``Category``, ``Output Type``,
``Note ID``, ``Note Type``, ``Patient Note``, ``Question``, ``Relevant Entities``,
``Ground Truth Answer``, ``Lower Limit``, ``Upper Limit``, ``Ground Truth Explanation``; the two
numbers ``int64``, the rest strings — :data:`NATIVE_FEATURES`):

================  ===================================  ================================
version           Hub dataset id                       rows (train / test)
================  ===================================  ================================
``v1.0``          ``ncbi/MedCalc-Bench-v1.0``          10,053 / 1,047 (the paper's)
``v1.2``          ``ncbi/MedCalc-Bench-v1.2``          10,543 / 1,100
``verified``      ``nsk7153/MedCalc-Bench-Verified``   10,538 / 1,100 (+ ``one_shot``, 55)
================  ===================================  ================================

:func:`from_hub` loads one split and returns rows ready for a trainer:

* ``style="trl"`` — ``prompt`` (chat messages), ``task``, ``id`` and the label columns
  (``calculator_id``, ``ground_truth``, ``lower_limit``, ``upper_limit``, ``category``,
  ``output_type``, ``calculator_name``) that ``reward_fn`` reads; with ``completion=True`` also
  the SFT ``completion`` (the benchmark's explanation inside the think block, then the answer);
* ``style="verl"`` — verl's RL layout: ``data_source``, ``prompt``, ``ability``,
  ``reward_model`` (``{"style": "rule", "ground_truth": <the label columns as a JSON object>}``,
  what :func:`ehrmind_rewards.adapters.verl.compute_score` reads) and ``extra_info``.

Prompts carry no pre-fill: this project's training module adds EHRMind's
``Let me solve this step by step.\\n<think>`` when it renders them; other trainers see plain chat
prompts. Needs the ``train`` extra (``datasets``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from ehrmind_rewards.core.errors import DataError, InputError
from ehrmind_rewards.core.io import iter_rows
from ehrmind_rewards.tasks.medcalc.records import COLUMNS
from ehrmind_rewards.tasks.medcalc.training import LABEL_COLUMNS, _training_row

if TYPE_CHECKING:
    from datasets import Dataset, Features

HUB_DATASETS: Final = {
    "v1.0": "ncbi/MedCalc-Bench-v1.0",
    "v1.2": "ncbi/MedCalc-Bench-v1.2",
    "verified": "nsk7153/MedCalc-Bench-Verified",
}
"""MedCalc-Bench releases on the Hugging Face Hub, by version (see the module docstring)."""

DEFAULT_HUB_DATASET: Final = HUB_DATASETS["v1.0"]
"""The release the paper and EHRMind report on."""

INTEGER_COLUMNS: Final = ("Row Number", "Calculator ID")
"""Hub columns typed ``int64``; every other native column is a string."""

NATIVE_COLUMNS: Final = tuple(COLUMNS)[:14]
"""The 14 columns of the Hub datasets, in their order."""

VERL_ABILITY: Final = "clinical_calculation"
"""verl's ``ability`` value for MedCalc rows."""

Style = Literal["trl", "verl"]


def native_features() -> Features:
    """The Hub layout's ``datasets.Features``, for building a dataset from a local CSV (so
    ``Lower Limit`` stays text, as on the Hub, instead of being guessed a float)."""
    from datasets import Features, Value

    return Features(
        {c: Value("int64" if c in INTEGER_COLUMNS else "string") for c in NATIVE_COLUMNS}
    )


def _label_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in LABEL_COLUMNS.values() if row.get(name) is not None}


def to_rows(
    native: Iterable[Mapping[str, Any]],
    *,
    style: Style = "trl",
    completion: bool = False,
    data_source: str = "medcalc_bench",
    split: str = "test",
) -> list[dict[str, Any]]:
    """Rows of native MedCalc-Bench records (a Hub ``Dataset``, CSV rows…) in ``style``.

    A record without one of the columns every row needs raises
    :class:`~ehrmind_rewards.core.errors.DataError` naming the row and the columns.

    >>> record = {"Row Number": 7, "Calculator ID": 2, "Calculator Name": "CrCl",
    ...           "Category": "lab", "Output Type": "decimal", "Patient Note": "A note.",
    ...           "Question": "What is the CrCl?", "Ground Truth Answer": "25.2",
    ...           "Lower Limit": "23.9", "Upper Limit": "26.5"}
    >>> row = to_rows([record])[0]
    >>> row["task"], row["id"], row["calculator_id"], row["prompt"][0]["role"]
    ('medcalc', 'medcalc-7', 2, 'user')
    >>> to_rows([record], style="verl")[0]["reward_model"]["style"]
    'rule'
    """
    if style not in ("trl", "verl"):
        raise ValueError(f"style must be 'trl' or 'verl', not {style!r}")
    if style == "verl" and completion:
        raise ValueError("verl rows are RL rows: completion=True applies to style='trl'")
    rows = []
    skipped: Counter[str] = Counter()
    for index, raw in enumerate(native):
        where = f"{data_source} {split}, row {index + 1}"
        row = _training_row(dict(raw), where, "benchmark" if completion else "none", skipped)
        assert row is not None  # only calculator explanations skip rows
        row["task"] = "medcalc"
        for column in ("ground_truth", "lower_limit", "upper_limit"):
            if row.get(column) is not None:
                row[column] = str(row[column])
        if style == "verl":
            row = {
                "data_source": data_source,
                "prompt": row["prompt"],
                "ability": VERL_ABILITY,
                "reward_model": {
                    "style": "rule",
                    "ground_truth": json.dumps(_label_record(row), ensure_ascii=False),
                },
                "extra_info": {"split": split, "index": index, "id": row["id"]},
            }
        rows.append(row)
    if not rows:
        raise DataError(f"{data_source} {split}: no rows")
    return rows


def csv_rows(path: Path, *, limit: int | None = None) -> list[dict[str, Any]]:
    """TRL rows of a MedCalc-Bench CSV file (any release), the first ``limit`` if given."""
    try:
        records = [raw for _, raw in iter_rows(path)]
    except InputError as error:
        raise DataError(str(error)) from None
    return to_rows(records[:limit], data_source=str(path), split=path.stem)


def from_hub(
    source: str | Dataset = DEFAULT_HUB_DATASET,
    split: str = "test",
    *,
    style: Style = "trl",
    completion: bool = False,
    revision: str | None = None,
) -> Dataset:
    """One split of MedCalc-Bench as a ``datasets.Dataset`` of ``style`` rows, in one call.

    ``source`` is a Hub dataset id (:data:`HUB_DATASETS`), one of its version keys (``"v1.2"``),
    or a ``datasets.Dataset`` already holding the native columns (a local copy, a filtered
    split). ``revision`` pins a Hub commit.
    """
    from datasets import Dataset, load_dataset

    if isinstance(source, Dataset):
        native, name = source, "medcalc_bench"
    else:
        name = HUB_DATASETS.get(source, source)
        native = load_dataset(name, split=split, revision=revision)
    missing = [c for c in ("Calculator ID", "Ground Truth Answer") if c not in native.column_names]
    if missing:
        raise DataError(
            f"{name}: not MedCalc-Bench's Hub layout, no column(s) {', '.join(missing)} "
            f"(columns: {', '.join(native.column_names)})"
        )
    rows = to_rows(native, style=style, completion=completion, data_source=name, split=split)
    return Dataset.from_list(rows)
