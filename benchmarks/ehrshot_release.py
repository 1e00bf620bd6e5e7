"""Benchmark: read EHRSHOT's original release layout (``data/ehrshot.csv``) at full size.

    PYTHONPATH=. python benchmarks/ehrshot_release.py /tmp/ehrshot_full --out /tmp/ehrshot_release

Converts a SYNTHETIC MEDS directory (``benchmarks/ehrshot_synthesize.py``) into the original
release layout — ``data/ehrshot.csv`` with an unnamed index column and
``patient_id,start,end,code,value,unit,visit_id,omop_table`` (untimed events, such as gender, get
the birth time, as in EHRSHOT's CSV), ``benchmark/<task>/labeled_patients.csv``,
``splits/person_id_map.csv`` — then streams every patient through ``open_ehrshot`` (a
``patient_id`` pre-scan, then block-wise parsing). Prints the CSV size, the conversion time,
reading wall and CPU seconds, events per second and peak resident memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ehrmind_rewards.tasks.ehrshot.benchmark import TASKS, TaskKind, bits_to_int
from ehrmind_rewards.tasks.ehrshot.events import from_us
from ehrmind_rewards.tasks.ehrshot.io import open_ehrshot


def convert(meds: Path, out: Path) -> None:
    (out / "data").mkdir(parents=True, exist_ok=True)
    writer = None
    offset = 0
    with (out / "data" / "ehrshot.csv").open("wb") as handle:
        for shard in sorted((meds / "data").rglob("*.parquet")):
            for batch in pq.ParquetFile(shard).iter_batches(batch_size=500_000):
                n = batch.num_rows
                number = pc.cast(batch.column("numeric_value"), pa.string())
                value = pc.coalesce(batch.column("text_value").cast(pa.string()), number)
                table = pa.table(
                    {
                        "": pa.array(range(offset, offset + n), pa.int64()),
                        "patient_id": batch.column("subject_id"),
                        # FEMR CSV has no untimed events: static ones take the birth time
                        "start": pc.fill_null_forward(pc.fill_null_backward(batch.column("time"))),
                        "end": batch.column("end"),
                        "code": batch.column("code"),
                        "value": value,
                        "unit": batch.column("unit"),
                        "visit_id": pc.cast(batch.column("visit_id"), pa.float64()),
                        "omop_table": batch.column("omop_table"),
                    }
                )
                offset += n
                if writer is None:
                    writer = pacsv.CSVWriter(handle, table.schema)
                writer.write_table(table)
        if writer is not None:
            writer.close()
    source = open_ehrshot(meds)
    for task in source.tasks():
        folder = out / "benchmark" / task
        folder.mkdir(parents=True, exist_ok=True)
        binary = TASKS[task].kind is TaskKind.BINARY
        with (folder / "labeled_patients.csv").open("w", newline="") as handle:
            rows = csv.writer(handle)
            rows.writerow(["patient_id", "prediction_time", "value", "label_type"])
            for label in source.labels(task):
                value = label.value
                shown = bits_to_int(value) if isinstance(value, tuple) else value
                rows.writerow(
                    [
                        label.subject_id,
                        from_us(label.prediction_time).isoformat(sep=" "),
                        bool(shown) if binary else shown,
                        "boolean" if binary else "categorical",
                    ]
                )
    (out / "splits").mkdir(exist_ok=True)
    names = {"train": "train", "tuning": "val", "held_out": "test"}
    with (out / "splits" / "person_id_map.csv").open("w", newline="") as handle:
        rows = csv.writer(handle)
        rows.writerow(["split", "omop_person_id"])
        for subject, split in source.splits().items():
            rows.writerow([names.get(split, split), subject])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("meds", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/ehrshot_release"))
    args = parser.parse_args()
    start = time.perf_counter()
    if not (args.out / "data" / "ehrshot.csv").exists():
        convert(args.meds, args.out)
    converted = time.perf_counter() - start
    source = open_ehrshot(args.out)
    start, cpu = time.perf_counter(), time.process_time()
    patients = events = 0
    for patient in source.patients():
        patients += 1
        events += len(patient)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    labels = sum(len(source.labels(task)) for task in source.tasks())
    print(
        json.dumps(
            {
                "format": source.format,
                "csv_gb": round((args.out / "data" / "ehrshot.csv").stat().st_size / 2**30, 2),
                "convert_seconds": round(converted, 1),
                "patients": patients,
                "events": events,
                "labels": labels,
                "read_seconds": round(seconds, 1),
                "read_cpu_seconds": round(cpu_seconds, 1),
                "events_per_second": round(events / max(seconds, 1e-9)),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
