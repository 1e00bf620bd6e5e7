"""A patient note read once into tokens, with the cues entity grounding needs.

The note is untrusted text, so reading it is linear and capped: NFKC-normalised (``FiO₂`` →
``FiO2``, ``10⁹`` → ``109`` as the benchmark's own notes already write it), cut at
:data:`NOTE_CAP` characters, split by one regular expression without nested quantifiers into
numbers, words and single symbols, and indexed by lower-cased word. Every later question —
where a term occurs, which number follows it and in which unit, whether it is negated, dated or
qualified as history — looks at a bounded window of tokens around one occurrence, so the whole
grounding of a row costs O(note length × number of terms looked up).

Cues (all lower-case word tokens; see :data:`NEGATION`, :data:`HISTORY`, :data:`ADMISSION`,
:data:`LATER`) follow the NegEx idea (Chapman et al., *J Biomed Inform* 2001;34:301-310):
a negation word up to :data:`NEGATION_WINDOW` words before a term, in the same clause and not
separated from it by a scope terminator ("but", "however", "with", …), negates it.

>>> note = NoteText.read("Creatinine 180 µmol/L on admission; no history of stroke.")
>>> [t for t in note.lows[:5]]
['creatinine', '180', 'µmol', '/', 'l']
>>> note.find(compile_term("stroke"))
[11]
>>> note.negated(11)
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

NOTE_CAP = 60_000
"""Characters of a note that are read (the longest v1.0 note has 11,050)."""
NEGATION_WINDOW = 8
"""Words before a term within which a negation cue applies."""
LIST_NEGATION_WINDOW = 30
"""The same across a list ("denies fever, chills, nausea, …, or diarrhea"): a cue reaches
this far when only list words ("," "or" "and" "nor") separate it from the term's phrase."""
EXCERPT_CHARS = 180
SENTENCE_CAP = 512
"""Tokens after which a sentence is cut even without a full stop: every question about a
sentence (its dating cue, its context words, its excerpt) then looks at a bounded window, so
grounding stays linear on a note that never ends a sentence (the longest sentence of the v1.0
notes has 406 tokens, so none of them is cut)."""

_TOKEN = re.compile(
    r"(\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"  # numbers, 2,452 and 1.4
    r"|([^\W\d_]+(?:['’][^\W\d_]+)?)"  # words (don't, Crohn's)
    r"|(\S)"  # any other single character
)
_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "‐": "-", "‑": "-", "μ": "µ", "’": "'"})
_SENTENCE_END = frozenset({".", "?", "!"})
_CLAUSE_END = frozenset({";"})


class Kind(StrEnum):
    """What a token is."""

    NUMBER = "number"
    WORD = "word"
    SYMBOL = "symbol"


_KINDS = {1: Kind.NUMBER, 2: Kind.WORD, 3: Kind.SYMBOL}


@dataclass(frozen=True, slots=True)
class TermToken:
    """One token of a vocabulary term: its lower-case form, and the exact spelling required for
    short abbreviations written with capitals ("K", "PE", "MI" — never "pe" or "mi")."""

    low: str
    exact: str | None
    spaced: bool = False
    """Whether a space precedes the token in the term ("prothrombin 20210A" vs "FiO2")."""


@functools.lru_cache(maxsize=8192)
def compile_term(term: str) -> tuple[TermToken, ...]:
    """A vocabulary term as tokens; a term containing a capital letter matches case-sensitively.

    >>> [t.low for t in compile_term("A-a gradient")]
    ['a', '-', 'a', 'gradient']
    >>> compile_term("PE")[0].exact
    'PE'
    """
    text = unicodedata.normalize("NFKC", term)
    exact = any(c.isupper() for c in text)
    out: list[TermToken] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        piece = match.group(0)
        spaced = match.start() > previous_end
        out.append(TermToken(piece.translate(_DASHES).lower(), piece if exact else None, spaced))
        previous_end = match.end()
    return tuple(out)


@dataclass(slots=True)
class NoteText:
    """Tokens of one note (parallel lists, index = token position) and its word index."""

    text: str
    truncated: bool
    kinds: list[Kind]
    texts: list[str]
    lows: list[str]
    starts: list[int]
    ends: list[int]
    numbers: list[float | None]
    spaced: list[bool]
    """Whether whitespace precedes the token."""
    sentence: list[int]
    clause: list[int]
    index: dict[str, list[int]]

    @classmethod
    def read(cls, note: str, cap: int = NOTE_CAP) -> NoteText:
        """Tokenize ``note`` (NFKC, first ``cap`` characters)."""
        text = unicodedata.normalize("NFKC", note)
        truncated = len(text) > cap
        text = text[:cap]
        matches = list(_TOKEN.finditer(text))
        texts = [m.group(0) for m in matches]
        starts = [m.start() for m in matches]
        ends = [m.end() for m in matches]
        kinds = [_KINDS[m.lastindex or 3] for m in matches]
        numbers = [
            float(t.replace(",", "")) if k is Kind.NUMBER else None
            for t, k in zip(texts, kinds, strict=True)
        ]
        folded = text.translate(_DASHES).lower()
        if len(folded) == len(text):
            lows = [folded[a:b] for a, b in zip(starts, ends, strict=True)]
        else:  # a character whose lower case is longer ("İ"): fold token by token
            lows = [t.translate(_DASHES).lower() for t in texts]
        spaced = [bool(starts) and starts[0] > 0] + [
            starts[i] > ends[i - 1] for i in range(1, len(starts))
        ]
        sentence: list[int] = []
        clause: list[int] = []
        index: dict[str, list[int]] = {}
        sentence_no = clause_no = 0
        sentence_start = 0
        size = len(text)
        for i, low in enumerate(lows):
            if (i and spaced[i] and "\n" in text[ends[i - 1] : starts[i]]) or (
                i - sentence_start >= SENTENCE_CAP
            ):
                sentence_no += 1
                clause_no += 1
            if not sentence or sentence[-1] != sentence_no:
                sentence_start = i
            sentence.append(sentence_no)
            clause.append(clause_no)
            if kinds[i] is Kind.WORD:
                index.setdefault(low, []).append(i)
            elif low in _SENTENCE_END:
                end = ends[i]
                if (end >= size or text[end].isspace()) and not _abbreviation(lows, kinds, i):
                    sentence_no += 1
                    clause_no += 1
            elif low in _CLAUSE_END:
                clause_no += 1
        return cls(
            text,
            truncated,
            kinds,
            texts,
            lows,
            starts,
            ends,
            numbers,
            spaced,
            sentence,
            clause,
            index,
        )

    def __len__(self) -> int:
        return len(self.kinds)

    # --- terms --------------------------------------------------------------------------------

    def find(self, term: tuple[TermToken, ...]) -> list[int]:
        """Start positions of ``term`` (token by token; capitals matched exactly where given).

        A term never starts inside a word (its first token is a word token) and never ends
        half-way through a number or a word ("Na" does not match "Nat", "CO2" not "CO25").
        """
        if not term:
            return []
        size = len(term)
        return [
            start
            for start in self.index.get(term[0].low, ())
            if self._matches_at(start, term, size)
        ]

    def starts_of(self, table: Mapping[str, tuple[tuple[TermToken, ...], ...]]) -> set[int]:
        """Positions where any term of ``table`` (first token → terms) starts: one pass over
        the note's words, whatever the number of terms."""
        found: set[int] = set()
        for low, positions in self.index.items():
            terms = table.get(low)
            if terms is None:
                continue
            for term in terms:
                size = len(term)
                for start in positions:
                    if start not in found and self._matches_at(start, term, size):
                        found.add(start)
        return found

    def _matches_at(self, start: int, term: tuple[TermToken, ...], size: int) -> bool:
        if start + size > len(self.kinds):
            return False
        return all(
            self.lows[start + j] == piece.low
            and (piece.exact is None or self.texts[start + j] == piece.exact)
            and (j == 0 or not self._joined_differently(start + j, piece))
            for j, piece in enumerate(term)
        )

    def _joined_differently(self, position: int, piece: TermToken) -> bool:
        # "FiO2" is the tokens "FiO" + "2" with no space between; "FiO 2" is another thing.
        return self.kinds[position] is Kind.NUMBER and self.spaced[position] != piece.spaced

    def attached(self, position: int) -> bool:
        """Whether a number token is glued to a preceding word ("2" in "FiO2", "T2DM")."""
        return position > 0 and not self.spaced[position] and self.kinds[position - 1] is Kind.WORD

    # --- context ------------------------------------------------------------------------------

    def words_before(self, position: int, count: int) -> list[int]:
        """Positions of up to ``count`` word tokens before ``position`` in the same clause."""
        out: list[int] = []
        clause = self.clause[position]
        i = position - 1
        while i >= 0 and self.clause[i] == clause and len(out) < count:
            if self.kinds[i] is Kind.WORD:
                out.append(i)
            i -= 1
        return out

    def words_after(self, position: int, count: int) -> list[int]:
        """Positions of up to ``count`` word tokens from ``position`` on, in the same clause."""
        out: list[int] = []
        clause = self.clause[position] if position < len(self.kinds) else -1
        i = position
        while i < len(self.kinds) and self.clause[i] == clause and len(out) < count:
            if self.kinds[i] is Kind.WORD:
                out.append(i)
            i += 1
        return out

    def negated(self, start: int, end: int | None = None) -> bool:
        """Whether the term at ``start`` (ending before ``end``) is negated (NegEx-style)."""
        end = start + 1 if end is None else end
        words = self.words_before(start, LIST_NEGATION_WINDOW)
        listed = False
        for n, i in enumerate(words):
            low = self.lows[i]
            if low in SCOPE_END or self._new_subject(words, n):
                break
            if low in NEGATION and not self._pseudo_negation(i):
                if n < NEGATION_WINDOW or listed:
                    return True
                break
            if low in _LIST_WORDS or (i + 1 < len(self.lows) and self.lows[i + 1] == ","):
                listed = True
        if self._exception(words):
            return False  # "apart from varicose veins, the exam is unremarkable": an exception
        after = self.words_after(end, 7)
        for j, i in enumerate(after):
            low = self.lows[i]
            following = self.lows[after[j + 1]] if j + 1 < len(after) else ""
            if low in SCOPE_END:
                break
            if low in POST_NEGATION and following not in {"for", "of", "to"}:
                return True
            if low == "not" and following in POST_NOT:
                return True
            if low == "ruled" and following == "out":
                return True
        return False

    def _exception(self, words: list[int]) -> bool:
        """Whether the term follows an exception cue ("apart from", "other than", "besides"):
        what comes after it (", the exam is unremarkable") negates the rest, not the term."""
        lows = [self.lows[i] for i in words[:2]]
        return bool(lows) and (
            lows[0] in {"besides", "except"}
            or (len(lows) == 2 and (lows[1], lows[0]) in _EXCEPTION_CUES)
        )

    def _new_subject(self, words: list[int], n: int) -> bool:
        """Whether "and his …", "and the …" starts a new clause at ``words[n]`` (a negation
        before it does not reach past: "not convincing of STEMI and his troponins were …")."""
        return (
            self.lows[words[n]] in {"his", "her", "their", "its", "the"}
            and n + 1 < len(words)
            and self.lows[words[n + 1]] == "and"
        )

    def _pseudo_negation(self, position: int) -> bool:
        following = self.words_after(position + 1, 1)
        if not following:
            return False
        return (self.lows[position], self.lows[following[0]]) in PSEUDO_NEGATION

    def cue_before(self, position: int, cues: frozenset[str], words: int) -> int | None:
        """Position of the nearest cue word at most ``words`` words before, in the sentence."""
        sentence = self.sentence[position]
        seen = 0
        i = position - 1
        while i >= 0 and self.sentence[i] == sentence and seen < words:
            if self.kinds[i] is Kind.WORD:
                seen += 1
                if self.lows[i] in cues:
                    return i
            elif self.kinds[i] is Kind.NUMBER and cues is HISTORY and _is_year(self.numbers[i]):
                return i
            i -= 1
        return None

    def in_sentence(self, position: int, cues: frozenset[str]) -> bool:
        """Whether any cue word occurs in the sentence of ``position``."""
        sentence = self.sentence[position]
        i = position
        while i >= 0 and self.sentence[i] == sentence:
            i -= 1
        i += 1
        while i < len(self.kinds) and self.sentence[i] == sentence:
            if self.lows[i] in cues:
                return True
            i += 1
        return False

    def history(self, start: int, end: int) -> bool:
        """Whether the term is qualified as past: "history of", "previous", "prior", a year…"""
        if self.cue_before(start, HISTORY, 10) is not None:
            return True
        for i in self.words_after(end, 6):
            if self.lows[i] in HISTORY_AFTER:
                return True
        i = end
        while i < len(self.kinds) and self.sentence[i] == self.sentence[start] and i < end + 8:
            if self.kinds[i] is Kind.NUMBER and _is_year(self.numbers[i]):
                return True
            i += 1
        return False

    def recent_cue(self, start: int) -> bool:
        """Whether "recent" or "recently" qualifies the term ("recent admission for sepsis")."""
        return self.cue_before(start, RECENT, 6) is not None

    def family(self, start: int) -> bool:
        """Whether the term is about a relative: "family history of …", "her mother had …",
        "his father's …" (a relative merely bringing the patient in does not count)."""
        for i in self.words_before(start, 8):
            low = self.lows[i]
            if low == "family":
                return True
            if low in FAMILY:
                following = self.words_after(i + 1, 1)
                nxt = self.lows[following[0]] if following else ""
                if (
                    nxt in _RELATIVE_VERBS
                    or self.lows[i].endswith("'s")
                    or (i + 1 < len(self.lows) and self.lows[i + 1] == "'")
                ):
                    return True
        return False

    def hypothetical(self, start: int) -> bool:
        """Whether the term is only a possibility ("risk of", "likely to cause", "rule out")."""
        return self.cue_before(start, HYPOTHETICAL, 5) is not None

    def time_point(self, position: int) -> TimePoint:
        """When the value at ``position`` was taken, by the nearest dating cue in its sentence."""
        sentence = self.sentence[position]
        best: tuple[int, TimePoint] | None = None
        i = position - 1
        while i >= 0 and self.sentence[i] == sentence:
            point = _time_cue(self, i)
            if point is not None:
                best = (position - i, point)
                break
            i -= 1
        i = position + 1
        while i < len(self.kinds) and self.sentence[i] == sentence:
            if best is not None and i - position >= best[0]:
                break
            point = _time_cue(self, i)
            if point is not None:
                best = (i - position, point)
                break
            i += 1
        return best[1] if best is not None else TimePoint.UNDATED

    def excerpt(self, start: int, end: int | None = None) -> str:
        """The note's words around tokens ``start``..``end`` (one sentence, at most
        :data:`EXCERPT_CHARS` characters, whitespace folded)."""
        end = start + 1 if end is None else end
        sentence = self.sentence[start]
        first = start
        while first > 0 and self.sentence[first - 1] == sentence:
            first -= 1
        last = max(end - 1, start)
        while last + 1 < len(self.kinds) and self.sentence[last + 1] == sentence:
            last += 1
        low_char, high_char = self.starts[first], self.ends[last]
        centre_low, centre_high = self.starts[start], self.ends[max(end - 1, start)]
        if high_char - low_char > EXCERPT_CHARS:
            half = max(0, (EXCERPT_CHARS - (centre_high - centre_low)) // 2)
            low_char = max(low_char, centre_low - half)
            high_char = min(high_char, centre_high + half)
        piece = " ".join(self.text[low_char:high_char].split())
        prefix = "…" if low_char > self.starts[first] else ""
        suffix = "…" if high_char < self.ends[last] else ""
        return f"{prefix}{piece}{suffix}"


class TimePoint(StrEnum):
    """When a value in the note was taken, as far as its sentence says."""

    ADMISSION = "admission"
    LATER = "later"
    BEFORE = "before"
    UNDATED = "undated"


_ABBREVIATIONS = frozenset({"e", "i", "vs", "dr", "mr", "mrs", "ms", "st", "fig", "al", "approx"})


def _abbreviation(lows: list[str], kinds: list[Kind], i: int) -> bool:
    """Whether the full stop at ``i`` ends an abbreviation ("i.e.", "e.g.", "vs.", "Dr.")
    rather than a sentence."""
    return i > 0 and kinds[i - 1] is Kind.WORD and lows[i - 1] in _ABBREVIATIONS


def _is_year(value: float | None) -> bool:
    return value is not None and value.is_integer() and 1940 <= value <= 2035


def _time_cue(note: NoteText, i: int) -> TimePoint | None:
    low = note.lows[i]
    if low in LATER:
        return TimePoint.LATER
    if low in BEFORE:
        return TimePoint.BEFORE
    if low in ADMISSION:
        # "two days after admission" is later; "prior to admission" is before.
        for j in note.words_before(i, 2):
            if note.lows[j] in {"after", "since", "post", "following", "during"}:
                return TimePoint.LATER
            if note.lows[j] in {"prior", "before", "preceding"}:
                return TimePoint.BEFORE
        return TimePoint.ADMISSION
    if low in {"day", "hospital"} and i + 1 < len(note.lows):
        number = note.numbers[i + 1]
        if number is not None and number >= 2:
            return TimePoint.LATER
    return None


NEGATION = frozenset(
    {
        "no",
        "not",
        "denies",
        "denied",
        "deny",
        "denying",
        "without",
        "never",
        "neither",
        "nor",
        "negative",
        "free",
        "absence",
        "absent",
        "none",
        "non",
        "lack",
        "lacks",
        "lacking",
        "w/o",
        "didn't",
        "doesn't",
        "don't",
        "hasn't",
        "hadn't",
        "haven't",
        "isn't",
        "wasn't",
        "weren't",
        "excluded",
        "unremarkable",
    }
)
"""Pre-negation cues: a term up to :data:`NEGATION_WINDOW` words after one is negated."""
PSEUDO_NEGATION = frozenset(
    {
        ("no", "longer"),
        ("not", "only"),
        ("no", "change"),
        ("no", "further"),
        ("not", "necessarily"),
        ("no", "increase"),
        ("not", "improve"),
        ("not", "improved"),
        ("not", "controlled"),
        ("not", "well"),
        ("without", "difficulty"),
    }
)
"""Negation words that do not negate what follows ("no longer smokes" is past smoking)."""
POST_NEGATION = frozenset(
    {"negative", "absent", "excluded", "denied", "unremarkable", "unlikely", "improbable"}
)
"""Cues after a term that negate it ("… tests are negative"; "PE was unlikely": NegEx counts
such improbability as negation, and the relabeller does not read an improbable finding as
documented)."""
_EXCEPTION_CUES = frozenset({("apart", "from"), ("aside", "from"), ("other", "than")})
"""Two-word exception cues before a term (see :meth:`NoteText._exception`)."""
POST_NOT = frozenset({"seen", "present", "found", "detected", "observed", "identified", "noted"})
SCOPE_END = frozenset(
    {
        "but",
        "however",
        "although",
        "though",
        "except",
        "besides",
        "which",
        "whereas",
        "yet",
        "while",
        "aside",
        "apart",
        "otherwise",
        "presented",
        "presents",
        "developed",
    }
)
"""Words that end a negation's scope ("no fever but a cough", "denies pain, has hypertension")."""
HISTORY = frozenset(
    {
        "history",
        "hx",
        "h/o",
        "pmh",
        "previous",
        "previously",
        "prior",
        "past",
        "known",
        "remote",
        "former",
        "formerly",
        "ex",
        "longstanding",
        "status",
        "s/p",
        "since",
        "recurrent",
        "background",
        "longer",
        "earlier",
    }
)
"""Cues before a term (or a year, 1940–2035) that put it in the past."""
HISTORY_AFTER = frozenset({"ago", "earlier", "before", "previously", "history"})
FAMILY = frozenset(
    {
        "family",
        "mother",
        "father",
        "brother",
        "sister",
        "sibling",
        "siblings",
        "parent",
        "parents",
        "grandmother",
        "grandfather",
        "aunt",
        "uncle",
        "cousin",
        "son",
        "daughter",
        "maternal",
        "paternal",
    }
)
_LIST_WORDS = frozenset({"or", "nor", "such", "including", "like"})
RECENT = frozenset({"recent", "recently", "current", "currently", "acute", "new", "newly"})
_RELATIVE_VERBS = frozenset(
    {"had", "has", "have", "died", "suffered", "history", "diagnosed", "with"}
) - {"with"}
HYPOTHETICAL = frozenset(
    {
        "risk",
        "risks",
        "likely",
        "unlikely",
        "may",
        "might",
        "could",
        "would",
        "possible",
        "possibly",
        "potential",
        "prevent",
        "prevention",
        "prophylaxis",
        "prophylactic",
        "rule",
        "r/o",
        "suspected",
        "suspicion",
        "concern",
        "concerning",
        "evaluate",
        "exclude",
        "screening",
        "screen",
        "if",
        "whether",
        "avoid",
        "fear",
        "fears",
        "worry",
        "worried",
    }
)
"""Cues that make a term a possibility, not a finding."""
ADMISSION = frozenset(
    {
        "admission",
        "admitted",
        "arrival",
        "arrived",
        "presentation",
        "presented",
        "presenting",
        "initial",
        "initially",
        "triage",
        "emergency",
    }
)
"""Cues that date a value to the presentation (the time point MedCalc-Bench asks about)."""
LATER = frozenset(
    {
        "later",
        "after",
        "afterwards",
        "subsequently",
        "subsequent",
        "follow",
        "followup",
        "repeat",
        "repeated",
        "discharge",
        "discharged",
        "postoperative",
        "postoperatively",
        "post-operative",
        "thereafter",
        "next",
        "peaked",
        "peak",
        "intraoperative",
        "intraoperatively",
    }
)
BEFORE = frozenset({"baseline", "ago", "usual", "preadmission", "premorbid"})
