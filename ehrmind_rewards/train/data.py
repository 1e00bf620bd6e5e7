"""Training rows: read a run's data files and render them into TRL datasets.

Every row leaves here with a rendered ``prompt`` (chat template + pre-fill, see
:mod:`ehrmind_rewards.train.prompts`), a ``task``, an ``id``, a ``category`` and the task's label
columns unchanged, which TRL hands to the reward functions as keyword arguments. SFT rows also
carry the ``completion`` (the target after the pre-fill). A row without an ``id`` gets
``query_id:doc_id`` (trial pairs) or ``<split>-<index>``.

Bad rows raise :class:`DataError` naming the file and row; nothing is skipped silently. The one
deliberate filter, prompts longer than ``grpo.max_prompt_length`` tokens (verl's
``filter_overlong_prompts``; TRL has no prompt cap) or with no room left under ``sft.max_length``,
logs how many rows it removed, and fails if none is left.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ehrmind_rewards.train.config import RunConfig
from ehrmind_rewards.train.prompts import (
    as_messages,
    medcalc_messages,
    render_prompt,
    strip_prefill,
)

if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import PreTrainedTokenizerBase

logger = logging.getLogger(__name__)

Split = Literal["train", "eval", "test"]

MEDCALC_CSV_COLUMNS = {
    "Calculator ID": "calculator_id",
    "Ground Truth Answer": "ground_truth",
    "Lower Limit": "lower_limit",
    "Upper Limit": "upper_limit",
    "Category": "category",
    "Output Type": "output_type",
    "Calculator Name": "calculator_name",
}
"""MedCalc-Bench CSV column → the reward's column name."""

MEDCALC_TEXT_COLUMNS = ("ground_truth", "lower_limit", "upper_limit")
"""Kept as text, as in the CSV, so that a file mixing numbers and strings still forms a table."""

DEFAULT_CATEGORY = {"trials": "trial_matching"}


class DataError(ValueError):
    """A data file or row that cannot be used; the message names the file and row."""


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}, line {number}: invalid JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise DataError(f"{path}, line {number}: expected a JSON object")
            yield row


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a ``.jsonl``, ``.json`` (a list of objects), ``.csv`` or ``.parquet`` file."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return list(_read_jsonl(path))
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise DataError(f"{path}: expected a JSON list of objects")
        return data
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        return rows
    raise DataError(f"{path}: unsupported file type {suffix!r} (use .jsonl, .json, .csv, .parquet)")


def _medcalc_csv_row(raw: dict[str, Any], where: str, with_completion: bool) -> dict[str, Any]:
    missing = [c for c in ("Patient Note", "Question", *MEDCALC_CSV_COLUMNS) if c not in raw]
    if missing:
        raise DataError(f"{where}: missing MedCalc-Bench column(s) {', '.join(missing)}")
    row: dict[str, Any] = {new: raw[old] for old, new in MEDCALC_CSV_COLUMNS.items()}
    row["id"] = f"medcalc-{raw.get('Row Number') or where}"
    row["prompt"] = medcalc_messages(raw["Patient Note"], raw["Question"])
    if with_completion:
        explanation = (raw.get("Ground Truth Explanation") or "").strip()
        if not explanation:
            raise DataError(f"{where}: empty 'Ground Truth Explanation' (needed as SFT text)")
        answer = json.dumps({"answer": raw["Ground Truth Answer"]})
        row["completion"] = f"{explanation}\n</think>\n<answer>{answer}</answer>"
    return row


def _split_file(config: RunConfig, split: Split) -> Path | None:
    path: Path | None = getattr(config.data, f"{split}_file")
    return path


def load_rows(config: RunConfig, split: Split, *, with_completion: bool) -> list[dict[str, Any]]:
    """The split's rows with ``prompt`` as chat messages (not yet rendered) and label columns."""
    path = _split_file(config, split)
    if path is None:
        raise DataError(f"data.{split}_file is not set in the config")
    data = config.data
    raw_rows = read_rows(Path(path))
    if data.max_rows is not None:
        raw_rows = raw_rows[: data.max_rows]
    if not raw_rows:
        raise DataError(f"{path}: no rows")
    rows = []
    for index, raw in enumerate(raw_rows):
        where = f"{path}, row {index + 1}"
        if data.format == "medcalc_csv":
            row = _medcalc_csv_row(raw, where, with_completion)
        else:
            row = dict(raw)
            if data.prompt_column not in row:
                raise DataError(f"{where}: no {data.prompt_column!r} column")
            row["prompt"] = row.pop(data.prompt_column)
            if with_completion and not row.get("completion"):
                raise DataError(f"{where}: SFT rows need a non-empty 'completion'")
        try:
            row["prompt"] = as_messages(row["prompt"], data.system_prompt, data.prefill)
        except ValueError as error:
            raise DataError(f"{where}: {error}") from None
        row.setdefault("task", data.task)
        pair = ":".join(str(row[c]) for c in ("query_id", "doc_id") if row.get(c) is not None)
        row["id"] = str(row.get("id") or pair or f"{split}-{index}")
        task = row["task"]
        row.setdefault("category", row.get("ehrshot_task") or DEFAULT_CATEGORY.get(task, task))
        if task == "medcalc":
            for column in MEDCALC_TEXT_COLUMNS:
                if row.get(column) is not None:
                    row[column] = str(row[column])
        rows.append(row)
    return rows


def _completion_text(completion: object, where: str) -> str:
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        texts = [m.get("content") for m in completion if isinstance(m, dict)]
        if texts and isinstance(texts[-1], str):
            return texts[-1]
    raise DataError(f"{where}: 'completion' must be text or a list of messages")


def build_dataset(
    config: RunConfig,
    tokenizer: PreTrainedTokenizerBase,
    split: Split,
    *,
    for_sft: bool,
) -> Dataset:
    """The split as a TRL dataset of text prompts (rendered with the pre-fill) and label columns.

    SFT datasets hold ``prompt`` and ``completion`` only; GRPO datasets keep every column so the
    reward functions receive them.
    """
    from datasets import Dataset

    rows = load_rows(config, split, with_completion=for_sft)
    prefill = config.data.prefill
    for index, row in enumerate(rows):
        row["prompt"] = render_prompt(tokenizer, row["prompt"], prefill)
        if for_sft:
            where = f"{_split_file(config, split)}, row {index + 1}"
            row["completion"] = strip_prefill(_completion_text(row["completion"], where), prefill)
    lengths = [len(ids) for ids in tokenizer([r["prompt"] for r in rows])["input_ids"]]
    if for_sft:
        # TRL truncates prompt + completion to max_length and drops rows left with no completion.
        limit, field = config.sft.max_length - 1, "sft.max_length"
    else:
        limit, field = config.grpo.max_prompt_length, "grpo.max_prompt_length"
    kept = [row for row, length in zip(rows, lengths, strict=True) if length <= limit]
    if not kept:
        raise DataError(f"every {split} prompt is longer than {field}={limit} tokens")
    if len(kept) < len(rows):
        logger.warning(
            "%d of %d %s prompts are longer than %s=%d tokens and were left out",
            len(rows) - len(kept),
            len(rows),
            split,
            field,
            limit,
        )
    if for_sft:
        return Dataset.from_list(
            [{"prompt": r["prompt"], "completion": r["completion"]} for r in kept]
        )
    return Dataset.from_list(kept)
