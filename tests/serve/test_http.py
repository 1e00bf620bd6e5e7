"""The reward server through a real HTTP client (httpx) on a loopback port.

Results equal in-process grading; bad bodies get clear 4xx answers naming the field; limits,
token and timeout hold; hostile completions never cause a 5xx.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.core.dispatch import task_of
from ehrmind_rewards.serve.scoring import result_of
from ehrmind_rewards.testing import hostile_completions
from tests.serve.cases import TRIAL, all_items

httpx = pytest.importorskip("httpx", reason="the dev extra's HTTP client")
pytest.importorskip("fastapi", reason="the serve extra provides FastAPI")

Serve = Callable[..., str]
RIGHT = '<think>x</think><answer>{"prediction": "Eligible", "idx": 2}</answer>'


def _items(pairs: list[tuple[object, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"completion": c, "record": r} for c, r in pairs]


def test_batch_scores_equal_in_process_grading(serve: Serve) -> None:
    url = serve()
    pairs = all_items()
    for spec in ("ehrmind", "graded"):
        response = httpx.post(f"{url}/v1/score", json={"items": _items(pairs), "spec": spec})
        assert response.status_code == 200, response.text
        expected = [result_of(grade(c, r, spec), task_of(r) or "") for c, r in pairs]
        assert response.json()["results"] == json.loads(json.dumps(expected))


def test_health_lists_tasks_and_specs_without_a_token(serve: Serve) -> None:
    url = serve(token="s3cret")
    body = httpx.get(f"{url}/health").json()
    assert body["status"] == "ok"
    assert body["tasks"] == ["ehrshot", "medcalc", "trials"]
    assert "ehrmind" in body["specs"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": "Basic s3cret"}, 401),
        ({"Authorization": "Bearer s3cret"}, 200),
    ],
)
def test_the_bearer_token_guards_scoring_and_metrics(
    serve: Serve, headers: dict[str, str], status: int
) -> None:
    url = serve(token="s3cret")
    body = {"items": _items([(RIGHT, TRIAL)])}
    assert httpx.post(f"{url}/v1/score", json=body, headers=headers).status_code == status
    openrlhf = {"query": ["q"], "prompts": ["q"], "labels": ["{}"]}
    assert httpx.post(f"{url}/openrlhf", json=openrlhf, headers=headers).status_code == status
    assert httpx.get(f"{url}/metrics", headers=headers).status_code == status
    if status == 401:
        response = httpx.get(f"{url}/metrics", headers=headers)
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {"detail": "missing or wrong bearer token"}


BAD_BODIES: list[tuple[str, object, int, str]] = [
    ("/v1/score", [1, 2], 422, "body"),
    ("/v1/score", {}, 422, "items"),
    ("/v1/score", {"items": [{"completion": "x"}]}, 422, "record"),
    ("/v1/score", {"items": [{"completion": "x", "record": [1]}]}, 422, "record"),
    ("/v1/score", {"items": [], "spec": "nope"}, 422, "unknown reward spec 'nope'"),
    ("/v1/score", {"items": [], "task": "medcalcc"}, 422, "unknown task 'medcalcc'"),
    ("/v1/score", {"items": [], "extra": 1}, 422, "extra"),
    ("/openrlhf", {"query": ["a"], "prompts": []}, 422, "labels"),
    ("/openrlhf", {"query": ["a"], "prompts": [], "labels": []}, 422, "differ in length"),
    ("/openrlhf", {"query": [1], "prompts": ["a"], "labels": [{}]}, 422, "query"),
]


@pytest.mark.parametrize(("path", "body", "status", "mentions"), BAD_BODIES)
def test_bad_bodies_get_a_clear_4xx(
    serve: Serve, path: str, body: object, status: int, mentions: str
) -> None:
    response = httpx.post(f"{serve()}{path}", json=body)
    assert response.status_code == status
    assert mentions in json.dumps(response.json()["detail"])


def test_a_body_that_is_not_json_or_not_utf8(serve: Serve) -> None:
    url = serve()
    headers = {"content-type": "application/json"}
    response = httpx.post(f"{url}/v1/score", content=b"{not json", headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"
    response = httpx.post(f"{url}/v1/score", content=b'{"items": "\xff"}', headers=headers)
    assert response.status_code == 400
    assert response.json() == {"detail": "the body is not UTF-8 encoded JSON text"}


def test_the_body_size_limit_holds_with_and_without_a_content_length(serve: Serve) -> None:
    url = serve(max_body_bytes=2_000)
    big = {"items": _items([("<think>" + "x" * 3_000 + "</think>", TRIAL)])}
    response = httpx.post(f"{url}/v1/score", json=big)
    assert response.status_code == 413

    def chunks() -> Any:
        data = json.dumps(big).encode()
        for start in range(0, len(data), 500):
            yield data[start : start + 500]

    chunked = httpx.post(
        f"{url}/v1/score", content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413
    assert httpx.post(f"{url}/v1/score", json={"items": _items([(RIGHT, TRIAL)])}).is_success


def test_too_many_items_is_413_naming_the_limit(serve: Serve) -> None:
    url = serve(max_items=3)
    response = httpx.post(f"{url}/v1/score", json={"items": _items([(RIGHT, TRIAL)] * 4)})
    assert response.status_code == 413
    assert response.json() == {"detail": "4 items; this server grades at most 3"}
    response = httpx.post(
        f"{url}/openrlhf", json={"query": ["a"] * 4, "prompts": ["a"] * 4, "labels": [{}] * 4}
    )
    assert response.status_code == 413


def test_a_request_past_its_timeout_is_503_and_the_server_keeps_serving(serve: Serve) -> None:
    url = serve(timeout_s=0.02)
    pairs = all_items() * 60  # about 3,000 completions: far more than 20 ms of grading
    response = httpx.post(f"{url}/v1/score", json={"items": _items(pairs)}, timeout=60)
    assert response.status_code == 503
    assert "per-request timeout of 0.02 s" in response.json()["detail"]
    assert response.headers["retry-after"] == "1"
    assert httpx.get(f"{url}/health").is_success


def test_metrics_count_requests_and_verdicts(serve: Serve) -> None:
    url = serve()
    httpx.post(f"{url}/v1/score", json={"items": _items([(RIGHT, TRIAL), ("x", {})])})
    httpx.post(f"{url}/v1/score", json={"items": [], "spec": "nope"})
    httpx.get(f"{url}/no/such/path")
    text = httpx.get(f"{url}/metrics").text
    assert 'ehrmind_completions_total{reason="correct",task="trials"} 1.0' in text
    assert 'ehrmind_unhandled_records_total{endpoint="/v1/score"} 1.0' in text
    assert 'ehrmind_requests_total{endpoint="/v1/score",status="200"} 1.0' in text
    assert 'ehrmind_requests_total{endpoint="/v1/score",status="422"} 1.0' in text
    assert 'ehrmind_requests_total{endpoint="other",status="404"} 1.0' in text
    assert "ehrmind_request_seconds_bucket" in text


def _json_safe(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


@pytest.fixture(scope="module")
def shared_url() -> Any:
    from ehrmind_rewards.serve.app import create_app
    from tests.serve.conftest import running

    with running(create_app()) as url:
        yield url


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    completion=hostile_completions().filter(_json_safe),
    record=st.sampled_from(
        [
            {"calculator_id": 2, "ground_truth": "25.2"},
            TRIAL,
            {"ehrshot_task": "new_lupus", "label": 1},
        ]
    ),
)
def test_hostile_completions_never_cause_a_server_error(
    shared_url: str, completion: object, record: dict[str, Any]
) -> None:
    body = {"items": [{"completion": completion, "record": record}]}
    response = httpx.post(f"{shared_url}/v1/score", json=body, timeout=60)
    assert response.status_code == 200
    served = response.json()["results"][0]
    expected = json.loads(json.dumps(result_of(grade(completion, record), task_of(record) or "")))
    same = ("score", "components", "format_ok", "correct", "task")
    assert {k: served[k] for k in same} == {k: expected[k] for k in same}
    # JSON nested thousands deep: the payload decoder's recursion limit is reached sooner on
    # the test's deep stack than in the server's fresh grading thread, so the two name the
    # format failure differently (invalid_json / payload_not_object) with the same reward
    if "recursion" not in str(expected["detail"]) + str(served["detail"]):
        assert served == expected
