"""The bundled examples are what ``scripts/make_examples.py`` writes, and they say what they are."""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

from ehrmind_rewards import tasks
from tests.paths import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "scripts" / "make_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundled_examples_are_in_sync_with_their_script() -> None:
    for path, text in _script().build().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is out of date: python scripts/make_examples.py"
        )


def test_every_family_bundles_an_example_with_its_source() -> None:
    for name in ("medcalc", "trials", "ehrshot"):
        example = tasks.get(name).example_files()
        assert example is not None, name
        predictions, dataset = example
        assert predictions.is_file() and dataset.is_file()
        assert (predictions.parent / "SOURCE.md").is_file()


def test_the_ehrshot_example_is_marked_synthetic() -> None:
    predictions, dataset = tasks.get("ehrshot").example_files()
    assert "synthetic" in predictions.name and "synthetic" in dataset.name
    rows = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]
    assert rows and all(row["source"] == "SYNTHETIC" for row in rows)
    assert "SYNTHETIC DATA" in (dataset.parent / "SOURCE.md").read_text(encoding="utf-8")
