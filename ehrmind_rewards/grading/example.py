"""The bundled example: MedCalc-Bench v1.0 sample rows and model predictions for them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

EXAMPLES = {
    "medcalc": ("medcalc_v1_sample_predictions.jsonl", "medcalc_v1_sample.csv"),
}
"""Task → (predictions file, dataset file) under ``ehrmind_rewards/data/examples``."""


def example_paths(task: str) -> tuple[Path, Path]:
    """The bundled (predictions, dataset) pair for ``task``."""
    predictions, dataset = EXAMPLES[task]
    folder = Path(str(resources.files("ehrmind_rewards") / "data" / "examples"))
    return folder / predictions, folder / dataset
