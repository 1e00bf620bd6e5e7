"""The MedCalc-Bench errata page, generated from relabelling a benchmark file.

``ehrmind-rewards relabel tests/data/medcalc_bench/v1.0/test_data.csv --output OUT.csv
--errata docs/errata.md`` writes the page; ``tests/tasks/medcalc/test_relabel.py`` checks it is
in sync. The status sections come from :mod:`.errata_status`, the cause table from
:data:`.causes.CAUSES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ehrmind_rewards.tasks.medcalc.bench.causes import CAUSES, UNATTRIBUTED
from ehrmind_rewards.tasks.medcalc.bench.errata_status import (
    status_listing,
    status_summary,
    status_vocabulary,
)
from ehrmind_rewards.tasks.medcalc.bench.relabel import Summary

COMMAND = (
    "python -m ehrmind_rewards.cli relabel tests/data/medcalc_bench/v1.0/test_data.csv "
    "--output /tmp/relabelled.csv --errata docs/errata.md"
)


def render_errata(rows: Iterable[Mapping[str, str]], summary: Summary, source: str) -> str:
    """Markdown: per calculator, how many rows got each status and why, with row numbers."""
    rows = list(rows)
    names: dict[int, str] = {}
    for row in rows:
        cid = int(row["Calculator ID"])
        names[cid] = row.get("Calculator Name", str(cid))
    lines = [
        "# MedCalc-Bench errata",
        "",
        f'Generated from `{source}` by relabelling every row from its own "Relevant Entities" '
        "with this project's calculators, after checking every entity against the row's patient "
        "note. Do not edit by hand; regenerate with:",
        "",
        f"    {COMMAND}",
        "",
        "A label is *confirmed* when the benchmark's own grading accepts the recomputed value "
        "against it (integers and dates exactly, decimals within the original limits). A changed "
        "label is attributed to a cause only when re-applying that documented cause (the "
        "reference calculator's convention, or its bug) to the recomputed evaluation reproduces "
        "the original label exactly; otherwise it is `unattributed`. Entities the note settles "
        "on other values are corrected first (`entity_corrected_from_note`); rows whose "
        "entities the note does not support are *suspect*; rows whose note lacks a required "
        "input are *not computable* and keep their label. The calculators use their default "
        "conventions and those a row's question states (the Cockcroft-Gault question asks for "
        "the BMI-based weight); see the calculator reference for every convention.",
        "",
    ]
    lines += status_summary(summary, names)
    lines += status_vocabulary(summary)
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
    lines += status_listing(rows, names)
    return "\n".join(lines) + "\n"
