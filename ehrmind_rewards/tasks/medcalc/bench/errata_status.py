"""The errata page's sections on relabel statuses: counts per calculator, the status and
grounding-code vocabulary, and the rows under each status and code.

:func:`.errata.render_errata` places these around the cause table.

>>> summary = Summary()
>>> summary.add(39, "not_computable", "censored_in_note — bicarbonate: …")
>>> status_summary(summary, {39: "Anion Gap"})[4]
'| 39 | Anion Gap | 1 | 0 | 0 | 0 | 0 | 1 |'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from ehrmind_rewards.tasks.medcalc.bench.relabel import (
    REASON,
    REASON_CODES,
    STATUS,
    STATUS_MEANINGS,
    STATUSES,
    Summary,
    reason_codes,
)

_TITLES = {
    "confirmed": "Confirmed",
    "changed": "Changed",
    "reinterpreted": "Reinterpreted",
    "suspect": "Suspect",
    "not_computable": "Not computable",
}


def status_summary(summary: Summary, names: Mapping[int, str]) -> list[str]:
    """Markdown lines: rows per calculator and status, with a total row."""
    head = " | ".join(STATUSES)
    lines = [
        "## Summary",
        "",
        f"| ID | calculator | rows | {head} |",
        "|---:|---|---:|" + "---:|" * len(STATUSES),
    ]
    for cid in sorted(summary.by_calculator):
        lines.append(_row(str(cid), names.get(cid, ""), summary.by_calculator[cid]))
    lines.append(_row("", "**all**", summary.totals))
    return lines


def _row(cid: str, name: str, counts: Mapping[str, int]) -> str:
    cells = " | ".join(str(counts.get(s, 0)) for s in STATUSES)
    return f"| {cid} | {name} | {sum(counts.values())} | {cells} |"


def status_vocabulary(summary: Summary) -> list[str]:
    """Markdown lines: what each status and grounding code means, with row counts."""
    totals = summary.totals
    lines = ["", "## Statuses", "", "| status | meaning | rows |", "|---|---|---:|"]
    lines += [f"| `{s}` | {meaning} | {totals[s]} |" for s, meaning in STATUS_MEANINGS.items()]
    lines += [
        "",
        "## Grounding codes",
        "",
        "Codes in `Relabel Reason` from checking the entities against the note (a row may have "
        "several; each is counted).",
        "",
        "| code | meaning | rows |",
        "|---|---|---:|",
    ]
    for code, meaning in REASON_CODES.items():
        lines.append(f"| `{code}` | {meaning} | {summary.reasons.get(code, 0)} |")
    return lines


def status_listing(rows: Iterable[Mapping[str, str]], names: Mapping[int, str]) -> list[str]:
    """Markdown lines: per calculator, the rows under each status other than ``confirmed``,
    by reason code."""
    listed: dict[int, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        status = row[STATUS]
        if status == "confirmed":
            continue
        cid = int(row["Calculator ID"])
        for code in reason_codes(row[REASON]) or [""]:
            listed[cid][(status, code)].append(row.get("Row Number", "?"))
    lines: list[str] = []
    order = {s: i for i, s in enumerate(STATUSES)}
    for cid in sorted(listed):
        lines += ["", f"## {cid} — {names.get(cid, '')}", ""]
        for (status, code), numbers in sorted(
            listed[cid].items(), key=lambda item: (order[item[0][0]], item[0][1])
        ):
            shown = f", `{code}`" if code else ""
            lines.append(f"- {_TITLES[status]}{shown} ({len(numbers)}): rows {', '.join(numbers)}")
    return lines
