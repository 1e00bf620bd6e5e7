"""Record normalization: values of any library, layouts of any pipeline, one verdict."""

from __future__ import annotations

import decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards import grade
from ehrmind_rewards.adapters.verl import compute_score
from ehrmind_rewards.core import registry
from ehrmind_rewards.core.dispatch import normalize_batch, resolve
from ehrmind_rewards.core.rows import flatten_record, plain_value, record_from
from ehrmind_rewards.testing import label_arrays, record_layouts, value_forms

pd = pytest.importorskip("pandas", reason="pandas values are part of the table")
pa = pytest.importorskip("pyarrow", reason="pyarrow values are part of the table")

MEDCALC = {
    "calculator_id": 2,
    "ground_truth": "25.238",
    "lower_limit": "23.9761",
    "upper_limit": "26.4999",
}
RIGHT = '<think>r</think><answer>{"answer": 25.24}</answer>'
CHEXPERT = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]
CHEXPERT_RIGHT = (
    '<think>r</think><answer>{"prediction": ["Cardiomegaly", "Pleural Effusion", '
    '"Support Devices"], "label": ' + str(CHEXPERT) + "}</answer>"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (np.int64(2), 2),
        (np.float64(25.238), 25.238),
        (np.str_("25.238"), "25.238"),
        (np.bool_(True), True),
        (np.array([0, 1]), [0, 1]),
        (np.array([[1, 0]]), [[1, 0]]),
        (np.array(3), 3),
        (float("nan"), None),
        (np.float64("nan"), None),
        (pd.NA, None),
        (pd.NaT, None),
        (pd.Series([1, 0]), [1, 0]),
        (pa.scalar(2), 2),
        (pa.scalar("x"), "x"),
        (pa.array([1, 0]), [1, 0]),
        (decimal.Decimal("25.20"), "25.20"),
        (decimal.Decimal("NaN"), None),
        ((1, (2.0, np.int8(3))), [1, [2.0, 3]]),
        ({"a": np.int64(1)}, {"a": 1}),
    ],
    ids=repr,
)
def test_plain_values(value: object, expected: object) -> None:
    assert plain_value(value) == expected
    assert type(plain_value(value)) is type(expected)


@pytest.mark.parametrize(
    ("row", "flat"),
    [
        ({"a": 1}, {"a": 1}),
        (
            {"reward_model": {"ground_truth": '{"b": 2}'}, "extra_info": '{"c": 3}'},
            {"b": 2, "c": 3},
        ),
        (
            {"reward_model": {"ground_truth": 7}, "extra_info": {"c": 3}},
            {"ground_truth": 7, "c": 3},
        ),
        ({"ground_truth": {"b": 2}, "b": 9}, {"b": 2}),  # the ground truth wins
        ({"extra_info": {"b": 2}, "b": 9}, {"b": 2}),
        ({"ground_truth": "{not json}"}, {"ground_truth": "{not json}"}),
        ({"reward_model": "not a dict"}, {"reward_model": "not a dict"}),
    ],
)
def test_layouts_flatten(row: dict[str, Any], flat: dict[str, Any]) -> None:
    assert flatten_record(row) == flat


def test_record_from_merges_ground_truth_over_extra_info() -> None:
    assert record_from({"label": 1}, {"label": 0, "idx": 1}) == {"label": 1, "idx": 1}
    assert record_from(np.int64(2), None) == {"ground_truth": 2}
    assert record_from(None, None) == {}


CANONICAL_ROWS = {
    "medcalc": st.fixed_dictionaries(
        {"calculator_id": st.integers(0, 99), "ground_truth": st.text(max_size=8)},
        optional={
            "lower_limit": st.text(max_size=6),
            "upper_limit": st.none(),
            "note": st.text(max_size=5),
        },
    ),
    "trials": st.fixed_dictionaries(
        {"label": st.one_of(st.integers(-1, 3), st.text(max_size=4))},
        optional={"idx": st.integers(0, 2)},
    ),
    "ehrshot": st.fixed_dictionaries(
        {"ehrshot_task": st.sampled_from(["guo_icu", "new_lupus", "x"]), "label": st.integers(0, 9)}
    ),
}


@pytest.mark.parametrize("task", sorted(CANONICAL_ROWS))
@settings(max_examples=60)
@given(data=st.data())
def test_normalize_row_returns_a_canonical_plain_row_unchanged(
    task: str, data: st.DataObject
) -> None:
    """The contract that lets adapters skip ``normalize_row`` for plain batches."""
    row = data.draw(CANONICAL_ROWS[task])
    family = registry.get(task)
    assert family.normalize_row(row) == row
    assert normalize_batch(family, {k: [v] for k, v in row.items()}) == [row]


@settings(max_examples=80, deadline=None)
@given(
    cid=value_forms(2),
    truth=value_forms("25.238"),
    lower=value_forms(23.9761),
    upper=value_forms("26.4999"),
)
def test_values_of_any_library_grade_like_plain_ones(
    cid: object, truth: object, lower: object, upper: object
) -> None:
    row = {"calculator_id": cid, "ground_truth": truth, "lower_limit": lower, "upper_limit": upper}
    assert grade(RIGHT, row).score == 1.1
    assert compute_score("medcalc", RIGHT, row)["score"] == 1.1


@settings(max_examples=40, deadline=None)
@given(label=label_arrays(CHEXPERT))
def test_multilabel_labels_in_any_array_form(label: object) -> None:
    row = {"ehrshot_task": "chexpert", "label": label}
    assert grade(CHEXPERT_RIGHT, row).score == 1.1
    assert (
        compute_score("ehrshot", CHEXPERT_RIGHT, {"label": label}, {"ehrshot_task": "chexpert"})[
            "score"
        ]
        == 1.1
    )


EHRMIND_NAMES = {
    "medcalc": {"calculator_id": "calid", "ground_truth": "target"},
    "trials": {"label": "target"},
    "ehrshot": {"label": "target"},
}
LAYOUT_CASES = [
    ("medcalc", MEDCALC, "medcalc_lab_test", RIGHT),
    (
        "trials",
        {"label": 2},
        "matching_train",
        '<think>r</think><answer>{"prediction": "Eligible", "idx": 2}</answer>',
    ),
    (
        "ehrshot",
        {"label": 1, "ehrshot_task": "new_lupus"},
        "new_lupus_test",
        '<think>r</think><answer>{"prediction": "lupus", "label": 1}</answer>',
    ),
]


@pytest.mark.parametrize(("task", "row", "source", "completion"), LAYOUT_CASES)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_every_layout_of_a_record_grades_alike(
    task: str, row: dict[str, Any], source: str, completion: str, data: st.DataObject
) -> None:
    layout = data.draw(record_layouts(row, source, aliases=EHRMIND_NAMES[task]))
    if "row" in layout:
        delivered = layout["row"]
        if "data_source" not in delivered and task != "medcalc":
            delivered = {**delivered, "task": task}
        resolved = resolve(delivered)
        assert isinstance(resolved, tuple) and resolved[0].name == task, layout
        assert grade(completion, delivered).score == 1.1
    else:
        result = compute_score(
            layout["data_source"], completion, layout["ground_truth"], layout["extra_info"]
        )
        assert result["score"] == 1.1, layout
