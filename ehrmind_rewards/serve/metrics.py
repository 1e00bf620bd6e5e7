"""Prometheus metrics of the reward server (``GET /metrics``, text exposition format).

Each app owns its registry. With several worker processes, ``ehrmind-rewards serve`` sets
``PROMETHEUS_MULTIPROC_DIR`` so that every worker writes its counts there and any worker answers
``/metrics`` with the sum over all of them (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from ehrmind_rewards.serve.scoring import Tally

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Request latency histogram bounds, in seconds."""


class Metrics:
    """The server's counters; :meth:`render` writes them in Prometheus' text format."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "ehrmind_requests",
            "HTTP requests by endpoint and status code.",
            ("endpoint", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "ehrmind_request_seconds",
            "Time from request to response, by endpoint.",
            ("endpoint",),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.completions = Counter(
            "ehrmind_completions",
            "Graded completions by task and verdict reason.",
            ("task", "reason"),
            registry=self.registry,
        )
        self.unhandled = Counter(
            "ehrmind_unhandled_records",
            "Items whose record no task family handles (null score; 0 on /openrlhf).",
            ("endpoint",),
            registry=self.registry,
        )
        self.in_progress = Gauge(
            "ehrmind_requests_in_progress",
            "Requests being read or graded.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )

    def count(self, tally: Tally, endpoint: str) -> None:
        """Add one request's verdict counts."""
        for (task, reason), n in tally.verdicts.items():
            self.completions.labels(task, reason).inc(n)
        if tally.unhandled:
            self.unhandled.labels(endpoint).inc(tally.unhandled)

    def render(self) -> bytes:
        """The exposition text: this process's counts, or every worker's in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)
