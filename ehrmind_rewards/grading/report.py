"""A self-contained HTML report of a grading run (``ehrmind-rewards grade --report``).

One file, no external assets: figures are drawn with matplotlib (the optional ``report`` extra,
imported only here, through ``matplotlib.figure.Figure`` so no GUI backend is touched) and embedded
as base64 PNG. Sections, each a ``<section id=…>``: overview (with the official-number bridge),
accuracy by category and by the task's subgroup, e.g. by calculator (Wilson 95 % intervals),
metrics by metric group (EHRSHOT: AUROC, AUPRC, Brier and ROC / PR curves per task), reward
distribution, error analysis with example rows, confusion matrix (trials, EHRSHOT),
calibration (when probabilities are stated) and bad rows. A section that does not apply to the task
says so instead of being left out.

Text from the data is shown as text: HTML-escaped in the page, and in figures with ``$`` escaped
(:func:`plot_text`) so that matplotlib never reads a category or label as mathtext. The file is
written atomically (an existing report is replaced only when the new one is complete).
"""

from __future__ import annotations

import base64
import io
from html import escape
from pathlib import Path
from typing import Any

from ehrmind_rewards.core.io import atomic_output, escape_surrogates
from ehrmind_rewards.grading import report_groups

SECTIONS = (
    "overview",
    "accuracy-by-category",
    "accuracy-by-subgroup",
    "metrics-by-group",
    "reward-distribution",
    "error-analysis",
    "confusion-matrix",
    "calibration",
    "bad-rows",
)
"""Ids of the report's sections, in page order."""

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:1px solid #d8dce4;
padding-bottom:.3rem;margin-top:2.2rem}
.sub{color:#5b6475;margin-top:0}
table{border-collapse:collapse;font-size:.9rem;margin:.6rem 0}
th,td{padding:.25rem .7rem;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
th{background:#f5f6f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#f5f6f8;border-radius:8px;
padding:.7rem 1rem;min-width:150px}.card b{display:block;font-size:1.5rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.8rem}
pre{white-space:pre-wrap;background:#f7f7f9;padding:.4rem;margin:0;max-width:520px}
.na{color:#5b6475;font-style:italic}img{max-width:100%}
"""


def write_report(summary: dict[str, Any], path: Path) -> None:
    """Render ``summary`` (see :func:`~ehrmind_rewards.grading.summary.summarize`) to ``path``."""
    page = render_report(summary)
    with atomic_output(path) as handle:
        handle.write(page)


def plot_text(value: object) -> str:
    r"""Data text as matplotlib draws it literally: ``$`` escaped (never mathtext), surrogates too.

    >>> print(plot_text("$\\frac{$ costs $5"))
    \$\frac{\$ costs \$5
    """
    return escape_surrogates(str(value)).replace("$", "\\$")


def render_report(summary: dict[str, Any]) -> str:
    """The report as one HTML string."""
    from matplotlib.figure import Figure  # optional dependency: the ``report`` extra

    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Grading report: {escape(str(summary.get('input')))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Grading report: {escape(summary['task'])}</h1>",
        _overview(summary),
        _accuracy_by_category(summary, Figure),
        _accuracy_by_subgroup(summary, Figure),
        _metrics_by_group(summary, Figure),
        _reward_distribution(summary, Figure),
        _error_analysis(summary, Figure),
        _confusion(summary, Figure),
        _calibration(summary, Figure),
        _bad_rows(summary),
        "</body></html>",
    ]
    return "\n".join(parts)


# --- helpers --------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='figure' src='data:image/png;base64,{data}'>"


def _section(section_id: str, title: str, body: str) -> str:
    return f"<section id='{section_id}'><h2>{escape(title)}</h2>{body}</section>"


def _na(text: str) -> str:
    return f"<p class='na'>{escape(text)}</p>"


def _table(headers: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f"<td class='num'>{escape(str(v))}</td>" if i in numeric else f"<td>{v}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _accuracy_figure(figure_class: Any, groups: dict[str, Any], horizontal: bool) -> str:
    names = [plot_text(name) for name in groups]
    acc = [100 * (g["accuracy"] or 0.0) for g in groups.values()]
    # clamped: the Wilson bound of 100 % is 1 − ε in floating point, not 1
    low = [max(0.0, a - 100 * g["ci95"][0]) for a, g in zip(acc, groups.values(), strict=True)]
    high = [max(0.0, 100 * g["ci95"][1] - a) for a, g in zip(acc, groups.values(), strict=True)]
    if horizontal:
        figure = figure_class(figsize=(8, max(2.5, 0.24 * len(names) + 1)))
        axes = figure.subplots()
        positions = list(range(len(names)))[::-1]
        axes.barh(positions, acc, xerr=[low, high], color="#4c72b0", ecolor="#1d2330", capsize=2)
        axes.set_yticks(positions, names, fontsize=7)
        axes.set_ylim(-0.7, len(names) - 0.3)
        axes.set_xlim(0, 100)
        axes.set_xlabel("accuracy (%) with Wilson 95% CI")
    else:
        figure = figure_class(figsize=(max(4, 0.9 * len(names) + 2), 3.2))
        axes = figure.subplots()
        axes.bar(names, acc, yerr=[low, high], color="#4c72b0", ecolor="#1d2330", capsize=3)
        axes.set_ylim(0, 100)
        axes.set_ylabel("accuracy (%)")
        axes.tick_params(axis="x", labelrotation=30)
        for position, group in enumerate(groups.values()):
            axes.annotate(f"n={group['n']}", (position, 1), ha="center", fontsize=7, color="white")
    axes.grid(axis="x" if horizontal else "y", alpha=0.3)
    return _png(figure)


def _group_rows(groups: dict[str, Any], names: dict[str, str] | None = None) -> list[list[Any]]:
    rows = []
    for key, group in groups.items():
        label = escape(names.get(key, key) if names else key)
        rows.append(
            [
                label,
                group["n"],
                _pct(group["accuracy"]),
                f"{_pct(group['ci95'][0])} – {_pct(group['ci95'][1])}",
                "—" if group["mean_reward"] is None else f"{group['mean_reward']:.3f}",
                group["format_failures"],
            ]
        )
    return rows


_GROUP_HEADERS = ["", "n", "accuracy", "95% CI (Wilson)", "mean reward", "format failures"]


# --- sections -------------------------------------------------------------------------------


def _overview(summary: dict[str, Any]) -> str:
    cards = [
        ("rows graded", str(summary["n"])),
        ("accuracy", _pct(summary["accuracy"])),
        ("95% CI", f"{_pct(summary['ci95'][0])} – {_pct(summary['ci95'][1])}"),
        (
            "mean reward",
            "—" if summary["mean_reward"] is None else f"{summary['mean_reward']:.3f}",
        ),
        ("format failures", _pct(summary["format_failure_rate"])),
        ("bad rows", str(summary["n_bad"])),
    ]
    html = [
        f"<p class='sub'>{escape(str(summary.get('input')))}"
        + (f" · labels from {escape(str(summary['dataset']))}" if summary.get("dataset") else "")
        + f" · reward spec <code>{escape(summary['spec'])}</code></p>",
        "<div class='cards'>"
        + "".join(f"<div class='card'>{escape(k)}<b>{escape(v)}</b></div>" for k, v in cards)
        + "</div>",
    ]
    official = summary.get("official")
    if official:
        rows = [
            ["this project (verifier)", summary["n"], _pct(summary["accuracy"])],
            [
                "official windows, original labels",
                official["original_labels"]["n"],
                _pct(official["original_labels"]["accuracy"]),
            ],
        ]
        relabelled = official.get("relabelled_labels")
        if relabelled:
            rows.append(
                [
                    f"official windows, relabelled labels ({relabelled['changed_labels']} changed)",
                    relabelled["n"],
                    _pct(relabelled["accuracy"]),
                ]
            )
        html.append("<h3>Relating to published numbers</h3>")
        html.append(_table(["scoring", "n", "accuracy"], rows, numeric={1, 2}))
        html.append(
            "<p class='sub'>Official windows: the MedCalc-Bench tolerance rules by calculator ID "
            "applied to the answer this project's parser read (the official extractor's "
            "defects are not reproduced; see docs/grading.md).</p>"
        )
    metrics = summary.get("metrics")
    if metrics:
        rows = [[k, f"{v:.4f}"] for k, v in metrics.items() if isinstance(v, float)]
        html.append(_table(["metric", "value"], rows, numeric={1}))
    return _section("overview", "Overview", "".join(html))


def _accuracy_by_category(summary: dict[str, Any], figure_class: Any) -> str:
    groups = summary["by_category"]
    if not groups:
        return _section("accuracy-by-category", "Accuracy by category", _na("no graded rows"))
    body = _accuracy_figure(figure_class, groups, horizontal=False) + _table(
        _GROUP_HEADERS, _group_rows(groups), numeric={1, 2, 4, 5}
    )
    return _section("accuracy-by-category", "Accuracy by category", body)


def _accuracy_by_subgroup(summary: dict[str, Any], figure_class: Any) -> str:
    """Accuracy by the task family's second grouping (MedCalc: by calculator)."""
    name = summary.get("subgroup_name")
    groups = summary.get(f"by_{name}") if name else None
    if not groups:
        return _section(
            "accuracy-by-subgroup",
            "Accuracy by subgroup",
            _na("not applicable: these answers have no subgroups (see the category section)"),
        )
    labelled = {f"{key} · {g['name']}"[:48]: g for key, g in groups.items()}
    names = {key: f"{key} · {g['name']}" for key, g in groups.items()}
    body = _accuracy_figure(figure_class, labelled, horizontal=True) + _table(
        [name, *_GROUP_HEADERS[1:]], _group_rows(groups, names), numeric={1, 2, 4, 5}
    )
    return _section("accuracy-by-subgroup", f"Accuracy by {name}", body)


def _metrics_by_group(summary: dict[str, Any], figure_class: Any) -> str:
    """AUROC, AUPRC, Brier and ROC / PR curves within each metric group (EHRSHOT: per task)."""
    if not summary.get("by_metric_group"):
        return _section(
            "metrics-by-group",
            "Metrics by group",
            _na("not applicable: this task's rows form one pool (see the overview)"),
        )
    name = summary.get("metric_group_name") or "group"
    body = report_groups.metrics_section(summary, figure_class)
    return _section("metrics-by-group", f"Metrics by {name}", body)


def _reward_distribution(summary: dict[str, Any], figure_class: Any) -> str:
    distribution = summary["reward_distribution"]
    if not distribution:
        return _section("reward-distribution", "Reward distribution", _na("no graded rows"))
    values = [float(k) for k in distribution]
    counts = list(distribution.values())
    figure = figure_class(figsize=(6, 2.8))
    axes = figure.subplots()
    if len(values) <= 12:
        axes.bar([f"{v:g}" for v in values], counts, color="#55a868")
    else:
        axes.hist(values, weights=counts, bins=30, color="#55a868")
    axes.set_xlabel(plot_text(f"reward ({summary['spec']} spec)"))
    axes.set_ylabel("rows")
    axes.grid(axis="y", alpha=0.3)
    table = _table(
        ["reward", "rows", "share"],
        [[f"{v:g}", c, _pct(c / summary["n"])] for v, c in zip(values, counts, strict=True)],
        numeric={1, 2},
    )
    return _section("reward-distribution", "Reward distribution", _png(figure) + table)


def _error_analysis(summary: dict[str, Any], figure_class: Any) -> str:
    analysis = summary["error_analysis"]
    if not analysis:
        return _section("error-analysis", "Why answers fail", _na("every graded answer is correct"))
    colours = {"format": "#c44e52", "value": "#dd8452", "answer": "#8172b3"}
    kinds = list(analysis)
    figure = figure_class(figsize=(7, max(2.2, 0.3 * len(kinds) + 1)))
    axes = figure.subplots()
    positions = list(range(len(kinds)))[::-1]
    axes.barh(
        positions,
        [analysis[k]["count"] for k in kinds],
        color=[colours[analysis[k]["group"]] for k in kinds],
    )
    axes.set_yticks(positions, [plot_text(kind) for kind in kinds], fontsize=8)
    axes.set_xlabel("rows (red: format, orange: unreadable value, purple: wrong answer)")
    rows = []
    for kind, info in analysis.items():
        subkinds = "<br>".join(f"{escape(s)}: {n}" for s, n in info["subkinds"].items())
        categories = ", ".join(f"{escape(c)} {n}" for c, n in info["by_category"].items())
        examples = "".join(
            "<pre>"
            + escape(
                f"line {e['line']} (id {e['id']}, {e.get('subgroup') or e['category']}): "
                f"expected {e['expected']}, read {e['parsed']}\n… {e['completion_tail']}"
            )
            + "</pre>"
            for e in info["examples"][:3]
        )
        rows.append(
            [escape(kind), escape(info["group"]), info["count"], subkinds, categories, examples]
        )
    table = _table(
        ["kind", "group", "rows", "sub-kinds", "by category", "examples"], rows, numeric={2}
    )
    return _section("error-analysis", "Why answers fail", _png(figure) + table)


def _confusion(summary: dict[str, Any], figure_class: Any) -> str:
    if summary.get("by_metric_group"):
        name = summary.get("metric_group_name") or "group"
        body = report_groups.confusion_section(summary, figure_class)
        return _section("confusion-matrix", f"Confusion matrix by {name}", body)
    confusion = summary.get("confusion")
    if not confusion:
        return _section(
            "confusion-matrix",
            "Confusion matrix",
            _na("not applicable: answers are values, not labels (trials and EHRSHOT only)"),
        )
    truths, predicted, matrix = (
        confusion["true_labels"],
        confusion["predicted_labels"],
        confusion["matrix"],
    )
    figure = figure_class(figsize=(1.1 * len(predicted) + 2.5, 0.8 * len(truths) + 1.8))
    axes = figure.subplots()
    image = axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(predicted)), list(map(plot_text, predicted)), rotation=30, ha="right")
    axes.set_yticks(range(len(truths)), list(map(plot_text, truths)))
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    peak = max((max(r) for r in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            colour = "white" if value > peak / 2 else "black"
            axes.text(j, i, str(value), ha="center", va="center", color=colour)
    figure.colorbar(image, ax=axes)
    table = _table(
        ["true \\ predicted", *predicted],
        [[escape(t), *row] for t, row in zip(truths, matrix, strict=True)],
        numeric=set(range(1, len(predicted) + 1)),
    )
    return _section("confusion-matrix", "Confusion matrix", _png(figure) + table)


def _calibration(summary: dict[str, Any], figure_class: Any) -> str:
    if summary.get("by_metric_group"):
        name = summary.get("metric_group_name") or "group"
        body = report_groups.calibration_section(summary, figure_class)
        return _section("calibration", f"Calibration by {name}", body)
    calibration = summary.get("calibration")
    if not calibration:
        return _section(
            "calibration",
            "Calibration",
            _na("no stated probabilities in the answers (EHRSHOT answers may carry one)"),
        )
    bins = [b for b in calibration["bins"] if b["n"]]
    figure = figure_class(figsize=(4.5, 4))
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], linestyle="--", color="#888888", label="perfect calibration")
    axes.plot(
        [b["mean_probability"] for b in bins],
        [b["observed_rate"] for b in bins],
        marker="o",
        color="#4c72b0",
        label="model",
    )
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("stated probability")
    axes.set_ylabel("observed positive rate")
    axes.legend(loc="upper left", fontsize=8)
    extra = "".join(
        f"<p>{name.upper()}: {calibration[name]:.3f}</p>"
        for name in ("auroc", "auprc")
        if name in calibration
    )
    table = _table(
        ["bin", "rows", "mean stated p", "observed rate"],
        [
            [
                f"{b['low']:.1f}–{b['high']:.1f}",
                b["n"],
                f"{b['mean_probability']:.3f}",
                f"{b['observed_rate']:.3f}",
            ]
            for b in bins
        ],
        numeric={1, 2, 3},
    )
    body = (
        f"<p>{calibration['n']} rows with a stated probability; Brier score "
        f"{calibration['brier']:.4f}.</p>{extra}{_png(figure)}{table}"
    )
    return _section("calibration", "Calibration", body)


def _bad_rows(summary: dict[str, Any]) -> str:
    details = summary["bad_row_details"]
    if not details:
        return _section("bad-rows", "Bad rows", _na("none: every record was graded"))
    shown = details[:200]
    table = _table(
        ["line", "kind", "message"],
        [[d["line"], escape(d["kind"]), escape(d["message"])] for d in shown],
        numeric={0},
    )
    more = (
        f"<p>… and {len(details) - len(shown)} more (see --json).</p>" if len(details) > 200 else ""
    )
    return _section("bad-rows", f"Bad rows ({len(details)} not graded)", table + more)
