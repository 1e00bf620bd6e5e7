"""The examples in the docstrings of the server modules that need the serve extra run."""

from __future__ import annotations

import doctest
import importlib

import pytest

pytest.importorskip("fastapi", reason="the serve extra provides FastAPI")


@pytest.mark.parametrize("module", ["ehrmind_rewards.serve.app", "ehrmind_rewards.serve.metrics"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0
