"""Running totals of a grading run: mergeable, picklable, constant size per category.

Each worker fills a :class:`Tally` for its chunk; the main process merges them in input order, so
the result (including which example rows are kept) does not depend on the number of workers.
Memory grows with the number of categories, calculators and error kinds, never with the number of
rows, except for 16 bytes per pooled row with a stated probability (calibration and AUROC), 19
bytes per scored outcome of a metric group (:class:`GroupScores`) and 8 bytes per bad row (its
line number).
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ehrmind_rewards.core.io import BadRow
from ehrmind_rewards.core.task import GradingExtension, ScoredRow

EXAMPLES_PER_KIND = 5
"""Example rows kept for each error kind."""

MAX_BAD_DETAILS = 1000
"""Bad rows whose messages are kept in the summary (all are counted and their lines listed;
every message is in the per-row verdict file)."""

NO_ANSWER = "(no answer)"
"""The predicted label of a completion whose format failed, in confusion matrices."""


@dataclass(slots=True)
class Group:
    """Counts for one category, calculator or label."""

    n: int = 0
    correct: int = 0
    score_sum: float = 0.0
    format_failures: int = 0

    def add(self, correct: bool, score: float, format_ok: bool) -> None:
        self.n += 1
        self.correct += correct
        self.score_sum += score
        self.format_failures += not format_ok

    def merge(self, other: Group) -> None:
        self.n += other.n
        self.correct += other.correct
        self.score_sum += other.score_sum
        self.format_failures += other.format_failures


@dataclass(slots=True)
class GroupScores:
    """The scored outcomes of one metric group (:meth:`TaskFamily.scored_outcomes`), one entry
    per outcome: 19 bytes each (part index, truth, score, cluster key)."""

    parts: list[str] = field(default_factory=list)
    part: array[int] = field(default_factory=lambda: array("H"))
    truth: array[int] = field(default_factory=lambda: array("b"))
    score: array[float] = field(default_factory=lambda: array("d"))
    cluster: array[int] = field(default_factory=lambda: array("q"))
    rows: int = 0
    stated: int = 0
    unanswered: int = 0

    def add(self, scored: ScoredRow, fallback_cluster: str) -> None:
        """Append one row's outcomes (``fallback_cluster`` when the row names none)."""
        key = cluster_key(scored.cluster if scored.cluster is not None else fallback_cluster)
        self.rows += 1
        self.stated += scored.stated
        self.unanswered += not scored.answered
        for outcome in scored.outcomes:
            if outcome.part not in self.parts:
                self.parts.append(outcome.part)
            self.part.append(self.parts.index(outcome.part))
            self.truth.append(outcome.truth)
            self.score.append(outcome.score)
            self.cluster.append(key)

    def merge(self, other: GroupScores) -> None:
        for name in other.parts:
            if name not in self.parts:
                self.parts.append(name)
        remap = [self.parts.index(name) for name in other.parts]
        self.part.extend(remap[i] for i in other.part)
        self.truth.extend(other.truth)
        self.score.extend(other.score)
        self.cluster.extend(other.cluster)
        self.rows += other.rows
        self.stated += other.stated
        self.unanswered += other.unanswered


def cluster_key(name: str) -> int:
    """A stable 64-bit key of a cluster name (the same in every worker process)."""
    return int.from_bytes(
        hashlib.blake2b(name.encode(), digest_size=8).digest(), "little", signed=True
    )


@dataclass(slots=True)
class Tally:
    """Everything a summary, an error analysis or a report needs, accumulated row by row."""

    cells: dict[tuple[str, str], Group] = field(default_factory=dict)
    """(group, subgroup key or ``""``) → counts: one update per row; totals are derived."""
    subgroup_names: dict[str, str] = field(default_factory=dict)
    scores: Counter[float] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    subkinds: Counter[tuple[str, str]] = field(default_factory=Counter)
    kind_categories: Counter[tuple[str, str]] = field(default_factory=Counter)
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extension: GradingExtension | None = None
    """The task family's own counters (``TaskFamily.grading_extension``)."""
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    probabilities: array[float] = field(default_factory=lambda: array("d"))
    outcomes: array[float] = field(default_factory=lambda: array("d"))
    bad_rows: list[BadRow] = field(default_factory=list)
    """The first :data:`MAX_BAD_DETAILS` bad rows with their messages."""
    bad_lines: array[int] = field(default_factory=lambda: array("q"))
    """The line number of every bad row (8 bytes each)."""
    bad_kinds: Counter[str] = field(default_factory=Counter)
    examples_per_kind: int = EXAMPLES_PER_KIND
    group_confusion: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    """(metric group, truth, prediction) counts of rows whose family names a metric group; such
    rows never enter the pooled :attr:`confusion`."""
    group_scores: dict[str, GroupScores] = field(default_factory=dict)

    def _grouped(self, position: int) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for key, cell in self.cells.items():
            if key[position]:
                groups.setdefault(key[position], Group()).merge(cell)
        return groups

    @property
    def total(self) -> Group:
        """Counts over every graded row."""
        total = Group()
        for cell in self.cells.values():
            total.merge(cell)
        return total

    @property
    def categories(self) -> dict[str, Group]:
        """Counts per category."""
        return self._grouped(0)

    @property
    def subgroups(self) -> dict[str, Group]:
        """Counts per subgroup key (MedCalc: per calculator id)."""
        return self._grouped(1)

    def add_bad(self, bad: BadRow) -> None:
        """Count a bad row; keep its message if fewer than :data:`MAX_BAD_DETAILS` are kept."""
        self.bad_lines.append(bad.line)
        self.bad_kinds[bad.kind] += 1
        if len(self.bad_rows) < MAX_BAD_DETAILS:
            self.bad_rows.append(bad)

    def add_example(self, kind: str, example: dict[str, Any]) -> None:
        kept = self.examples.setdefault(kind, [])
        if len(kept) < self.examples_per_kind:
            kept.append(example)

    def merge(self, other: Tally) -> None:
        """Add ``other`` (a later part of the same input) to this tally."""
        for key, group in other.cells.items():
            mine = self.cells.get(key)
            if mine is None:
                self.cells[key] = mine = Group()
            mine.merge(group)
        self.subgroup_names.update(other.subgroup_names)
        self.scores.update(other.scores)
        self.reasons.update(other.reasons)
        self.kinds.update(other.kinds)
        self.subkinds.update(other.subkinds)
        self.kind_categories.update(other.kind_categories)
        for kind, examples in other.examples.items():
            for example in examples:
                self.add_example(kind, example)
        if other.extension is not None:
            if self.extension is None:
                self.extension = other.extension
            else:
                self.extension.merge(other.extension)
        self.confusion.update(other.confusion)
        self.probabilities.extend(other.probabilities)
        self.outcomes.extend(other.outcomes)
        self.group_confusion.update(other.group_confusion)
        for name, scores in other.group_scores.items():
            mine_scores = self.group_scores.get(name)
            if mine_scores is None:
                self.group_scores[name] = mine_scores = GroupScores()
            mine_scores.merge(scores)
        self.bad_lines.extend(other.bad_lines)
        self.bad_kinds.update(other.bad_kinds)
        self.bad_rows.extend(other.bad_rows[: max(0, MAX_BAD_DETAILS - len(self.bad_rows))])
