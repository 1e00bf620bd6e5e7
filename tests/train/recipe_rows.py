"""The SmolLM2 recipe's row picker (``examples/medcalc_split.py``), loaded for the tests."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.paths import ROOT


def load_split_module() -> ModuleType:
    """``examples/medcalc_split.py`` as a module (it is a script, not part of the package)."""
    path = ROOT / "examples" / "medcalc_split.py"
    spec = importlib.util.spec_from_file_location("examples_medcalc_split", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module
