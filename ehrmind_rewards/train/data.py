"""Training rows: read a run's data files and render them into TRL datasets.

Every row leaves here with a rendered ``prompt`` (chat template + pre-fill, see
:mod:`ehrmind_rewards.train.prompts`), a ``task``, an ``id``, a ``category`` and the task's label
columns unchanged, which TRL hands to the reward functions as keyword arguments. SFT rows also
carry the ``completion`` (the target after the pre-fill). A row without an ``id`` gets
``query_id:doc_id`` (trial pairs), ``subject_id:ehrshot_task:prediction_time`` (EHRSHOT labels)
or ``<split>-<index>``.

Bad rows raise :class:`DataError` naming the file and row; nothing is skipped silently. The one
deliberate filter leaves out GRPO prompts longer than ``grpo.max_prompt_length`` tokens (verl's
``filter_overlong_prompts``; TRL has no prompt cap) and SFT rows whose prompt + completion exceed
``sft.max_length`` (TRL would cut off their answer block); it logs how many rows it removed and
fails if none is left.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.errors import DataError, InputError, UnknownTaskError
from ehrmind_rewards.core.io import iter_rows
from ehrmind_rewards.core.task import TaskFamily
from ehrmind_rewards.train.config import ROWS_FORMAT, RunConfig
from ehrmind_rewards.train.prompts import as_messages, render_prompt, strip_prefill

if TYPE_CHECKING:
    from datasets import Dataset
    from transformers import PreTrainedTokenizerBase

logger = logging.getLogger(__name__)

Split = Literal["train", "eval", "test"]

__all__ = ["DataError", "Split", "build_dataset", "load_rows", "read_training_file"]


def read_training_file(path: Path) -> list[dict[str, Any]]:
    """The rows of a ``.jsonl``, ``.json`` (a list of objects), ``.csv`` or ``.parquet`` file."""
    if path.suffix.lower() not in (".jsonl", ".json", ".csv", ".parquet"):
        raise DataError(
            f"{path}: unsupported file type {path.suffix!r} (use .jsonl, .json, .csv, .parquet)"
        )
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        if not path.is_file():
            raise DataError(f"{path}: no such file")
        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        return rows
    try:
        return [row for _, row in iter_rows(path)]
    except InputError as error:
        raise DataError(str(error)) from None


def _family(name: str) -> TaskFamily:
    try:
        return registry.get(name)
    except UnknownTaskError as error:
        raise DataError(str(error)) from None


def _split_file(config: RunConfig, split: Split) -> Path | None:
    data = config.data
    if data.format == ROWS_FORMAT:
        path: Path | None = getattr(data, f"{split}_file")
        return path
    return _family(data.task).training_source(data.format, data, split)


def _iter_raw(config: RunConfig, split: Split, with_completion: bool) -> Iterator[dict[str, Any]]:
    data = config.data
    if data.format != ROWS_FORMAT:
        family = _family(data.task)
        yield from family.training_rows(data.format, data, split, with_completion=with_completion)
        return
    path = _split_file(config, split)
    if path is None:
        raise DataError(f"data.{split}_file is not set in the config")
    if not Path(path).is_file():
        raise DataError(f"data.{split}_file: {path} is not a file")
    raw_rows = read_training_file(Path(path))
    if data.max_rows is not None:
        raw_rows = raw_rows[: data.max_rows]
    if not raw_rows:
        raise DataError(f"{path}: no rows")
    for index, raw in enumerate(raw_rows):
        row = dict(raw)
        where = f"{path}, row {index + 1}"
        if data.prompt_column not in row:
            raise DataError(f"{where}: no {data.prompt_column!r} column")
        row["prompt"] = row.pop(data.prompt_column)
        if with_completion and not row.get("completion"):
            raise DataError(f"{where}: SFT rows need a non-empty 'completion'")
        yield row


def load_rows(config: RunConfig, split: Split, *, with_completion: bool) -> list[dict[str, Any]]:
    """The split's rows with ``prompt`` as chat messages (not yet rendered) and label columns."""
    data = config.data
    path = _split_file(config, split)
    if path is None:
        raise DataError(f"data.{split}_file is not set in the config")
    rows = []
    for index, row in enumerate(_iter_raw(config, split, with_completion)):
        where = f"{path}, row {index + 1}"
        try:
            row["prompt"] = as_messages(row["prompt"], data.system_prompt, data.prefill)
        except ValueError as error:
            raise DataError(f"{where}: {error}") from None
        row.setdefault("task", data.task)
        family = _family(str(row["task"]))
        row["id"] = str(row.get("id") or _natural_id(family, row) or f"{split}-{index}")
        row.setdefault("category", family.category(row))
        family.prepare_training_row(row)
        rows.append(row)
    if not rows:
        raise DataError(f"{path}: no usable rows")
    return rows


def _natural_id(family: TaskFamily, row: dict[str, Any]) -> str | None:
    """The row's id from the family's identifying columns (a trial pair, an EHRSHOT label)."""
    columns = family.id_columns
    if columns and all(row.get(c) is not None for c in columns):
        return ":".join(str(row[c]) for c in columns)
    return None


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
    if for_sft:
        # TRL would cut longer rows at max_length, losing the answer block the warm-up teaches.
        texts = [r["prompt"] + r["completion"] for r in rows]
        limit, field, what = config.sft.max_length, "sft.max_length", "prompt + completion"
    else:
        texts = [r["prompt"] for r in rows]
        limit, field, what = config.grpo.max_prompt_length, "grpo.max_prompt_length", "prompt"
    lengths = [len(ids) for ids in tokenizer(texts)["input_ids"]]
    kept = [row for row, length in zip(rows, lengths, strict=True) if length <= limit]
    if not kept:
        raise DataError(f"every {split} {what} is longer than {field}={limit} tokens")
    if len(kept) < len(rows):
        logger.warning(
            "%d of %d %s rows have a %s longer than %s=%d tokens and were left out",
            len(rows) - len(kept),
            len(rows),
            split,
            what,
            field,
            limit,
        )
    if for_sft:
        return Dataset.from_list(
            [{"prompt": r["prompt"], "completion": r["completion"]} for r in kept]
        )
    return Dataset.from_list(kept)
