"""OpenRLHF's remote reward client against the server, on loopback.

OpenRLHF (``openrlhf/utils/agent.py``, ``SingleTurnAgentExecutor._fetch_rewards_via_http``) posts
``{"query": [...], "prompts": [...], "labels": [...]}`` with ``aiohttp`` (``session.post(url,
json=payload)``, ``raise_for_status()``, ``await response.json()``), one query per rollout, and
reads ``rewards``, ``scores`` (falling back to ``rewards``) and ``extra_logs`` of the first
answer. When OpenRLHF is installed, its own executor is used; its package ``__init__`` imports
DeepSpeed and CUDA libraries, so only ``openrlhf.utils.agent`` and its one import are loaded.
A replica of the same request runs everywhere aiohttp does.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ehrmind_rewards.core.rewards import EHRMIND
from ehrmind_rewards.serve.scoring import openrlhf_rewards
from tests.serve.cases import all_items

aiohttp = pytest.importorskip("aiohttp", reason="OpenRLHF's HTTP client library")
pytest.importorskip("fastapi", reason="the serve extra provides FastAPI")

Serve = Callable[..., str]
PROMPT = (
    "<|im_start|>user\nQuestion<|im_end|>\n<|im_start|>assistant\n"
    "Let me solve this step by step.\n<think>"
)


def _rollouts() -> list[tuple[str, str, str]]:
    """(query, prompt, label) as OpenRLHF builds them: query = prompt + response."""
    rollouts = []
    for completion, record in all_items():
        if isinstance(completion, str):
            response = completion.removeprefix("<think>")
            rollouts.append((PROMPT + response + "<|im_end|>", PROMPT, json.dumps(record)))
    return rollouts


async def _replica(url: str, queries: list[str], prompts: list[str], labels: list[str]) -> Any:
    payload = {"query": queries, "prompts": prompts, "labels": labels}
    timeout = aiohttp.ClientTimeout(total=180)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.post(url, json=payload) as response,
    ):
        response.raise_for_status()
        return await response.json()


def test_openrlhf_requests_get_the_in_process_rewards(serve: Serve) -> None:
    url = f"{serve()}/openrlhf"
    rollouts = _rollouts()
    queries, prompts, labels = map(list, zip(*rollouts, strict=True))
    answer = asyncio.run(_replica(url, queries, prompts, labels))
    assert answer == json.loads(json.dumps(openrlhf_rewards(queries, prompts, labels, EHRMIND)))
    assert len(answer["rewards"]) == len(rollouts)
    assert set(answer["extra_logs"]) == {"accuracy", "format_ok", "graded"}
    single = [asyncio.run(_replica(url, [q], [p], [lab])) for q, p, lab in rollouts[:5]]
    assert [s["rewards"][0] for s in single] == answer["rewards"][:5]


def test_the_spec_travels_in_the_url(serve: Serve) -> None:
    url = f"{serve()}/openrlhf?spec=binary"
    query, prompt, label = _rollouts()[0]
    answer = asyncio.run(_replica(url, [query], [prompt], [label]))
    assert answer["rewards"] in ([0.0], [1.0])


@pytest.fixture
def openrlhf_agent() -> Iterator[types.ModuleType]:
    spec = importlib.util.find_spec("openrlhf")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("OpenRLHF is not installed (pip install openrlhf --no-deps suffices here)")
    saved = {k: v for k, v in sys.modules.items() if k == "openrlhf" or k.startswith("openrlhf.")}
    root = next(iter(spec.submodule_search_locations))
    for name, path in (("openrlhf", root), ("openrlhf.utils", f"{root}/utils")):
        package = types.ModuleType(name)
        package.__path__ = [path]  # the real files, without the package __init__ imports
        sys.modules[name] = package
    try:
        yield importlib.import_module("openrlhf.utils.agent")
    finally:
        for name in [k for k in sys.modules if k == "openrlhf" or k.startswith("openrlhf.")]:
            del sys.modules[name]
        sys.modules.update(saved)


def test_openrlhf_own_client_across_two_servers(
    serve: Serve, openrlhf_agent: types.ModuleType
) -> None:
    import httpx

    hosts = [serve(), serve()]
    executor = openrlhf_agent.SingleTurnAgentExecutor([f"{h}/openrlhf" for h in hosts])
    rollouts = _rollouts()[:6]
    for query, prompt, label in rollouts:
        infos = asyncio.run(executor._fetch_rewards_via_http([query], [prompt], [label]))
        expected = openrlhf_rewards([query], [prompt], [label], EHRMIND)
        assert infos[0]["rewards"] == expected["rewards"]
        assert infos[0].get("scores") == expected["scores"]
    counts = []
    for host in hosts:
        metrics = httpx.get(f"{host}/metrics").text
        line = next(x for x in metrics.splitlines() if x.startswith("ehrmind_requests_total{"))
        counts.append(float(line.rsplit(" ", 1)[1]))
    assert counts == [3.0, 3.0]  # OpenRLHF rotates its single-query calls across the hosts
