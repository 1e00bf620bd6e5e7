"""``ehrmind-rewards serve``: the HTTP reward server (extra ``serve``).

Examples::

    ehrmind-rewards serve                                   # http://127.0.0.1:8000, no token
    EHRMIND_REWARDS_TOKEN=s3cret ehrmind-rewards serve --host 0.0.0.0 --workers 4

Endpoints: ``POST /v1/score``, ``POST /openrlhf`` (OpenRLHF's ``--reward.remote_url``),
``GET /health``, ``GET /metrics``; the OpenAPI document is at ``/openapi.json``.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from typing import Any

from ehrmind_rewards.core.rewards import SPECS


def register(subparsers: Any) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the rewards over HTTP (batch scoring, OpenRLHF's remote reward protocol)",
        description=__doc__,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--workers", type=int, default=1, metavar="N", help="worker processes (default: 1)"
    )
    parser.add_argument(
        "--token",
        metavar="T",
        help="require 'Authorization: Bearer T' on scoring and metrics requests "
        "(default: $EHRMIND_REWARDS_TOKEN, else none)",
    )
    parser.add_argument("--spec", choices=list(SPECS), default="ehrmind", help="default spec")
    parser.add_argument(
        "--max-body-mb", type=float, default=32.0, help="largest request body in MiB (default 32)"
    )
    parser.add_argument(
        "--max-items", type=int, default=4096, help="most completions per request (default 4096)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="per-request timeout in seconds (default 60)"
    )
    parser.add_argument(
        "--log-level",
        choices=("critical", "error", "warning", "info", "debug"),
        default="info",
        help="uvicorn's log level (default info)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        print("serve: needs the serve extra: pip install 'ehrmind-rewards[serve]'", file=sys.stderr)
        return 2
    from pydantic import ValidationError

    from ehrmind_rewards.serve.settings import SETTINGS_ENV, TOKEN_ENV, ServeSettings

    if args.workers < 1:
        print(f"serve: --workers must be ≥ 1, not {args.workers}", file=sys.stderr)
        return 2
    try:
        settings = ServeSettings(
            token=args.token or os.environ.get(TOKEN_ENV) or None,
            max_body_bytes=int(args.max_body_mb * 1024 * 1024),
            max_items=args.max_items,
            timeout_s=args.timeout,
            spec=args.spec,
        )
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        print(f"serve: {problems}", file=sys.stderr)
        return 2
    if args.host not in ("127.0.0.1", "localhost", "::1") and settings.token is None:
        print(
            f"serve: warning: listening on {args.host} without a token; anyone who can reach "
            "the port can use the server (set --token or $EHRMIND_REWARDS_TOKEN)",
            file=sys.stderr,
        )
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    config = uvicorn.Config(
        "ehrmind_rewards.serve.app:app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
    )
    if args.workers == 1:
        uvicorn.Server(config).run()
        return 0
    from uvicorn.supervisors import Multiprocess

    with tempfile.TemporaryDirectory(prefix="ehrmind-metrics-") as metrics_dir:
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)
        Multiprocess(config, sockets=[tcp_socket(config.bind_socket())]).run()
    return 0


def tcp_socket(sock: socket.socket) -> socket.socket:
    """``sock`` marked as TCP, so that its accepted connections get ``TCP_NODELAY``.

    uvicorn binds the workers' shared socket with ``proto=0``; accepted sockets inherit it and
    asyncio sets ``TCP_NODELAY`` only on sockets whose ``proto`` is ``IPPROTO_TCP``, so every
    keep-alive request after the first waited ≈40 ms for a delayed ACK (uvicorn issue #3149).
    """
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
