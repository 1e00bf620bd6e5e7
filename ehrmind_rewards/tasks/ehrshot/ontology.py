"""The OMOP ontology EHRSHOT expands its code sets with, read from ``concept`` and
``concept_relationship`` tables.

EHRSHOT's labelers ask FEMR's ontology for every descendant of a root code
(``labelers/omop.py:210-223``). FEMR 0.1.16 (the version EHRSHOT pins) builds that ontology in
``native/database.cc`` (``get_parents``), and this module applies the same rule:

* a concept's *type* is its ``standard_concept``: classification ``C`` ranks above standard ``S``,
  which ranks above non-standard (empty);
* candidate parents come from ``concept_relationship`` rows ``concept_id_1 → concept_id_2`` whose
  ``relationship_id`` is one of :data:`PARENT_RELATIONSHIPS` (``Maps to`` first, ``Is a`` third),
  except self-links and links to a concept of a lower type than the child's;
* of a concept's candidates only those with the best (type of the parent, rank of the
  relationship) pair are kept: e.g. an ICD-10-CM code's parent is the standard SNOMED concept it
  ``Maps to``, not its ICD-10-CM group; a LOINC test's parents are the classification LOINC
  groups and parts it ``Is a``.

Codes are ``vocabulary_id/concept_code`` (``SNOMED/59621000``). The tables may be tab-separated
(an Athena download: ``CONCEPT.csv``, ``CONCEPT_RELATIONSHIP.csv``) or comma-separated (the
``femr/logs/omop_dir/concept.csv`` of EHRSHOT's release), with any letter case in the file names.
Reading uses pyarrow (extra ``ehrshot``) in batches, so a full Athena vocabulary fits in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ehrmind_rewards.core.errors import EhrmindError

PARENT_RELATIONSHIPS: tuple[str, ...] = (
    "Maps to",
    "RxNorm - ATC pr lat",
    "Is a",
    "Has precise ingredient",
    "RxNorm has ing",
    "Quantified form of",
    "Has ingredient",
    "Form of",
    "Consists of",
)
"""FEMR 0.1.16's parent relationships in priority order (``native/database.cc``)."""

TYPE_RANK = {"C": -2, "S": -1, "": 0}
"""FEMR's ``get_priority``: lower is preferred as a parent."""

SEARCH_DIRECTORIES = ("", "femr/logs/omop_dir", "athena_download", "ontology", "omop")
"""Where :func:`find_ontology_tables` looks under a dataset root, in order."""


class OntologyError(EhrmindError, ValueError):
    """The ontology tables are missing or malformed; the message names the file and column."""


def _table_file(directory: Path, name: str) -> Path | None:
    if not directory.is_dir():
        return None
    for child in sorted(directory.iterdir()):
        stem = child.name.lower()
        if stem in (f"{name}.csv", f"{name}.tsv"):
            return child
    return None


def find_ontology_tables(root: str | Path) -> tuple[Path, Path] | None:
    """``(concept, concept_relationship)`` files in ``root`` or a known sub-folder, else ``None``.

    >>> find_ontology_tables("/nonexistent") is None
    True
    """
    for sub in SEARCH_DIRECTORIES:
        directory = Path(root, sub)
        concept = _table_file(directory, "concept")
        relationship = _table_file(directory, "concept_relationship")
        if concept is not None and relationship is not None:
            return concept, relationship
    return None


def _batches(path: Path, columns: list[str]) -> Iterable[Any]:
    import pyarrow as pa  # type: ignore[import-untyped]
    from pyarrow import csv as pacsv

    with path.open("rb") as raw:
        head = raw.readline()
    delimiter = "\t" if b"\t" in head else ","
    names = [n.strip().lower() for n in head.decode("utf-8", "replace").strip().split(delimiter)]
    missing = [c for c in columns if c not in names]
    if missing:
        raise OntologyError(f"{path}: missing column(s) {', '.join(missing)}")
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char='"' if delimiter == "," else False
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns,
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,
            ),
        )
        yield from reader
    except (pa.ArrowInvalid, OSError) as error:
        raise OntologyError(f"{path}: not a readable table ({error})") from None


def _ids(array: Any, path: Path, column: str) -> NDArray[np.int64]:
    import pyarrow as pa
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    try:
        return np.asarray(pc.cast(array, pa.int64()).to_numpy(zero_copy_only=False))
    except pa.ArrowInvalid:
        raise OntologyError(f"{path}: column {column} holds a non-integer id") from None


@dataclass(frozen=True, slots=True)
class Ontology:
    """Parent links between OMOP concepts (FEMR's rule), queried for descendants."""

    concept_ids: NDArray[np.int64]
    """All concept ids, sorted."""
    codes: NDArray[np.object_]
    """``codes[i]`` is the code of ``concept_ids[i]``."""
    child_of_parent: tuple[NDArray[np.int64], NDArray[np.int64]]
    """``(parents, children)`` of every kept link, sorted by parent."""

    def descendants(self, code: str) -> set[str]:
        """``code`` and every code below it (``labelers/omop.py:210-223``, breadth first); a code
        not in the ontology is its own only member, as EHRSHOT's silent ``except`` makes it.

        >>> empty = Ontology(np.array([], np.int64), np.array([], object),
        ...                  (np.array([], np.int64), np.array([], np.int64)))
        >>> empty.descendants("SNOMED/1")
        {'SNOMED/1'}
        """
        found = {code}
        start = np.flatnonzero(self.codes == code)
        frontier = self.concept_ids[start]
        seen = set(frontier.tolist())
        parents, children = self.child_of_parent
        while frontier.size:
            lo = np.searchsorted(parents, frontier, side="left")
            hi = np.searchsorted(parents, frontier, side="right")
            pieces = [children[a:b] for a, b in zip(lo, hi, strict=True)]
            below = np.concatenate(pieces) if pieces else np.array([], np.int64)
            fresh = [int(c) for c in np.unique(below) if int(c) not in seen]
            seen.update(fresh)
            frontier = np.asarray(fresh, dtype=np.int64)
        index = np.searchsorted(self.concept_ids, np.fromiter(seen, np.int64, len(seen)))
        found.update(str(c) for c in self.codes[index])
        return found


def load_ontology(concept: str | Path, concept_relationship: str | Path) -> Ontology:
    """Build the ontology from the two tables (see the module docstring for the rule)."""
    import pyarrow.compute as pc

    concept_path, relationship_path = Path(concept), Path(concept_relationship)
    ids: list[NDArray[np.int64]] = []
    codes: list[NDArray[np.object_]] = []
    ranks: list[NDArray[np.int8]] = []
    needed = ["concept_id", "vocabulary_id", "concept_code", "standard_concept"]
    for batch in _batches(concept_path, needed):
        ids.append(_ids(batch.column("concept_id"), concept_path, "concept_id"))
        code = pc.binary_join_element_wise(
            batch.column("vocabulary_id"), batch.column("concept_code"), "/"
        )
        codes.append(np.asarray(code.to_numpy(zero_copy_only=False), dtype=object))
        standard = batch.column("standard_concept").to_numpy(zero_copy_only=False)
        ranks.append(np.asarray([TYPE_RANK.get(s.strip(), 0) for s in standard], dtype=np.int8))
    all_ids = np.concatenate(ids) if ids else np.array([], np.int64)
    order = np.argsort(all_ids, kind="stable")
    concept_ids = all_ids[order]
    all_codes = (np.concatenate(codes) if codes else np.array([], object))[order]
    all_ranks = (np.concatenate(ranks) if ranks else np.array([], np.int8))[order]

    def rank_of(values: NDArray[np.int64]) -> NDArray[np.int64]:
        position = np.clip(np.searchsorted(concept_ids, values), 0, max(concept_ids.size - 1, 0))
        known = concept_ids.size > 0
        hit = (concept_ids[position] == values) if known else np.zeros(values.size, bool)
        return np.where(hit, all_ranks[position] if known else 0, 0).astype(np.int64)

    sources: list[NDArray[np.int64]] = []
    targets: list[NDArray[np.int64]] = []
    keys: list[NDArray[np.int64]] = []
    relationship_rank = {name: i for i, name in enumerate(PARENT_RELATIONSHIPS)}
    for batch in _batches(relationship_path, ["concept_id_1", "concept_id_2", "relationship_id"]):
        relation = batch.column("relationship_id").to_numpy(zero_copy_only=False)
        rel = np.asarray([relationship_rank.get(r, -1) for r in relation], dtype=np.int64)
        keep = rel >= 0
        if not keep.any():
            continue
        one = _ids(batch.column("concept_id_1"), relationship_path, "concept_id_1")[keep]
        two = _ids(batch.column("concept_id_2"), relationship_path, "concept_id_2")[keep]
        rel = rel[keep]
        source_rank, target_rank = rank_of(one), rank_of(two)
        valid = (target_rank <= source_rank) & (one != two)
        sources.append(one[valid])
        targets.append(two[valid])
        keys.append(target_rank[valid] * 100 + rel[valid])
    child = np.concatenate(sources) if sources else np.array([], np.int64)
    parent = np.concatenate(targets) if targets else np.array([], np.int64)
    key = np.concatenate(keys) if keys else np.array([], np.int64)
    if child.size:
        # keep, per child, only the links with its best (parent type, relationship rank) pair
        order = np.lexsort((key, child))
        child, parent, key = child[order], parent[order], key[order]
        first = np.r_[True, child[1:] != child[:-1]]
        best = np.maximum.accumulate(np.where(first, np.arange(child.size), 0))
        keep = key == key[best]
        child, parent = child[keep], parent[keep]
    by_parent = np.argsort(parent, kind="stable")
    return Ontology(concept_ids, all_codes, (parent[by_parent], child[by_parent]))


def load_ontology_from(root: str | Path) -> Ontology | None:
    """:func:`load_ontology` of the tables :func:`find_ontology_tables` finds, else ``None``."""
    found = find_ontology_tables(root)
    return None if found is None else load_ontology(*found)
