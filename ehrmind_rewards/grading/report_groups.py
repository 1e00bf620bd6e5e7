"""The report's per-group sections (:mod:`.group_metrics`): a metric table and ROC / PR curves for
each metric group, and confusion matrices and reliability diagrams drawn group by group, so no
figure or table cell mixes two groups. Figures are base64 PNGs from matplotlib (extra
``report``), as in :mod:`.report`."""

from __future__ import annotations

import base64
import io
import math
from html import escape
from typing import Any


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='figure' src='data:image/png;base64,{data}'>"


def _fmt(entry: dict[str, Any] | None) -> str:
    if not entry or entry.get("value") is None:
        return "—"
    ci = entry.get("ci95")
    return f"{entry['value']:.3f}" + (f" [{ci[0]:.3f}–{ci[1]:.3f}]" if ci else "")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _grid(count: int, columns: int = 3) -> tuple[int, int]:
    cols = min(columns, max(count, 1))
    return math.ceil(count / cols), cols


def metrics_section(summary: dict[str, Any], figure_class: Any) -> str:
    """Per-group table (balanced accuracy, AUROC, AUPRC, Brier with intervals, macro) and ROC / PR
    curves per group."""
    name = summary.get("metric_group_name") or "group"
    groups: dict[str, Any] = summary["by_metric_group"]
    rows = []
    for key, group in groups.items():
        scores = group.get("scores") or {}
        balanced = (group.get("metrics") or {}).get("balanced_accuracy")
        rows.append(
            [
                key,
                str(scores.get("n", "—")),
                "—" if balanced is None else f"{100 * balanced:.1f}%",
                _fmt(scores.get("auroc")),
                _fmt(scores.get("auprc")),
                _fmt(scores.get("brier")),
                "—" if scores.get("prevalence") is None else f"{100 * scores['prevalence']:.1f}%",
                f"{scores.get('n_stated_probability', 0)}/{scores.get('n', 0)}",
                str(scores.get("n_unanswered", 0)),
            ]
        )
        for part, figures in (scores.get("parts") or {}).items():
            rows.append(
                [
                    f"  {key} · {part}",
                    str(figures["n"]),
                    "",
                    _fmt(figures.get("auroc")),
                    _fmt(figures.get("auprc")),
                    _fmt(figures.get("brier")),
                    "—"
                    if figures.get("prevalence") is None
                    else f"{100 * figures['prevalence']:.1f}%",
                    "",
                    "",
                ]
            )
    macro = summary.get("macro")
    if macro:
        rows.append(
            [
                f"macro ({macro['n_groups']} {name}s)",
                "",
                "",
                _fmt(macro.get("auroc")),
                _fmt(macro.get("auprc")),
                _fmt(macro.get("brier")),
                "",
                "",
                "",
            ]
        )
    headers = [
        name,
        "n",
        "balanced acc.",
        "AUROC [95% CI]",
        "AUPRC [95% CI]",
        "Brier [95% CI]",
        "prevalence",
        "stated probability",
        "unanswered (scored 0.5)",
    ]
    html = [
        "<p class='sub'>Each figure is computed within one "
        f"{escape(name)} only; intervals are 95% bootstrap percentiles.</p>",
        _table(headers, rows),
        _curves(groups, figure_class),
    ]
    return "".join(html)


def _curves(groups: dict[str, Any], figure_class: Any) -> str:
    scored = [(k, g["scores"]) for k, g in groups.items() if g.get("scores")]
    if not scored:
        return "<p class='na'>no scored rows</p>"
    figure = figure_class(figsize=(9, 3.1 * len(scored)))
    axes = figure.subplots(len(scored), 2, squeeze=False)
    for (key, scores), (roc_axes, pr_axes) in zip(scored, axes, strict=True):
        parts = scores.get("parts") or {"": {"curves": scores.get("curves", {})}}
        for part, figures in parts.items():
            curves = figures.get("curves", {})
            label = part or key
            if "roc" in curves:
                xs, ys = zip(*curves["roc"], strict=True)
                roc_axes.plot(xs, ys, label=label, linewidth=1.2)
            if "pr" in curves:
                xs, ys = zip(*curves["pr"], strict=True)
                pr_axes.step(xs, ys, where="post", label=label, linewidth=1.2)
        roc_axes.plot([0, 1], [0, 1], linestyle="--", color="#999999", linewidth=0.8)
        prevalence = scores.get("prevalence")
        if prevalence is not None:
            pr_axes.axhline(prevalence, linestyle="--", color="#999999", linewidth=0.8)
        roc_axes.set_title(f"{key}: ROC (AUROC {_fmt(scores.get('auroc'))})", fontsize=9)
        pr_axes.set_title(f"{key}: PR (AUPRC {_fmt(scores.get('auprc'))})", fontsize=9)
        roc_axes.set_xlabel("false positive rate")
        roc_axes.set_ylabel("true positive rate")
        pr_axes.set_xlabel("recall")
        pr_axes.set_ylabel("precision")
        for ax in (roc_axes, pr_axes):
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1.02)
            ax.grid(alpha=0.3)
        if len(parts) > 1:
            roc_axes.legend(fontsize=6, ncol=2, loc="lower right")
    figure.tight_layout()
    return _png(figure)


def confusion_section(summary: dict[str, Any], figure_class: Any) -> str:
    """One confusion matrix per group (figure and table)."""
    groups = [
        (k, g["confusion"]) for k, g in summary["by_metric_group"].items() if g.get("confusion")
    ]
    if not groups:
        return "<p class='na'>no single-label rows</p>"
    rows_n, cols_n = _grid(len(groups))
    figure = figure_class(figsize=(4.4 * cols_n, 3.6 * rows_n))
    axes = figure.subplots(rows_n, cols_n, squeeze=False).ravel()
    tables = []
    for ax, (key, confusion) in zip(axes, groups, strict=False):
        truths, predicted, matrix = (
            confusion["true_labels"],
            confusion["predicted_labels"],
            confusion["matrix"],
        )
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(predicted)), predicted, rotation=30, ha="right", fontsize=7)
        ax.set_yticks(range(len(truths)), truths, fontsize=7)
        ax.set_title(key, fontsize=9)
        peak = max((max(r) for r in matrix), default=0)
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                colour = "white" if value > peak / 2 else "black"
                ax.text(j, i, str(value), ha="center", va="center", color=colour, fontsize=7)
        header = ["true \\ predicted", *predicted]
        body = [[t, *map(str, row)] for t, row in zip(truths, matrix, strict=True)]
        tables.append(f"<h3>{escape(key)}</h3>{_table(header, body)}")
    for ax in axes[len(groups) :]:
        ax.axis("off")
    figure.tight_layout()
    return _png(figure) + "".join(tables)


def calibration_section(summary: dict[str, Any], figure_class: Any) -> str:
    """One reliability diagram per group (outcome probabilities against observed rates)."""
    groups = [(k, g["scores"]) for k, g in summary["by_metric_group"].items() if g.get("scores")]
    if not groups:
        return "<p class='na'>no scored rows</p>"
    rows_n, cols_n = _grid(len(groups))
    figure = figure_class(figsize=(3.6 * cols_n, 3.4 * rows_n))
    axes = figure.subplots(rows_n, cols_n, squeeze=False).ravel()
    rows = []
    for ax, (key, scores) in zip(axes, groups, strict=False):
        bins = [b for b in scores["calibration"] if b["n"]]
        ax.plot([0, 1], [0, 1], linestyle="--", color="#888888", linewidth=0.8)
        ax.plot(
            [b["mean_probability"] for b in bins],
            [b["observed_rate"] for b in bins],
            marker="o",
            color="#4c72b0",
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_title(f"{key} (Brier {_fmt(scores.get('brier'))})", fontsize=8)
        ax.set_xlabel("score", fontsize=8)
        ax.set_ylabel("observed rate", fontsize=8)
        rows.extend(
            [
                key,
                f"{b['low']:.1f}–{b['high']:.1f}",
                str(b["n"]),
                f"{b['mean_probability']:.3f}",
                f"{b['observed_rate']:.3f}",
            ]
            for b in bins
        )
    for ax in axes[len(groups) :]:
        ax.axis("off")
    figure.tight_layout()
    name = summary.get("metric_group_name") or "group"
    table = _table([name, "bin", "outcomes", "mean score", "observed rate"], rows)
    note = (
        "<p class='sub'>Scores are stated probabilities, or 1/0 for an answer without one "
        "(0.5 for an unreadable answer).</p>"
    )
    brier = _table(
        [name, "outcomes", "Brier score [95% CI]"],
        [[key, str(scores["n_outcomes"]), _fmt(scores.get("brier"))] for key, scores in groups],
    )
    return note + brier + _png(figure) + table
