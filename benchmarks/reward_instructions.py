"""Instructions per batch of ``reward_fn``, counted by callgrind: a figure other load cannot move.

Run from the repository root (needs ``valgrind``)::

    python benchmarks/reward_instructions.py                       # this tree
    python benchmarks/reward_instructions.py --tree ../other-clone # this tree, then another one
    python benchmarks/reward_instructions.py --floor               # and the bare check's count

The batch is the one ``benchmarks/reward_throughput.py`` times (1,047 realistic MedCalc
completions and their dataset columns), built once by this tree and written to a JSON file, so
every tree scores byte-identical input. Each tree is run twice under ``valgrind
--tool=callgrind`` with ``PYTHONHASHSEED=0``: once scoring the batch once (the warm-up, which
fills the label cache), once scoring it ``1 + K`` times; the difference divided by ``K`` is the
cost of one steady-state batch, without interpreter start-up and imports. Prints instructions per
batch and per completion for each tree, and the ratio to the first. ``--floor`` also counts the
bare ``str.find`` + ``json.loads`` check of ``reward_throughput.py`` on the same batch (a floor no
real reward reaches), and prints each tree's multiple of it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def score(batch_file: Path, times: int) -> None:
    """Score the batch ``times`` times with the ``reward_fn`` found on ``sys.path``."""
    from ehrmind_rewards import reward_fn

    batch = json.loads(batch_file.read_text(encoding="utf-8"))
    completions, columns = batch["completions"], batch["columns"]
    prompts = ["p"] * len(completions)
    for _ in range(times):
        reward_fn(prompts=prompts, completions=completions, **columns)


def score_floor(batch_file: Path, times: int) -> None:
    """Score the batch ``times`` times with the bare check (``reward_throughput.floor_scores``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from reward_throughput import floor_scores

    batch = json.loads(batch_file.read_text(encoding="utf-8"))
    for _ in range(times):
        floor_scores(batch["completions"], batch["columns"])


def write_batch(path: Path) -> int:
    """Write this tree's realistic batch to ``path``; returns its size."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    from reward_throughput import realistic_batch

    completions, columns, _ = realistic_batch()
    path.write_text(json.dumps({"completions": completions, "columns": columns}), "utf-8")
    return len(completions)


def instructions(tree: Path, batch_file: Path, times: int, mode: str = "--score") -> int:
    """Instructions callgrind counts for one run of :func:`score` (``mode`` ``--floor-score``:
    :func:`score_floor`) against ``tree``."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(tree)}
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            mode,
            str(batch_file),
            str(times),
        ]
        subprocess.run(command, check=True, env=env, capture_output=True, cwd=tree)
        summary = re.search(r"^summary:\s+(\d+)", out.read_text(encoding="utf-8"), re.M)
        assert summary is not None, "callgrind wrote no summary line"
        return int(summary.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, default=[], help="another tree")
    parser.add_argument("--extra", type=int, default=4, help="K: extra batches in the long run")
    parser.add_argument("--floor", action="store_true", help="also count the bare check")
    parser.add_argument("--score", nargs=2, metavar=("BATCH", "TIMES"), help=argparse.SUPPRESS)
    parser.add_argument("--floor-score", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.score:
        score(Path(args.score[0]), int(args.score[1]))
        return 0
    if args.floor_score:
        score_floor(Path(args.floor_score[0]), int(args.floor_score[1]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        batch_file = Path(folder) / "batch.json"
        n = write_batch(batch_file)
        first: float | None = None
        floor: float | None = None
        if args.floor:
            floor_once = instructions(ROOT, batch_file, 1, "--floor-score")
            floor_many = instructions(ROOT, batch_file, 1 + args.extra, "--floor-score")
            floor = (floor_many - floor_once) / args.extra
            print(f"floor (find + json.loads): {floor / 1e6:.1f} M instructions per batch of {n}")
        for tree in [ROOT, *args.tree]:
            once = instructions(tree.resolve(), batch_file, 1)
            many = instructions(tree.resolve(), batch_file, 1 + args.extra)
            per_batch = (many - once) / args.extra
            first = first or per_batch
            print(
                f"{tree}: {per_batch / 1e6:.1f} M instructions per batch of {n} "
                f"({per_batch / n:,.0f} per completion; {per_batch / first:.3f} of the first"
                + (f"; {per_batch / floor:.2f}x the floor)" if floor else ")")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
