"""A property-based testing kit for reward functions (needs the ``dev`` extra: hypothesis).

Strategies:

* :func:`answer_forms` — the surface forms a correct answer may take (deterministic list);
* :func:`completion_around` / :func:`well_formed_completions` — valid envelopes around an answer
  (plain, pre-filled ``<think>``, end-of-turn tokens, chat messages, ``reasoning_content``);
* :func:`structural_defects` — completions that break the format, each with its expected reason;
* :func:`hostile_completions` — huge, deeply nested, repeated-tag, unicode, eval-payload and
  regex-bomb inputs, and values that are not text at all.

Invariant helpers: :func:`assert_reward_invariants` (never raises, score is one the spec can give,
deterministic) and :func:`spec_scores`.

Example::

    from hypothesis import given
    from ehrmind_rewards import grade
    from ehrmind_rewards.testing import assert_reward_invariants, hostile_completions

    @given(hostile_completions())
    def test_grade_survives(completion):
        assert_reward_invariants(lambda c: grade(c, ROW).score, completion)
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ehrmind_rewards.core.parsing.envelope import MAX_COMPLETION_CHARS
from ehrmind_rewards.core.rewards import EHRMIND, RewardSpec, get_spec
from schemas.reasons import Reason

__all__ = [
    "EVAL_PAYLOADS",
    "answer_forms",
    "assert_reward_invariants",
    "completion_around",
    "hostile_completions",
    "spec_scores",
    "structural_defects",
    "well_formed_completions",
]

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _decimal_forms(text: str) -> list[object]:
    value = Decimal(text)
    plain = format(value, "f")
    forms: list[object] = [_raw(plain), plain, f"{plain} units", f"{plain} mL/min/1.73 m²"]
    forms.append(f"{value.scaleb(-2):f}e2")
    forms.append(f"{value.scaleb(-3):f} × 10^3")
    if value < 0:
        forms.append("−" + plain[1:])
    else:
        forms.append("+" + plain)
    if abs(value) >= 1000:
        forms.append(f"{value:,f}")
    if "." not in plain:
        forms.append(plain + ".0")
    return forms


def _integer_forms(text: str) -> list[object]:
    value = int(Decimal(text))
    forms: list[object] = [_raw(str(value)), str(value), f"{value} points", f"{value}.0"]
    forms.append(_raw(f"{value}.0"))
    forms.append(f"{value:+d}" if value >= 0 else "−" + str(-value))
    return forms


def _date_forms(date: _dt.date) -> list[object]:
    month = _MONTH_NAMES[date.month - 1]
    return [
        date.strftime("%m/%d/%Y"),
        f"{date.month}/{date.day}/{date.year}",
        date.isoformat(),
        f"{month} {date.day}, {date.year}",
        f"{date.day} {month[:3]} {date.year}",
        f"{month[:3]}. {date.day} {date.year}",
    ]


def _weeks_days_forms(weeks: int, days: int) -> list[object]:
    total = weeks * 7 + days
    return [
        f"({weeks} weeks, {days} days)",
        f"{weeks} weeks and {days} day{'s' if days != 1 else ''}",
        f"{weeks}w {days}d",
        [f"{weeks} weeks", f"{days} days"],
        [weeks, days],
        {"weeks": weeks, "days": days},
        f"{total} days",
        f"('{weeks} weeks', '{days} days')",
    ]


class _raw(str):
    """A number to be written into the JSON payload bare (``25.2``), not as a string."""

    __slots__ = ()


def answer_forms(ground_truth: str, kind: str) -> list[object]:
    """Every surface form of ``ground_truth`` a verifier must accept, for one answer kind.

    ``kind`` is ``"decimal"``, ``"integer"``, ``"date"`` (``ground_truth`` in ``MM/DD/YYYY``) or
    ``"weeks_days"`` (``ground_truth`` as MedCalc-Bench writes it: ``"('14 weeks', '1 days')"``).
    """
    if kind == "decimal":
        return _decimal_forms(ground_truth)
    if kind == "integer":
        return _integer_forms(ground_truth)
    if kind == "date":
        month, day, year = (int(part) for part in ground_truth.split("/"))
        return _date_forms(_dt.date(year, month, day))
    if kind == "weeks_days":
        numbers = [
            int(token) for token in ground_truth.replace("'", " ").split() if token.isdigit()
        ]
        weeks, days = numbers
        return _weeks_days_forms(weeks, days)
    raise ValueError(f"unknown answer kind {kind!r}")


def payload_json(answer: object, key: str = "answer") -> str:
    """The JSON object text holding ``answer`` (raw numeric forms are written bare)."""
    if isinstance(answer, _raw):
        return f'{{"{key}": {answer}}}'
    return json.dumps({key: answer}, ensure_ascii=False)


ENVELOPE_STYLES = (
    "plain",
    "prefilled",
    "newlines",
    "eot",
    "im_end",
    "messages",
    "reasoning_content",
)
"""The envelope variants :func:`completion_around` can write."""


def completion_around(answer: object, style: str = "plain", think: str = "Reasoning.") -> object:
    """A valid completion carrying ``answer`` (see :data:`ENVELOPE_STYLES`)."""
    body = payload_json(answer)
    if style == "plain":
        return f"<think>{think}</think><answer>{body}</answer>"
    if style == "prefilled":
        return f"{think}\n</think>\n<answer>{body}</answer>"
    if style == "newlines":
        return f"<think>\n{think}\n</think>\n\n<answer>\n{body}\n</answer>\n"
    if style == "eot":
        return f"<think>{think}</think><answer>{body}</answer><|eot_id|>"
    if style == "im_end":
        return f"<think>{think}</think> <answer> {body} </answer>\n<|im_end|>\n"
    if style == "messages":
        return [
            {"role": "user", "content": "question"},
            {"role": "assistant", "content": f"<think>{think}</think><answer>{body}</answer>"},
        ]
    if style == "reasoning_content":
        return [
            {"role": "assistant", "reasoning_content": think, "content": f"<answer>{body}</answer>"}
        ]
    raise ValueError(f"unknown envelope style {style!r}")


_THINK_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="<>"), max_size=200
).filter(lambda text: "</think>" not in text)


def well_formed_completions(forms: list[object]) -> st.SearchStrategy[object]:
    """Valid completions whose answer is any of ``forms``, in any envelope style."""
    return st.builds(
        completion_around, st.sampled_from(forms), st.sampled_from(ENVELOPE_STYLES), _THINK_TEXT
    )


def structural_defects(answer: object = "1") -> list[tuple[object, Reason]]:
    """Completions with one structural defect each, paired with the reason they must get."""
    body = payload_json(answer)
    block = f"<answer>{body}</answer>"
    return [
        (None, Reason.NOT_TEXT),
        (42, Reason.NOT_TEXT),
        ("", Reason.EMPTY),
        ("   \n", Reason.EMPTY),
        ("x" * (MAX_COMPLETION_CHARS + 1), Reason.TOO_LONG),
        (block, Reason.MISSING_THINK),
        (f"<think>a</think><think>b</think>{block}", Reason.DUPLICATE_THINK),
        ("<think>a</think>", Reason.MISSING_ANSWER),
        (f"<think>a</think><answer>{body}", Reason.MISSING_ANSWER),
        (f"<think>a</think>{block}{block}", Reason.DUPLICATE_ANSWER),
        (f"{block}<think>a</think>", Reason.TAG_ORDER),
        (f"<think>a</think>so the answer is {block}", Reason.TEXT_BETWEEN_BLOCKS),
        (f"<think>a</think>{block} Hope this helps!", Reason.TRAILING_TEXT),
        ("<think>a</think><answer>{'answer': 1}</answer>", Reason.INVALID_JSON),
        ("<think>a</think><answer>42</answer>", Reason.PAYLOAD_NOT_OBJECT),
        ('<think>a</think><answer>{"result": 1}</answer>', Reason.MISSING_KEY),
        ('<think>a</think><answer>{"answer": 1, "answer": 2}</answer>', Reason.DUPLICATE_KEY),
    ]


EVAL_PAYLOADS = (
    "__import__('os').system('touch {marker}')",
    "__import__('pathlib').Path('{marker}').touch()",
    "open('{marker}', 'w').write('pwned')",
    "str(__import__('pathlib').Path('{marker}').touch())",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(lambda: __import__('pathlib').Path('{marker}').touch())()",
    "Symbol('x').__class__.__init__.__globals__['__builtins__']['exec']('1')",
)
"""Code a careless grader would execute; ``{marker}`` names a file that must never appear."""


def _hostile_texts() -> st.SearchStrategy[str]:
    tag = st.sampled_from(["<think>", "</think>", "<answer>", "</answer>", "{", "}", '"answer":'])
    return st.one_of(
        st.text(max_size=300),
        st.lists(tag, max_size=60).map("".join),
        st.integers(1, 50_000).map(lambda n: "<think>" * n + "</answer>" * n),
        st.integers(1, 5_000).map(lambda n: f"<think>x</think><answer>{'[' * n}{']' * n}</answer>"),
        st.integers(1, 5_000).map(
            lambda n: (
                '<think>x</think><answer>{"answer": ' + '{"a":' * n + "1" + "}" * n + "}</answer>"
            )
        ),
        st.sampled_from(EVAL_PAYLOADS).map(
            lambda p: (
                '<think>x</think><answer>{"answer": "'
                + p.format(marker="/tmp/ehrmind-pwned").replace('"', '\\"')
                + '"}</answer>'
            )
        ),
        st.integers(1, 20_000).map(
            lambda n: '<think>x</think><answer>{"answer": "' + "1" * n + 'x"}</answer>'
        ),
        st.integers(1, 200).map(
            lambda n: '<think>x</think><answer>{"answer": "' + "1," * n + '"}</answer>'
        ),
        st.integers(1, 200).map(
            lambda n: '<think>x</think><answer>{"answer": "' + " " * n + "1 " * n + '"}</answer>'
        ),
        st.sampled_from(["\x00", "\ud800", "\u202e", "﷽", "𝟙𝟚.𝟛", "٣٤", "1e99999999", "-0"]).map(
            lambda s: '<think>x</think><answer>{"answer": ' + json.dumps(s) + "}</answer>"
        ),
        st.just("<think>" + "a" * (1 << 20) + '</think><answer>{"answer": 1}</answer>'),
        st.just("(" * (1 << 20)),
    )


def hostile_completions() -> st.SearchStrategy[object]:
    """Adversarial completions: texts built to crash, hang or trick a grader; non-text values."""
    others: st.SearchStrategy[object] = st.one_of(
        st.none(),
        st.integers(),
        st.floats(),
        st.binary(max_size=50),
        st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
        st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=20)), max_size=4),
        st.lists(
            st.fixed_dictionaries(
                {"role": st.sampled_from(["assistant", "user"]), "content": _hostile_texts()}
            ),
            max_size=3,
        ),
    )
    return st.one_of(_hostile_texts(), others)


def spec_scores(spec: str | RewardSpec | None = None) -> tuple[float, float, float]:
    """The scores ``spec`` gives a format failure, a wrong answer and a correct one (weight 1)."""
    resolved = get_spec(spec)
    return (
        resolved.format_failure,
        resolved.wrong + resolved.format_ok_when_wrong,
        resolved.correct + resolved.format_ok,
    )


def assert_reward_invariants(
    score: Callable[[Any], float | None],
    completion: object,
    spec: str | RewardSpec | None = EHRMIND,
    *,
    allow_none: bool = False,
) -> float | None:
    """Assert that ``score(completion)`` never raises, is one of ``spec``'s values, and repeats.

    Graded specs may also give any value between the wrong and the correct score. Returns the score.
    """
    first = score(completion)
    second = score(completion)
    assert first == second or (first != first and second != second), "not deterministic"
    if first is None:
        assert allow_none, "scored None"
        return None
    assert isinstance(first, float), f"score {first!r} is not a float"
    fail, wrong, right = spec_scores(spec)
    if get_spec(spec).partial_credit == "none":
        assert first in (fail, wrong, right), f"score {first} not in {(fail, wrong, right)}"
    else:
        assert first == fail or wrong <= first <= right, f"score {first} out of range"
    return first
