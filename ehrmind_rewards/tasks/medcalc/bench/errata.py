"""The MedCalc-Bench errata page, generated from relabelling a benchmark file.

``ehrmind-rewards relabel tests/data/medcalc_bench/v1.0/test_data.csv --output OUT.csv
--errata docs/errata.md`` writes the page; ``tests/test_errata.py`` checks it is in sync.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ehrmind_rewards.tasks.medcalc.bench.causes import CAUSES, UNATTRIBUTED
from ehrmind_rewards.tasks.medcalc.bench.relabel import REASON, STATUS, Summary

COMMAND = (
    "python -m ehrmind_rewards.cli relabel tests/data/medcalc_bench/v1.0/test_data.csv "
    "--output /tmp/relabelled.csv --errata docs/errata.md"
)


def render_errata(rows: Iterable[Mapping[str, str]], summary: Summary, source: str) -> str:
    """Markdown: per calculator, how many labels changed and why, with row numbers."""
    changed: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    incomputable: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    for row in rows:
        cid = int(row["Calculator ID"])
        names[cid] = row.get("Calculator Name", str(cid))
        target = {"changed": changed, "incomputable": incomputable}.get(row[STATUS])
        if target is not None:
            target[cid][row[REASON]].append(row.get("Row Number", "?"))
    lines = [
        "# MedCalc-Bench errata",
        "",
        f'Generated from `{source}` by relabelling every row from its own "Relevant Entities" '
        "with this project's calculators. Do not edit by hand; regenerate with:",
        "",
        f"    {COMMAND}",
        "",
        "A label is *unchanged* when the benchmark's own grading accepts the recomputed value "
        "against it (integers and dates exactly, decimals within the original limits). A changed "
        "label is attributed to a cause only when re-applying that documented cause (the "
        "reference calculator's convention, or its bug) to the recomputed evaluation reproduces "
        "the original label exactly; otherwise it is `unattributed`. *Incomputable* rows keep "
        "their label and say why. The calculators use their default conventions and those a "
        "row's question states (the Cockcroft-Gault question asks for the BMI-based weight); "
        "see the calculator reference for every convention.",
        "",
        "## Summary",
        "",
        "| ID | calculator | rows | unchanged | changed | incomputable |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for cid in sorted(summary.by_calculator):
        c = summary.by_calculator[cid]
        lines.append(
            f"| {cid} | {names.get(cid, '')} | {sum(c.values())} | {c['unchanged']} | "
            f"{c['changed']} | {c['incomputable']} |"
        )
    lines += [
        "",
        "## Causes",
        "",
        "Every documented way the benchmark's reference calculators differ from this project's: "
        "their bugs, their conventions where another is the default here, and inputs the two read "
        "differently. *Verified in* says where each was checked: the v1.0 labels (whose "
        "explanations print the reference's intermediate values) or the reference package "
        "`medcalc-bench` 1.7.0 (the file named), which the test suite runs against this project "
        "on the v1.0 rows and on generated inputs, requiring every disagreement to be one of "
        "these. *Rows* counts the v1.0 labels changed for that cause.",
        "",
        "| cause | kind | verified in | meaning | rows |",
        "|---|---|---|---|---:|",
    ]
    for cause in CAUSES.values():
        count = summary.reasons.get(cause.id, 0)
        if cause.id == UNATTRIBUTED and not count:
            continue
        meaning = cause.meaning.replace("|", "\\|")
        lines.append(
            f"| `{cause.id}` | {cause.kind.replace('_', ' ')} | {cause.seen_in} | {meaning} | "
            f"{count} |"
        )
    for cid in sorted(set(changed) | set(incomputable)):
        lines += ["", f"## {cid} — {names.get(cid, '')}", ""]
        for title, table in (("Changed", changed), ("Incomputable", incomputable)):
            for reason, numbers in sorted(table.get(cid, {}).items()):
                rows_text = ", ".join(numbers)
                lines.append(f"- {title}, `{reason}` ({len(numbers)}): rows {rows_text}")
    return "\n".join(lines) + "\n"
