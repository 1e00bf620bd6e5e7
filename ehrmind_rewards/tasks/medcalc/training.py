"""Training rows straight from a MedCalc-Bench CSV: the ``medcalc_csv`` and ``medcalc_explain``
formats of a run config's ``data`` section.

* ``medcalc_csv`` — for SFT the completion is the row's ``Ground Truth Explanation`` inside
  ``<think>`` (EHRMind's MedCalc warm-up text);
* ``medcalc_explain`` — for SFT the completion is the calculator's own step-by-step explanation
  and recomputed answer (:mod:`.sft`, correct by construction); rows no calculator can compute are
  left out and counted in the log. For GRPO both read the same rows.

Columns are the benchmark's (``Calculator ID``, ``Patient Note``, …, see
:data:`~ehrmind_rewards.tasks.medcalc.records.COLUMNS`); a missing one is a
:class:`~ehrmind_rewards.core.errors.DataError` naming the file and row.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from ehrmind_rewards.core.errors import DataError, InputError
from ehrmind_rewards.core.io import iter_rows
from ehrmind_rewards.tasks.medcalc.prompts import medcalc_messages
from ehrmind_rewards.tasks.medcalc.records import COLUMNS

logger = logging.getLogger(__name__)

LABEL_COLUMNS = {
    header: COLUMNS[header]
    for header in (
        "Calculator ID",
        "Ground Truth Answer",
        "Lower Limit",
        "Upper Limit",
        "Category",
        "Output Type",
        "Calculator Name",
    )
}
"""The CSV columns every training row carries, under the reward's column names."""


def csv_training_rows(
    fmt: str, data: Any, split: str, *, with_completion: bool
) -> list[dict[str, Any]]:
    """The rows of ``data.<split>_file`` (see the module docstring); ``data.max_rows`` applies
    to the CSV rows before any is left out."""
    path: Path | None = getattr(data, f"{split}_file", None)
    if path is None:
        raise DataError(f"data.{split}_file is not set in the config")
    if not Path(path).is_file():
        raise DataError(f"data.{split}_file: {path} is not a file")
    try:
        raw_rows = [(line, raw) for line, raw in iter_rows(path)]
    except InputError as error:
        raise DataError(str(error)) from None
    if data.max_rows is not None:
        raw_rows = raw_rows[: data.max_rows]
    if not raw_rows:
        raise DataError(f"{path}: no rows")
    completion = "none"
    if with_completion:
        completion = "calculator" if fmt == "medcalc_explain" else "benchmark"
    skipped: Counter[str] = Counter()
    rows = []
    for index, (_, raw) in enumerate(raw_rows):
        row = _training_row(raw, f"{path}, row {index + 1}", completion, skipped)
        if row is not None:
            rows.append(row)
    if skipped:
        logger.warning(
            "%s: %d rows left out, no calculator explanation (%s)",
            path,
            sum(skipped.values()),
            ", ".join(f"{reason}: {n}" for reason, n in skipped.most_common()),
        )
    return rows


def _training_row(
    raw: dict[str, Any], where: str, completion: str, skipped: Counter[str]
) -> dict[str, Any] | None:
    """One CSV row as a training row; ``None`` if its calculator cannot explain it."""
    missing = [c for c in ("Patient Note", "Question", *LABEL_COLUMNS) if c not in raw]
    if missing:
        raise DataError(f"{where}: missing MedCalc-Bench column(s) {', '.join(missing)}")
    row: dict[str, Any] = {new: raw[old] for old, new in LABEL_COLUMNS.items()}
    row["id"] = f"medcalc-{raw.get('Row Number') or where}"
    row["prompt"] = medcalc_messages(raw["Patient Note"], raw["Question"])
    if completion == "benchmark":
        explanation = (raw.get("Ground Truth Explanation") or "").strip()
        if not explanation:
            raise DataError(f"{where}: empty 'Ground Truth Explanation' (needed as SFT text)")
        answer = json.dumps({"answer": raw["Ground Truth Answer"]})
        row["completion"] = f"{explanation}\n</think>\n<answer>{answer}</answer>"
    elif completion == "calculator":
        from ehrmind_rewards.tasks.medcalc.sft import ExportStats, sft_rows

        stats = ExportStats()
        explained = list(sft_rows([raw], stats))
        if not explained:
            skipped.update(stats.skipped)
            return None
        row["completion"] = explained[0]["completion"]
    return row
