"""The shared label-name normalizer and the payload's duplicate keys."""

from __future__ import annotations

import pytest

from ehrmind_rewards.core.parsing import PayloadFailure, parse_payload
from ehrmind_rewards.tasks.ehrshot.benchmark import get_task
from schemas import Reason
from schemas.labels import normalize_label_name
from schemas.trials import TrialLabel, label_from_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eligible", "eligible"),
        ("ＥＬＩＧＩＢＬＥ", "eligible"),  # full-width letters
        ("Ｎｏｔ　Ｅｌｉｇｉｂｌｅ．", "not eligible"),  # full-width space and full stop
        ("not\u00a0eligible", "not eligible"),  # no-break space
        ("ICU-transfer", "icu transfer"),
        ("YES.", "yes"),
        ("  no_lupus ", "no lupus"),
    ],
)
def test_label_names_fold_compatibility_forms_case_and_spacing(text: str, expected: str) -> None:
    assert normalize_label_name(text) == expected


def test_trials_and_ehrshot_share_it() -> None:
    assert label_from_name("Ｅｌｉｇｉｂｌｅ") is TrialLabel.ELIGIBLE
    icu = get_task("guo_icu")
    assert icu.label_index("ＩＣＵ－ｔｒａｎｓｆｅｒ") == icu.label_index("icu-transfer") == 1
    assert icu.label_index("ＹＥＳ") == icu.label_index("YES.") == 1


@pytest.mark.parametrize(
    "body",
    [
        '{"answer": "25.2", "Answer": 30}',
        '{"answer": "25.2", "ANSWER": 30}',
        '{"answer": "25.2", " answer ": 30}',
        '{"prediction": "Eligible", "Prediction": "Excluded", "idx": 2}',
    ],
)
def test_a_required_key_in_another_case_is_a_duplicate(body: str) -> None:
    keys = ("prediction", "idx") if "prediction" in body else ("answer",)
    result = parse_payload(body, keys)
    assert isinstance(result, PayloadFailure) and result.reason is Reason.DUPLICATE_KEY


def test_other_keys_may_differ_only_in_case() -> None:
    assert parse_payload('{"answer": 1, "note": 2, "Note": 3}', ("answer",)) == {
        "answer": "1",
        "note": "2",
        "Note": "3",
    }
