"""The terminal table of per-group metrics (see :mod:`.group_metrics`): one line per metric group
with its balanced accuracy, AUROC, AUPRC and Brier score (95% bootstrap intervals), and the macro
mean over groups."""

from __future__ import annotations

from typing import Any


def _metric(entry: dict[str, Any] | None) -> str:
    if not entry or entry.get("value") is None:
        return f"{'—':<21}"
    ci = entry.get("ci95")
    interval = f"[{ci[0]:.3f}–{ci[1]:.3f}]" if ci else "[—]"
    return f"{entry['value']:.3f} {interval:<15}"


def group_table(summary: dict[str, Any]) -> list[str]:
    """Lines of the per-group table, or nothing when the summary has no metric groups."""
    groups: dict[str, Any] = summary.get("by_metric_group") or {}
    if not groups:
        return []
    name = summary.get("metric_group_name") or "group"
    width = max([len(name), *(len(k) for k in groups)]) + 2
    lines = [
        f"  per {name}: metrics within each {name} only, 95% bootstrap intervals",
        f"  {name:<{width}}{'n':>6}  {'bal.acc':>7}  {'AUROC':<21}  {'AUPRC':<21}  "
        f"{'Brier':<21}  stated p",
    ]
    for key, group in groups.items():
        scores = group.get("scores") or {}
        metrics = group.get("metrics") or {}
        balanced = metrics.get("balanced_accuracy")
        n = scores.get("n", sum(sum(r) for r in group.get("confusion", {}).get("matrix", [])))
        stated = f"{scores['n_stated_probability']}/{scores['n']}" if scores else "—"
        lines.append(
            f"  {key:<{width}}{n:>6}  {'—' if balanced is None else f'{100 * balanced:6.1f}%':>7}"
            f"  {_metric(scores.get('auroc'))}  {_metric(scores.get('auprc'))}  "
            f"{_metric(scores.get('brier'))}  {stated}"
        )
        for part, figures in (scores.get("parts") or {}).items():
            lines.append(
                f"    {part[: width + 4]:<{width + 4}}{figures['n']:>6}           "
                f"{_metric(figures.get('auroc'))}  {_metric(figures.get('auprc'))}  "
                f"{_metric(figures.get('brier'))}"
            )
    macro = summary.get("macro")
    if macro:
        label = f"macro ({macro['n_groups']} {name}s)"
        lines.append(
            f"  {label:<{width + 17}}{_metric(macro.get('auroc'))}  "
            f"{_metric(macro.get('auprc'))}  {_metric(macro.get('brier'))}"
        )
    return lines
