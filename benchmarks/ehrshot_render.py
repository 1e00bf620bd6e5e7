"""Benchmark: stream an EHRSHOT MEDS directory and render one prompt timeline per label.

    PYTHONPATH=. python benchmarks/ehrshot_render.py /tmp/ehrshot_synthetic \
        [--tasks new_hypertension ...] [--max-tokens 4000] [--all-tables]

Streams every patient (all events are read), renders the timeline of every label of the chosen
tasks (default: EHRMind's four new-diagnosis tasks, conditions and procedures only, 4,000-token
budget at 4 characters per token) and builds the chat messages. Prints events streamed, timelines
rendered, wall time split into reading and rendering, timelines per second and peak resident
memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS, get_task
from ehrmind_rewards.tasks.ehrshot.io import open_ehrshot
from ehrmind_rewards.tasks.ehrshot.prompts import build_messages
from ehrmind_rewards.tasks.ehrshot.timeline import EHRMIND_TABLES, TimelineOptions, TimelineRenderer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--tasks", nargs="+", default=list(EHRMIND_TASKS))
    parser.add_argument("--max-tokens", type=int, default=4_000)
    parser.add_argument("--all-tables", action="store_true", help="render every event table")
    args = parser.parse_args()

    source = open_ehrshot(args.root)
    options = TimelineOptions(
        tables=None if args.all_tables else EHRMIND_TABLES, max_tokens=args.max_tokens
    )
    by_subject: dict[int, list[tuple[str, int]]] = {}
    for task in args.tasks:
        for label in source.labels(task):
            by_subject.setdefault(label.subject_id, []).append((task, label.prediction_time))
    descriptions = source.codes()

    patients = events = timelines = dropped = 0
    read_s = render_s = 0.0
    start = time.perf_counter()
    cpu_start = time.process_time()
    mark = start
    for patient in source.patients():
        now = time.perf_counter()
        read_s += now - mark
        patients += 1
        events += len(patient)
        wanted = by_subject.get(patient.subject_id, ())
        renderer = TimelineRenderer(patient, descriptions, options) if wanted else None
        for task, at in wanted:
            assert renderer is not None
            timeline = renderer.render(at)
            build_messages(get_task(task), timeline.text, at)
            timelines += 1
            dropped += timeline.n_dropped > 0
        mark = time.perf_counter()
        render_s += mark - now
    total = time.perf_counter() - start
    print(
        json.dumps(
            {
                "patients": patients,
                "events": events,
                "timelines": timelines,
                "timelines_truncated": dropped,
                "seconds_total": round(total, 1),
                "seconds_reading": round(read_s, 1),
                "seconds_rendering": round(render_s, 1),
                "timelines_per_second_rendering": round(timelines / max(render_s, 1e-9), 1),
                "timelines_per_second_end_to_end": round(timelines / max(total, 1e-9), 1),
                "events_per_second_reading": round(events / max(read_s, 1e-9)),
                "cpu_seconds": round(time.process_time() - cpu_start, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
