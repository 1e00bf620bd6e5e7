"""MEDS writer of the synthetic generator: event shards, metadata and label files.

The files follow the MEDS 0.4 schemas (``meds.DataSchema`` with EHRSHOT's extra columns
``unit``, ``omop_table``, ``visit_id``, ``end``; ``LabelSchema``; ``SubjectSplitSchema``;
``CodeMetadataSchema``), and ``metadata/dataset.json`` declares MEDS 0.4.1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, TaskKind, bits_to_int
from ehrmind_rewards.tasks.ehrshot.events import NO_VISIT, STATIC_TIME, Patient
from ehrmind_rewards.tasks.ehrshot.io.common import require_pyarrow
from ehrmind_rewards.tasks.ehrshot.labelers import Label

DATASET_METADATA = {
    "dataset_name": "SYNTHETIC EHRSHOT-shaped data (no real records)",
    "dataset_version": "1",
    "etl_name": "ehrmind_rewards.tasks.ehrshot.synthetic",
    "etl_version": "1",
    "meds_version": "0.4.1",
}


class MedsWriter:
    """Write patients as MEDS parquet shards, then metadata and labels."""

    def __init__(self, root: Path, per_shard: int, per_row_group: int) -> None:
        require_pyarrow()
        self.root = root
        (root / "data").mkdir(exist_ok=True)
        self.per_shard, self.per_row_group = per_shard, per_row_group
        self.buffer: list[Patient] = []
        self.n_in_shard = 0
        self.shard = 0
        self.writer: Any = None

    def add(self, patient: Patient) -> None:
        self.buffer.append(patient)
        if len(self.buffer) >= min(self.per_row_group, self.per_shard - self.n_in_shard):
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        if not self.buffer:
            return
        table = _meds_table(self.buffer)
        if self.writer is None:
            path = self.root / "data" / f"{self.shard}.parquet"
            self.writer = pq.ParquetWriter(path, table.schema)
        self.writer.write_table(table, row_group_size=max(table.num_rows, 1))
        self.n_in_shard += len(self.buffer)
        self.buffer = []
        if self.n_in_shard >= self.per_shard:
            self.writer.close()
            self.writer, self.n_in_shard, self.shard = None, 0, self.shard + 1
        del pa

    def close(self) -> None:
        self._flush()
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def write_metadata(self, splits: dict[int, str]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from ehrmind_rewards.tasks.ehrshot.vocabulary import all_code_descriptions

        meta = self.root / "metadata"
        meta.mkdir(exist_ok=True)
        (meta / "dataset.json").write_text(json.dumps(DATASET_METADATA), encoding="utf-8")
        codes = all_code_descriptions()
        pq.write_table(
            pa.table({"code": list(codes), "description": list(codes.values())}),
            meta / "codes.parquet",
        )
        pq.write_table(
            pa.table(
                {"subject_id": pa.array(list(splits), pa.int64()), "split": list(splits.values())}
            ),
            meta / "subject_splits.parquet",
        )

    def write_labels(self, task: str, labels: list[Label]) -> None:
        folder = self.root / "labels" / task
        folder.mkdir(parents=True, exist_ok=True)
        write_label_file(folder / "labels.parquet", task, labels)


def label_table(task: str, labels: list[Label]) -> Any:
    """A MEDS label table: ``subject_id``, ``prediction_time`` and the one value column the task
    uses, ``boolean_value`` (binary) or ``integer_value`` (lab class; chexpert's 14-bit integer).
    MEDS 0.4's ``LabelSchema`` forbids all-null optional columns, so the others are left out."""
    import pyarrow as pa

    binary = TASKS[task].kind is TaskKind.BINARY
    values = [
        bits_to_int(label.value) if isinstance(label.value, tuple) else label.value
        for label in labels
    ]
    column, kind_type = ("boolean_value", pa.bool_()) if binary else ("integer_value", pa.int64())
    return pa.table(
        {
            "subject_id": pa.array([label.subject_id for label in labels], pa.int64()),
            "prediction_time": pa.array(
                [label.prediction_time for label in labels], pa.int64()
            ).cast(pa.timestamp("us")),
            column: pa.array([bool(v) for v in values] if binary else values, kind_type),
        }
    )


def write_label_file(path: Path, task: str, labels: list[Label]) -> None:
    """Write :func:`label_table` to ``path`` atomically (a temporary file, then a rename)."""
    import pyarrow.parquet as pq

    from ehrmind_rewards.core.io import atomic_output

    require_pyarrow()
    with atomic_output(path, binary=True) as handle:
        pq.write_table(label_table(task, labels), handle)


def _meds_table(patients: list[Patient]) -> Any:
    import pyarrow as pa

    def joined(index: int) -> NDArray[Any]:
        return np.concatenate([p.columns()[index] for p in patients])

    time, code, value, text, unit, table, visit, end = (joined(i) for i in range(8))
    ids = np.concatenate([np.full(len(p), p.subject_id, np.int64) for p in patients])
    return pa.table(
        {
            "subject_id": pa.array(ids, pa.int64()),
            "time": pa.array(time, pa.int64(), mask=time == STATIC_TIME).cast(pa.timestamp("us")),
            "code": pa.array(code, pa.string()),
            "numeric_value": pa.array(value, pa.float32(), mask=np.isnan(value)),
            "text_value": pa.array(text, pa.large_string()),
            "unit": pa.array(unit, pa.string()),
            "omop_table": pa.array(table, pa.string()),
            "visit_id": pa.array(visit, pa.int64(), mask=visit == NO_VISIT),
            "end": pa.array(end, pa.int64(), mask=end == STATIC_TIME).cast(pa.timestamp("us")),
        }
    )
