"""``ehrmind-rewards sample --config FILE``: k graded completions per training prompt.

Writes one JSON line per sample — ``id``, ``task``, ``category``, ``correct``, ``answer`` (what
``diagnose`` reads) plus ``sample``, ``score``, ``reason`` and the ``completion`` — using vLLM
when installed, else transformers ``generate``, at the config's ``generation`` settings (EHRMind's
diagnostic: k = 12, temperature 0.6, top_p 0.95). A progress bar on standard error shows the
prompts done and the time left; ``--model``/``--gguf-file`` take any model form a run file does,
GGUF files included.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by ``sample`` and ``evaluate``."""
    parser.add_argument("--config", required=True, metavar="FILE", help="YAML run file")
    parser.add_argument(
        "--model",
        metavar="PATH",
        help="override model.name_or_path (a Hub id, a folder, a .gguf file or package:NAME); "
        "clears the config's model.gguf_file",
    )
    parser.add_argument(
        "--gguf-file", metavar="NAME", help="a GGUF file inside the --model folder or repository"
    )
    parser.add_argument(
        "--backend", choices=("auto", "vllm", "transformers"), default="auto", help="generator"
    )
    parser.add_argument("--max-rows", type=int, metavar="N", help="only the first N rows")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def load_run_config(args: argparse.Namespace) -> Any:
    """The config with the command line's overrides applied (re-validated)."""
    from ehrmind_rewards.train import load_config, parse_config

    config = load_config(args.config)
    data = config.model_dump(mode="json")
    if args.model:
        data["model"]["name_or_path"] = args.model
        data["model"]["gguf_file"] = None
    if args.gguf_file:
        data["model"]["gguf_file"] = args.gguf_file
    if args.max_rows:
        data["data"]["max_rows"] = args.max_rows
    return parse_config(data, source=args.config)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sample",
        help="k graded completions per training prompt (input of `diagnose`)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_model_options(parser)
    parser.add_argument("--k", type=int, help="completions per prompt (default generation.k)")
    parser.add_argument("--split", choices=("train", "eval", "test"), default="train")
    parser.add_argument("--out", required=True, metavar="SAMPLES.jsonl")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ehrmind_rewards.train import ConfigError
    from ehrmind_rewards.train.data import DataError
    from ehrmind_rewards.train.evaluation import generate_and_grade

    try:
        config = load_run_config(args)
        k = args.k or config.generation.k
        records = generate_and_grade(
            config,
            args.split,
            n=k,
            temperature=config.generation.temperature,
            backend=args.backend,
            progress=not args.no_progress,
        )
        count = 0
        with open(args.out, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    except (ConfigError, DataError, ValueError) as error:
        print(f"sample: {error}", file=sys.stderr)
        return 2
    print(f"wrote {count} samples ({k} per prompt) to {args.out}")
    return 0
