"""MEDS schema checks with the official ``meds`` package (optional; extra ``ehrshot``).

When ``meds`` is installed, each file's schema is compared with the package's schema of that
kind: ``meds.DataSchema`` / ``LabelSchema`` / ``SubjectSplitSchema`` / ``CodeMetadataSchema``
(``validate``) in MEDS 0.4, the ``data_schema()`` / ``label_schema`` / ``subject_split_schema`` /
``code_metadata_schema()`` functions and constants in 0.3. MEDS 0.3.0–0.3.2 called the id
``patient_id``; it is compared as ``subject_id``.

A difference is an error when the dataset declares (``metadata/dataset.json``,
``meds_version``) the same MEDS minor version as the installed package: the file breaks its own
standard. Otherwise it is returned as a warning and the file is read anyway, because MEDS
versions differ in details that do not change the data (``text_value`` is ``string`` in 0.3 and
``large_string`` in 0.4); the reader's own checks (types by kind, nulls, ordering) always apply.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from ehrmind_rewards.tasks.ehrshot.io.common import EHRSHOTFormatError

Kind = Literal["data", "label", "split", "codes"]

_V04 = {
    "data": "DataSchema",
    "label": "LabelSchema",
    "split": "SubjectSplitSchema",
    "codes": "CodeMetadataSchema",
}


def installed_meds() -> tuple[Any, str] | None:
    """The ``meds`` module and its version, or ``None`` when it is not installed."""
    try:
        import meds  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        version = metadata.version("meds")
    except metadata.PackageNotFoundError:  # pragma: no cover - an unpackaged checkout
        version = str(getattr(meds, "__version__", "unknown"))
    return meds, version


def declared_version(root: str | Path) -> str | None:
    """``meds_version`` of ``metadata/dataset.json``, if the dataset declares one."""
    path = Path(root, "metadata", "dataset.json")
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("meds_version")
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


def _minor(version: str | None) -> tuple[str, ...]:
    return tuple((version or "").split(".")[:2])


def _official_v03(meds: Any, kind: Kind) -> Any:
    if kind == "data":
        return meds.data_schema()
    if kind == "label":
        return meds.label_schema
    if kind == "split":
        return getattr(meds, "subject_split_schema", None) or meds.patient_split_schema
    return meds.code_metadata_schema()


def _problems(meds: Any, kind: Kind, schema: Any) -> list[str]:
    import pyarrow as pa  # type: ignore[import-untyped]

    if "patient_id" in schema.names and "subject_id" not in schema.names:
        index = schema.get_field_index("patient_id")
        schema = schema.set(index, pa.field("subject_id", schema.field(index).type))
    name = _V04[kind]
    if hasattr(meds, name):  # MEDS 0.4: flexible_schema classes
        try:
            getattr(meds, name).validate(schema)
        except Exception as error:  # the package's own SchemaValidationError family
            return [str(error)]
        return []
    official = _official_v03(meds, kind)
    found = []
    optional = {
        "label": {"boolean_value", "integer_value", "float_value", "categorical_value"},
        "codes": {"description", "parent_codes"},
    }.get(kind, set())
    for field in official:
        if field.name not in schema.names:
            if field.name not in optional:
                found.append(f"missing column {field.name}")
        elif not schema.field(field.name).type.equals(field.type):
            found.append(f"{field.name} (want {field.type}, got {schema.field(field.name).type})")
    return found


def check_schema(path: Path, schema: Any, kind: Kind, declared: str | None) -> list[str]:
    """Compare ``schema`` (a pyarrow schema of ``path``) with the installed MEDS schema.

    Returns warnings (empty when ``meds`` is absent or the schema matches); raises
    :class:`EHRSHOTFormatError` when the dataset declares the installed MEDS minor version and
    still differs from it.
    """
    found = installed_meds()
    if found is None:
        return []
    meds, version = found
    problems = _problems(meds, kind, schema)
    if not problems:
        return []
    message = f"{path}: differs from the MEDS {version} {kind} schema: {'; '.join(problems)}"
    if declared is not None and _minor(declared) == _minor(version):
        raise EHRSHOTFormatError(f"{message} (the dataset declares MEDS {declared})")
    said = f"MEDS {declared}" if declared else "no MEDS version"
    return [f"{message} (the dataset declares {said}; read anyway)"]
