"""A fixed-response OpenAI-compatible chat endpoint (``/v1/models``, ``/v1/chat/completions``).

It answers each request with ``reply(last user message)`` — a fixed completion per prompt — in
the streaming (server-sent events) or plain JSON form the client asks for, and records every
request body, so a test can serve it on loopback and check what verifiers sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

MODEL = "fixed-reply"


def endpoint(reply: Callable[[str], str], seen: list[dict[str, Any]]) -> FastAPI:
    app = FastAPI()

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "owned_by": "test"}]}

    @app.post("/v1/chat/completions", response_model=None)
    async def chat(request: Request) -> Any:
        body = await request.json()
        seen.append(body)
        user = [m for m in body["messages"] if m["role"] == "user"][-1]["content"]
        if isinstance(user, list):
            user = "".join(part.get("text", "") for part in user)
        text = reply(user)
        head = {"id": f"chat-{len(seen)}", "created": int(time.time()), "model": body["model"]}
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        if not body.get("stream"):
            message = {"role": "assistant", "content": text}
            choice = {"index": 0, "message": message, "finish_reason": "stop"}
            return {**head, "object": "chat.completion", "choices": [choice], "usage": usage}

        def events() -> Iterator[str]:
            chunk = {**head, "object": "chat.completion.chunk"}
            deltas = [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": text},
                    "finish_reason": None,
                },
                {"index": 0, "delta": {}, "finish_reason": "stop"},
            ]
            for delta in deltas:
                yield f"data: {json.dumps({**chunk, 'choices': [delta]})}\n\n"
            yield f"data: {json.dumps({**chunk, 'choices': [], 'usage': usage})}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app
