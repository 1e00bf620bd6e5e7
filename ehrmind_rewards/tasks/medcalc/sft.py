"""SFT warm-up rows from a MedCalc-Bench CSV, in TRL's prompt-completion format.

Each computable row becomes ``{"prompt": ..., "completion": ...}``. The prompt holds the patient
note, the question and the answer format, and ends with EHRMind's assistant pre-fill
``"Let me solve this step by step.\\n<think>"``; the completion continues inside ``<think>``
with the calculator's own step-by-step explanation, closes it, and gives the recomputed answer as
``<answer>{"answer": ...}</answer>``. The text is correct by construction: it is the derivation
that produced the recomputed label. Rows the calculators cannot compute are skipped and counted.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import calculators
from calculators.base import OutputKind
from calculators.errors import CalculatorError, UnknownCalculatorError
from ehrmind_rewards.core.io import atomic_output
from ehrmind_rewards.tasks.medcalc.bench.conventions import row_conventions
from ehrmind_rewards.tasks.medcalc.bench.relabel import (
    format_answer,
    parse_entities,
    read_benchmark_csv,
)
from ehrmind_rewards.tasks.medcalc.prompts import build_prompt


@dataclass
class ExportStats:
    """Rows written and rows skipped, by reason."""

    written: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def sft_rows(
    rows: Iterable[Mapping[str, str]],
    stats: ExportStats | None = None,
    conventions: Mapping[str, str] | None = None,
) -> Iterator[dict[str, str]]:
    """Prompt-completion dicts for every row the calculators compute; conventions as in
    relabelling (defaults, then the question's, then ``conventions``: ``{"slug.name": option}``)."""
    stats = stats if stats is not None else ExportStats()
    for row in rows:
        try:
            calculator_id = int(row["Calculator ID"])
            calculator = calculators.get(calculator_id)
            chosen = row_conventions(
                calculator_id, calculator.info.slug, row.get("Question", ""), conventions
            )
            result = calculator.compute_from_entities(
                parse_entities(row["Relevant Entities"]), conventions=chosen
            )
        except UnknownCalculatorError:
            stats.skipped["unknown_calculator"] += 1
            continue
        except (CalculatorError, ValueError, SyntaxError) as error:
            stats.skipped[type(error).__name__] += 1
            continue
        kind = calculator.info.output_kind
        answer_text = format_answer(result.value, kind)
        answer: object = answer_text
        if kind is OutputKind.INTEGER or kind is OutputKind.DECIMAL:
            answer = float(answer_text) if kind is OutputKind.DECIMAL else int(answer_text)
        payload = json.dumps({"answer": answer}, ensure_ascii=False)
        completion = f"\n{result.explanation}\n</think>\n<answer>{payload}</answer>"
        stats.written += 1
        yield {
            "prompt": build_prompt(row["Patient Note"], row["Question"]),
            "completion": completion,
        }


def export_sft(
    source: Path, target: Path, conventions: Mapping[str, str] | None = None
) -> ExportStats:
    """Write ``source``'s SFT rows to ``target`` as JSONL."""
    _, rows = read_benchmark_csv(source)
    stats = ExportStats()
    with atomic_output(target) as handle:  # a failed run leaves target as it was
        for item in sft_rows(rows, stats, conventions):
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return stats
