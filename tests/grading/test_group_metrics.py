"""Per-group metrics: AUROC, AUPRC, Brier (= scikit-learn's, weighted too), bootstrap intervals
over clusters, the macro mean, and no cell that mixes two groups (EHRSHOT tasks)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from ehrmind_rewards.cli import main
from ehrmind_rewards.grading.display import render_summary
from ehrmind_rewards.grading.engine import GradeOptions, grade_file
from ehrmind_rewards.grading.group_metrics import weighted_metrics
from ehrmind_rewards.grading.summary import summarize

NAMES = {
    "new_hypertension": ("no hypertension", "hypertension"),
    "guo_los": ("no long length of stay", "long length of stay"),
}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.integers(0, 10).map(lambda k: k / 10), st.integers(0, 3)),
        min_size=2,
        max_size=60,
    )
)
def test_weighted_metrics_equal_sklearn(rows: list[tuple[int, float, int]]) -> None:
    y = np.array([r[0] for r in rows], np.int8)
    p = np.array([r[1] for r in rows])
    w = np.array([r[2] for r in rows], dtype=float)
    auroc, auprc, brier = weighted_metrics(y, p, w[None, :])[0]
    positive, negative = w[y == 1].sum(), w[y == 0].sum()
    if positive > 0 and negative > 0:
        assert auroc == pytest.approx(roc_auc_score(y, p, sample_weight=w), abs=1e-9)
    if positive > 0:
        assert auprc == pytest.approx(average_precision_score(y, p, sample_weight=w), abs=1e-9)
    if w.sum() > 0:
        assert brier == pytest.approx(brier_score_loss(y, p, sample_weight=w), abs=1e-9)


def _rows(seed: int = 0) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(300):
        task = "new_hypertension" if i % 2 else "guo_los"
        y = int(rng.random() < 0.3)
        p = round(min(max(rng.gauss(0.35 + 0.3 * y, 0.2), 0.01), 0.99), 2)
        label = int(p >= 0.5)
        answer = {"prediction": NAMES[task][label], "label": label, "probability": p}
        completion = f"x</think><answer>{json.dumps(answer)}</answer>"
        if i % 50 == 0:
            completion = "no answer at all"
        rows.append(
            {"completion": completion, "ehrshot_task": task, "label": y, "subject_id": i // 4}
        )
    return rows


@pytest.fixture
def two_tasks(jsonl):  # type: ignore[no-untyped-def]
    rows = _rows()
    return rows, jsonl(rows)


def test_two_tasks_are_reported_separately(two_tasks) -> None:  # type: ignore[no-untyped-def]
    rows, path = two_tasks
    result = grade_file(path, GradeOptions(task="ehrshot"))
    summary = summarize(result.tally, task="ehrshot", spec="ehrmind", records=result.records)
    assert "confusion" not in summary and "calibration" not in summary  # nothing pooled
    assert summary["metric_group_name"] == "task"
    groups = summary["by_metric_group"]
    assert set(groups) == {"guo_los", "new_hypertension"}
    for task, group in groups.items():
        labels = set(group["confusion"]["predicted_labels"])
        assert labels <= {*(f"{n} ({i})" for i, n in enumerate(NAMES[task])), "(no answer)"}
        mine = [r for r in rows if r["ehrshot_task"] == task]
        y, p = [], []
        for r in mine:
            y.append(r["label"])
            text = str(r["completion"])
            p.append(
                json.loads(text[text.index("{") : text.rindex("}") + 1])["probability"]
                if "answer" in text and "{" in text
                else 0.5
            )
        scores = group["scores"]
        unanswered = sum(1 for r in mine if r["completion"] == "no answer at all")
        assert scores["n"] == len(mine) and scores["n_unanswered"] == unanswered
        assert scores["auroc"]["value"] == pytest.approx(roc_auc_score(y, p))
        assert scores["auprc"]["value"] == pytest.approx(average_precision_score(y, p))
        assert scores["brier"]["value"] == pytest.approx(brier_score_loss(y, p))
        low, high = scores["auroc"]["ci95"]
        assert low < scores["auroc"]["value"] < high
        assert scores["n_clusters"] == len({r["subject_id"] for r in mine})
        assert scores["curves"]["roc"][0] == [0.0, 0.0] and scores["curves"]["roc"][-1] == [
            1.0,
            1.0,
        ]
    macro = summary["macro"]
    assert macro["n_groups"] == 2
    assert macro["auroc"]["value"] == pytest.approx(
        np.mean([g["scores"]["auroc"]["value"] for g in groups.values()])
    )
    text = render_summary(summary)
    assert "per task" in text and "macro (2 tasks)" in text
    assert f"{groups['guo_los']['scores']['auroc']['value']:.3f}" in text


def test_results_do_not_depend_on_workers(two_tasks) -> None:  # type: ignore[no-untyped-def]
    _, path = two_tasks
    one = grade_file(path, GradeOptions(task="ehrshot", chunk_rows=7))
    two = grade_file(path, GradeOptions(task="ehrshot", workers=2, chunk_rows=7))
    first = summarize(one.tally, task="ehrshot", spec="ehrmind", records=one.records)
    second = summarize(two.tally, task="ehrshot", spec="ehrmind", records=two.records)
    assert first["by_metric_group"] == second["by_metric_group"]
    assert first["macro"] == second["macro"]


def test_lab_and_chexpert_outcomes(jsonl) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for i in range(40):
        gold = i % 4
        probs = [0.1, 0.1, 0.1, 0.1]
        probs[gold if i % 3 else 0] = 0.7
        stated = probs.index(0.7)
        answer = {
            "prediction": ["normal", "mild", "moderate", "severe"][stated],
            "label": stated,
            "probability": probs,
        }
        rows.append(
            {
                "completion": f"x</think><answer>{json.dumps(answer)}</answer>",
                "ehrshot_task": "lab_anemia",
                "label": gold,
                "subject_id": i,
            }
        )
        bits = [int(i % 2 == 0)] + [0] * 12 + [int(i % 3 == 0)]
        names = [
            n for n, b in zip(("No Finding", *[""] * 12, "Support Devices"), bits, strict=True) if b
        ]
        answer = {"prediction": names, "label": bits}
        rows.append(
            {
                "completion": f"x</think><answer>{json.dumps(answer)}</answer>",
                "ehrshot_task": "chexpert",
                "label": bits,
                "subject_id": i,
            }
        )
    result = grade_file(jsonl(rows), GradeOptions(task="ehrshot"))
    summary = summarize(result.tally, task="ehrshot", spec="ehrmind", records=result.records)
    lab = summary["by_metric_group"]["lab_anemia"]["scores"]
    # EHRSHOT evaluates labs as abnormal (class ≥ 1) vs normal, scored by 1 − P(normal)
    y = [int(i % 4 >= 1) for i in range(40)]
    p = [0.9 if (i % 4 if i % 3 else 0) != 0 else 0.3 for i in range(40)]
    assert lab["auroc"]["value"] == pytest.approx(roc_auc_score(y, p))
    chexpert = summary["by_metric_group"]["chexpert"]["scores"]
    assert len(chexpert["parts"]) == 14 and chexpert["n_outcomes"] == 14 * 40
    assert chexpert["parts"]["No Finding"]["auroc"]["value"] == pytest.approx(1.0)
    assert chexpert["parts"]["Cardiomegaly"]["auroc"]["value"] is None  # one class only
    assert chexpert["auroc"]["value"] == pytest.approx(1.0)  # mean over defined findings


def test_cli_json_and_report(two_tasks, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("matplotlib")
    _, path = two_tasks
    report = tmp_path / "report.html"
    assert main(["grade", str(path), "--task", "ehrshot", "--json", "--report", str(report)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["by_metric_group"]) == {"guo_los", "new_hypertension"}
    html = report.read_text()
    section = html[html.index("<section id='metrics-by-group'>") :]
    section = section[: section.index("</section>")]
    assert "guo_los: ROC" not in section  # titles are inside the PNG, the table is HTML
    assert section.count("data:image/png;base64,") == 1
    assert "new_hypertension" in section and "macro (2 tasks)" in section
