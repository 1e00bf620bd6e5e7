"""The layout keeps its promises: shared services know task families only through the registry,
packages depend in one direction, and the core imports nothing heavy.

The import graph is read from the source (``ast``), every ``import`` counted, including those
inside functions, so a lazy import cannot hide a dependency.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "ehrmind_rewards"
SHARED_SERVICES = ("adapters", "grading", "train", "cli", "serve", "integrations", "guided")
FAMILIES = ("medcalc", "trials", "ehrshot")
CORE_ALLOWED = {"pydantic", "schemas", "ehrmind_rewards.core"}
"""What ``core`` may import besides the standard library."""


def _modules() -> dict[str, Path]:
    found = {}
    for root in (PACKAGE, ROOT / "schemas", ROOT / "calculators"):
        for path in root.rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path, name: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m}


def _unit(module: str) -> str | None:
    """The package a module belongs to, at the granularity the layout promises."""
    parts = module.split(".")
    if parts[0] in ("schemas", "calculators"):
        return parts[0]
    if parts[0] != "ehrmind_rewards":
        return None
    if len(parts) == 1:
        return "ehrmind_rewards"
    if parts[1] == "tasks" and len(parts) > 2 and parts[2] in FAMILIES:
        return f"tasks.{parts[2]}"
    return parts[1]


def _internal_imports(name: str) -> set[str]:
    return {m for m in _imports(MODULES[name], name) if _unit(m) is not None}


@pytest.mark.parametrize("service", SHARED_SERVICES)
def test_shared_services_never_name_a_task_family(service: str) -> None:
    literal = re.compile(r"""["'](medcalc|trials|ehrshot)["']""")
    offenders = []
    for name, path in MODULES.items():
        if not name.startswith(f"ehrmind_rewards.{service}"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if literal.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
        for module in _internal_imports(name):
            if (_unit(module) or "").startswith("tasks."):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_core_imports_only_the_standard_library_pydantic_and_schemas() -> None:
    stdlib = set(__import__("sys").stdlib_module_names)
    offenders = []
    for name, path in MODULES.items():
        if not name.startswith("ehrmind_rewards.core"):
            continue
        for module in _imports(path, name):
            top = module.split(".")[0]
            if top in stdlib or top == "__future__":
                continue
            if not any(module == a or module.startswith(f"{a}.") for a in CORE_ALLOWED):
                offenders.append(f"{name} imports {module}")
    assert offenders == []


def test_schemas_and_calculators_import_nothing_of_ours() -> None:
    offenders = [
        f"{name} imports {module}"
        for name in MODULES
        if _unit(name) in ("schemas", "calculators")
        for module in _internal_imports(name)
        if _unit(module) != _unit(name)
    ]
    assert offenders == []


def test_there_is_no_import_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for name in MODULES:
        unit = _unit(name)
        for module in _internal_imports(name):
            target = _unit(module)
            if unit and target and target != unit:
                graph[unit].add(target)
    # the root package re-exports the public names; nothing else may import it
    importers = sorted(u for u, targets in graph.items() if "ehrmind_rewards" in targets)
    graph.pop("ehrmind_rewards", None)
    for targets in graph.values():
        targets.discard("ehrmind_rewards")
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                cycles.append([*path[path.index(target) :], target])
            elif len(path) < len(graph) + 1:
                visit(target, [*path, target])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []
    assert importers == ["train"], "only train may import the root package (for reward_fn)"


def test_each_family_is_one_folder_with_a_family_object() -> None:
    from ehrmind_rewards.core.registry import BUILTIN

    assert set(BUILTIN) == set(FAMILIES)
    for family in FAMILIES:
        assert (PACKAGE / "tasks" / family / "family.py").is_file()
        assert (PACKAGE / "tasks" / family / "verifier.py").is_file()


DOCUMENTED_MODULES = (
    "ehrmind_rewards.core.parsing.envelope",
    "ehrmind_rewards.core.parsing.payload",
    "ehrmind_rewards.core.parsing.values",
    "ehrmind_rewards.core.rewards",
    "ehrmind_rewards.core.dispatch",
    "ehrmind_rewards.core.registry",
    "ehrmind_rewards.adapters.trl",
    "ehrmind_rewards.adapters.verl",
    "ehrmind_rewards.adapters.plain",
    "ehrmind_rewards.tasks.medcalc.verifier",
    "ehrmind_rewards.tasks.trials.verifier",
    "ehrmind_rewards.tasks.ehrshot.verifier",
)
"""Parsers, rewards, adapters and verifiers: every public function shows a runnable example."""


@pytest.mark.parametrize("module_name", DOCUMENTED_MODULES)
def test_public_functions_have_a_runnable_example(module_name: str) -> None:
    import importlib
    import inspect

    module = importlib.import_module(module_name)
    missing = [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module_name
        and ">>>" not in (inspect.getdoc(value) or "")
    ]
    assert missing == []
