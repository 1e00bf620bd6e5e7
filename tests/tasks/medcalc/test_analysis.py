"""Each error-analysis kind, on constructed completions graded end to end.

Real MedCalc-Bench v1.0 rows are used where the data has a fitting label (row numbers given);
rows the data lacks (a temperature label, a swappable date) are written inline.
"""

from __future__ import annotations

from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.tasks.medcalc.analysis import classify_wrong_value
from tests.helpers import completion

MEDCALC = GradeOptions(task="medcalc", verdicts_format="jsonl")

# (v1.0 row number, completion, expected kind, expected sub-kind or None)
DATASET_CASES = [
    (1, "no tags at all", "missing_think", None),
    (
        1,
        '<think>a</think><answer>{"answer": 1}</answer><answer>{}</answer>',
        "duplicate_answer",
        None,
    ),
    (1, "<think>a</think>no answer block", "missing_answer", None),
    (1, "<think>a</think><answer>{answer: 25}</answer>", "invalid_json", None),
    (1, '<think>a</think><answer>{"value": 25}</answer>', "missing_key", None),
    (
        1,
        '<think>a</think><answer>{"answer": 25.3}</answer> I hope this helps',
        "trailing_text",
        None,
    ),
    (1, completion("about twenty-five"), "unparseable_value", None),
    (1, completion(27.6), "near_miss", None),  # label 25.238, limits 23.9761–26.4999
    (1, completion(500), "other_wrong", None),
    (2, completion(3359.2), "unit_slip", "×88.4 creatinine mg/dL↔µmol/L"),  # 38 mg/dL·88.4
    (968, completion(162.6), "unit_slip", "×2.20462 kg↔lb"),  # target weight 73.759 kg in lb
    (507, completion(0.00247), "unit_slip", "÷100 %↔fraction (or m↔cm)"),  # FENa 0.247 %
    (467, completion(0.828), "sign_error", None),  # ID 38 label −0.828
    (41, completion(5), "near_miss", "off by one point"),  # CHA2DS2-VASc label 4
    (928, completion("09/22/2014"), "date_off_by_one", "date"),  # due date 09/23/2014
    (1028, completion("(0 weeks, 5 days)"), "date_off_by_one", "gestational age"),  # 0 w 6 d
]

INLINE_CASES = [
    ({"calculator_id": 13, "ground_truth": "03/07/2015"}, "07/03/2015", "day_month_swap", None),
    (
        {"calculator_id": 2, "ground_truth": "37", "lower_limit": "35.15", "upper_limit": "38.85"},
        98.6,
        "unit_slip",
        "°C→°F",
    ),
    (
        {"calculator_id": 2, "ground_truth": "170", "lower_limit": "161.5", "upper_limit": "178.5"},
        66.93,
        "unit_slip",
        "÷2.54 cm↔in",
    ),
]


def test_each_kind_on_real_rows(jsonl, v1_references) -> None:
    path = jsonl(  # several answers to one dataset row are samples of it
        [
            {"id": row, "sample": n, "completion": text}
            for n, (row, text, _, _) in enumerate(DATASET_CASES)
        ]
    )
    result = grade_file(path, MEDCALC, references=v1_references)
    assert not result.tally.bad_rows
    examples = {k: v for k, v in result.tally.examples.items()}
    for (row, _, kind, subkind), line in zip(DATASET_CASES, range(1, 100), strict=False):
        kept = [e for e in examples.get(kind, []) if e["line"] == line]
        assert kept, f"row {row}: expected kind {kind}, got {dict(result.tally.kinds)}"
        if subkind is not None:
            assert kept[0]["subkind"] == subkind
    expected_counts: dict[str, int] = {}
    for _, _, kind, _ in DATASET_CASES:
        expected_counts[kind] = expected_counts.get(kind, 0) + 1
    assert dict(result.tally.kinds) == expected_counts


def test_each_kind_on_inline_rows(jsonl) -> None:
    rows = [{"completion": completion(answer), **row} for row, answer, _, _ in INLINE_CASES]
    result = grade_file(jsonl(rows), MEDCALC)
    assert not result.tally.bad_rows
    for line, (_, _, kind, subkind) in enumerate(INLINE_CASES, start=1):
        (example,) = [e for e in result.tally.examples[kind] if e["line"] == line]
        assert example["subkind"] == subkind


def test_correct_answers_are_not_failures(jsonl, v1_references) -> None:
    path = jsonl(
        [{"id": 1, "completion": completion(25.3)}, {"id": 41, "completion": completion(4)}]
    )
    result = grade_file(path, MEDCALC, references=v1_references)
    assert result.tally.total.correct == 2 and not result.tally.kinds


def test_wrong_labels_are_named_by_confusion(jsonl) -> None:
    def trial(prediction: str, idx: int) -> str:
        return f'<think>x</think><answer>{{"prediction": "{prediction}", "idx": {idx}}}</answer>'

    rows = [
        {"completion": trial("Excluded", 1), "label": 2},
        {"completion": trial("Eligible", 2), "label": 2},
        {"completion": trial("Eligible", 0), "label": 2},
    ]
    result = grade_file(jsonl(rows), GradeOptions(task="trials"))
    assert dict(result.tally.kinds) == {"wrong_label": 1, "label_mismatch": 1}
    assert dict(result.tally.subkinds) == {("wrong_label", "Eligible (2) → Excluded (1)"): 1}
    assert result.tally.confusion[("Eligible (2)", "Excluded (1)")] == 1
    assert result.tally.confusion[("Eligible (2)", "Eligible (2)")] == 1
    assert result.tally.confusion[("Eligible (2)", "(other)")] == 1


def test_unit_slip_needs_a_known_factor_and_picks_the_closest() -> None:
    row = {"calculator_id": 2, "ground_truth": "10", "lower_limit": "9.5", "upper_limit": "10.5"}
    assert classify_wrong_value(row, "33") == ("other_wrong", None)
    assert classify_wrong_value(row, "884")[1] == "×88.4 creatinine mg/dL↔µmol/L"
    assert classify_wrong_value(row, "885.7")[1] == "×88.57 triglycerides mg/dL↔mmol/L"
    assert classify_wrong_value(row, "-10") == ("sign_error", None)
    assert classify_wrong_value(row, "11") == ("near_miss", None)  # within 2 × 0.5
