"""TREC Clinical Trials topics of every year, read by content: XML (free text or form) or JSONL.

:func:`load_topics` reads

* the official topics XML of 2021 and 2022: ``<topics><topic number="1">free text</topic>…``;
* the official topics XML of 2023, where each topic is a questionnaire:
  ``<topic number="1" template="glaucoma"><field name="visual acuity">0.3</field>…</topic>``
  (an unanswered field is empty, ``<field name="intraocular pressure"/>``);
* JSONL, one ``{"_id"|"query_id"|"id": …, "text": …}`` per line (TrialGPT's ``queries.jsonl``),
  optionally with ``"template"`` and ``"fields"`` for a questionnaire.

The file's format is decided by its first character and each XML topic's form by its content (a
topic with ``<field>`` children is a questionnaire), never by the file's name or year. Ids are kept
as written (``"1"`` in the XML, ``"trec-20211"`` in TrialGPT's files), so join topics with qrels
from the same source.

A questionnaire's ``text`` is :func:`render_questionnaire`: the template and every field by its
own name, in file order, so prompts and the structured pre-check see what the form says.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path

from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialTopic

NOT_ANSWERED = "not answered"
"""How :func:`render_questionnaire` shows a field the questionnaire leaves empty."""


def _first_content_char(text: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped[:1]


def render_questionnaire(template: str, fields: Mapping[str, str]) -> str:
    """A questionnaire as readable patient text: the template, then one ``name: value`` per line.

    Field names are kept exactly; an empty field reads :data:`NOT_ANSWERED`, so a reader can tell
    a field the form leaves blank from one it does not have. A form without a template name has
    no template line.

    >>> form = {"visual acuity": "0.3", "intraocular pressure": ""}
    >>> print(render_questionnaire("glaucoma", form))
    Questionnaire template: glaucoma
    visual acuity: 0.3
    intraocular pressure: not answered
    """
    lines = [f"Questionnaire template: {template}"] if template else []
    lines.extend(f"{name}: {value or NOT_ANSWERED}" for name, value in fields.items())
    return "\n".join(lines)


def load_topics(path: str | Path) -> list[TrialTopic]:
    """Read the topics of any TREC CT year (see the module docstring for the accepted forms).

    Raises:
        TrialDataError: naming the file (and line or topic) for unreadable input: neither XML
            nor JSONL, invalid XML or JSON, a topic without a number, a questionnaire field
            without a name or given twice, free text mixed with fields, or an id given twice.

    >>> import tempfile, os
    >>> xml = '<topics><topic number="4" template="COPD"><field name="FEV1">45%</field></topic>'
    >>> with tempfile.NamedTemporaryFile("w", suffix=".xml", delete=False) as handle:
    ...     _ = handle.write(xml + "</topics>")
    >>> (topic,) = load_topics(handle.name); os.unlink(handle.name)
    >>> topic.query_id, topic.template, topic.fields
    ('4', 'COPD', {'FEV1': '45%'})
    """
    text = Path(path).read_text(encoding="utf-8")
    first = _first_content_char(text)
    if first == "<":
        return _topics_from_xml(text, path)
    if first == "{":
        return _topics_from_jsonl(text, path)
    raise TrialDataError(f"{path}: neither topics XML nor JSONL (starts with {first!r})")


def _topics_from_xml(text: str, path: str | Path) -> list[TrialTopic]:
    try:
        root = ET.fromstring(text.lstrip("\ufeff"))
    except ET.ParseError as error:
        raise TrialDataError(f"{path}: invalid XML: {error}") from None
    topics = []
    for position, element in enumerate(root.iter("topic"), start=1):
        number = (element.get("number") or "").strip()
        if not number:
            raise TrialDataError(f"{path}: topic #{position} has no 'number' attribute")
        topics.append(_topic_from_element(element, number, path))
    _check_unique((t.query_id for t in topics), path, "topic")
    return topics


def _topic_from_element(element: ET.Element, number: str, path: str | Path) -> TrialTopic:
    where = f"{path}: topic {number}"
    children = list(element)
    others = sorted({child.tag for child in children if child.tag != "field"})
    if others:
        raise TrialDataError(f"{where}: unexpected element(s) {', '.join(others)}")
    template = element.get("template")
    if not children:
        text = "".join(element.itertext()).strip()
        if template is not None and not text:
            return _questionnaire(number, template.strip(), {})
        return TrialTopic(
            query_id=number, text=text, template=template.strip() if template else None
        )
    loose = (element.text or "") + "".join(child.tail or "" for child in children)
    if loose.strip():
        raise TrialDataError(f"{where}: free text mixed with <field> elements")
    fields: dict[str, str] = {}
    for child in children:
        name = (child.get("name") or "").strip()
        if not name:
            raise TrialDataError(f"{where}: a <field> has no 'name' attribute")
        if name in fields:
            raise TrialDataError(f"{where}: field {name!r} appears twice")
        fields[name] = " ".join("".join(child.itertext()).split())
    return _questionnaire(number, (template or "").strip(), fields)


def _questionnaire(query_id: str, template: str, fields: dict[str, str]) -> TrialTopic:
    return TrialTopic(
        query_id=query_id,
        text=render_questionnaire(template, fields),
        template=template,
        fields=fields,
    )


def _topics_from_jsonl(text: str, path: str | Path) -> list[TrialTopic]:
    topics = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as error:
            raise TrialDataError(f"{path}:{number}: invalid JSON: {error}") from None
        if not isinstance(obj, dict):
            raise TrialDataError(f"{path}:{number}: not a JSON object")
        query_id = next((obj[k] for k in ("_id", "query_id", "id") if k in obj), None)
        if query_id is None:
            raise TrialDataError(f"{path}:{number}: needs an '_id' (or 'query_id') and a 'text'")
        fields = obj.get("fields")
        if fields is not None:
            topics.append(_jsonl_questionnaire(str(query_id), obj, fields, f"{path}:{number}"))
        elif isinstance(obj.get("text"), str):
            topics.append(TrialTopic(query_id=str(query_id), text=obj["text"].strip()))
        else:
            raise TrialDataError(f"{path}:{number}: needs an '_id' (or 'query_id') and a 'text'")
    _check_unique((t.query_id for t in topics), path, "topic")
    return topics


def _jsonl_questionnaire(
    query_id: str, obj: Mapping[str, object], fields: object, where: str
) -> TrialTopic:
    template = obj.get("template", "")
    if not isinstance(template, str):
        raise TrialDataError(f"{where}: 'template' is not a string")
    if not isinstance(fields, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in fields.items()
    ):
        raise TrialDataError(f"{where}: 'fields' is not an object of string values")
    answers = {name.strip(): value.strip() for name, value in fields.items()}
    return _questionnaire(query_id, template.strip(), answers)


def _check_unique(ids: Iterable[str], path: str | Path, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise TrialDataError(f"{path}: {what} {item!r} appears twice")
        seen.add(item)
