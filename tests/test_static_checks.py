"""The code stays lint-clean and type-checked: ruff on everything, ``mypy --strict`` (configured in
``pyproject.toml``) on schemas, calculators, the core, the adapters and each family's verifier."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.paths import ROOT

STRICT_PATHS = (
    "schemas",
    "calculators",
    "ehrmind_rewards/core",
    "ehrmind_rewards/adapters",
    "ehrmind_rewards/guided.py",
    *sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "ehrmind_rewards" / "tasks").glob("*/verifier.py")
    ),
    *sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "ehrmind_rewards" / "tasks").glob("*/family.py")
    ),
)


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (dev extra)")
    for command in ([ruff, "check", "."], [ruff, "format", "--check", "."]):
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (dev extra)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", *STRICT_PATHS], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
