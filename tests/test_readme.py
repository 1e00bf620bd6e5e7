"""The README's setup section is exactly the two commands CI and new users run, and it lists
every extra of ``pyproject.toml``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_setup_is_two_commands_and_ci_runs_the_test_one_in_both_phases() -> None:
    setup = README.split("## Setup", 1)[1]
    block = re.search(r"```bash\n(.*?)```", setup, re.S)
    assert block is not None
    commands = block.group(1).strip().splitlines()
    assert commands == [
        "pip install . && ehrmind-rewards grade --example medcalc",
        'pip install ".[dev]" && python -m pytest -q',
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    pattern = re.search(r"grep -E '(.*?)' README.md", ci)
    assert pattern is not None and re.match(pattern.group(1), commands[1])
    phases = re.findall(r'^phase "([^"]+)"(.*)$', ci, re.M)
    assert len(phases) == 2
    (_, first_setup), _ = phases
    assert first_setup.strip() == ""  # the dev extra only, as a new user installs it
    second = ci.split(f'phase "{phases[1][0]}"', 1)[1]
    assert "pip install --quiet torch==2.13.0" in second
    assert 'pip install --quiet ".[dev,train,inspect,verifiers]"' in second
    assert ci.index("torch==2.13.0") < ci.index('".[dev,train')  # torch first, then trl


def test_readme_lists_every_extra_and_installs_from_the_clone() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    missing = [name for name in extras if f"`{name}`" not in README]
    assert missing == []
    assert 'pip install "ehrmind-rewards[' not in README  # the package is not on an index
    assert 'pip install ".[train]"' in README
