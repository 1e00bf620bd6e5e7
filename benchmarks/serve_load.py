"""Load test of the reward server on loopback, side by side with in-process ``reward_fn``.

Run from the repository root (needs the ``serve`` extra)::

    python benchmarks/serve_load.py                       # batches of 1, 32, 512; 1 and 2 workers
    python benchmarks/serve_load.py --memory-minutes 10   # plus 10 minutes of sustained load

Completions: the realistic MedCalc-Bench v1.0 batch of ``reward_throughput.py`` (one completion per
test row, the row's explanation as the think text, 60 % correct answers in varied forms, 25 % wrong,
15 % broken), sent with their records to ``POST /v1/score`` in batches of 1, 32 and 512 items.

For each batch size and worker count, a closed-loop Python client (``http.client``, keep-alive, one
connection per thread, two threads per worker) sends requests until ``--max-requests`` or
``--max-seconds`` (whichever first) and reports completions/s (wall clock), request latency p50 and
p99, and the server's CPU time per completion (from ``/proc``: user + system time of the worker
processes, which other load on the machine does not inflate). The same batches are scored
in-process by ``reward_fn`` (one call per batch, as TRL makes it) for comparison, in wall-clock and
CPU time. With ``--memory-minutes`` the server (2 workers, batches of 32) is kept under load and the
resident memory of its workers is sampled every ``--memory-every`` seconds. Prints JSON and
Markdown tables, with the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reward_throughput import COLUMNS, realistic_batch  # noqa: E402

from ehrmind_rewards import reward_fn  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``ehrmind-rewards serve`` in a child process; its workers' CPU time and memory."""

    def __init__(self, workers: int) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ehrmind_rewards.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.workers = workers
        deadline = time.monotonic() + 120
        while not self._healthy():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        while len(self.worker_pids()) < workers:
            time.sleep(0.1)

    def _healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/health")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the workers, or the one process without them."""
        pids = [self.process.pid]
        seen: list[int] = []
        while pids:
            pid = pids.pop()
            seen.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            pids.extend(int(c) for c in children)
        servers = seen[1:] if self.workers > 1 else seen[:1]
        # uvicorn's reloader-free supervisor may also start a resource tracker: keep the
        # processes that listen (they import the app and are the heaviest)
        return sorted(servers, key=rss, reverse=True)[: self.workers]

    def cpu_seconds(self) -> float:
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (after the name)
        return total / TICKS

    def rss_mib(self) -> list[float]:
        return [rss(pid) / 2**20 for pid in self.worker_pids()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def rss(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except OSError:
        return 0


def bodies(completions: list[str], columns: dict[str, list[Any]], size: int) -> list[bytes]:
    """Request bodies of ``size`` items cycling through the batch (at most 64 distinct)."""
    n = len(completions)
    out = []
    for start in range(0, min(n, 64 * size), size):
        items = [
            {
                "completion": completions[(start + k) % n],
                "record": {c: columns[c][(start + k) % n] for c in COLUMNS},
            }
            for k in range(size)
        ]
        out.append(json.dumps({"items": items}).encode())
    return out


def load(
    port: int, payloads: Sequence[bytes], threads: int, max_requests: int, max_seconds: float
) -> tuple[list[float], float]:
    """Closed-loop load: latencies (s) of every request and the wall time taken."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(max_requests))
    stop_at = time.monotonic() + max_seconds
    errors: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        headers = {"Content-Type": "application/json"}
        mine: list[float] = []
        for index in counter:
            if time.monotonic() > stop_at:
                break
            started = time.perf_counter()
            connection.request("POST", "/v1/score", payloads[index % len(payloads)], headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"HTTP {response.status}")
                break
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if errors:
        raise RuntimeError(f"the server answered {errors[0]}")
    return latencies, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def in_process(completions: list[str], columns: dict[str, list[Any]], size: int) -> dict[str, Any]:
    """``reward_fn`` on batches of ``size``: completions/s in wall-clock and CPU time."""
    n = len(completions)
    batches = [
        (
            [completions[(s + k) % n] for k in range(size)],
            {c: [columns[c][(s + k) % n] for k in range(size)] for c in COLUMNS},
        )
        for s in range(0, max(n, size), size)
    ]
    done, wall, cpu = 0, 0.0, 0.0
    while wall < 1.0:
        for batch, cols in batches:
            w, c = time.perf_counter(), time.process_time()
            reward_fn(completions=batch, **cols)
            wall += time.perf_counter() - w
            cpu += time.process_time() - c
            done += size
    return {"completions_per_s_wall": done / wall, "completions_per_s_cpu": done / cpu}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 32, 512])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--max-requests", type=int, default=2000, help="per configuration")
    parser.add_argument("--max-seconds", type=float, default=15.0, help="per configuration")
    parser.add_argument("--memory-minutes", type=float, default=0.0)
    parser.add_argument("--memory-every", type=float, default=30.0)
    args = parser.parse_args(argv)

    completions, columns, _ = realistic_batch()
    report: dict[str, Any] = {"load_before": os.getloadavg(), "cpus": os.cpu_count(), "rows": []}
    for size in args.sizes:
        report["rows"].append(
            {"mode": "in-process reward_fn", "size": size, **in_process(completions, columns, size)}
        )
    for workers in args.workers:
        server = Server(workers)
        try:
            for size in args.sizes:
                payloads = bodies(completions, columns, size)
                load(server.port, payloads, 2 * workers, 20, 5)  # warm-up
                cpu = server.cpu_seconds()
                latencies, wall = load(
                    server.port, payloads, 2 * workers, args.max_requests, args.max_seconds
                )
                served = len(latencies) * size
                report["rows"].append(
                    {
                        "mode": f"HTTP, {workers} worker{'s' * (workers > 1)}",
                        "size": size,
                        "requests": len(latencies),
                        "completions_per_s_wall": served / wall,
                        "p50_ms": 1000 * statistics.median(latencies),
                        "p99_ms": 1000 * percentile(latencies, 0.99),
                        "server_cpu_us_per_completion": 1e6 * (server.cpu_seconds() - cpu) / served,
                        "body_kib": len(payloads[0]) / 1024,
                    }
                )
        finally:
            server.stop()
    if args.memory_minutes > 0:
        report["memory"] = sustained(completions, columns, args.memory_minutes, args.memory_every)
    report["load_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))
    print(markdown(report))
    return 0


def sustained(
    completions: list[str], columns: dict[str, list[Any]], minutes: float, every: float
) -> dict[str, Any]:
    """Two workers under closed-loop load (batches of 32) for ``minutes``; RSS samples."""
    server = Server(2)
    samples: list[tuple[float, list[float]]] = []
    total = 0
    try:
        payloads = bodies(completions, columns, 32)
        started = time.monotonic()
        while (elapsed := time.monotonic() - started) < 60 * minutes:
            samples.append((elapsed, server.rss_mib()))
            latencies, _ = load(server.port, payloads, 4, 10**9, every)
            total += len(latencies) * 32
        samples.append((time.monotonic() - started, server.rss_mib()))
    finally:
        server.stop()
    sums = [sum(rss) for _, rss in samples]
    return {
        "minutes": minutes,
        "completions": total,
        "rss_mib_per_sample": [(round(t), [round(r, 1) for r in rss]) for t, rss in samples],
        "first_mib": sums[0],
        "after_first_minute_mib": next(
            s for (t, _), s in zip(samples, sums, strict=True) if t >= 60
        )
        if minutes >= 1
        else sums[-1],
        "last_mib": sums[-1],
        "max_mib": max(sums),
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| mode | batch | completions/s | p50 ms | p99 ms | server CPU µs/completion |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        if row["mode"].startswith("in-process"):
            lines.append(
                f"| {row['mode']} | {row['size']} | {row['completions_per_s_wall']:,.0f} wall, "
                f"{row['completions_per_s_cpu']:,.0f} CPU | – | – | "
                f"{1e6 / row['completions_per_s_cpu']:.1f} |"
            )
        else:
            lines.append(
                f"| {row['mode']} | {row['size']} | {row['completions_per_s_wall']:,.0f} | "
                f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f} | "
                f"{row['server_cpu_us_per_completion']:.1f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
