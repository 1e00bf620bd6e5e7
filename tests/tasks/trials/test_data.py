"""TREC CT loaders: the shipped qrels and topics, and constructed ClinicalTrials.gov fixtures."""

from __future__ import annotations

import json
import re
import string
import sys
import types
import warnings
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehrmind_rewards.data.trials import load_qrels, load_topics
from ehrmind_rewards.tasks.trials import ctgov
from ehrmind_rewards.tasks.trials import irds as data
from ehrmind_rewards.tasks.trials.ctgov import (
    TrialDirectory,
    age_in_years,
    read_trial,
    split_criteria,
)
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialLabel
from tests.paths import DATA

TREC = DATA / "trec_ct"
FIXTURES = TREC / "clinicaltrials"


@pytest.mark.parametrize(
    ("year", "counts", "topics"),
    [
        (2021, {0: 24_243, 1: 6_019, 2: 5_570}, 75),  # published: 35,832 judgments
        (2022, {0: 28_419, 1: 3_036, 2: 3_939}, 50),  # published: 35,394 judgments
    ],
)
def test_shipped_qrels_and_topics_reproduce_published_counts(
    year: int, counts: dict[int, int], topics: int
) -> None:
    qrels = load_qrels(TREC / "trialgpt" / f"trec_{year}" / "qrels" / "test.tsv")
    assert Counter(int(q.label) for q in qrels) == counts
    assert len(qrels) == sum(counts.values())
    assert len({q.query_id for q in qrels}) == topics
    loaded = load_topics(TREC / "trialgpt" / f"trec_{year}" / "queries.jsonl")
    assert len(loaded) == topics
    assert {t.query_id for t in loaded} == {q.query_id for q in qrels}
    assert all(isinstance(q.label, TrialLabel) for q in qrels[:10])


def test_official_xml_topics_match_trialgpt_copies() -> None:
    xml = {t.query_id: t.text for t in load_topics(TREC / "official_topics" / "topics2021.xml")}
    jsonl = {t.query_id: t.text for t in load_topics(TREC / "trialgpt/trec_2021/queries.jsonl")}
    assert sorted(xml, key=int) == [str(n) for n in range(1, 76)]
    assert all(" ".join(xml[q].split()) == " ".join(jsonl[f"trec-2021{q}"].split()) for q in xml)
    assert "&amp;" not in "".join(xml.values())  # XML entities decoded


def test_format_is_decided_by_content_not_extension(tmp_path: Path) -> None:
    xml = tmp_path / "topics.jsonl"
    xml.write_text('<topics><topic number="7">  A 60-year-old woman.  </topic></topics>')
    assert [(t.query_id, t.text) for t in load_topics(xml)] == [("7", "A 60-year-old woman.")]
    jsonl = tmp_path / "topics.xml"
    jsonl.write_text('{"_id": "q1", "text": "note one"}\n\n{"query_id": "q2", "text": "two"}\n')
    assert [t.query_id for t in load_topics(jsonl)] == ["q1", "q2"]


def test_trec_text_qrels(tmp_path: Path) -> None:
    path = tmp_path / "qrels2021.txt"
    path.write_text("1 0 NCT00000102 2\n1 0 NCT00000104 0\n\n2 0 NCT00000102 1\n")
    assert [(q.query_id, q.doc_id, int(q.label)) for q in load_qrels(path)] == [
        ("1", "NCT00000102", 2),
        ("1", "NCT00000104", 0),
        ("2", "NCT00000102", 1),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 0 NCT1 3\n", ":1: relevance grade must be 0, 1 or 2"),
        ("1 0 NCT1 2\n1 0 NCT1 1\n", ":2: 1 NCT1 judged twice"),
        ("1 NCT1 2\n", ":1: expected 'qid iter docid rel'"),
        ("query-id\tdoc\tscore\nq\tNCT1\t1\n", ":1: header has no trial column"),
        ("query-id\tcorpus-id\tscore\nq\tNCT1\n", ":2: expected 3+ columns"),
        ("not a qrels file\n", ":1: header has no topic column"),
    ],
)
def test_bad_qrels_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "qrels.txt"
    path.write_text(text)
    with pytest.raises(TrialDataError, match=re.escape(message)) as info:
        load_qrels(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nothing here", "neither topics XML nor JSONL"),
        ("<topics><topic>no number</topic></topics>", "no 'number' attribute"),
        ("<topics><topic number='1'>", "invalid XML"),
        ('{"_id": "1"}\n', ":1: needs an '_id'"),
        ('{"_id": "1", "text": "a"}\n{"_id": "1", "text": "b"}\n', "topic '1' appears twice"),
    ],
)
def test_bad_topics(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "topics"
    path.write_text(text)
    with pytest.raises(TrialDataError, match=message):
        load_topics(path)


# ------------------------------------------------------------------ ClinicalTrials.gov records


def test_xml_trial_with_nested_bullets_and_non_ascii() -> None:
    (trial,) = read_trial(FIXTURES / "snapshot_2021" / "NCT9000xxxx" / "NCT90000001.xml")
    assert trial.nct_id == "NCT90000001"
    assert trial.title == "Low-Dose Rituximab in Sjögren's Syndrome"
    assert trial.conditions == ("Sjögren's Syndrome", "Xerostomia")
    assert trial.summary.startswith("This constructed study") and "\n      " not in trial.summary
    assert trial.inclusion == (
        "Age ≥ 18 years",
        "Primary Sjögren's syndrome by the 2016 ACR/EULAR classification criteria, with "
        "unstimulated salivary flow ≤ 0.1 mL/min",
        "At least one of the following:\n     - anti-SSA/Ro antibodies\n"
        "     - focal lymphocytic sialadenitis with focus score ≥ 1",
        "Able to give written informed consent",
    )
    assert trial.exclusion == (
        "Prior B-cell depleting therapy within 12 months",
        "Active hepatitis B (HBsAg positive) or hepatitis C infection",
        "Pregnancy or breast-feeding",
    )
    assert (trial.gender, trial.minimum_age, trial.maximum_age) == ("All", "18 Years", "")
    assert (trial.minimum_age_years, trial.maximum_age_years) == (18.0, None)
    assert trial.healthy_volunteers is False


def test_xml_trial_without_exclusion_criteria() -> None:
    (trial,) = read_trial(FIXTURES / "snapshot_2021" / "NCT9000xxxx" / "NCT90000002.xml")
    assert trial.inclusion == ("Healthy girls aged 6 months to 17 years", "Parental consent")
    assert trial.exclusion == ()
    assert (trial.gender, trial.minimum_age_years, trial.maximum_age_years) == ("Female", 0.5, 17.0)
    assert trial.healthy_volunteers is True


def test_json_v2_trial() -> None:
    (trial,) = read_trial(FIXTURES / "json_v2" / "NCT90000003.json")
    assert trial.nct_id == "NCT90000003"
    assert trial.official_title.endswith("Women Aged 40–80")
    assert trial.inclusion == (
        "Women aged 40 to 80 years",
        "Acute myocardial infarction within 14 days, defined as:\n"
        "  - troponin rise above the 99th percentile, and\n"
        "  - symptoms or ECG changes of ischaemia",
        "eGFR ≥ 30 mL/min/1.73 m²",
    )
    assert trial.exclusion == (
        "Type 1 diabetes",
        "Current SGLT2 inhibitor treatment",
        "Systolic blood pressure < 95 mmHg",
    )
    assert (trial.gender, trial.minimum_age_years, trial.maximum_age_years) == (
        "Female",
        40.0,
        80.0,
    )
    assert trial.healthy_volunteers is False


def test_json_v2_studies_page() -> None:
    first, second = read_trial(FIXTURES / "json_v2" / "studies_page.json")
    assert first.inclusion == (
        "Fatigue for more than 12 weeks after SARS-CoV-2 infection",
        "Age 18–65 years",
    )
    assert first.exclusion == ()
    # no inclusion heading: text before the exclusion heading counts as inclusion;
    # text after "Exclusion criteria:" on the heading line is a criterion
    assert second.inclusion == ("Term neonates with bilirubin above the phototherapy threshold.",)
    assert second.exclusion == ("haemolytic disease",)
    assert second.maximum_age_years == pytest.approx(28 / 365.25)
    assert second.healthy_volunteers is None


def test_directory_is_lazy_and_reports_malformed_files(monkeypatch: pytest.MonkeyPatch) -> None:
    directory = TrialDirectory(FIXTURES)
    calls: list[str] = []
    parse = ctgov.parse_trials
    monkeypatch.setattr(ctgov, "parse_trials", lambda text: calls.append(text) or parse(text))
    iterator = iter(directory)
    first = next(iterator)
    assert len(calls) == 1  # one file read for the first record
    trials = [first, *iterator]
    ids = sorted(t.nct_id for t in trials)
    assert ids == [f"NCT9000000{n}" for n in (1, 2, 3, 4, 5, 8)]
    errors = {Path(e.path).name: e.message for e in directory.errors}
    assert set(errors) == {"NCT90000006.xml", "NCT90000007.xml", "no_id.json"}  # notes.txt skipped
    assert "invalid XML" in errors["NCT90000006.xml"]
    assert "unreadable age 'eighteen'" in errors["NCT90000007.xml"]
    assert "nctId" in errors["no_id.json"]


def test_read_trial_names_the_file() -> None:
    path = FIXTURES / "malformed" / "NCT90000006.xml"
    with pytest.raises(TrialDataError, match=r"NCT90000006\.xml: invalid XML"):
        read_trial(path)


LONG_SENTENCE = "Exclusion criteria were set by the sponsor and are listed in the protocol appendix"


@pytest.mark.parametrize(
    ("text", "inclusion", "exclusion"),
    [
        ("", (), ()),
        ("Adults with asthma.\nNo smokers.", ("Adults with asthma. No smokers.",), ()),
        ("Para one.\n\nPara two.", ("Para one.", "Para two."), ()),
        (
            "Key Inclusion Criteria:\n- a\n- b\n  continued\nKey Exclusion Criteria:\n1) c",
            ("a", "b continued"),
            ("c",),
        ),
        ("Eligibility Criteria:\n* x", ("x",), ()),
        (LONG_SENTENCE, (LONG_SENTENCE,), ()),  # not a heading: too much text, no colon
        ("Inclusion Criteria:\n* 1.5 mg/kg dose tolerated", ("1.5 mg/kg dose tolerated",), ()),
    ],
)
def test_split_criteria(text: str, inclusion: tuple[str, ...], exclusion: tuple[str, ...]) -> None:
    assert split_criteria(text) == (inclusion, exclusion)


def test_split_criteria_is_fast_on_hostile_text() -> None:
    inclusion, _ = split_criteria(("- " * 5000 + "x\n") * 50 + "    - nested\n" * 2000)
    assert len(inclusion) == 50


@pytest.mark.parametrize(
    ("text", "years"),
    [("18 Years", 18.0), ("6 Months", 0.5), ("2 Weeks", 14 / 365.25), ("N/A", None), ("", None)],
)
def test_age_in_years(text: str, years: float | None) -> None:
    assert age_in_years(text) == (pytest.approx(years) if years is not None else None)


# ------------------------------------------------------------------ ir_datasets


class _StubDataset:
    """An ir_datasets dataset as 0.6.3 shapes it: parts present or absent, qrels grade names."""

    def __init__(self, queries=(), qrels=None, docs=None, defs=None) -> None:  # type: ignore[no-untyped-def]
        self._queries, self._qrels, self._docs, self._defs = list(queries), qrels, docs, defs

    def has_queries(self) -> bool:
        return bool(self._queries)

    def has_qrels(self) -> bool:
        return self._qrels is not None

    def has_docs(self) -> bool:
        return self._docs is not None

    def queries_iter(self) -> Any:
        return iter(self._queries)

    def qrels_iter(self) -> Any:
        if self._qrels is None:
            raise AttributeError("qrels_iter")  # what ir_datasets 0.6.3 raises for trec-ct-2022
        return iter(self._qrels)

    def qrels_defs(self) -> Any:
        return self._defs

    def docs_iter(self) -> Any:
        return iter(self._docs or [])


CT_DEFS = {0: "Not Relevant", 1: "Excluded", 2: "Eligible"}  # QREL_DEFS_2021 of ir_datasets
PM_DEFS = {0: "not relevant", 1: "possibly relevant", 2: "definitely relevant"}  # QREL_DEFS


def _doc(condition: str = "", doc_id: str = "NCT2") -> Any:
    return types.SimpleNamespace(
        doc_id=doc_id,
        title="T",
        condition=condition,
        summary="\n    \n      S\n    \n  ",
        detailed_description="",
        eligibility="\n      \n        Inclusion Criteria:\n\n          -  adults\n\n"
        "        Exclusion Criteria:\n\n          -  smokers\n      ",
    )


@pytest.fixture
def stub_ir_datasets(monkeypatch: pytest.MonkeyPatch) -> dict[str, _StubDataset]:
    query = types.SimpleNamespace(query_id="1", text=" note ")
    qrel = types.SimpleNamespace(query_id="1", doc_id="NCT1", relevance=2, iteration="0")
    registry = {
        "clinicaltrials/2017/trec-pm-2017": _StubDataset([query], [qrel], [], PM_DEFS),
        "clinicaltrials/2021": _StubDataset(docs=[_doc()]),
        "clinicaltrials/2021/trec-ct-2021": _StubDataset([query], [qrel], [_doc()], CT_DEFS),
        "clinicaltrials/2021/trec-ct-2022": _StubDataset([query], None, [_doc()]),
    }
    module = types.SimpleNamespace(
        __version__="0.6.3", registry=list(registry), load=lambda name: registry[name]
    )
    monkeypatch.setitem(sys.modules, "ir_datasets", module)
    monkeypatch.setattr(data, "_warned", set())
    return registry


def test_ir_datasets_records_via_a_stub(stub_ir_datasets: dict[str, _StubDataset]) -> None:
    assert [(t.query_id, t.text) for t in data.ir_datasets_topics(data.IR_DATASETS_IDS[1])] == [
        ("1", "note")
    ]
    assert [(q.doc_id, q.label) for q in data.ir_datasets_qrels(data.IR_DATASETS_IDS[0])] == [
        ("NCT1", TrialLabel.ELIGIBLE)
    ]
    stub_ir_datasets["clinicaltrials/2021/trec-ct-2021"]._qrels[0].relevance = 5  # type: ignore[index]
    with pytest.raises(TrialDataError, match="NCT1"):
        data.ir_datasets_qrels(data.IR_DATASETS_IDS[0])


@pytest.mark.parametrize(
    ("call", "dataset_id", "message"),
    [
        (
            "qrels",
            "clinicaltrials/2021/trec-ct-2022",
            "ir_datasets 0.6.3 has no qrels for 'clinicaltrials/2021/trec-ct-2022'; its TREC CT "
            "datasets with qrels are ['clinicaltrials/2021/trec-ct-2021']; or load the official",
        ),
        (
            "topics",
            "clinicaltrials/2021/trec-ct-2023",
            "ir_datasets 0.6.3 has no dataset 'clinicaltrials/2021/trec-ct-2023'; its TREC CT "
            "datasets with topics are ['clinicaltrials/2021/trec-ct-2021', "
            "'clinicaltrials/2021/trec-ct-2022']",
        ),
        (
            "qrels",
            "clinicaltrials/2017/trec-pm-2017",
            "'clinicaltrials/2017/trec-pm-2017' is not a TREC Clinical Trials track",
        ),
        ("trials", "clinicaltrials/2023", "has no dataset 'clinicaltrials/2023'"),
    ],
)
def test_ir_datasets_gaps_are_clear_errors(
    stub_ir_datasets: dict[str, _StubDataset], call: str, dataset_id: str, message: str
) -> None:
    function = {
        "topics": data.ir_datasets_topics,
        "qrels": data.ir_datasets_qrels,
        "trials": lambda i: list(data.ir_datasets_trials(i)),
    }[call]
    with pytest.raises(TrialDataError, match=re.escape(message)) as info:
        function(dataset_id)
    if "has no" in message and call != "trials":
        assert "qrels2022.txt" in str(info.value) and "queries.jsonl" in str(info.value)


def test_ir_datasets_qrels_with_other_grade_meanings_are_refused(
    stub_ir_datasets: dict[str, _StubDataset],
) -> None:
    stub_ir_datasets["clinicaltrials/2021/trec-ct-2021"]._defs = PM_DEFS
    with pytest.raises(TrialDataError, match="its qrels grades mean"):
        data.ir_datasets_qrels("clinicaltrials/2021/trec-ct-2021")


def test_ir_datasets_documents_warn_once_and_keep_a_condition(
    stub_ir_datasets: dict[str, _StubDataset],
) -> None:
    stub_ir_datasets["clinicaltrials/2021"]._docs = [_doc(), _doc(doc_id="NCT3")]
    with pytest.warns(data.IrDatasetsWarning, match="no conditions") as caught:
        first, _second = data.ir_datasets_trials("clinicaltrials/2021")
        list(data.ir_datasets_trials("clinicaltrials/2021"))  # a second pass: no second warning
    assert len(caught) == 1 and "TrialDirectory" in str(caught[0].message)
    assert (first.conditions, first.summary) == ((), "S")
    assert (first.inclusion, first.exclusion) == (("adults",), ("smokers",))
    stub_ir_datasets["clinicaltrials/2021"]._docs = [_doc("Asthma")]
    (trial,) = data.ir_datasets_trials("clinicaltrials/2021")  # no warning: it has a condition
    assert trial.conditions == ("Asthma",)


def test_ir_datasets_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ir_datasets", None)
    with pytest.raises(ImportError, match="pip install ir_datasets"):
        data.ir_datasets_topics(data.IR_DATASETS_IDS[0])


def test_the_installed_ir_datasets_offers_what_the_docs_say() -> None:
    """With the real package: which TREC CT parts exist, and the run-time check naming them."""
    ir_datasets = pytest.importorskip("ir_datasets", reason="optional: pip install ir_datasets")
    with_qrels = [i for i in data.IR_DATASETS_IDS if ir_datasets.load(i).has_qrels()]
    assert all(ir_datasets.load(i).has_queries() for i in data.IR_DATASETS_IDS)
    if with_qrels == [data.IR_DATASETS_IDS[0]]:  # ir_datasets 0.6.3
        with pytest.raises(TrialDataError, match="has no qrels for"):
            data.ir_datasets_qrels(data.IR_DATASETS_IDS[1])
    with pytest.raises(TrialDataError, match="has no dataset"):
        data.ir_datasets_topics("clinicaltrials/2021/trec-ct-2023")


def test_the_installed_ir_datasets_drops_conditions() -> None:
    """ir_datasets' own document parser, on a snapshot-format file, gives an empty condition."""
    pytest.importorskip("ir_datasets", reason="optional: pip install ir_datasets")
    from ir_datasets.datasets.clinicaltrials import ClinicalTrialsDocs

    xml = (FIXTURES / "snapshot_2021" / "NCT9000xxxx" / "NCT90000001.xml").read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # its Element truth tests
        doc = ClinicalTrialsDocs("fixture", [])._parse_doc(xml)
    (ours,) = read_trial(FIXTURES / "snapshot_2021" / "NCT9000xxxx" / "NCT90000001.xml")
    assert ours.conditions == ("Sjögren's Syndrome", "Xerostomia")
    assert doc.condition == ""  # the <condition> elements are there, ir_datasets drops them
    assert doc.title == ours.title  # the brief title, though an official title exists
    assert ours.official_title and doc.title != ours.official_title


def test_directory_that_cannot_be_listed_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    directory = TrialDirectory(missing)
    assert list(directory) == []
    assert [e.path for e in directory.errors] == [str(missing)]


@pytest.mark.parametrize(("written", "gender"), [("Both", "All"), ("All", "All"), ("Male", "Male")])
def test_older_snapshot_gender_both_reads_as_all(written: str, gender: str) -> None:
    xml = (
        "<clinical_study><id_info><nct_id>NCT90000009</nct_id></id_info>"
        f"<brief_title>t</brief_title><eligibility><gender>{written}</gender></eligibility>"
        "</clinical_study>"
    )
    (trial,) = ctgov.parse_trials(xml)
    assert trial.gender == gender


# ------------------------------------------------------------------ API v2 Markdown, archives


def test_json_v2_markdown_is_unescaped_and_split() -> None:
    path = FIXTURES / "json_v2" / "NCT90000008.json"
    (trial,) = read_trial(path)
    raw = json.loads(path.read_text())["protocolSection"]["eligibilityModule"]
    assert trial.criteria_markdown == raw["eligibilityCriteria"]  # the registry's text, kept
    assert "\\" not in trial.criteria_text
    assert trial.inclusion == (
        "Age >= 40 years",
        "Post-bronchodilator FEV1/FVC < 0.70 and FEV1 30-80 % predicted",
        "At least one of:\n  - an exacerbation in the last 12 months\n  - mMRC dyspnoea grade >= 2",
        "Smoking history of 10 pack-years or more",  # written "\* Smoking …": still a bullet
    )
    assert trial.exclusion == (  # "1\. …" items, one continued after a hard line break
        "Asthma as the primary diagnosis",
        "Oxygen saturation <88 % at rest or on exertion",
        "Use of a long-acting anticholinergic ([LAMA]) in the last 30 days",
    )
    assert (
        trial.summary == "Adults with FEV1/FVC < 0.70 receive tiotropium*.\n\n*Or matching placebo."
    )


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        (r"Age \>= 18", "Age >= 18"),
        (r"HbA1c \< 7 %", "HbA1c < 7 %"),
        (r"\* item", "* item"),
        (r"1\. item", "1. item"),
        (r"a \\ b", "a \\ b"),  # an escaped backslash
        (r"C:\path", r"C:\path"),  # a backslash before a letter is not an escape
        ("line one\\\nline two", "line one\nline two"),  # a hard line break
        (r"\_\~\#\+\-\!\[\]\(\)\{\}\|\`\"", '_~#+-![](){}|`"'),
    ],
)
def test_unescape_markdown(markdown: str, text: str) -> None:
    assert ctgov.unescape_markdown(markdown) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_unescape_undoes_escaping(text: str) -> None:
    punctuation = set(string.punctuation)
    escaped = "".join(f"\\{c}" if c in punctuation else c for c in text)
    assert ctgov.unescape_markdown(escaped) == text


def test_snapshot_xml_text_is_not_unescaped() -> None:
    xml = (
        "<clinical_study><id_info><nct_id>NCT90000010</nct_id></id_info><brief_title>t"
        "</brief_title><eligibility><criteria><textblock>Inclusion Criteria:\n - dose \\> 2 "
        "mg\n</textblock></criteria><gender>All</gender></eligibility></clinical_study>"
    )
    (trial,) = ctgov.parse_trials(xml)
    assert trial.inclusion == ("dose \\> 2 mg",) and trial.criteria_markdown == ""


@pytest.mark.parametrize(
    ("text", "inclusion", "exclusion"),
    [
        ("**Inclusion Criteria:**\n\n* a\n\n**Exclusion Criteria:**\n\n* b", ("a",), ("b",)),
        ("## Inclusion Criteria\n+ a\n+ b\n## Exclusion criteria\n- c", ("a", "b"), ("c",)),
        ("__Key Exclusion Criteria__: smokers", (), ("smokers",)),
    ],
)
def test_markdown_headings_and_bullets(
    text: str, inclusion: tuple[str, ...], exclusion: tuple[str, ...]
) -> None:
    assert split_criteria(text) == (inclusion, exclusion)


def test_directory_reads_zip_archives_and_reports_bad_members(tmp_path: Path) -> None:
    archive = tmp_path / "ClinicalTrials.2021-04-27.part1.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted((FIXTURES / "snapshot_2021").rglob("*.xml")):
            handle.write(path, f"NCT9000xxxx/{path.name}")
        handle.write(FIXTURES / "malformed" / "NCT90000006.xml", "NCT9000xxxx/NCT90000006.xml")
        handle.writestr("NCT9000xxxx/README.txt", "not a trial")
        handle.writestr("NCT9000xxxx/NCT90000011.xml", b"\xff\xfe not utf-8")
    (tmp_path / "broken.zip").write_bytes(b"PK not really")
    directory = TrialDirectory(tmp_path)
    assert [t.nct_id for t in directory] == ["NCT90000001", "NCT90000002"]
    errors = {e.path: e.message for e in directory.errors}
    assert set(errors) == {
        str(tmp_path / "broken.zip"),
        f"{archive}:NCT9000xxxx/NCT90000006.xml",
        f"{archive}:NCT9000xxxx/NCT90000011.xml",
    }
    assert "invalid XML" in errors[f"{archive}:NCT9000xxxx/NCT90000006.xml"]
    assert "not UTF-8" in errors[f"{archive}:NCT9000xxxx/NCT90000011.xml"]
