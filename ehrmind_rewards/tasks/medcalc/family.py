"""The MedCalc-Bench task family: 55 calculators, value answers, the benchmark's grading.

Rows hold ``calculator_id``, ``ground_truth``, ``lower_limit`` and ``upper_limit``; MedCalc-Bench's
own column names (``Calculator ID``, ``Ground Truth Answer``, ``Lower Limit``, ``Upper Limit``, in
any case and spacing) and EHRMind's verl layout (``reward_model.ground_truth = {"calid": …,
"target": …, "lower_limit": …, "upper_limit": …}``, ``src/dataset/medcalc/rl/data_process.py``)
are read too; answers are ``{"answer": <value>}``. See :mod:`.verifier` for the
comparison rules and :mod:`.official` for the benchmark's own windows, which grading reports
beside this project's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from ehrmind_rewards.core.io import canonical_key
from ehrmind_rewards.core.task import ErrorKind, GradingExtension, TaskFamily
from ehrmind_rewards.tasks.medcalc.records import COLUMNS, EXAMPLE_CSV, EXAMPLE_PREDICTIONS
from ehrmind_rewards.tasks.medcalc.verifier import verify_row
from schemas.verdict import Verdict

TEXT_COLUMNS = ("ground_truth", "lower_limit", "upper_limit")
"""Label columns kept as text in training rows, as in the CSV, so that a file mixing numbers and
strings still forms one table."""

EHRMIND_COLUMNS: dict[str, str] = {"calid": "calculator_id", "target": "ground_truth"}
"""EHRMind's names in ``reward_model.ground_truth`` (``linjc16/EHRMind``,
``src/dataset/medcalc/rl/data_process.py``) → this family's columns."""

DATE_PATTERN = r"^(0[1-9]|1[0-2])/(0[1-9]|[12][0-9]|3[01])/[0-9]{4}$"
"""A date as MedCalc-Bench asks for it: MM/DD/YYYY (calculators 13 and 68)."""
WEEKS_DAYS_PATTERN = r"^\(([0-9]|[1-4][0-9]) weeks, [0-6] days\)$"
"""A gestational age as the benchmark's prompt writes it: ``(14 weeks, 1 days)`` (calculator 69)."""

ANSWER_VALUES: dict[str, dict[str, Any]] = {
    "decimal": {"type": "number"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "pattern": DATE_PATTERN, "maxLength": 10},
    "weeks_days": {"type": "string", "pattern": WEEKS_DAYS_PATTERN, "maxLength": 19},
}
"""The ``answer`` value of each answer kind for guided decoding: JSON numbers (no exponent),
and strings in the one form the benchmark asks for."""

_GUESSABLE: dict[str, tuple[int, int]] = {"diagnosis": (7, 2), "severity": (7, 2), "risk": (21, 2)}
"""EHRMind's reliable-pass@k rule per guessable category: ``k // a + b`` correct samples."""


class MedCalcFamily(TaskFamily):
    """MedCalc-Bench (Khandekar et al., NeurIPS 2024): clinical calculations from patient notes."""

    name: ClassVar[str] = "medcalc"
    title: ClassVar[str] = "MedCalc-Bench"
    label_fields: ClassVar[tuple[str, ...]] = ("calculator_id", "ground_truth")
    row_markers: ClassVar[tuple[str, ...]] = ("calculator_id",)
    source_markers: ClassVar[tuple[str, ...]] = ("medcalc",)
    column_aliases: ClassVar[Mapping[str, str]] = {
        **{canonical_key(header): name for header, name in COLUMNS.items()},
        **EHRMIND_COLUMNS,
    }
    """Every MedCalc-Bench column (``Lower Limit`` → ``lower_limit``, in any case and spacing) and
    EHRMind's names."""
    integer_columns: ClassVar[tuple[str, ...]] = ("calculator_id",)
    subgroup_name: ClassVar[str | None] = "calculator"
    training_formats: ClassVar[tuple[str, ...]] = ("medcalc_csv", "medcalc_explain")
    benchmark_name: ClassVar[str | None] = "medcalc_bench"
    hub_dataset: ClassVar[str | None] = "ncbi/MedCalc-Bench-v1.0"

    verify_row = staticmethod(verify_row)
    """See :func:`ehrmind_rewards.tasks.medcalc.verifier.verify_row`."""

    def category(self, row: Mapping[str, Any]) -> str:
        return str(row.get("category") or "(no category)").strip()

    def subgroup(self, row: Mapping[str, Any]) -> tuple[str, str] | None:
        key = str(row.get("calculator_id", "?")).strip()
        return key, str(row.get("calculator_name") or key)

    def classify_wrong(self, row: Mapping[str, Any], verdict: Verdict) -> ErrorKind:
        from ehrmind_rewards.tasks.medcalc.analysis import classify_wrong_value

        return classify_wrong_value(row, verdict.parsed)

    def grading_extension(self) -> GradingExtension:
        from ehrmind_rewards.tasks.medcalc.grading import OfficialCounts

        return OfficialCounts()

    def min_correct(self, category: str, k: int) -> int | None:
        rule = _GUESSABLE.get(category.lower())
        return None if rule is None else k // rule[0] + rule[1]

    def training_rows(
        self, fmt: str, data: Any, split: str, *, with_completion: bool
    ) -> list[dict[str, Any]]:
        """Rows of a MedCalc-Bench CSV (``medcalc_csv``: SFT text is the benchmark's explanation;
        ``medcalc_explain``: the calculators' own explanations, rows they cannot compute left out
        and counted in the log)."""
        from ehrmind_rewards.tasks.medcalc.training import csv_training_rows

        return csv_training_rows(fmt, data, split, with_completion=with_completion)

    def prepare_training_row(self, row: dict[str, Any]) -> None:
        for column in TEXT_COLUMNS:
            if row.get(column) is not None:
                row[column] = str(row[column])

    def benchmark_rows(
        self, path: str | Path | None = None, *, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Rows of a MedCalc-Bench CSV (any release; default: the bundled 40-row example), with
        the benchmark's own columns read as :data:`~.records.COLUMNS` maps them."""
        from ehrmind_rewards.tasks.medcalc.hub import csv_rows

        return csv_rows(EXAMPLE_CSV if path is None else Path(path), limit=limit)

    def hub_row(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A TRL row from one record of the Hub dataset (see :mod:`.hub`)."""
        from ehrmind_rewards.tasks.medcalc.hub import to_rows

        row: dict[str, Any] = to_rows([record], data_source=self.hub_dataset or "")[0]
        return row

    def answer_variants(self) -> tuple[str, ...]:
        return tuple(ANSWER_VALUES)

    def answer_schema(self, variant: str | None = None) -> dict[str, Any] | None:
        """``{"answer": value}`` with the value of one answer kind, or of any (numbers, MM/DD/YYYY
        dates, ``(W weeks, D days)`` gestational ages)."""
        value = (
            ANSWER_VALUES[variant]
            if variant
            else {"anyOf": [ANSWER_VALUES[k] for k in ("decimal", "date", "weeks_days")]}
        )
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"MedCalcAnswer ({variant or 'any kind'})",
            "type": "object",
            "properties": {"answer": value},
            "required": ["answer"],
            "additionalProperties": False,
        }

    def register_commands(self, subparsers: Any) -> None:
        from ehrmind_rewards.tasks.medcalc.cli import register

        register(subparsers)

    def example_files(self) -> tuple[Path, Path]:
        return EXAMPLE_PREDICTIONS, EXAMPLE_CSV
