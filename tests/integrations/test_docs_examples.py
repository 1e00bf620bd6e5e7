"""The copy-paste examples of the integration pages run as written.

Each page marks its example with ``<!-- example: NAME -->`` before a Python code block; the block
runs in a fresh interpreter in a temporary folder. The only substitutions are the server
addresses (a loopback port picked for the test) and, for the Hugging Face page, the CSV it reads
is placed in the folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import V1_TEST_CSV
from tests.paths import ROOT

DOCS = ROOT / "docs"
MARKED = re.compile(r"<!-- example: (\w+) -->\n```python\n(.*?)```", re.S)


def examples() -> dict[str, tuple[str, str]]:
    found = {}
    for page in sorted(DOCS.glob("*.md")):
        for name, code in MARKED.findall(page.read_text(encoding="utf-8")):
            found[name] = (page.name, code)
    return found


def run_example(code: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_every_integration_page_has_an_example() -> None:
    pages = {page for page, _ in examples().values()}
    assert pages == {
        "serve.md",
        "inspect.md",
        "verifiers-env.md",
        "guided-decoding.md",
        "huggingface.md",
    }


def test_guided_decoding_example(tmp_path: Path) -> None:
    _, code = examples()["guided"]
    assert '"const": "hypertension"' in run_example(code, tmp_path)


def test_serve_example(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the serve extra provides FastAPI")
    from ehrmind_rewards.serve.app import create_app
    from tests.serve.conftest import running

    _, code = examples()["serve"]
    with running(create_app()) as url:
        out = run_example(code.replace("http://127.0.0.1:8000", url), tmp_path)
    assert out.strip() == "[(1.1, 'correct'), (0.0, 'label_mismatch')]"


def test_inspect_example(tmp_path: Path) -> None:
    pytest.importorskip("inspect_ai", reason="the inspect extra provides Inspect AI")
    _, code = examples()["inspect"]
    out = run_example(code, tmp_path)
    assert "'accuracy'" in out and "'mean_reward'" in out
    assert "{'format': " in out


def test_huggingface_example(tmp_path: Path) -> None:
    pytest.importorskip("datasets", reason="the train extra provides datasets")
    shutil.copy(V1_TEST_CSV, tmp_path / "test_data.csv")
    _, code = examples()["huggingface"]
    out = run_example(code, tmp_path)
    assert out.splitlines()[0].startswith("1047 ")
    assert "gold answers score 1.1" in out


def test_verifiers_example(tmp_path: Path) -> None:
    pytest.importorskip("verifiers.v1", reason="the verifiers extra provides verifiers")
    if shutil.which("uv") is None:
        pytest.skip("verifiers' chat harness runs as a uv script; uv is not installed")
    from tests.integrations.openai_endpoint import endpoint
    from tests.serve.conftest import running

    _, code = examples()["verifiers"]
    reply = '<think>…</think><answer>{"answer": 4}</answer>'
    with running(endpoint(lambda _: reply, [])) as url:
        out = run_example(code.replace("http://127.0.0.1:8001/v1", f"{url}/v1"), tmp_path)
    lines = out.strip().splitlines()
    assert len(lines) == 4
    assert all("'format'" in line and "'correctness'" in line for line in lines)
