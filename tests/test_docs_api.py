"""The API reference renders the docstrings' cross-references: the Griffe extension that
``mkdocs.yml`` loads turns Sphinx roles, double-backtick literals and bare doctests into
Markdown."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

import pytest

from tests.paths import ROOT

griffe = pytest.importorskip("griffe", reason="the docs extra (mkdocstrings) is not installed")


def _extension() -> ModuleType:
    path = ROOT / "scripts" / "griffe_sphinx_roles.py"
    spec = importlib.util.spec_from_file_location("griffe_sphinx_roles", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def package() -> object:
    loader = griffe.GriffeLoader(extensions=griffe.load_extensions(_extension().SphinxRoles))
    return loader.load("ehrmind_rewards")


def _docstrings(obj: object) -> list[tuple[str, str]]:
    found, stack = [], [obj]
    while stack:
        item = stack.pop()
        if item.docstring is not None:  # type: ignore[attr-defined]
            found.append((item.path, item.docstring.value))  # type: ignore[attr-defined]
        stack.extend(m for m in item.members.values() if not m.is_alias)  # type: ignore[attr-defined]
    return found


def test_no_raw_restructured_text_is_left(package: object) -> None:
    raw = re.compile(r":(func|meth|class|mod|data|attr|exc|obj|const):`")
    leftovers = []
    for path, text in _docstrings(package):
        prose = re.sub(r"```.*?```", "", text, flags=re.S)
        if raw.search(prose) or "``" in prose:
            leftovers.append(path)
    assert leftovers == []


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "ehrmind_rewards.grading.engine.grade_file",
            '<autoref identifier="ehrmind_rewards.grading.readers.InputError" optional>'
            "<code>InputError</code></autoref>",
        ),
        (
            "ehrmind_rewards.core.task",
            '<autoref identifier="ehrmind_rewards.core.registry" optional>'
            "<code>ehrmind_rewards.core.registry</code></autoref>",
        ),
        (
            "ehrmind_rewards.grading",
            '<autoref identifier="ehrmind_rewards.grading.readers" optional>'
            "<code>.readers</code></autoref>",
        ),
    ],
)
def test_roles_become_optional_links_to_full_paths(
    package: object, path: str, expected: str
) -> None:
    docstrings = dict(_docstrings(package))
    assert expected in docstrings[path]


def test_bare_doctests_become_code_blocks(package: object) -> None:
    text = dict(_docstrings(package))["ehrmind_rewards.core.registry"]
    assert '```pycon\n>>> "medcalc" in names()\nTrue' in text
