"""The architecture page lists every package folder, and the family guide's example runs."""

from __future__ import annotations

import contextlib
import io
import re

from ehrmind_rewards import tasks
from tests.paths import ROOT

DOCS = ROOT / "docs"


def test_the_tree_lists_every_package_folder() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    tree = page.split("<!-- tree:begin -->")[1].split("<!-- tree:end -->")[0]
    listed: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in tree.splitlines():
        match = re.match(r"( *)([a-z_]+)/", line)
        if not match:
            continue
        depth = len(match.group(1)) // 2
        stack = [entry for entry in stack if entry[0] < depth]
        stack.append((depth, match.group(2)))
        listed.append("/".join(name for _, name in stack))
    package = ROOT / "ehrmind_rewards"
    folders = sorted(
        str(path.relative_to(ROOT))
        for path in [package, *package.rglob("*")]
        if path.is_dir() and path.name != "__pycache__"
    )
    assert sorted(listed) == folders


def test_the_adding_a_family_example_runs() -> None:
    page = (DOCS / "adding-a-task-family.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "adding-a-task-family.md", "exec"), {})  # noqa: S102 - our own docs
    assert out.getvalue().split("\n")[:2] == ["1.1", "[1.1, -2.0]"]
    assert "triage" not in tasks.names()
