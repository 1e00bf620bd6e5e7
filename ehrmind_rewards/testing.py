"""A property-based testing kit for reward functions (needs the ``dev`` extra: hypothesis).

Strategies:

* :func:`answer_forms` — the surface forms a correct answer may take (deterministic list);
* :func:`completion_around` / :func:`well_formed_completions` — valid envelopes around an answer
  (plain, pre-filled ``<think>``, end-of-turn tokens, chat messages, the reasoning split off into
  ``reasoning_content``, ``thinking`` or ``reasoning``, an empty split-off think block);
* :func:`end_of_turn_tails` — whitespace and end-of-turn tokens of every listed chat template,
  in any number and order, as a decoder leaves them after ``</answer>``;
* :func:`structural_defects` — completions that break the format, each with its expected reason;
* :func:`hedged_answers` — answers that hedge around a value (``25.2 or more``, ``at least 25.2``,
  ``25.2 (twenty-six)``, ``25²``, …), each with the reason it must get;
* :func:`value_forms` / :func:`label_arrays` / :func:`record_layouts` — one record as pipelines
  deliver it: numpy, pandas-missing, pyarrow and ``Decimal`` values, integral floats, arrays for
  multilabel labels, benchmark column spellings, verl's ``ground_truth``/``extra_info`` split and
  EHRMind's ``reward_model`` layout;
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

from ehrmind_rewards.core.parsing.envelope import END_OF_TURN, MAX_COMPLETION_CHARS
from ehrmind_rewards.core.rewards import EHRMIND, RewardSpec, get_spec
from schemas.reasons import Reason

__all__ = [
    "ENVELOPE_STYLES",
    "EVAL_PAYLOADS",
    "answer_forms",
    "assert_reward_invariants",
    "completion_around",
    "end_of_turn_tails",
    "hedged_answers",
    "hostile_completions",
    "label_arrays",
    "record_layouts",
    "spec_scores",
    "structural_defects",
    "value_forms",
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
    "end_of_sentence",
    "messages",
    "reasoning_content",
    "thinking",
    "reasoning",
    "empty_think",
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
    if style == "end_of_sentence":
        return f"<think>{think}</think><answer>{body}</answer><｜end▁of▁sentence｜>"
    if style in ("reasoning_content", "thinking", "reasoning"):
        return [{"role": "assistant", style: think, "content": f"<answer>{body}</answer>"}]
    if style == "empty_think":  # Qwen3's parser drops the key when the think block is empty
        return [{"role": "assistant", "content": f"<answer>{body}</answer>"}]
    raise ValueError(f"unknown envelope style {style!r}")


def end_of_turn_tails(max_tokens: int = 8) -> st.SearchStrategy[str]:
    """Text a decoder may leave after ``</answer>``: whitespace and end-of-turn tokens."""
    piece = st.one_of(st.sampled_from(list(END_OF_TURN)), st.sampled_from([" ", "\n", "\t"]))
    return st.lists(piece, max_size=max_tokens).map("".join)


def hedged_answers(value: str = "25.2") -> list[tuple[str, Reason]]:
    """Answers that state ``value`` but hedge around it, each with the reason it must get: none
    of them may earn the reward of ``value`` itself."""
    many, expression = Reason.MULTIPLE_CANDIDATES, Reason.EXPRESSION
    return [
        (f"{value} or more", many),
        (f"{value}+", many),
        (f"{value} +", many),
        (f"at least {value}", many),
        (f"at most {value}", many),
        (f"more than {value}", many),
        (f"> {value}", many),
        (f"≥{value}", many),
        (f"{value} or thirty", many),
        (f"{value} (twenty-six)", many),
        (f"{value} or higher", many),
        (f"{value} 1.73", many),
        (f"{value} ± 1", many),
        (f"{value}-", many),
        (f"{value}²", expression),
        (f"{value}^2", expression),
    ]


def value_forms(value: int | float | str) -> st.SearchStrategy[object]:
    """``value`` (an id, a label or a limit) as pipelines deliver it: the value itself, as text,
    as a float when integral, as numpy scalars, as ``Decimal`` and as a pyarrow scalar."""
    import numpy as np

    forms: list[object] = [value, str(value)]
    number = float(value)
    if number.is_integer():
        forms += [number, np.int64(int(number)), np.int32(int(number)), np.float64(number)]
    else:
        forms += [number, np.float64(number), Decimal(str(value))]
    if isinstance(value, str):
        forms.append(np.str_(value))
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - pyarrow is in the dev extra
        pass
    else:
        forms.append(pa.scalar(value))
    return st.sampled_from(forms)


def label_arrays(bits: list[int]) -> st.SearchStrategy[object]:
    """A multilabel label (zeros and ones) as a list, a tuple, numpy arrays of int, float and
    bool, or the JSON text of the list."""
    import numpy as np

    return st.sampled_from(
        [
            list(bits),
            tuple(bits),
            np.array(bits, dtype=np.int64),
            np.array(bits, dtype=np.float64),
            np.array(bits, dtype=bool),
            [float(bit) for bit in bits],
            json.dumps(bits),
        ]
    )


def _spellings(column: str) -> list[str]:
    words = column.split("_")
    return [
        column,
        " ".join(word.capitalize() for word in words),
        column.upper(),
        "-".join(words),
        "".join(word.capitalize() for word in words),
    ]


def record_layouts(
    row: dict[str, Any], data_source: str = "", *, aliases: dict[str, str] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """One record in the layouts trainers and files deliver, as keyword arguments of the form
    ``{"data_source": …, "ground_truth": …, "extra_info": …}`` (verl's call) or ``{"row": …}``
    (a dataset row for TRL and ``grade``).

    ``row`` uses the verifier's column names (its ``ground_truth`` or ``label`` is the label of
    the scalar layout); ``aliases`` maps some of them to another layout's
    names (EHRMind's ``{"calculator_id": "calid", "ground_truth": "target"}``), used inside
    ``ground_truth`` as that layout does. Layouts: the flat row with column names in other
    spellings (``Ground Truth Answer``, ``GROUND_TRUTH``, ``ground-truth``, ``GroundTruth``); the
    record as ``ground_truth`` (a dict or its JSON text); the label as a scalar ``ground_truth``
    with the other columns in ``extra_info``; EHRMind's parquet row (``data_source``,
    ``reward_model = {"style": "rule", "ground_truth": …}``, ``extra_info``).
    """
    renamed = {(aliases or {}).get(key, key): value for key, value in row.items()}
    label_key = next((key for key in ("ground_truth", "label") if key in row), next(iter(row)))
    scalar_label = {
        "ground_truth": row[label_key],
        "extra_info": {k: v for k, v in row.items() if k != label_key},
    }
    spelled = st.tuples(*(st.sampled_from(_spellings(key)) for key in row)).map(
        lambda names: {"row": dict(zip(names, row.values(), strict=True))}
    )
    extra = {"split": "train", "index": 0}
    layouts = [
        st.just({"data_source": data_source, "ground_truth": renamed, "extra_info": extra}),
        st.just(
            {
                "data_source": data_source,
                "ground_truth": json.dumps(renamed, default=str),
                "extra_info": extra,
            }
        ),
        st.just({"data_source": data_source, **scalar_label}),
        st.just(
            {
                "row": {
                    "data_source": data_source,
                    "ability": "clinical",
                    "reward_model": {"style": "rule", "ground_truth": renamed},
                    "extra_info": extra,
                }
            }
        ),
        spelled,
    ]
    return st.one_of(layouts)


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
