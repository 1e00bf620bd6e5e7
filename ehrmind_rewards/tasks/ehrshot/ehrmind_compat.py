"""EHRMind's released EHRSHOT reward, reproduced exactly (reward spec ``ehrmind_compat``).

EHRMind (linjc16/EHRMind, ``verl/utils/reward_score/ehrshot.py``) scores the decoded prompt +
response; this module reads the completion the same way, line for line of its
``compute_score``:

1. ``extract_solution``: the text after the first assistant header (``Assistant:``,
   ``<|im_start|>assistant``, ``<|start_header_id|>assistant<|end_header_id|>``), stripped. A
   completion without a header is a response alone, so the pre-fill the prompt ended with
   (:data:`~ehrmind_rewards.core.parsing.envelope.PREFILL`) is put back in front of it, as
   EHRMind's decoded text has it. The answer text is the *last* ``<answer>…</answer>`` block.
2. ``validate_response_structure``: ``<think>``, ``</think>``, ``<answer>``, ``</answer>`` each
   exactly once in that text (the pre-fill's ``<think>`` counts, so a response that opens
   ``<think>`` again fails), and in that order by first position.
3. ``check_json_format``: the answer parses as JSON and ``"prediction"`` and ``"label"`` are
   ``in`` it — for an object its keys, for a list its items, for a string its substrings.
4. ``check_tail_after_answer_tag``: after the last ``</answer>`` only whitespace and
   ``<|eot_id|>`` tokens.
5. Format passed → 0.1, else −2. ``calculate_answer_score``: correct iff
   ``str(answer["label"]) == str(gold)`` and ``str(answer["prediction"])`` equals the gold class
   name exactly — so the string ``"1"`` counts as ``1``, ``1.0`` and ``true`` do not, names are
   case-sensitive and synonyms are not accepted; a ``probability`` key is never read. A correct
   answer earns 1 on training sources and 0.5·N/N_class on ``_test`` sources: here the row's
   ``class_weight`` (1 on training rows by default, see :mod:`.weights`). An answer that is not
   an object earns −2 from the bare ``except`` and hence a total of 0.
6. Total: format + answer when the answer score is positive, else 0 (format passed) or −2.

Where EHRMind's code crashes this module answers instead: a JSON answer that is a number,
``true``/``false`` or ``null`` (``"label" in 5`` raises ``TypeError``, which EHRMind does not
catch) and an integer literal longer than Python's 4,300-digit limit are format failures (−2);
inputs over :data:`~ehrmind_rewards.core.parsing.envelope.MAX_COMPLETION_CHARS` are format
failures too (EHRMind reads any length). EHRMind has no multilabel task: ``chexpert`` rows are
``bad_record`` under this spec.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ehrmind_rewards.core.parsing.envelope import (
    MAX_COMPLETION_CHARS,
    PREFILL,
    EnvelopeFailure,
    completion_parts,
)
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.tasks.ehrshot.benchmark import Task, TaskKind
from ehrmind_rewards.tasks.ehrshot.verifier import _reference
from schemas.reasons import Reason
from schemas.verdict import Verdict

ASSISTANT_HEADERS = (
    "Assistant:",
    "<|im_start|>assistant",
    "<|start_header_id|>assistant<|end_header_id|>",
)
"""Where EHRMind's ``extract_solution`` cuts the decoded text, tried in this order."""

ALLOWED_TAIL_TOKENS = frozenset({"<|eot_id|>"})
"""What ``check_tail_after_answer_tag`` allows after ``</answer>`` besides whitespace."""

TAGS = ("<think>", "</think>", "<answer>", "</answer>")
REQUIRED_KEYS = ("prediction", "label")


def processed_text(text: str) -> str:
    """EHRMind's ``processed_str``: after the first assistant header, else pre-fill + text.

    >>> processed_text("</think><answer>{}</answer>")
    'Let me solve this step by step.\\n<think></think><answer>{}</answer>'
    """
    for header in ASSISTANT_HEADERS:
        if header in text:
            return text.split(header, 1)[1].strip()
    return (PREFILL + text).strip()


def answer_blocks(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the content of each ``<answer>…</answer>`` block, as EHRMind's
    ``re.findall(r'<answer>(.*?)</answer>', text, re.DOTALL)`` finds them, in linear time.

    >>> answer_blocks("<answer>a</answer> <answer>b</answer>")
    [(8, 9), (27, 28)]
    """
    blocks: list[tuple[int, int]] = []
    position = 0
    while True:
        start = text.find("<answer>", position)
        if start < 0:
            return blocks
        end = text.find("</answer>", start + len("<answer>"))
        if end < 0:
            return blocks
        blocks.append((start + len("<answer>"), end))
        position = end + len("</answer>")


def structure_ok(text: str) -> bool:
    """``validate_response_structure``: each tag exactly once, in order by first position.

    >>> structure_ok("<think>a</think><answer>b</answer>"), structure_ok("<think><think>")
    (True, False)
    """
    if any(text.count(tag) != 1 for tag in TAGS):
        return False
    positions = [text.find(tag) for tag in TAGS]
    return positions == sorted(positions)


def tail_ok(text: str, blocks: list[tuple[int, int]]) -> bool:
    """``check_tail_after_answer_tag``: nothing but whitespace and ``<|eot_id|>`` after the last
    ``</answer>`` (and at least one block)."""
    if not blocks:
        return False
    tail = text[blocks[-1][1] + len("</answer>") :].strip()
    return all(token in ALLOWED_TAIL_TOKENS for token in tail.split())


class _Crash(Exception):
    """Where EHRMind's own code would raise (uncaught): scored as a format failure here."""


def _loads(text: str) -> object:
    """``json.loads`` as EHRMind calls it; only ``JSONDecodeError`` is EHRMind's format failure."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except (ValueError, RecursionError) as error:  # e.g. an over-long integer literal
        raise _Crash(f"json.loads raised {type(error).__name__}") from None


def json_ok(answer: str | None) -> bool:
    """``check_json_format``: non-empty, valid JSON, and both keys ``in`` the value."""
    if not answer:
        return False
    try:
        data = _loads(answer)
    except json.JSONDecodeError:
        return False
    try:
        return all(key in data for key in REQUIRED_KEYS)  # type: ignore[operator]
    except TypeError:
        raise _Crash(f"'label' in {type(data).__name__} raises TypeError") from None


def verify_ehrmind(completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
    """Grade one completion as EHRMind's released EHRSHOT reward does. Never raises.

    >>> from ehrmind_rewards.core.rewards import EHRMIND_COMPAT as spec
    >>> row = {"ehrshot_task": "new_lupus", "label": 1}
    >>> verify_ehrmind('x</think><answer>{"prediction": "lupus", "label": "1"}</answer>',
    ...                row, spec).score
    1.1
    >>> verify_ehrmind('<think>x</think><answer>{"prediction": "lupus", "label": 1}</answer>',
    ...                row, spec).score
    -2.0
    """
    reference = _reference(row)
    if isinstance(reference, str):
        return spec.verdict(
            format_ok=True, correct=None, reason=Reason.BAD_RECORD, detail=reference
        )
    task, gold, weight = reference
    if task.kind is TaskKind.MULTILABEL or not isinstance(gold, int):
        return spec.verdict(
            format_ok=True,
            correct=None,
            reason=Reason.BAD_RECORD,
            detail=f"{task.name}: EHRMind's reward has no rule for multilabel tasks",
        )
    parts = completion_parts(completion)
    if isinstance(parts, EnvelopeFailure):
        return spec.verdict(format_ok=False, correct=None, reason=parts.reason, detail=parts.detail)
    text = parts[0]
    if len(text) > MAX_COMPLETION_CHARS:
        return spec.verdict(
            format_ok=False, correct=None, reason=Reason.TOO_LONG, detail="input cap exceeded"
        )
    try:
        return _score(processed_text(text), task, gold, weight, spec)
    except _Crash as crash:
        return spec.verdict(
            format_ok=False,
            correct=None,
            reason=Reason.PAYLOAD_NOT_OBJECT,
            detail=f"EHRMind's reward would crash here: {crash}",
        )


def _score(text: str, task: Task, gold: int, weight: float, spec: RewardSpec) -> Verdict:
    blocks = answer_blocks(text)
    answer = text[blocks[-1][0] : blocks[-1][1]].strip() if blocks else None
    if not structure_ok(text):
        reason = Reason.DUPLICATE_THINK if text.count("<think>") > 1 else Reason.TAG_ORDER
        if not blocks:
            reason = Reason.MISSING_ANSWER
        return spec.verdict(
            format_ok=False, correct=None, reason=reason, detail="EHRMind: tag count or order"
        )
    if not json_ok(answer):
        return spec.verdict(
            format_ok=False, correct=None, reason=Reason.INVALID_JSON, detail="EHRMind: JSON"
        )
    if not tail_ok(text, blocks):
        return spec.verdict(
            format_ok=False, correct=None, reason=Reason.TRAILING_TEXT, detail="EHRMind: tail"
        )
    assert answer is not None
    data = _loads(answer)
    if not isinstance(data, dict):  # EHRMind: data.get raises, the bare except scores −2 → 0
        return spec.verdict(
            format_ok=True,
            correct=False,
            reason=Reason.PAYLOAD_NOT_OBJECT,
            detail="answer is not an object (EHRMind's answer score −2, total 0)",
        )
    stated_label = str(data.get("label"))
    stated_name = str(data.get("prediction"))
    gold_name = task.class_names[gold]
    label = int(stated_label) if stated_label.isdigit() and len(stated_label) < 4 else None
    correct = stated_label == str(gold) and stated_name == gold_name
    parsed = f"{stated_name[:40]} ({stated_label[:20]})"
    if correct and weight <= 0:  # EHRMind: an answer score of 0 is not > 0, so the total is 0
        verdict = spec.verdict(
            format_ok=True, correct=True, reason=Reason.CORRECT, parsed=parsed, label=label
        )
        nothing = {"format": 0.0, "correctness": 0.0}
        return verdict.model_copy(update={"score": 0.0, "components": nothing})
    return spec.verdict(
        format_ok=True,
        correct=correct,
        reason=Reason.CORRECT if correct else Reason.WRONG_ANSWER,
        parsed=parsed,
        weight=weight,
        label=label if label is not None and label < task.n_classes else None,
        detail=None if correct else f"reference {gold_name} ({gold})",
    )
