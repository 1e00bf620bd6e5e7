"""Arrow helpers the parquet and CSV readers share: open a parquet file, read a typed column.

pyarrow is imported inside the functions (extra ``ehrshot``), so importing this module is free.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.tasks.ehrshot.events import NO_VISIT, STATIC_TIME
from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError, require_pyarrow


def parquet_file(path: Path) -> Any:
    """``pyarrow.parquet.ParquetFile`` of ``path``, or an error naming the file."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as error:
        raise EHRSHOTFormatError(f"{path}: not a readable parquet file ({error})") from None


def check_type(path: Path, name: str, arrow_type: Any, kind: str) -> None:
    """Raise naming ``path`` and ``name`` unless ``arrow_type`` can be read as ``kind``."""
    import pyarrow.types as pt  # type: ignore[import-untyped]

    ok = {
        "id": pt.is_integer,
        "int": lambda t: pt.is_integer(t) or pt.is_null(t),
        "time": lambda t: pt.is_timestamp(t) or pt.is_date(t) or pt.is_null(t),
        "float": lambda t: pt.is_floating(t) or pt.is_integer(t) or pt.is_null(t),
        "str": lambda t: (
            pt.is_string(t)
            or pt.is_large_string(t)
            or pt.is_null(t)
            or (
                pt.is_dictionary(t)
                and (pt.is_string(t.value_type) or pt.is_large_string(t.value_type))
            )
        ),
        "bool": lambda t: pt.is_boolean(t) or pt.is_integer(t) or pt.is_null(t),
    }[kind]
    if not ok(arrow_type):
        raise EHRSHOTFormatError(f"{path}: column {name} has type {arrow_type}, expected {kind}")


def column(batch: Any, name: str, path: Path, first_row: int, kind: str) -> NDArray[Any]:
    """One batch column as numpy (kind: id, time, float, int, str), type-checked.

    ``time`` gives µs since 1970 (:data:`~..events.STATIC_TIME` for nulls; nanoseconds are
    truncated), ``int`` gives :data:`~..events.NO_VISIT` for nulls, ``float`` NaN for nulls and
    float32 values as the shortest decimal float32 represents (5.6, not 5.599999904632568).
    """
    pa = require_pyarrow()
    import pyarrow.compute as pc  # type: ignore[import-untyped]
    import pyarrow.types as pt

    array = batch.column(name)
    check_type(path, name, array.type, kind)
    if kind == "id":
        if array.null_count:
            row = first_row + int(pc.index(pc.is_null(array), True).as_py())
            raise EHRSHOTFormatError(f"{path}: row {row}: column {name} is null")
        return np.asarray(array.to_numpy(zero_copy_only=False).astype(np.int64))
    if kind == "time":
        if pt.is_null(array.type):
            return np.full(len(array), STATIC_TIME, np.int64)
        micro = pc.cast(pc.cast(array, pa.timestamp("us"), safe=False), pa.int64())
        return np.asarray(pc.fill_null(micro, STATIC_TIME).to_numpy(zero_copy_only=False))
    if kind == "int":
        if pt.is_null(array.type):
            return np.full(len(array), NO_VISIT, np.int64)
        return np.asarray(
            pc.fill_null(pc.cast(array, pa.int64()), NO_VISIT).to_numpy(zero_copy_only=False)
        )
    if kind == "float":
        if pt.is_null(array.type):
            return np.full(len(array), np.nan)
        if pt.is_float32(array.type):
            single = pc.fill_null(array, np.nan).to_numpy(zero_copy_only=False)
            return np.asarray(single.astype(str).astype(np.float64))
        values = pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False)
        return np.asarray(values, dtype=np.float64)
    if pt.is_dictionary(array.type) or pt.is_large_string(array.type):
        array = pc.cast(array, pa.string())
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=object)
