"""The HTML report renders every section, self-contained, for each task."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.grading.report import SECTIONS, write_report
from ehrmind_rewards.grading.summary import summarize
from tests.helpers import completion

pytest.importorskip("matplotlib")


def _sections(html: str) -> dict[str, str]:
    found = re.findall(r"<section id='([a-z-]+)'>(.*?)</section>", html, flags=re.S)
    return dict(found)


def _render(tmp_path: Path, task: str, result, references: str | None = None) -> dict[str, str]:
    summary = summarize(result.tally, task=task, spec="ehrmind", records=result.records)
    path = tmp_path / f"{task}.html"
    write_report(summary, path)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert not re.search(r"(src|href)=['\"]https?:", html), "the report must be self-contained"
    sections = _sections(html)
    assert list(sections) == list(SECTIONS)
    return sections


def test_medcalc_report_has_every_section(tmp_path: Path, jsonl, v1_references) -> None:
    # row 447 is the only diagnosis row, right (a 100 % bar); rows 928-930, the only date
    # rows, are wrong (a 0 % bar of n = 3, where Wilson's bound used to round above 0)
    answers = {
        1: 25.3,
        2: 3359.2,
        41: 5,
        928: "09/22/2014",
        929: "01/01/1990",
        930: "01/01/1990",
        21: 1.0,
        447: 3,
    }
    rows = [{"id": k, "completion": completion(v)} for k, v in answers.items()]
    rows.append({"id": 61, "completion": "no tags"})
    rows.append({"id": 999999, "completion": "unknown id"})
    result = grade_file(
        jsonl(rows),
        GradeOptions(task="medcalc"),
        references=v1_references,
    )
    sections = _render(tmp_path, "medcalc", result)
    for figure_section in (
        "accuracy-by-category",
        "accuracy-by-subgroup",
        "reward-distribution",
        "error-analysis",
    ):
        assert "data:image/png;base64," in sections[figure_section], figure_section
    assert "official windows, original labels" in sections["overview"]
    assert "unit_slip" in sections["error-analysis"] and "×88.4" in sections["error-analysis"]
    assert "not applicable" in sections["confusion-matrix"]
    assert "no stated probabilities" in sections["calibration"]
    assert (
        "unknown_id" in sections["bad-rows"] and "<td class='num'>10</td>" in sections["bad-rows"]
    )


def _label_completion(
    prediction: str, label: int, probability: float | None = None, key: str = "label"
) -> str:
    payload: dict[str, object] = {"prediction": prediction, key: label}
    if probability is not None:
        payload["probability"] = probability
    return f"<think>x</think><answer>{json.dumps(payload)}</answer>"


def test_trials_report_has_a_confusion_matrix(tmp_path: Path, jsonl) -> None:
    names = ["Irrelevant", "Excluded", "Eligible"]
    rows = [
        {"completion": _label_completion(names[p], p, key="idx"), "label": t}
        for t, p in [(0, 0), (0, 0), (1, 2), (2, 2), (2, 1), (1, 1)]
    ]
    rows.append({"completion": "broken", "label": 2})
    result = grade_file(jsonl(rows), GradeOptions(task="trials"))
    sections = _render(tmp_path, "trials", result)
    assert "data:image/png;base64," in sections["confusion-matrix"]
    assert "(no answer)" in sections["confusion-matrix"]
    assert "not applicable" in sections["accuracy-by-subgroup"]


def test_ehrshot_report_has_a_calibration_curve(tmp_path: Path, jsonl) -> None:
    rows = []
    for i in range(40):
        truth = int(i % 4 == 0)
        probability = 0.8 if truth else 0.1 + 0.01 * (i % 10)
        predicted = int(probability > 0.5)
        rows.append(
            {
                "completion": _label_completion(
                    ["no hypertension", "hypertension"][predicted], predicted, probability
                ),
                "label": truth,
                "ehrshot_task": "new_hypertension",
            }
        )
    result = grade_file(jsonl(rows), GradeOptions(task="ehrshot"))
    sections = _render(tmp_path, "ehrshot", result)
    assert "data:image/png;base64," in sections["calibration"]
    assert "Brier score" in sections["calibration"]
    assert "data:image/png;base64," in sections["confusion-matrix"]
