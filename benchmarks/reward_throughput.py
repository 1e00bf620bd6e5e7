"""Reward throughput: this package vs Math-Verify on the same realistic MedCalc completions.

Run from the repository root (needs the ``bench`` extra for Math-Verify)::

    python benchmarks/reward_throughput.py            # all 1,047 v1.0 rows
    python benchmarks/reward_throughput.py --mv-limit 300 --repeat 5

Completions: one per MedCalc-Bench v1.0 test row (``tests/data``), the row's templated explanation
as the think text (≈1–2 k characters, like a real rollout), and a seeded mix of answers: 60 %
correct in various surface forms, 25 % wrong, 15 % broken format. This package scores them through
``reward_fn`` exactly as TRL calls it (one batch with dataset columns); Math-Verify scores each with
``verify(parse(gold), parse(completion))``; the floor is a bare ``str.find`` + ``json.loads``
check of the same completions (no format rules, floats, no verdict). The process is pinned to one
CPU core when the OS allows; rates use its CPU time (``time.process_time``) so other load on a
shared machine does not count; the fastest of several runs is kept. Also timed: hostile inputs of
1 MiB (and just under the 256 Ki-character cap, which forces a full scan). Prints completions/s
for each, the ratios, and the hostile timings.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ehrmind_rewards import reward_fn  # noqa: E402
from ehrmind_rewards.core.parsing.envelope import MAX_COMPLETION_CHARS  # noqa: E402
from ehrmind_rewards.tasks.medcalc.records import read_medcalc_csv  # noqa: E402
from ehrmind_rewards.tasks.medcalc.verifier import kind_for  # noqa: E402
from ehrmind_rewards.testing import answer_forms, completion_around  # noqa: E402
from schemas import MedCalcRecord  # noqa: E402

V1_TEST = ROOT / "tests" / "data" / "medcalc_bench" / "v1.0" / "test_data.csv"
COLUMNS = ("calculator_id", "ground_truth", "lower_limit", "upper_limit")


def realistic_batch(seed: int = 0) -> tuple[list[str], dict[str, list[Any]], list[str]]:
    """Completions, their dataset columns, and gold answers (for Math-Verify)."""
    rng = random.Random(seed)
    records: list[MedCalcRecord] = read_medcalc_csv(V1_TEST)
    explanations = _explanations()
    completions: list[str] = []
    for record in records:
        think = explanations.get(record.row_number or 0, "Step by step.")
        kind = kind_for(record.calculator_id)
        assert kind is not None
        draw = rng.random()
        if draw < 0.60:
            answer = rng.choice(answer_forms(str(record.ground_truth), kind))
            completion = completion_around(answer, "newlines", think)
        elif draw < 0.85:
            completion = completion_around(str(rng.randint(1, 300)), "plain", think)
        else:
            completion = f"<think>{think}</think>\nThe answer is {record.ground_truth}."
        completions.append(completion if isinstance(completion, str) else json.dumps(completion))
    columns = {name: [getattr(r, name) for r in records] for name in COLUMNS}
    golds = [str(r.ground_truth) for r in records]
    return completions, columns, golds


def _explanations() -> dict[int, str]:
    import csv

    csv.field_size_limit(1 << 30)
    with V1_TEST.open(newline="", encoding="utf-8") as handle:
        return {
            int(row["Row Number"]): row["Ground Truth Explanation"][:2000]
            for row in csv.DictReader(handle)
        }


CLOCK = time.process_time
"""CPU time of this process: on a shared machine, wall time would also count other processes."""


def best_rate(run: Callable[[], object], items: int, repeat: int) -> float:
    """Items per second of the fastest of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = CLOCK()
        run()
        best = min(best, CLOCK() - start)
    return items / best


def ours(completions: list[str], columns: dict[str, list[Any]], repeat: int) -> float:
    prompts = ["p"] * len(completions)
    reward_fn(prompts=prompts, completions=completions, **columns)  # warm the label cache
    return best_rate(
        lambda: reward_fn(prompts=prompts, completions=completions, **columns),
        len(completions),
        repeat,
    )


def floor_scores(completions: list[str], columns: dict[str, list[Any]]) -> list[float]:
    """The floor: ``str.find`` for the answer tags, ``json.loads`` and a float range test.

    What a hand-rolled reward does with no format rules, no exact decimals, no hedge or unit
    checks, and no verdict: a figure of the machine's speed that the other rates are read
    against (their ratio to it moves little from one machine to another).
    """
    scores = []
    limits = zip(columns["lower_limit"], columns["upper_limit"], strict=True)
    for completion, (low, high) in zip(completions, limits, strict=True):
        start = completion.find("<answer>")
        end = completion.find("</answer>", start)
        if start == -1 or end == -1:
            scores.append(-2.0)
            continue
        try:
            value = float(json.loads(completion[start + 8 : end])["answer"])
            scores.append(1.0 if float(low or 0) <= value <= float(high or 0) else 0.0)
        except (ValueError, TypeError, KeyError):
            scores.append(-2.0)
    return scores


def bare_check(completions: list[str], columns: dict[str, list[Any]], repeat: int) -> float:
    """Completions per second of :func:`floor_scores`."""
    return best_rate(lambda: floor_scores(completions, columns), len(completions), repeat)


def math_verify(completions: list[str], golds: list[str], limit: int) -> float | None:
    try:
        from math_verify import parse, verify
    except ImportError:
        return None
    pairs = list(zip(completions, golds, strict=True))[:limit]
    parsed_golds = [parse(gold) for _, gold in pairs]  # gold parsing is not timed

    def run() -> None:
        for (completion, _), gold in zip(pairs, parsed_golds, strict=True):
            verify(gold, parse(completion))

    return best_rate(run, len(pairs), 1)


def hostile_inputs() -> dict[str, str]:
    mib = 1 << 20
    under = MAX_COMPLETION_CHARS - 64
    return {
        "1 MiB of '('": "(" * mib,
        "1 MiB of repeated tags": ("<think></think><answer>" * (mib // 23))[:mib],
        "1 MiB think + valid answer": "<think>" + "a" * mib + "</think><answer>{}</answer>",
        "256 Ki-char think + valid answer": "<think>"
        + "9" * under
        + '</think><answer>{"answer": 1}</answer>',
        "256 Ki-char nested JSON": "<think>x</think><answer>"
        + "[" * (under // 2)
        + "]" * (under // 2)
        + "</answer>",
        "256 Ki-char digits answer": '<think>x</think><answer>{"answer": "'
        + "1" * under
        + 'x"}</answer>',
    }


def hostile_ms(text: str) -> float:
    columns = {"calculator_id": [2], "ground_truth": ["25.238"]}
    columns |= {"lower_limit": ["23.9761"], "upper_limit": ["26.4999"]}
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        reward_fn(prompts=["p"], completions=[text], **columns)
        best = min(best, time.perf_counter() - start)  # wall time: the trainer waits this long
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of our scorer (best)")
    parser.add_argument("--mv-limit", type=int, default=1047, help="completions for Math-Verify")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    completions, columns, golds = realistic_batch()
    ours_rate = ours(completions, columns, args.repeat)
    bare_rate = bare_check(completions, columns, args.repeat)
    mean_chars = sum(map(len, completions)) / len(completions)
    print(f"completions: {len(completions)} (mean {mean_chars:.0f} chars)")
    print(f"ehrmind-rewards reward_fn : {ours_rate:12,.0f} completions/s (one core)")
    print(f"bare find + json.loads    : {bare_rate:12,.0f} completions/s (the floor)")
    print(f"reward_fn / floor         : {ours_rate / bare_rate:12.3f}")
    mv_rate = math_verify(completions, golds, args.mv_limit)
    if mv_rate is None:
        print("Math-Verify               : not installed (pip install '.[bench]')")
    else:
        print(f"Math-Verify parse+verify  : {mv_rate:12,.0f} completions/s (first {args.mv_limit})")
        print(f"ratio                     : {ours_rate / mv_rate:12,.0f}x")
    for name, text in hostile_inputs().items():
        print(f"hostile {name:<34}: {hostile_ms(text):8.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
