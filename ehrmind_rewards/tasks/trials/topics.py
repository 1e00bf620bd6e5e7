"""TREC Clinical Trials topics: the official XML or JSONL, told apart by content.

:func:`load_topics` reads the official topics XML (``<topics><topic number="1">text</topic>…``)
or JSONL (``{"_id"|"query_id"|"id": …, "text": …}`` per line, TrialGPT's ``queries.jsonl``),
decided by the file's first character, not by its name. Ids are kept as written (``"1"`` in the
XML, ``"trec-20211"`` in TrialGPT's files), so join topics with qrels from the same source.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialTopic


def _first_content_char(text: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped[:1]


def load_topics(path: str | Path) -> list[TrialTopic]:
    """Read topics from the official XML or from JSONL (decided by the file's first character)."""
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
        number = element.get("number")
        if not number:
            raise TrialDataError(f"{path}: topic #{position} has no 'number' attribute")
        topics.append(TrialTopic(query_id=number.strip(), text="".join(element.itertext()).strip()))
    _check_unique((t.query_id for t in topics), path, "topic")
    return topics


def _topics_from_jsonl(text: str, path: str | Path) -> list[TrialTopic]:
    topics = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise TrialDataError(f"{path}:{number}: invalid JSON: {error}") from None
        if not isinstance(obj, dict):
            raise TrialDataError(f"{path}:{number}: not a JSON object")
        query_id = next((obj[k] for k in ("_id", "query_id", "id") if k in obj), None)
        if query_id is None or not isinstance(obj.get("text"), str):
            raise TrialDataError(f"{path}:{number}: needs an '_id' (or 'query_id') and a 'text'")
        topics.append(TrialTopic(query_id=str(query_id), text=obj["text"].strip()))
    _check_unique((t.query_id for t in topics), path, "topic")
    return topics


def _check_unique(ids: Iterable[str], path: str | Path, what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise TrialDataError(f"{path}: {what} {item!r} appears twice")
        seen.add(item)
