"""The reward server's ASGI app (FastAPI): batch scoring, OpenRLHF's protocol, health, metrics.

Endpoints (the OpenAPI document is at ``/openapi.json``, browsable at ``/docs``):

* ``POST /v1/score`` — ``{"items": [{"completion", "record"}, …], "spec"?, "task"?}`` →
  ``{"results": [{"score", "components", "reason", "format_ok", "correct", …}, …]}``;
* ``POST /openrlhf`` — OpenRLHF's ``{"query", "prompts", "labels"}`` →
  ``{"rewards", "scores", "extra_logs"}`` (``?spec=`` picks the reward spec);
* ``GET /health`` — liveness and what is served (never needs the token);
* ``GET /metrics`` — Prometheus counters.

Errors are JSON ``{"detail": …}``: 400 for a body that is not UTF-8 text, 401 without the bearer
token, 413 for a body over the size
limit or too many items, 422 for a body of the wrong shape, an unknown spec or task, or a record
no family handles (``detail`` names the item), 503 when grading outlasts the per-request timeout.
A completion is never an error: a broken one is a verdict; an item whose record no family handles
gets ``reason: "unhandled_record"`` and a ``null`` score (OpenRLHF: 0), counted in the metrics.
Request content is data only.
"""

import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Any

import anyio
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ehrmind_rewards.core import registry
from ehrmind_rewards.core.rewards import SPECS, get_spec
from ehrmind_rewards.serve.metrics import Metrics
from ehrmind_rewards.serve.models import (
    ErrorBody,
    Health,
    OpenRLHFRequest,
    OpenRLHFResponse,
    ScoreRequest,
    ScoreResponse,
)
from ehrmind_rewards.serve.scoring import GradingTimeout, Tally, openrlhf_rewards, score_items
from ehrmind_rewards.serve.settings import ServeSettings

logger = logging.getLogger("ehrmind_rewards.serve")

try:
    VERSION = version("ehrmind-rewards")
except PackageNotFoundError:  # a source tree without install metadata
    VERSION = "0+unknown"

ENDPOINTS = ("/v1/score", "/openrlhf", "/health", "/metrics")
"""Paths counted under their own name in the metrics; every other path counts as ``other``."""


class JSONBody(JSONResponse):
    """JSON with non-ASCII escaped: any text a client sent comes back as valid UTF-8."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=True, allow_nan=False, separators=(",", ":")
        ).encode()


def _error(status: int, detail: Any, headers: Mapping[str, str] | None = None) -> JSONBody:
    return JSONBody({"detail": detail}, status_code=status, headers=dict(headers or {}))


def _field_error(loc: list[str | int], message: str, kind: str) -> list[dict[str, Any]]:
    return [{"loc": loc, "msg": message, "type": kind}]


class _Guard:
    """Outermost middleware: per-request timeout, request metrics, in-progress gauge."""

    def __init__(self, app: ASGIApp, settings: ServeSettings, metrics: Metrics) -> None:
        self.app, self.settings, self.metrics = app, settings, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        endpoint = scope["path"] if scope["path"] in ENDPOINTS else "other"
        status = 500
        started = time.perf_counter()

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_progress.inc()
        try:
            with anyio.fail_after(self.settings.timeout_s):
                await self.app(scope, receive, tracked)
        except TimeoutError:
            if status == 500:
                status = 503
                response = _error(
                    503,
                    f"the request took longer than the server's per-request timeout of "
                    f"{self.settings.timeout_s:g} s; send smaller batches or raise --timeout",
                    {"Retry-After": "1"},
                )
                await response(scope, receive, send)
        finally:
            self.metrics.in_progress.dec()
            self.metrics.requests.labels(endpoint, str(status)).inc()
            self.metrics.latency.labels(endpoint).observe(time.perf_counter() - started)


def _bearer(settings: ServeSettings) -> Callable[..., Awaitable[None]]:
    scheme = HTTPBearer(auto_error=False, description="The server's --token, when it has one.")

    async def check(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(scheme)],
    ) -> None:
        if settings.token is None:
            return
        given = "" if credentials is None else credentials.credentials
        if not hmac.compare_digest(given.encode(), settings.token.encode()):
            raise HTTPException(
                401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"}
            )

    return check


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body is not UTF-8 encoded JSON text."},
    401: {"model": ErrorBody, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorBody, "description": "Body over the size limit, or too many items."},
    422: {
        "model": ErrorBody,
        "description": "Malformed body, unknown spec or task, or a record no task family handles.",
    },
    503: {"model": ErrorBody, "description": "Grading outlasted the per-request timeout."},
}


def _resolve_spec(name: str | None, settings: ServeSettings, loc: list[str | int]) -> Any:
    name = settings.spec if name is None else name
    if name not in SPECS:
        known = ", ".join(SPECS)
        raise RequestValidationError(
            _field_error(loc, f"unknown reward spec {name!r}; known: {known}", "unknown_spec")
        )
    return get_spec(name)


def create_app(settings: ServeSettings | None = None) -> FastAPI:
    """The reward server for ``settings`` (defaults: no token, 32 MiB bodies, 4,096 items, 60 s).

    >>> app = create_app(ServeSettings(max_items=8))
    >>> sorted(r.path for r in app.routes if r.path in ENDPOINTS)
    ['/health', '/metrics', '/openrlhf', '/v1/score']
    """
    settings = settings or ServeSettings()
    registry.families()  # import every family now rather than on the first requests
    metrics = Metrics()
    limiter = anyio.CapacityLimiter(settings.concurrency)
    auth = [Depends(_bearer(settings))]
    app = FastAPI(
        title="ehrmind-rewards",
        version=VERSION,
        summary="Deterministic rewards for clinical reasoning (MedCalc-Bench, TREC CT, EHRSHOT).",
        description=__doc__,
        max_body_size=settings.max_body_bytes,
        default_response_class=JSONBody,
    )
    app.state.settings, app.state.metrics = settings, metrics

    async def grade(function: Callable[[], Any]) -> Any:
        """Run ``function`` in a worker thread (the event loop keeps answering)."""
        return await anyio.to_thread.run_sync(function, limiter=limiter, abandon_on_cancel=True)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONBody:
        # the offending input is not echoed back: it may be megabytes of completions
        details = [
            {k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in error.errors()
        ]
        return _error(422, details)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONBody:
        detail = error.detail
        if error.status_code == 400 and detail == "There was an error parsing the body":
            detail = "the body is not UTF-8 encoded JSON text"
        return _error(error.status_code, detail, error.headers)

    @app.get("/health", response_model=Health, tags=["service"])
    async def health() -> Health:
        """Liveness: the version, the tasks and the reward specs this server grades."""
        return Health(
            version=VERSION,
            tasks=list(registry.names()),
            specs=list(SPECS),
            process=os.getpid(),
        )

    @app.get(
        "/metrics",
        dependencies=auth,
        tags=["service"],
        responses={200: {"content": {"text/plain": {}}}, 401: ERRORS[401]},
        response_class=Response,
    )
    async def prometheus() -> Response:
        """Prometheus counters: requests, latency, completions by task and reason."""
        return Response(metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.post(
        "/v1/score",
        dependencies=auth,
        response_model=ScoreResponse,
        responses=ERRORS,
        tags=["rewards"],
    )
    async def score(body: ScoreRequest) -> JSONBody:
        """Grade each completion against its record; results come back in request order."""
        if len(body.items) > settings.max_items:
            raise HTTPException(
                413, f"{len(body.items)} items; this server grades at most {settings.max_items}"
            )
        spec = _resolve_spec(body.spec, settings, ["body", "spec"])
        if body.task is not None and registry.find(body.task) is None:
            known = ", ".join(registry.names())
            raise RequestValidationError(
                _field_error(
                    ["body", "task"], f"unknown task {body.task!r}; known: {known}", "unknown_task"
                )
            )
        tally = Tally()
        work = partial(
            score_items,
            [item.completion for item in body.items],
            [item.record for item in body.items],
            spec,
            task=body.task,
            deadline=time.monotonic() + settings.timeout_s,
            tally=tally,
        )
        try:
            results = await grade(work)
        except GradingTimeout:
            raise TimeoutError from None
        metrics.count(tally, "/v1/score")
        return JSONBody({"results": results})

    @app.post(
        "/openrlhf",
        dependencies=auth,
        response_model=OpenRLHFResponse,
        responses=ERRORS,
        tags=["rewards"],
    )
    async def openrlhf(
        body: OpenRLHFRequest,
        spec: Annotated[
            str | None,
            Query(description="Reward spec name.", json_schema_extra={"enum": list(SPECS)}),
        ] = None,
    ) -> JSONBody:
        """OpenRLHF's remote reward protocol (``--reward.remote_url http://HOST:PORT/openrlhf``)."""
        lengths = {
            "query": len(body.query),
            "prompts": len(body.prompts),
            "labels": len(body.labels),
        }
        if len(set(lengths.values())) != 1:
            raise RequestValidationError(
                _field_error(
                    ["body"],
                    f"query, prompts and labels differ in length: {lengths}",
                    "length_mismatch",
                )
            )
        if lengths["query"] > settings.max_items:
            raise HTTPException(
                413, f"{lengths['query']} items; this server grades at most {settings.max_items}"
            )
        reward_spec = _resolve_spec(spec, settings, ["query", "spec"])
        tally = Tally()
        work = partial(
            openrlhf_rewards,
            body.query,
            body.prompts,
            body.labels,
            reward_spec,
            deadline=time.monotonic() + settings.timeout_s,
            tally=tally,
        )
        try:
            result = await grade(work)
        except GradingTimeout:
            raise TimeoutError from None
        metrics.count(tally, "/openrlhf")
        if tally.unhandled:
            logger.warning(
                "/openrlhf: %d of %d labels matched no task family and scored 0; labels must be "
                "the record's columns as a JSON object (with a 'task' column)",
                tally.unhandled,
                lengths["query"],
            )
        return JSONBody(result)

    app.add_middleware(_Guard, settings=settings, metrics=metrics)
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process started by ``ehrmind-rewards serve`` (uvicorn factory)."""
    return create_app(ServeSettings.from_environment())
