"""The README's setup section is exactly the two commands CI and new users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_setup_is_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Setup", 1)[1]
    block = re.search(r"```bash\n(.*?)```", setup, re.S)
    assert block is not None
    commands = block.group(1).strip().splitlines()
    assert commands == [
        "pip install . && ehrmind-rewards grade --example medcalc",
        'pip install ".[dev]" && python -m pytest -q',
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet torch==2.13.0" in ci
    pattern = re.search(r"grep -E '(.*?)' README.md", ci)
    assert pattern is not None and re.match(pattern.group(1), commands[1])
