"""``ehrmind-rewards serve``: options, bad values, and a real two-worker server process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from ehrmind_rewards.cli import main
from tests.paths import ROOT
from tests.serve.conftest import free_port

httpx = pytest.importorskip("httpx", reason="the dev extra's HTTP client")
pytest.importorskip("uvicorn", reason="the serve extra provides uvicorn")


def test_help_lists_the_public_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--workers N", "--token T", "--timeout", "--max-items"):
        assert option in out
    assert "default: loopback" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "0"], "--workers must be ≥ 1"),
        (["--timeout", "0"], "timeout_s: Input should be greater than 0"),
        (["--max-items", "-1"], "max_items: Input should be greater than 0"),
    ],
)
def test_bad_values_exit_2_with_a_message(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == 2
    assert message in capsys.readouterr().err


def test_two_workers_serve_and_report_metrics_together() -> None:
    port = free_port()
    env = {**os.environ, "EHRMIND_REWARDS_TOKEN": "t0k", "PYTHONPATH": str(ROOT)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ehrmind_rewards.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        headers = {"Authorization": "Bearer t0k"}
        item = {
            "completion": '<think>x</think><answer>{"prediction": "Eligible", "idx": 2}</answer>',
            "record": {"task": "trials", "label": 2},
        }
        processes = set()
        with httpx.Client(headers=headers) as client:
            for _ in range(20):  # new connections, spread over the workers by the kernel
                response = httpx.post(f"{url}/v1/score", json={"items": [item]}, headers=headers)
                assert response.json()["results"][0]["score"] == 1.1
                processes.add(httpx.get(f"{url}/health").json()["process"])
            assert client.post(f"{url}/v1/score", json={"items": [item]}).status_code == 200
            assert httpx.post(f"{url}/v1/score", json={"items": [item]}).status_code == 401
            metrics = client.get(f"{url}/metrics").text
        assert len(processes) == 2, processes
        # every worker's counts, whichever worker answers /metrics
        assert 'ehrmind_completions_total{reason="correct",task="trials"} 21.0' in metrics
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_workers_socket_is_marked_tcp_so_connections_get_nodelay() -> None:
    import socket

    from ehrmind_rewards.cli.serve import tcp_socket

    bound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn binds it
    bound.bind(("127.0.0.1", 0))
    address = bound.getsockname()
    marked = tcp_socket(bound)
    try:
        assert marked.proto == socket.IPPROTO_TCP
        assert marked.getsockname() == address
        marked.listen()
        with socket.create_connection(address) as client:
            accepted, _ = marked.accept()
            with accepted:
                assert accepted.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY on it
            client.close()
    finally:
        marked.close()
