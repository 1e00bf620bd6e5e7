"""Turn a finished run's :class:`~ehrmind_rewards.grading.tally.Tally` into the summary object.

The summary is what ``ehrmind-rewards grade --json`` prints and what the terminal table and the HTML
report are drawn from. Its keys (``n``, ``accuracy``, ``mean_reward``, ``by_category``,
``bad_rows``, ``failure_kinds``, …) are a public interface: other tools read them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ehrmind_rewards.core import registry
from ehrmind_rewards.grading.stats import wilson_interval
from ehrmind_rewards.grading.tally import Group, Tally
from schemas import Reason

CALIBRATION_BINS = 10
VALUE_KINDS = frozenset({"unparseable_value", "unknown_label", "label_mismatch"})

BAD_ROW_HINTS: dict[str, str] = {
    "no_label": "{rows} {have} no label: pass --dataset FILE or label columns ({labels})",
    "missing_field": "{rows} {lack} a field the grader needs: name it with --completion-field "
    "or --id-field",
    "unknown_id": "{rows} {have} an id that is not in the dataset: check --id-field and "
    "--dataset-id-field",
    "duplicate_id": "{rows} {repeat} an id that was already graded",
    "bad_record": "{rows} {have} a label the verifier cannot use",
    "encoding": "{rows} {are} not UTF-8: re-encode the file as UTF-8",
    "duplicate_key": "{rows} {repeat} a key within one JSON object",
    "truncated_json": "{rows} {are} cut off mid-object",
    "invalid_json": "{rows} {are} not valid JSON",
    "not_object": "{rows} {are} not JSON objects",
    "invalid_csv": "{rows} {have} unbalanced CSV quotes",
    "wrong_column_count": "{rows} {have} a different number of fields than the header",
    "verifier_error": "{rows} made the verifier fail",
}
"""How to fix each kind of bad row, for the reason a run that graded nothing gives."""


def kind_group(kind: str) -> str:
    """``"format"``, ``"value"`` (unreadable answer) or ``"answer"`` (readable but wrong)."""
    if kind in Reason.__members__.values() and Reason(kind).is_format_failure:
        return "format"
    return "value" if kind in VALUE_KINDS else "answer"


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def group_summary(group: Group) -> dict[str, Any]:
    low, high = wilson_interval(group.correct, group.n)
    return {
        "n": group.n,
        "correct": group.correct,
        "accuracy": _rate(group.correct, group.n),
        "ci95": [low, high],
        "mean_reward": group.score_sum / group.n if group.n else None,
        "format_failures": group.format_failures,
    }


def summarize(
    tally: Tally,
    *,
    task: str,
    spec: str,
    records: int,
    source: str | None = None,
    dataset: str | None = None,
) -> dict[str, Any]:
    """The summary object of a grading run of ``task`` (a registered name; see module doc)."""
    family = registry.get(task)
    total = tally.total
    summary: dict[str, Any] = {
        "task": family.name,
        "task_title": family.title,
        "spec": spec,
        "input": source,
        "dataset": dataset,
        "records": records,
        **group_summary(total),
        "format_failure_rate": _rate(total.format_failures, total.n),
        "by_category": {k: group_summary(g) for k, g in sorted(tally.categories.items())},
    }
    summary["subgroup_name"] = family.subgroup_name
    subgroups = tally.subgroups
    if subgroups and family.subgroup_name:
        summary[f"by_{family.subgroup_name}"] = {
            key: {"name": tally.subgroup_names.get(key, key), **group_summary(group)}
            for key, group in sorted(subgroups.items(), key=lambda kv: _id_order(kv[0]))
        }
    summary["reward_distribution"] = {
        f"{score:g}": count for score, count in sorted(tally.scores.items())
    }
    summary["reasons"] = {str(k): n for k, n in tally.reasons.most_common()}
    summary["failure_kinds"] = dict(tally.kinds.most_common())
    summary["error_analysis"] = _error_analysis(tally)
    if tally.extension is not None:
        summary.update(tally.extension.summary())
    if tally.confusion:
        summary["confusion"] = confusion_summary(tally.confusion)
        summary["metrics"] = label_metrics(tally.confusion)
    if tally.probabilities:
        summary["calibration"] = calibration_summary(tally)
    if tally.group_confusion or tally.group_scores:
        from ehrmind_rewards.grading.group_metrics import grouped_summary

        summary["metric_group_name"] = family.metric_group_name
        summary.update(grouped_summary(tally))
    summary["n_bad"] = len(tally.bad_lines)
    summary["bad_rows"] = tally.bad_lines.tolist()
    summary["bad_row_kinds"] = dict(tally.bad_kinds.most_common())
    summary["bad_row_details"] = [
        {"line": bad.line, "kind": bad.kind, "message": bad.message} for bad in tally.bad_rows
    ]
    summary["nothing_graded"] = nothing_graded_reason(tally, family.label_fields)
    return summary


def nothing_graded_reason(tally: Tally, label_fields: tuple[str, ...]) -> str | None:
    """Why a run graded no row (``None`` if it graded some): each kind of bad row, with its fix.

    >>> from ehrmind_rewards.core.io import BadRow
    >>> tally = Tally()
    >>> for line in (1, 2):
    ...     tally.add_bad(BadRow(line, "no_label", "line 1: no label"))
    >>> nothing_graded_reason(tally, ("label",))
    'no row was graded: 2 rows have no label: pass --dataset FILE or label columns (label)'
    """
    if tally.total.n:
        return None
    if not tally.bad_kinds:
        return "no row was graded: the file holds no records"
    labels = ", ".join(label_fields)
    parts = []
    for kind, count in tally.bad_kinds.most_common():
        one = count == 1
        template = BAD_ROW_HINTS.get(kind, "{rows} {are} unreadable (" + kind + ")")
        parts.append(
            template.format(
                rows=f"{count} row" if one else f"{count} rows",
                have="has" if one else "have",
                lack="lacks" if one else "lack",
                repeat="repeats" if one else "repeat",
                are="is" if one else "are",
                labels=labels,
            )
        )
    return "no row was graded: " + "; ".join(parts)


def _id_order(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (1 << 30, key)


def _error_analysis(tally: Tally) -> dict[str, Any]:
    analysis: dict[str, Any] = {}
    total = tally.total
    for kind, count in tally.kinds.most_common():
        analysis[kind] = {
            "count": count,
            "group": kind_group(kind),
            "share_of_rows": _rate(count, total.n),
            "subkinds": {sub: n for (k, sub), n in tally.subkinds.most_common() if k == kind},
            "by_category": {
                cat: n for (k, cat), n in sorted(tally.kind_categories.items()) if k == kind
            },
            "examples": tally.examples.get(kind, []),
        }
    return analysis


def _label_order(label: str) -> tuple[int, str]:
    """Class labels ``"Name (i)"`` by index; sentinels such as ``"(no answer)"`` last."""
    head, _, index = label.rpartition("(")
    number = index.rstrip(")")
    return (int(number), label) if head and number.isdigit() else (1 << 30, label)


def confusion_summary(confusion: Counter[tuple[str, str]]) -> dict[str, Any]:
    """Labels (true labels first, then other predictions) and the count matrix, rows = truth."""
    truths = sorted({t for t, _ in confusion}, key=_label_order)
    others = sorted({p for _, p in confusion} - set(truths), key=_label_order)
    labels = truths + others
    matrix = [[confusion.get((t, p), 0) for p in labels] for t in truths]
    return {"true_labels": truths, "predicted_labels": labels, "matrix": matrix}


def label_metrics(confusion: Counter[tuple[str, str]]) -> dict[str, Any]:
    """The project's classification report (:func:`ehrmind_rewards.metrics.classification_report`)
    from the confusion counts: accuracy, balanced accuracy, Cohen's κ, macro precision/recall/F1
    and per-class figures. Predictions outside the label set (no answer, unreadable, name and
    index disagreeing) count against recall and are reported as ``invalid``."""
    from ehrmind_rewards.metrics import classification_report

    truths = {t for t, _ in confusion}
    predicted = {p for _, p in confusion if not p.startswith("(")}
    labels = sorted(truths | predicted, key=_label_order)
    y_true: list[str] = []
    y_pred: list[str] = []
    for (truth, prediction), count in sorted(confusion.items()):
        y_true.extend([truth] * count)
        y_pred.extend([prediction] * count)
    report: dict[str, Any] = classification_report(y_true, y_pred, labels).to_dict()
    report.pop("confusion", None)  # the summary's own "confusion" keeps the invalid columns
    return report


def calibration_summary(tally: Tally) -> dict[str, Any]:
    """Reliability bins of stated probabilities, the Brier score, AUROC and AUPRC."""
    probabilities, outcomes = tally.probabilities, tally.outcomes
    bins = [[0, 0.0, 0.0] for _ in range(CALIBRATION_BINS)]
    brier = 0.0
    for p, y in zip(probabilities, outcomes, strict=True):
        b = bins[min(int(p * CALIBRATION_BINS), CALIBRATION_BINS - 1)]
        b[0] += 1
        b[1] += p
        b[2] += y
        brier += (p - y) ** 2
    result: dict[str, Any] = {
        "n": len(probabilities),
        "brier": brier / len(probabilities),
        "bins": [
            {
                "low": i / CALIBRATION_BINS,
                "high": (i + 1) / CALIBRATION_BINS,
                "n": int(n),
                "mean_probability": s / n if n else None,
                "observed_rate": y / n if n else None,
            }
            for i, (n, s, y) in enumerate(bins)
        ],
    }
    result.update(_probabilistic_metrics(list(outcomes), list(probabilities)))
    return result


def _probabilistic_metrics(y_true: list[float], scores: list[float]) -> dict[str, Any]:
    """AUROC and AUPRC of the stated probabilities (``ehrmind_rewards.metrics.probabilistic``)."""
    if len(set(y_true)) < 2:
        return {}
    from ehrmind_rewards.metrics.probabilistic import auprc, auroc

    labels = [int(y) for y in y_true]
    return {"auroc": float(auroc(labels, scores)), "auprc": float(auprc(labels, scores))}
