"""ClinicalTrials.gov trial records: the 2021 snapshot's XML and the registry's JSON API v2.

* :func:`parse_trials` / :func:`read_trial` — the trials of one file: the 2021 snapshot's
  per-trial XML (``<clinical_study>``) or the registry's JSON API v2 (``{"protocolSection": …}``,
  a list of such studies, or ``{"studies": [...]}``).
* :class:`TrialDirectory` — every trial file under a directory, and every trial file inside the
  ``.zip`` archives there (the 2021 snapshot ships as five), read lazily one file at a time (the
  2021 corpus is 375,580 files); a malformed file is recorded in ``errors`` with its path and the
  reading goes on.

Eligibility text is split into numbered criteria by :func:`split_criteria`. API v2 text is
Markdown (``Age \\>= 18``, ``\\* item``, ``1\\. item``): :func:`unescape_markdown` turns it into
plain text first, and the record keeps the registry's text in ``criteria_markdown``.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ehrmind_rewards.tasks.trials.errors import TrialDataError
from schemas.trials import TrialRecord

# --------------------------------------------------------------------------------------------
# eligibility criteria

_HEADING = re.compile(
    r"(?:key |main |major )?(inclusion|exclusion|eligibility) criteria(?![a-z0-9])", re.I
)
_BULLET = re.compile(r"(?:[-*+•·▪◦‣⁃o]|\d{1,3}[.)]|[a-zA-Z][.)]|\(\w{1,4}\))\s+")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
_EMPHASIS = "*_"
_MAX_LINE = 10_000
_MAX_HEADING_TAIL = 40


@dataclass
class _Criterion:
    lines: list[str]
    indent: int
    bulleted: bool


def _heading(stripped: str) -> tuple[str, str] | None:
    """``(section, text after the colon)`` if the line is a criteria heading, else ``None``.

    Markdown decoration around a heading (``## Inclusion Criteria``, ``**Inclusion Criteria:**``)
    is ignored.
    """
    candidate = stripped
    hashes = _MARKDOWN_HEADING.match(candidate)
    if hashes is not None:
        candidate = candidate[hashes.end() :]
    if candidate[:2] in ("**", "__"):
        candidate = candidate[2:]
    match = _HEADING.match(candidate)
    if match is None:
        return None
    after = candidate[match.end() :]
    colon = after.find(":")
    if 0 <= colon <= _MAX_HEADING_TAIL:
        return match.group(1).casefold(), after[colon + 1 :].strip().strip(_EMPHASIS).strip()
    if colon < 0 and len(after.strip().strip(_EMPHASIS)) <= _MAX_HEADING_TAIL:
        return match.group(1).casefold(), ""
    return None


def split_criteria(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    r"""Split an eligibility text block into (inclusion, exclusion) criteria, one entry each.

    Sections start at lines beginning ``Inclusion Criteria`` / ``Exclusion Criteria`` (also "Key
    …"; up to 40 characters may follow before a colon, and text after the colon is a criterion);
    text before any heading, or a block with no heading, counts as inclusion; Markdown heading
    marks and bold around a heading are ignored. Inside a section a criterion starts at a bullet
    (``-``, ``*``, ``+``, ``•``, ``o``, ``1.``, ``a)``, ``(i)``) at the section's outermost bullet
    indentation, or at a paragraph after a blank line. A bullet indented
    deeper than that belongs to the criterion before it (a nested list) and stays on its own line
    inside it, marked ``-``. Wrapped lines are joined with a space. Linear in the text's length.

    >>> split_criteria("Inclusion Criteria:\n\n* Age >= 18\n\nExclusion Criteria:\n\n* Pregnancy")
    (('Age >= 18',), ('Pregnancy',))
    """
    sections: dict[str, list[_Criterion]] = {"inclusion": [], "exclusion": []}
    top_indent: dict[str, int] = {}
    section = "inclusion"
    blank_before = True
    for raw in text.splitlines():
        line = raw[:_MAX_LINE].expandtabs(4).rstrip()
        stripped = line.lstrip()
        if not stripped:
            blank_before = True
            continue
        heading = _heading(stripped)
        if heading is not None:
            section = heading[0] if heading[0] in sections else section
            blank_before = True
            if not heading[1]:
                continue
            stripped = line = heading[1]
        items = sections[section]
        indent = len(line) - len(stripped)
        bullet = _BULLET.match(stripped)
        current = items[-1] if items else None
        if bullet:
            body = stripped[bullet.end() :].strip()
            top = top_indent.setdefault(section, indent)
            if current is not None and current.bulleted and indent > top:
                current.lines.append(f"{' ' * (indent - top)}- {body}")
            else:
                items.append(_Criterion([body], indent, True))
        elif current is not None and (
            not blank_before or (current.bulleted and indent > current.indent)
        ):
            current.lines[-1] = f"{current.lines[-1]} {stripped}"
        else:
            items.append(_Criterion([stripped], indent, False))
        blank_before = False
    inclusion, exclusion = sections["inclusion"], sections["exclusion"]
    return tuple(map(_render, inclusion)), tuple(map(_render, exclusion))


def _render(criterion: _Criterion) -> str:
    return "\n".join(criterion.lines)


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HARD_BREAK = re.compile(r"\\$", re.MULTILINE)


def unescape_markdown(text: str) -> str:
    r"""Plain text from the Markdown of a ClinicalTrials.gov API v2 text field.

    The registry writes its rich-text fields (eligibility criteria, summaries, descriptions) in
    CommonMark, escaping punctuation that would otherwise be markup: ``Age \>= 18``,
    ``HbA1c \< 7%``, and ``\* item`` or ``1\. item`` for list markers the text itself wrote. A
    backslash before an ASCII punctuation character stands for that character (CommonMark 0.31
    §2.4) and a backslash at the end of a line is a hard line break (§6.7); both are undone here,
    so ``\*`` and ``1\.`` become list markers again and :func:`split_criteria` splits them.
    Any other backslash is kept. Linear in the text's length.

    >>> unescape_markdown(r"\* Age \>= 18 years" + "\n" + r"1\. eGFR \< 30 mL/min")
    '* Age >= 18 years\n1. eGFR < 30 mL/min'
    """
    return _ESCAPE.sub(r"\1", _HARD_BREAK.sub("", text))


_AGE = re.compile(r"(\d{1,4}(?:\.\d{1,4})?)\s*(year|month|week|day|hour|minute)s?", re.IGNORECASE)
_YEARS_PER_UNIT = {
    "year": 1.0,
    "month": 1.0 / 12.0,
    "week": 7.0 / 365.25,
    "day": 1.0 / 365.25,
    "hour": 1.0 / (365.25 * 24.0),
    "minute": 1.0 / (365.25 * 24.0 * 60.0),
}


def age_in_years(text: str) -> float | None:
    """``"18 Years"`` → 18.0, ``"6 Months"`` → 0.5; ``None`` for ``""``/``"N/A"``.

    Raises:
        ValueError: for any other text (the caller names the file).
    """
    cleaned = text.strip()
    if not cleaned or cleaned.casefold() in {"n/a", "na", "none"}:
        return None
    match = _AGE.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"unreadable age {text!r}")
    return float(match.group(1)) * _YEARS_PER_UNIT[match.group(2).casefold()]


_GENDERS = {"all": "All", "both": "All", "female": "Female", "male": "Male"}


def _gender(value: str) -> str:
    cleaned = value.strip().casefold()
    if not cleaned:
        return ""
    if cleaned not in _GENDERS:
        raise ValueError(f"unknown gender {value!r}")
    return _GENDERS[cleaned]


def _age_text(value: str) -> str:
    cleaned = value.strip()
    return "" if cleaned.casefold() in {"n/a", "na", "none"} else cleaned


def trial_record(fields: dict[str, Any]) -> TrialRecord:
    """A :class:`~schemas.trials.TrialRecord` from raw fields: criteria split, ages read."""
    criteria = fields.get("criteria_text", "")
    inclusion, exclusion = split_criteria(criteria)
    minimum, maximum = (
        _age_text(fields.pop("minimum_age", "")),
        _age_text(fields.pop("maximum_age", "")),
    )
    return TrialRecord(
        **fields,
        inclusion=inclusion,
        exclusion=exclusion,
        minimum_age=minimum,
        maximum_age=maximum,
        minimum_age_years=age_in_years(minimum),
        maximum_age_years=age_in_years(maximum),
    )


# --------------------------------------------------------------------------------------------
# ClinicalTrials.gov XML (2021 snapshot) and JSON API v2


def _xml_text(element: ET.Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return "" if found is None else "".join(found.itertext()).strip()


def dedent_block(text: str) -> str:
    r"""A text block with the indentation common to its non-blank lines removed, ends stripped.

    The 2021 snapshot's XML indents every line of a ``textblock``; ``ir_datasets`` passes that
    indentation through.

    >>> dedent_block("\n      Inclusion Criteria:\n\n        - adults\n    ")
    'Inclusion Criteria:\n\n  - adults'
    """
    lines = text.strip("\n").splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines).strip()


def _xml_block(element: ET.Element | None, path: str) -> str:
    """A ``…/textblock``'s text, dedented (:func:`dedent_block`)."""
    found = None if element is None else element.find(path)
    if found is None:
        return ""
    return dedent_block("".join(found.itertext()))


_HEALTHY_VOLUNTEERS = {"accepts healthy volunteers": True, "yes": True, "no": False}


def _trial_from_xml(text: str) -> TrialRecord:
    root = ET.fromstring(text)
    if root.tag != "clinical_study":
        raise ValueError(f"root element is <{root.tag}>, not <clinical_study>")
    nct_id = _xml_text(root, "id_info/nct_id")
    if not nct_id:
        raise ValueError("no id_info/nct_id")
    eligibility = root.find("eligibility")
    healthy = _xml_text(eligibility, "healthy_volunteers").casefold()
    return trial_record(
        {
            "nct_id": nct_id,
            "title": _xml_text(root, "brief_title") or _xml_text(root, "official_title"),
            "official_title": _xml_text(root, "official_title"),
            "conditions": tuple(
                "".join(c.itertext()).strip() for c in root.findall("condition") if c.text
            ),
            "summary": _xml_block(root, "brief_summary/textblock"),
            "description": _xml_block(root, "detailed_description/textblock"),
            "criteria_text": _xml_block(eligibility, "criteria/textblock"),
            "gender": _gender(_xml_text(eligibility, "gender")),
            "minimum_age": _xml_text(eligibility, "minimum_age"),
            "maximum_age": _xml_text(eligibility, "maximum_age"),
            "healthy_volunteers": _HEALTHY_VOLUNTEERS.get(healthy),
        }
    )


def _get(obj: Mapping[str, Any], *keys: str) -> Any:
    value: Any = obj
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _str_field(obj: Mapping[str, Any], *keys: str) -> str:
    value = _get(obj, *keys)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{'.'.join(keys)} is {type(value).__name__}, not a string")
    return value.strip()


def _trial_from_json_v2(study: Mapping[str, Any]) -> TrialRecord:
    protocol = study.get("protocolSection")
    if not isinstance(protocol, Mapping):
        raise ValueError("no protocolSection object")
    nct_id = _str_field(protocol, "identificationModule", "nctId")
    if not nct_id:
        raise ValueError("no protocolSection.identificationModule.nctId")
    conditions = _get(protocol, "conditionsModule", "conditions") or []
    if not isinstance(conditions, list) or not all(isinstance(c, str) for c in conditions):
        raise ValueError("conditionsModule.conditions is not a list of strings")
    healthy = _get(protocol, "eligibilityModule", "healthyVolunteers")
    brief = _str_field(protocol, "identificationModule", "briefTitle")
    official = _str_field(protocol, "identificationModule", "officialTitle")
    criteria = _str_field(protocol, "eligibilityModule", "eligibilityCriteria")
    summary = _str_field(protocol, "descriptionModule", "briefSummary")
    description = _str_field(protocol, "descriptionModule", "detailedDescription")
    return trial_record(
        {
            "nct_id": nct_id,
            "title": brief or official,
            "official_title": official,
            "conditions": tuple(c.strip() for c in conditions),
            "summary": unescape_markdown(summary),
            "description": unescape_markdown(description),
            "criteria_text": unescape_markdown(criteria),
            "criteria_markdown": criteria,
            "gender": _gender(_str_field(protocol, "eligibilityModule", "sex")),
            "minimum_age": _str_field(protocol, "eligibilityModule", "minimumAge"),
            "maximum_age": _str_field(protocol, "eligibilityModule", "maximumAge"),
            "healthy_volunteers": healthy if isinstance(healthy, bool) else None,
        }
    )


def parse_trials(text: str) -> list[TrialRecord]:
    """Every trial in one file's text: a ``<clinical_study>`` XML, or JSON v2 study/studies.

    Raises:
        ValueError: if the text is neither, or a required field is missing or malformed.
    """
    first = text.lstrip("\ufeff \t\r\n")[:1]
    body = text.lstrip("\ufeff")
    if first == "<":
        try:
            return [_trial_from_xml(body)]
        except ET.ParseError as error:
            raise ValueError(f"invalid XML: {error}") from None
    if first in ("{", "["):
        data = json.loads(body)
        studies = data.get("studies", [data]) if isinstance(data, dict) else data
        if not isinstance(studies, list) or not all(isinstance(s, dict) for s in studies):
            raise ValueError("JSON is not a study object, a list of them or {'studies': [...]}")
        return [_trial_from_json_v2(study) for study in studies]
    raise ValueError(f"neither ClinicalTrials.gov XML nor JSON (starts with {first!r})")


def read_trial(path: str | Path) -> list[TrialRecord]:
    """Read one trial file (see :func:`parse_trials`).

    Raises:
        TrialDataError: naming ``path`` and what is wrong with it.
    """
    try:
        return parse_trials(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        raise TrialDataError(f"{path}: {error}") from None


@dataclass(frozen=True)
class TrialFileFailure:
    """A trial file that could not be read, and why."""

    path: str
    message: str


TRIAL_FILE_SUFFIXES = (".xml", ".json")
ARCHIVE_SUFFIX = ".zip"


def _parse_bytes(data: bytes) -> list[TrialRecord]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8: {error}") from None
    return parse_trials(text)


@dataclass
class TrialDirectory:
    """Lazily iterate every trial file under ``root``: ``*.xml``/``*.json`` files and the
    ``*.xml``/``*.json`` members of ``*.zip`` archives (recursively).

    Files are visited in sorted path order (an archive's members in sorted name order), one at a
    time, so memory stays flat on the 375k-file corpus; the 2021 snapshot's five archives
    (``ClinicalTrials.2021-04-27.part1.zip`` …) can be read without unpacking them. A file that
    cannot be read is appended to :attr:`errors` (its path — ``archive.zip:member`` inside an
    archive — and the reason) and skipped; iteration never raises for a bad file.
    """

    root: str | Path
    errors: list[TrialFileFailure] = field(default_factory=list)

    def __iter__(self) -> Iterator[TrialRecord]:
        for path in self.paths():
            if path.endswith(ARCHIVE_SUFFIX):
                yield from self._archive(path)
                continue
            try:
                trials = _parse_bytes(Path(path).read_bytes())
            except (OSError, ValueError, RecursionError) as error:
                self.errors.append(TrialFileFailure(path=path, message=str(error)))
            else:
                yield from trials

    def _archive(self, path: str) -> Iterator[TrialRecord]:
        try:
            archive = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as error:
            self.errors.append(TrialFileFailure(path=path, message=str(error)))
            return
        with archive:
            names = sorted(
                info.filename
                for info in archive.infolist()
                if not info.is_dir() and info.filename.endswith(TRIAL_FILE_SUFFIXES)
            )
            for name in names:
                try:
                    trials = _parse_bytes(archive.read(name))
                except (OSError, ValueError, RecursionError, zipfile.BadZipFile) as error:
                    self.errors.append(TrialFileFailure(path=f"{path}:{name}", message=str(error)))
                else:
                    yield from trials

    def paths(self) -> Iterator[str]:
        """Trial file and archive paths under the root, depth first in sorted order (symlinks not
        followed).

        A directory that cannot be listed is recorded in :attr:`errors` and skipped.
        """
        stack = [str(self.root)]
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as entries:
                    ordered = sorted(entries, key=lambda e: e.name)
            except OSError as error:
                self.errors.append(TrialFileFailure(path=directory, message=str(error)))
                continue
            subdirectories = []
            for entry in ordered:
                if entry.is_dir(follow_symlinks=False):
                    subdirectories.append(entry.path)
                elif entry.name.endswith((*TRIAL_FILE_SUFFIXES, ARCHIVE_SUFFIX)):
                    yield entry.path
            stack.extend(reversed(subdirectories))
