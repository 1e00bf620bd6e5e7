"""Paired comparison of two models graded on the same items.

Items are matched by id (rows without an id by line number). For the items both files share, per
category and overall: each model's accuracy, the difference B − A with a paired bootstrap 95 %
interval (items resampled with replacement, seeded, so the same inputs give the same interval), the
same for mean reward, and McNemar's test on the discordant items (exact binomial and
continuity-corrected chi-square). Also listed: the items only A gets right and only B gets right,
and the ids that appear in only one file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ehrmind_rewards.grading.stats import mcnemar, paired_bootstrap_interval

Item = tuple[str, str, bool, float]
"""``(id, category, correct, score)`` for one graded row."""


def _index(items: Sequence[Item]) -> tuple[dict[str, Item], list[str]]:
    index: dict[str, Item] = {}
    duplicates: list[str] = []
    for item in items:
        if item[0] in index:
            duplicates.append(item[0])
        else:
            index[item[0]] = item
    return index, duplicates


def compare_items(
    a: Sequence[Item],
    b: Sequence[Item],
    *,
    resamples: int = 2000,
    seed: int = 0,
    max_listed: int | None = None,
) -> dict[str, Any]:
    """The comparison object (see module doc); ``max_listed`` caps the listed item ids."""
    a_index, a_duplicates = _index(a)
    b_index, b_duplicates = _index(b)
    shared = [key for key in a_index if key in b_index]
    categories: dict[str, list[str]] = {}
    for key in shared:
        categories.setdefault(a_index[key][1], []).append(key)
    result: dict[str, Any] = {
        "n_shared": len(shared),
        "only_in_a": _cap([k for k in a_index if k not in b_index], max_listed),
        "only_in_b": _cap([k for k in b_index if k not in a_index], max_listed),
        "duplicate_ids": {"a": _cap(a_duplicates, max_listed), "b": _cap(b_duplicates, max_listed)},
        "overall": _paired(shared, a_index, b_index, resamples, seed),
        "by_category": {
            name: _paired(keys, a_index, b_index, resamples, seed)
            for name, keys in sorted(categories.items())
        },
    }
    result["only_a_correct"] = _cap(
        [k for k in shared if a_index[k][2] and not b_index[k][2]], max_listed
    )
    result["only_b_correct"] = _cap(
        [k for k in shared if b_index[k][2] and not a_index[k][2]], max_listed
    )
    return result


def _cap(keys: list[str], limit: int | None) -> list[str]:
    return keys if limit is None else keys[:limit]


def _paired(
    keys: list[str],
    a_index: dict[str, Item],
    b_index: dict[str, Item],
    resamples: int,
    seed: int,
) -> dict[str, Any]:
    n = len(keys)
    a_correct = np.fromiter((a_index[k][2] for k in keys), dtype=np.float64, count=n)
    b_correct = np.fromiter((b_index[k][2] for k in keys), dtype=np.float64, count=n)
    a_score = np.fromiter((a_index[k][3] for k in keys), dtype=np.float64, count=n)
    b_score = np.fromiter((b_index[k][3] for k in keys), dtype=np.float64, count=n)
    only_a = int(np.sum((a_correct == 1) & (b_correct == 0)))
    only_b = int(np.sum((b_correct == 1) & (a_correct == 0)))
    test = mcnemar(only_a, only_b)
    if n == 0:
        return {"n": 0}
    return {
        "n": n,
        "accuracy_a": float(a_correct.mean()),
        "accuracy_b": float(b_correct.mean()),
        "accuracy_delta": float(b_correct.mean() - a_correct.mean()),
        "accuracy_delta_ci95": list(
            paired_bootstrap_interval(a_correct, b_correct, resamples=resamples, seed=seed)
        ),
        "mean_reward_a": float(a_score.mean()),
        "mean_reward_b": float(b_score.mean()),
        "mean_reward_delta": float(b_score.mean() - a_score.mean()),
        "mean_reward_delta_ci95": list(
            paired_bootstrap_interval(a_score, b_score, resamples=resamples, seed=seed)
        ),
        "only_a_correct": only_a,
        "only_b_correct": only_b,
        "mcnemar_p_exact": test.p_exact,
        "mcnemar_chi2": test.chi2,
        "mcnemar_p_chi2": test.p_chi2,
    }


def render_comparison(comparison: dict[str, Any], name_a: str, name_b: str) -> str:
    """The comparison as a terminal table."""
    lines = [
        f"A = {name_a}",
        f"B = {name_b}",
        f"{comparison['n_shared']} shared items",
    ]
    for side in ("only_in_a", "only_in_b"):
        if comparison[side]:
            lines.append(f"  {len(comparison[side])} item(s) {side.replace('_', ' ')} (ignored)")
    lines.append("")
    header = (
        f"  {'category':<14}{'n':>6}  {'A':>6}  {'B':>6}  {'B − A':>7}  {'95% CI':<17}"
        f"{'only A':>7}{'only B':>7}  McNemar p"
    )
    lines.append(header)
    rows = [("overall", comparison["overall"]), *comparison["by_category"].items()]
    for name, stats in rows:
        if not stats.get("n"):
            continue
        low, high = stats["accuracy_delta_ci95"]
        lines.append(
            f"  {name:<14}{stats['n']:>6}  {100 * stats['accuracy_a']:5.1f}%  "
            f"{100 * stats['accuracy_b']:5.1f}%  {100 * stats['accuracy_delta']:+6.1f}  "
            f"[{100 * low:+.1f}, {100 * high:+.1f}]".ljust(17 + 44)
            + f"{stats['only_a_correct']:>7}{stats['only_b_correct']:>7}  "
            f"{stats['mcnemar_p_exact']:.3g}"
        )
    for side, label in (("only_a_correct", "only A right"), ("only_b_correct", "only B right")):
        keys = comparison[side]
        shown = ", ".join(keys[:15]) + (" …" if len(keys) > 15 else "")
        lines.append(f"\n  {label} ({len(keys)}): {shown or 'none'}")
    return "\n".join(lines)
