"""``ehrmind-rewards eval-run RUN QRELS [--json]``: NDCG@10, P@10 and MRR of a TREC run.

Definitions are ``trec_eval``'s (see :mod:`ehrmind_rewards.metrics.ranking`); topics are those in
both the run and the qrels unless ``--complete`` (``trec_eval -c``) scores missing topics as 0.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ehrmind_rewards.cli.common import error


def register(subparsers: Any) -> None:
    """Add the ``eval-run`` subcommand."""
    parser = subparsers.add_parser(
        "eval-run",
        help="NDCG@10, P@10 and MRR of a TREC run against qrels (trec_eval definitions)",
        description="NDCG@10, P@10 and MRR of a TREC run, with trec_eval's definitions. Topics "
        "are those in both the run and the qrels unless --complete (trec_eval -c) scores the "
        "qrels topics missing from the run as 0.",
    )
    parser.add_argument("run", help="run file: 'qid Q0 docid rank score tag' per line")
    parser.add_argument("qrels", help="qrels: TREC 'qid 0 docid rel' text or TSV with header")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--complete", action="store_true", help="score qrels topics missing from the run as 0"
    )
    parser.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    """Evaluate and print; an unreadable file is a one-line error (exit status 2)."""
    from ehrmind_rewards.metrics.ranking import METRIC_NAMES, evaluate_run, qrels_mapping, read_run
    from ehrmind_rewards.tasks.trials.qrels import load_qrels

    try:
        run = read_run(args.run)
    except UnicodeDecodeError as problem:
        return error("eval-run", f"{args.run}: not UTF-8 (byte offset {problem.start})")
    except ValueError as problem:  # names the file and line
        return error("eval-run", str(problem))
    try:
        qrels = qrels_mapping(load_qrels(args.qrels))
    except UnicodeDecodeError as problem:
        return error("eval-run", f"{args.qrels}: not UTF-8 (byte offset {problem.start})")
    except ValueError as problem:
        return error("eval-run", str(problem))
    result = evaluate_run(run, qrels, complete=args.complete)
    if not result.per_topic:
        return error("eval-run", f"no topic appears in both {args.run} and {args.qrels}")
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    width = max(len("topic"), *(len(qid) for qid in result.per_topic))
    print(f"{'topic':<{width}}  " + "  ".join(f"{name:>8}" for name in METRIC_NAMES))
    for qid, scores in result.per_topic.items():
        print(f"{qid:<{width}}  " + "  ".join(f"{scores[name]:8.4f}" for name in METRIC_NAMES))
    print(f"{'mean':<{width}}  " + "  ".join(f"{result.mean[n]:8.4f}" for n in METRIC_NAMES))
    print(f"({len(result.per_topic)} topics)")
    return 0
