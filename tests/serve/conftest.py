"""A live reward server on a loopback port, for tests that go through a real HTTP client."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running(app: object) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a thread; yield its base URL; stop it afterwards."""
    uvicorn = pytest.importorskip("uvicorn", reason="the serve extra provides uvicorn")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """``serve(**settings)`` starts a server with those settings and returns its URL."""
    pytest.importorskip("fastapi", reason="the serve extra provides FastAPI")
    from ehrmind_rewards.serve.app import create_app
    from ehrmind_rewards.serve.settings import ServeSettings

    stack = []

    def start(**settings: object) -> str:
        context = running(create_app(ServeSettings(**settings)))  # type: ignore[arg-type]
        stack.append(context)
        return context.__enter__()

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)
