"""TREC Clinical Trials as an evaluation benchmark: topics × qrels × trial files → rows.

:func:`benchmark_rows` reads the three inputs a TREC CT evaluation starts from and returns one row
per judged (patient, trial) pair, for evaluation frameworks (Inspect AI, verifiers): the prompt as
chat messages without EHRMind's pre-fill (chat APIs open the assistant turn themselves), ``label``
(the qrels grade), ``label_name``, ``query_id``, ``doc_id`` and an ``id``.

Nothing is dropped silently: pairs whose topic or trial is missing, or whose patient note alone
exceeds the prompt budget, are counted in one warning naming a few of them, and a run with no
usable pair raises :class:`~ehrmind_rewards.tasks.trials.errors.TrialDataError`.

For a folder of ClinicalTrials.gov files named by NCT id (``NCT00002569.xml``, the TREC snapshot
layout), only the files of judged trials are read, so a qrels file over a few thousand trials
does not parse the whole 375k-file corpus.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ehrmind_rewards.tasks.trials.ctgov import TrialDirectory, read_trial
from ehrmind_rewards.tasks.trials.dataset import build_trial_dataset
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from ehrmind_rewards.tasks.trials.qrels import load_qrels
from ehrmind_rewards.tasks.trials.topics import load_topics
from schemas.trials import TrialRecord

logger = logging.getLogger(__name__)

_NCT_FILE = re.compile(r"NCT[0-9]{8}")


def read_trials(path: str | Path, wanted: set[str]) -> dict[str, TrialRecord]:
    """Trial records by NCT id from one file or a folder; unreadable files are logged."""
    root = Path(path)
    if root.is_file():
        return {t.nct_id: t for t in read_trial(root) if t.nct_id in wanted}
    if not root.is_dir():
        raise TrialDataError(f"{root}: no such trial file or folder")
    folder = TrialDirectory(root)
    found: dict[str, TrialRecord] = {}
    for file in folder.paths():
        stem = Path(file).stem
        if _NCT_FILE.fullmatch(stem) and stem not in wanted:
            continue
        try:
            trials = read_trial(file)
        except TrialDataError as error:
            logger.warning("%s", error)
            continue
        found.update((t.nct_id, t) for t in trials if t.nct_id in wanted)
    for failure in folder.errors:
        logger.warning("%s: %s", failure.path, failure.message)
    return found


def benchmark_rows(
    topics: str | Path,
    qrels: str | Path,
    trials: str | Path,
    *,
    per_class: int | None = None,
    balanced: bool = False,
    seed: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """One row per judged pair (see the module docstring), in a ``seed``-shuffled order.

    ``balanced`` samples ``per_class`` pairs per grade (default: as many as the rarest grade
    has); ``limit`` keeps the first rows.
    """
    judged = load_qrels(qrels)
    records = read_trials(trials, {q.doc_id for q in judged})
    dataset = build_trial_dataset(
        load_topics(topics),
        judged,
        records,
        fractions={"test": 1.0},
        per_class=per_class,
        balanced=balanced,
        seed=seed,
        prefill=False,
    )
    rows = dataset.splits["test"]
    for row in rows:
        row["id"] = f"{row['query_id']}:{row['doc_id']}"
    left_out: dict[str, Sequence[object]] = {
        "judged topics without a text": dataset.missing_topics,
        "trials without a record": dataset.missing_trials,
        "pairs whose patient note exceeds the prompt budget": dataset.too_long,
    }
    for what, items in left_out.items():
        if items:
            logger.warning("%s: %d %s left out, e.g. %s", qrels, len(items), what, items[:3])
    if not rows:
        raise TrialDataError(f"{qrels}: no judged pair has both a topic and a trial record")
    return rows if limit is None else rows[:limit]
