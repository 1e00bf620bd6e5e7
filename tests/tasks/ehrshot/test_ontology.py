"""The OMOP ontology loader follows FEMR 0.1.16's parent rule (``native/database.cc``,
``get_parents``), which EHRSHOT's code-set expansion (``labelers/omop.py:80-103, 210-223``) uses.

The tables below are a hand-made miniature: concept ids are invented, codes are real ones.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ehrmind_rewards.tasks.ehrshot.benchmark import get_task
from ehrmind_rewards.tasks.ehrshot.code_sets import CodeSetError, code_sets, load_code_sets
from ehrmind_rewards.tasks.ehrshot.events import make_patient, to_us
from ehrmind_rewards.tasks.ehrshot.labelers import Labeler
from ehrmind_rewards.tasks.ehrshot.ontology import (
    OntologyError,
    find_ontology_tables,
    load_ontology,
    load_ontology_from,
)

pytest.importorskip("pyarrow", reason="the ontology loader reads CSV with pyarrow (ehrshot extra)")

CONCEPTS = [  # concept_id, vocabulary_id, concept_code, standard_concept
    (1, "SNOMED", "38341003", "S"),  # hypertensive disorder
    (2, "SNOMED", "59621000", "S"),  # essential hypertension (EHRSHOT's root)
    (3, "SNOMED", "1201005", "S"),  # benign essential hypertension
    (4, "ICD10CM", "I10", ""),
    (5, "ICD10CM", "I10-I16", ""),
    (6, "LOINC", "LP392452-1", "C"),
    (7, "LOINC", "718-7", "S"),
    (8, "SNOMED", "271026005", "S"),  # a standard concept the LOINC test also "Is a"
]
RELATIONSHIPS = [  # concept_id_1, concept_id_2, relationship_id
    (2, 1, "Is a"),
    (3, 2, "Is a"),
    (1, 3, "Subsumes"),  # not a parent relationship
    (4, 2, "Maps to"),  # non-standard → standard: the best parent of I10
    (4, 5, "Is a"),  # same-type parent, but worse than a standard one: dropped
    (2, 4, "Maps to"),  # standard → non-standard: "going in the wrong direction", skipped
    (2, 2, "Maps to"),  # self-link, skipped
    (7, 6, "Is a"),  # standard → classification: the best
    (7, 8, "Is a"),  # standard → standard, worse than classification: dropped
]


def write_tables(folder: Path, *, athena: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    sep = "\t" if athena else ","
    name = (lambda n: n.upper()) if athena else (lambda n: n)
    with (folder / f"{name('concept')}.csv").open("w") as f:
        f.write(
            sep.join(
                ["concept_id", "concept_name", "vocabulary_id", "concept_code", "standard_concept"]
            )
            + "\n"
        )
        for cid, vocab, code, standard in CONCEPTS:
            f.write(sep.join([str(cid), f"name {cid}", vocab, code, standard]) + "\n")
    with (folder / f"{name('concept_relationship')}.csv").open("w") as f:
        f.write(sep.join(["concept_id_1", "concept_id_2", "relationship_id"]) + "\n")
        for one, two, rel in RELATIONSHIPS:
            f.write(sep.join([str(one), str(two), rel]) + "\n")


@pytest.fixture(params=[True, False], ids=["athena-tsv", "femr-omop-dir-csv"])
def ontology_root(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / ("athena_download" if request.param else "femr/logs/omop_dir")
    write_tables(folder, athena=request.param)
    return tmp_path


def test_descendants_follow_femrs_parent_rule(ontology_root: Path) -> None:
    ontology = load_ontology_from(ontology_root)
    assert ontology is not None
    assert ontology.descendants("SNOMED/59621000") == {
        "SNOMED/59621000",
        "SNOMED/1201005",
        "ICD10CM/I10",  # through "Maps to": ICD-10-CM codes fall under their SNOMED concept
    }
    assert ontology.descendants("SNOMED/38341003") >= {"SNOMED/59621000", "ICD10CM/I10"}
    assert ontology.descendants("ICD10CM/I10-I16") == {"ICD10CM/I10-I16"}  # I10's link dropped
    assert ontology.descendants("LOINC/LP392452-1") == {"LOINC/LP392452-1", "LOINC/718-7"}
    assert ontology.descendants("SNOMED/271026005") == {"SNOMED/271026005"}
    assert ontology.descendants("SNOMED/999") == {"SNOMED/999"}  # unknown: itself


def test_expanded_code_sets_reach_the_labeler(ontology_root: Path) -> None:
    ontology = load_ontology_from(ontology_root)
    sets = code_sets(ontology=ontology)
    assert "SNOMED/1201005" in sets["new_hypertension"]
    assert "LOINC/718-7" in sets["lab_anemia"]
    assert "LOINC/30313-1" not in sets["lab_anemia"]  # fallback codes are not used with one
    day = datetime(2012, 1, 1)
    events = make_patient(
        1,
        [to_us(datetime(1950, 1, 1)), to_us(day), to_us(datetime(2012, 3, 1))],
        ["MEDS_BIRTH", "Visit/IP", "SNOMED/1201005"],
        omop_table=["person", "visit_occurrence", "condition_occurrence"],
        end=[to_us(datetime(1950, 1, 1)), to_us(datetime(2012, 1, 3)), to_us(datetime(2012, 3, 1))],
    )
    with_ontology = Labeler(sets).label(events, get_task("new_hypertension"))
    without = Labeler().label(events, get_task("new_hypertension"))
    assert [x.value for x in with_ontology] == [1]
    assert [x.value for x in without] == [0]


def test_missing_and_malformed_tables(tmp_path: Path) -> None:
    assert find_ontology_tables(tmp_path) is None
    assert load_ontology_from(tmp_path) is None
    (tmp_path / "concept.csv").write_text("concept_id,vocabulary_id\n1,SNOMED\n")
    (tmp_path / "concept_relationship.csv").write_text("concept_id_1,concept_id_2\n")
    with pytest.raises(OntologyError, match=r"concept\.csv: missing column\(s\) concept_code"):
        load_ontology(tmp_path / "concept.csv", tmp_path / "concept_relationship.csv")


def test_code_set_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "sets.csv"
    bad.write_text("set,kind,code\nlab_anemia,sometimes,LOINC/718-7\n")
    with pytest.raises(CodeSetError, match=r"line 2: column kind 'sometimes'"):
        load_code_sets(bad)
    bad.write_text("set,kind,code\nlab_anemia,root,LOINC/718-7\n")
    with pytest.raises(CodeSetError, match="no rows for set"):
        load_code_sets(bad)
    with pytest.raises(CodeSetError, match="cannot read"):
        load_code_sets(tmp_path / "absent.csv")
