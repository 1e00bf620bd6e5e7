"""The terminal summary of a grading run: plain text, fixed-width, readable without colour.

Text from the data (ids, categories, answers) is printed as it is, except lone surrogates, which
are written as ``\\udXXX`` escapes so that printing never fails.
"""

from __future__ import annotations

from typing import Any

from ehrmind_rewards.core.io import escape_surrogates
from ehrmind_rewards.grading.display_groups import group_table

BAR_WIDTH = 20


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:5.1f}%"


def _ci(ci: list[float]) -> str:
    return f"[{100 * ci[0]:.1f}–{100 * ci[1]:.1f}]"


def _bar(value: float | None) -> str:
    if value is None:
        return ""
    filled = round(value * BAR_WIDTH)
    return "█" * filled + "·" * (BAR_WIDTH - filled)


def render_summary(summary: dict[str, Any], *, max_kinds: int = 12) -> str:
    """The summary as a few aligned tables (see ``docs/grading.md`` for an example)."""
    lines: list[str] = []
    title = summary.get("task_title") or summary["task"]
    source = summary.get("input") or "input"
    lines.append(
        f"{title} grading · {summary['n']} rows graded from {source} · reward spec "
        f"{summary['spec']!r}"
    )
    if summary.get("dataset"):
        lines.append(f"labels from {summary['dataset']}")
    lines.append("")
    if summary.get("nothing_graded"):
        lines.append(f"  {summary['nothing_graded']}")
        lines.append("")
        lines.extend(_bad_rows(summary))
        return escape_surrogates("\n".join(lines))
    lines.append(
        f"  accuracy      {_pct(summary['accuracy'])}  95% CI {_ci(summary['ci95'])}  "
        f"({summary['correct']}/{summary['n']})"
    )
    mean = summary["mean_reward"]
    lines.append(f"  mean reward   {'—' if mean is None else f'{mean:.3f}'}")
    lines.append(f"  format fails  {_pct(summary['format_failure_rate'])}")
    official = summary.get("official")
    if official:
        original = official["original_labels"]["accuracy"]
        lines.append(f"  official windows, original labels    {_pct(original)}")
        relabelled = official.get("relabelled_labels")
        if relabelled:
            lines.append(
                f"  official windows, relabelled labels  {_pct(relabelled['accuracy'])}"
                f"  ({relabelled['changed_labels']} labels changed)"
            )
    metrics = summary.get("metrics")
    if metrics:
        lines.append(
            f"  balanced acc. {_pct(metrics['balanced_accuracy'])}   macro F1 "
            f"{metrics['macro_f1']:.3f}   Cohen's κ {metrics['cohen_kappa']:.3f}"
        )
    calibration = summary.get("calibration")
    if calibration:
        extra = f", AUROC {calibration['auroc']:.3f}" if "auroc" in calibration else ""
        lines.append(
            f"  stated probabilities: {calibration['n']} rows, Brier {calibration['brier']:.3f}"
            + extra
        )
    lines.append("")
    lines.extend(_group_table("category", summary["by_category"]))
    lines.append("")
    per_group = group_table(summary)
    if per_group:
        lines.extend([*per_group, ""])
    lines.extend(_failure_table(summary, max_kinds))
    lines.append("")
    lines.extend(_bad_rows(summary))
    return escape_surrogates("\n".join(lines))


def _bad_rows(summary: dict[str, Any]) -> list[str]:
    n_bad = summary["n_bad"]
    if not n_bad:
        return ["  bad rows: none"]
    shown = ", ".join(str(line) for line in summary["bad_rows"][:10])
    more = f" and {n_bad - 10} more" if n_bad > 10 else ""
    kinds = ", ".join(f"{k} {n}" for k, n in summary["bad_row_kinds"].items())
    lines = [f"  bad rows: {n_bad} not graded ({kinds}) at lines {shown}{more}"]
    lines.extend(f"    {detail['message']}" for detail in summary["bad_row_details"][:3])
    return lines


def _group_table(name: str, groups: dict[str, Any]) -> list[str]:
    width = max([len(name), *(len(k) for k in groups)]) + 2
    lines = [f"  {name:<{width}}{'n':>6}  {'accuracy':>8}  {'95% CI':<13}  "]
    for key, group in groups.items():
        lines.append(
            f"  {key:<{width}}{group['n']:>6}  {_pct(group['accuracy']):>8}  "
            f"{_ci(group['ci95']):<13}  {_bar(group['accuracy'])}"
        )
    return lines


def _failure_table(summary: dict[str, Any], max_kinds: int) -> list[str]:
    analysis = summary["error_analysis"]
    if not analysis:
        return ["  why answers fail: every graded answer is correct"]
    lines = ["  why answers fail                      rows  example"]
    for kind, info in list(analysis.items())[:max_kinds]:
        label = f"{kind} ({info['group']})"
        example = info["examples"][0] if info["examples"] else None
        text = ""
        if example is not None and example["parsed"] is None and example.get("detail"):
            text = f"line {example['line']}: {example['detail']}"
        elif example is not None:
            got = example["parsed"] if example["parsed"] is not None else "nothing readable"
            text = f"line {example['line']}: expected {example['expected']}, got {got}"
            if example.get("subkind"):
                text += f" [{example['subkind']}]"
        lines.append(f"  {label:<36}{info['count']:>6}  {text[:90]}")
    if len(analysis) > max_kinds:
        lines.append(f"  … {len(analysis) - max_kinds} more kinds (see --json or --report)")
    return lines
