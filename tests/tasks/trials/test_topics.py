"""Topics of every TREC CT year, 2023 questionnaires included, and 2023 qrels."""

from __future__ import annotations

import json
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ehrmind_rewards.data.trials as old_path
from ehrmind_rewards.tasks.trials import load_qrels, load_topics
from ehrmind_rewards.tasks.trials.errors import TrialDataError
from ehrmind_rewards.tasks.trials.topics import NOT_ANSWERED, render_questionnaire
from tests.paths import DATA

TREC = DATA / "trec_ct"
SAMPLE_2023 = TREC / "trec_2023" / "topics2023_sample.xml"


def test_old_import_path_is_the_same_loader() -> None:
    assert old_path.load_topics is load_topics


def test_2023_questionnaires_keep_template_and_ordered_fields() -> None:
    topics = load_topics(SAMPLE_2023)
    assert [(t.query_id, t.template) for t in topics] == [
        ("1", "glaucoma"),
        ("2", "anxiety"),
        ("3", "COPD"),
        ("4", "type 2 diabetes"),
    ]
    glaucoma = topics[0]
    assert list(glaucoma.fields.items()) == [
        ("definitive diagnosis", "primary open angle glaucoma"),
        ("intraocular pressure", ""),  # <field name="intraocular pressure"/>
        ("visual field", "moderate field damage"),
        ("visual acuity", "0.3"),
        ("prior cataract surgery", "no"),
    ]
    assert glaucoma.text == (
        "Questionnaire template: glaucoma\n"
        "definitive diagnosis: primary open angle glaucoma\n"
        f"intraocular pressure: {NOT_ANSWERED}\n"
        "visual field: moderate field damage\n"
        "visual acuity: 0.3\n"
        "prior cataract surgery: no"
    )
    # entities decoded, a value wrapped over lines read as one line
    assert topics[1].fields["current medication"] == "sertraline 50 mg & hydroxyzine"
    assert topics[2].fields["FEV1/FVC"] == "< 0.70"
    assert topics[2].fields["exacerbations in the last year"] == (
        "two, one needing hospital admission"
    )


def test_questionnaire_is_not_flattened_into_anonymous_values() -> None:
    """Regression: the 2023 form used to load as its values joined by blank lines."""
    text = load_topics(SAMPLE_2023)[0].text
    assert "primary open angle glaucoma\n \n moderate field damage" not in text
    assert "visual field: moderate field damage" in text


def test_free_text_years_have_no_template_or_fields() -> None:
    for path in (
        TREC / "official_topics" / "topics2021.xml",
        TREC / "trialgpt" / "trec_2022" / "queries.jsonl",
    ):
        topics = load_topics(path)
        assert topics and all(t.template is None and t.fields == {} for t in topics)


def test_form_is_decided_per_topic_by_content(tmp_path: Path) -> None:
    path = tmp_path / "topics.txt"
    path.write_text(
        '<topics><topic number="a">A 60-year-old woman.</topic>'
        '<topic number="b" template="COPD"><field name="FEV1">45%</field></topic>'
        '<topic number="c" template="asthma"/></topics>'
    )
    a, b, c = load_topics(path)
    assert (a.text, a.template, a.fields) == ("A 60-year-old woman.", None, {})
    assert (b.template, b.fields, b.text) == (
        "COPD",
        {"FEV1": "45%"},
        "Questionnaire template: COPD\nFEV1: 45%",
    )
    assert (c.template, c.fields, c.text) == ("asthma", {}, "Questionnaire template: asthma")


def test_jsonl_questionnaire(tmp_path: Path) -> None:
    path = tmp_path / "topics.jsonl"
    rows = [
        {"query_id": "q1", "template": "anxiety", "fields": {"age": "39", "HAM-A": ""}},
        {"_id": "q2", "text": "A 3-day-old girl."},
    ]
    path.write_text("\n".join(json.dumps(row) for row in rows))
    first, second = load_topics(path)
    assert first.fields == {"age": "39", "HAM-A": ""}
    assert first.text == f"Questionnaire template: anxiety\nage: 39\nHAM-A: {NOT_ANSWERED}"
    assert (second.template, second.text) == (None, "A 3-day-old girl.")
    path.write_text(json.dumps({"_id": "q3", "fields": {"FEV1": "45%"}}))
    (untitled,) = load_topics(path)
    assert (untitled.template, untitled.text) == ("", "FEV1: 45%")


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ('<topic number="1"><field>x</field></topic>', "topic 1: a <field> has no 'name'"),
        (
            '<topic number="1"><field name="a">x</field><field name="a">y</field></topic>',
            "topic 1: field 'a' appears twice",
        ),
        (
            '<topic number="1">note <field name="a">x</field></topic>',
            "topic 1: free text mixed with <field>",
        ),
        ('<topic number="2"><p>x</p></topic>', "topic 2: unexpected element(s) p"),
        ('<topic template="x"><field name="a">1</field></topic>', "no 'number' attribute"),
    ],
)
def test_malformed_questionnaires_name_the_topic(tmp_path: Path, xml: str, message: str) -> None:
    path = tmp_path / "topics2023.xml"
    path.write_text(f"<topics>{xml}</topics>")
    with pytest.raises(TrialDataError, match=re.escape(message)) as info:
        load_topics(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"_id": "1", "fields": ["a"]}, "'fields' is not an object of string values"),
        ({"_id": "1", "fields": {"a": 1}}, "'fields' is not an object of string values"),
        ({"_id": "1", "template": 3, "fields": {}}, "'template' is not a string"),
    ],
)
def test_malformed_jsonl_questionnaires(
    tmp_path: Path, row: dict[str, object], message: str
) -> None:
    path = tmp_path / "topics.jsonl"
    path.write_text(json.dumps(row))
    with pytest.raises(TrialDataError, match=f":1: {message}"):
        load_topics(path)


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1).filter(
    lambda s: s.strip() == s and s.strip()
)
values = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(names, values, max_size=8), names)
def test_questionnaire_round_trip(fields: dict[str, str], template: str) -> None:
    """Any form written with an XML library reads back with its names, order and values."""
    root = ET.Element("topics")
    topic = ET.SubElement(root, "topic", number="7", template=template)
    for name, value in fields.items():
        ET.SubElement(topic, "field", name=name).text = value
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topics.xml"
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        (loaded,) = load_topics(path)
    expected = {name: " ".join(value.split()) for name, value in fields.items()}
    assert list(loaded.fields.items()) == list(expected.items())
    assert loaded.text == render_questionnaire(template, expected)


def test_2023_qrels_load_like_the_other_years_and_join_the_topics() -> None:
    qrels = load_qrels(TREC / "trec_2023" / "qrels2023_sample.txt")
    assert Counter(int(q.label) for q in qrels) == {0: 3, 1: 2, 2: 2}
    assert {q.query_id for q in qrels} == {t.query_id for t in load_topics(SAMPLE_2023)}
