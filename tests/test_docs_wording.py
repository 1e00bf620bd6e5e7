"""The docs and the package speak to users about the product: no development-process wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.paths import ROOT

PROCESS_WORDING = re.compile(
    r"no GPU was available in this task|target from issue|\bissue \d+\b|integrator|"
    r"other engineers|\bthe engineer\b|in this (task|session)\b|\bsessions?\b|\bcoordinator\b|"
    r"\bworktree\b|\bCEO\b",
    re.IGNORECASE,
)
ALLOWED = ("clinical research coordinator",)  # a trial-screening role in a prompt, not a process

TEXT_FILES = sorted(
    [
        ROOT / "README.md",
        ROOT / "mkdocs.yml",
        *(ROOT / "docs").rglob("*.md"),
        *(ROOT / "ehrmind_rewards").rglob("*.py"),
        *(ROOT / "ehrmind_rewards").rglob("*.md"),
        *(ROOT / "calculators").rglob("*.py"),
        *(ROOT / "schemas").rglob("*.py"),
        *(ROOT / "configs").rglob("*.yaml"),
    ]
)


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_development_process_wording(path: Path) -> None:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cleaned = line
        for allowed in ALLOWED:
            cleaned = re.sub(allowed, "", cleaned, flags=re.IGNORECASE)
        match = PROCESS_WORDING.search(cleaned)
        if match:
            found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)!r}")
    assert found == []
