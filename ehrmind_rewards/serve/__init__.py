"""The HTTP reward server (extra ``serve``: FastAPI and uvicorn): ``ehrmind-rewards serve``.

:func:`~ehrmind_rewards.serve.app.create_app` builds the ASGI app from
:class:`~ehrmind_rewards.serve.settings.ServeSettings`; :mod:`.scoring` holds the grading the
endpoints call (no web framework), :mod:`.models` the request and response bodies, :mod:`.metrics`
the Prometheus counters. This package knows task families only through the registry.
"""
