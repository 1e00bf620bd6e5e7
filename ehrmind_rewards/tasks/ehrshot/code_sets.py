"""The code sets EHRSHOT's labelers match events against, as data (``code_sets.csv``).

EHRSHOT defines each set by root codes that its ontology expands to all descendants
(``labelers/omop.py:80-103`` ``get_femr_codes`` with ``_get_all_children``, ``omop.py:210-223``).
The bundled ``code_sets.csv`` (columns ``set,kind,code,source``) lists, per set:

* ``root`` — EHRSHOT's own root codes, copied from its labelers (``source`` names the line);
  expanded through an ontology when one is loaded (:mod:`.ontology`), matched exactly otherwise;
* ``exact`` — matched exactly and never expanded (EHRSHOT's inpatient visit code,
  ``omop.py:116-120`` "Don't get children here");
* ``fallback`` / ``fallback_prefix`` — used only without an ontology: codes (or code prefixes)
  that approximate the roots' descendants — common LOINC codes of each analyte, the ICD-10-CM
  codes of each diagnosis. Which codes really descend from a root depends on the vocabulary
  release; load the OMOP tables to reproduce EHRSHOT exactly.

Sets: ``inpatient_visit``, ``icu_care_site`` and one per lab and new-diagnosis task. Pass your
own file (same columns) to :func:`load_code_sets` to change any of them.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ehrmind_rewards.tasks.ehrshot.ontology import Ontology

BUNDLED = Path(__file__).with_name("code_sets.csv")
KINDS = ("root", "exact", "fallback", "fallback_prefix")
REQUIRED_SETS = (
    "inpatient_visit",
    "icu_care_site",
    "lab_thrombocytopenia",
    "lab_hyperkalemia",
    "lab_hypoglycemia",
    "lab_hyponatremia",
    "lab_anemia",
    "new_hypertension",
    "new_hyperlipidemia",
    "new_pancan",
    "new_celiac",
    "new_lupus",
    "new_acutemi",
)


class CodeSetError(ValueError):
    """A code-set file is malformed; the message names the file, line and column."""


@dataclass(frozen=True, slots=True)
class CodeSet:
    """The codes one labeler matches: exact codes and code prefixes."""

    name: str
    codes: frozenset[str]
    prefixes: tuple[str, ...] = ()
    expanded: bool = False
    """Whether ``codes`` came from an ontology expansion of the roots."""

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and (code in self.codes or code.startswith(self.prefixes))


@dataclass(frozen=True, slots=True)
class CodeSetTable:
    """The rows of a code-set file, by set name: ``{kind: [codes]}``."""

    path: Path
    rows: Mapping[str, Mapping[str, tuple[str, ...]]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    def resolve(self, ontology: Ontology | None = None) -> dict[str, CodeSet]:
        """Every set as a :class:`CodeSet`: roots expanded through ``ontology`` when given (with
        the ``exact`` codes), else roots, exact and fallback codes and prefixes."""
        out: dict[str, CodeSet] = {}
        for name, kinds in self.rows.items():
            roots, exact = kinds.get("root", ()), kinds.get("exact", ())
            if ontology is not None:
                codes = set(exact)
                for root in roots:
                    codes |= ontology.descendants(root)
                out[name] = CodeSet(name, frozenset(codes), (), expanded=True)
            else:
                codes = {*roots, *exact, *kinds.get("fallback", ())}
                out[name] = CodeSet(name, frozenset(codes), kinds.get("fallback_prefix", ()))
        return out


def load_code_sets(path: str | Path | None = None) -> CodeSetTable:
    """Read a code-set CSV (default: the bundled ``code_sets.csv``); raises :class:`CodeSetError`.

    >>> table = load_code_sets()
    >>> table.rows["inpatient_visit"]["exact"]
    ('Visit/IP',)
    >>> len(table.rows["icu_care_site"]["root"])
    25
    """
    source = Path(path) if path is not None else BUNDLED
    rows: dict[str, dict[str, list[str]]] = {}
    try:
        handle = source.open(newline="", encoding="utf-8")
    except OSError as error:
        raise CodeSetError(f"{source}: cannot read ({error.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("set", "kind", "code") if c not in (reader.fieldnames or [])]
        if missing:
            raise CodeSetError(f"{source}: missing column(s) {', '.join(missing)}")
        for row in reader:
            where = f"{source}: line {reader.line_num}"
            name, kind, code = (str(row.get(c) or "").strip() for c in ("set", "kind", "code"))
            if kind not in KINDS:
                raise CodeSetError(f"{where}: column kind {kind!r} not one of {', '.join(KINDS)}")
            if not name or not code:
                raise CodeSetError(f"{where}: empty set or code")
            rows.setdefault(name, {}).setdefault(kind, []).append(code)
    absent = [name for name in REQUIRED_SETS if name not in rows]
    if absent:
        raise CodeSetError(f"{source}: no rows for set(s) {', '.join(absent)}")
    frozen = {
        name: MappingProxyType({kind: tuple(codes) for kind, codes in kinds.items()})
        for name, kinds in rows.items()
    }
    return CodeSetTable(source, MappingProxyType(frozen))


def code_sets(
    path: str | Path | None = None, ontology: Ontology | None = None
) -> dict[str, CodeSet]:
    """The resolved code sets of ``path`` (default: bundled), expanded through ``ontology``."""
    return load_code_sets(path).resolve(ontology)
