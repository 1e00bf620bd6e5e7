"""The number that follows a term in a patient note, with its unit as the note writes it.

:func:`read_values` looks at a bounded window after a term ("creatinine, 1.4 mg/dL",
"creatinine level of 180 µmol/L", "Na+ - 133 mmol/L", "blood pressure 128/73", "platelets
1.5 × 105/μl", "bicarbonate below 10 mmol/L") and returns what it finds as :class:`Mention`\\ s:
the value (times any ``× 10ⁿ`` written with it), the unit as a spelling
:mod:`calculators.units` converts, whether the value is censored (``<10``), a range
(``2.7–3.3``), the second of a pair (``128/73``), and the time point its sentence gives it.
"from 1.2 to 3.4" gives two mentions, the second dated later.

Words allowed between a term and its number are few (:data:`FILLER`: "of", "was", "level",
"serum", …; anything in parentheses, such as an abbreviation); any other word ends the search,
so "creatinine clearance 45" or "albumin gradient 1.5" never read as a creatinine or an albumin.

>>> from ehrmind_rewards.tasks.medcalc.bench.note_text import NoteText, compile_term
>>> note = NoteText.read("Laboratory investigations show a creatinine level of 180 umol/L.")
>>> start = note.find(compile_term("creatinine"))[0]
>>> mention = read_values(note, start + 1)[0]
>>> (mention.value, mention.unit, mention.written)
(180.0, 'µmol/l', '180 umol/L')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ehrmind_rewards.tasks.medcalc.bench.note_text import Kind, NoteText, TimePoint

WINDOW = 14
"""Tokens after a term searched for its number."""
UNIT_TOKENS = 7
"""Tokens after a number read as its unit."""


@dataclass(frozen=True, slots=True)
class Mention:
    """A number the note gives for a term."""

    term_at: int
    number_at: int
    end: int
    value: float
    decimals: int
    unit: str | None
    """A spelling :mod:`calculators.units` converts (``None``: no unit written)."""
    unknown_unit: str | None
    """A word after the number that is no known unit ("meq per day", "/HPF")."""
    degrees: bool
    """Written only as "degrees" or "°" (a temperature's scale decided by its magnitude)."""
    censored: str | None
    """``"<"`` or ``">"`` for "<10", "below 10", "greater than 150"."""
    high: float | None
    """Upper end of a range ("2.7–3.3"): the value is the lower end."""
    second: float | None
    """Second number of a pair ("128/73", "8/15")."""
    time: TimePoint
    written: str
    """The number and unit as the note writes them."""


def _unit_table() -> dict[str, tuple[str, float]]:
    """Note spellings (lower case, spaces removed) → (``calculators.units`` spelling, factor)."""
    same = {
        "mg/dl": "mg/dl",
        "mg%": "mg/dl",
        "mgs/dl": "mg/dl",
        "gm/dl": "g/dl",
        "g/dl": "g/dl",
        "gr/dl": "g/dl",
        "gm%": "g/dl",
        "g%": "g/dl",
        "g/l": "g/l",
        "gm/l": "g/l",
        "mg/l": "mg/l",
        "µmol/l": "µmol/l",
        "umol/l": "µmol/l",
        "micromol/l": "µmol/l",
        "mmol/l": "mmol/l",
        "mmol/liter": "mmol/l",
        "mmol/litre": "mmol/l",
        "meq/l": "meq/l",
        "mequiv/l": "meq/l",
        "meq/liter": "meq/l",
        "pmol/l": "pmol/l",
        "µiu/ml": "µiu/ml",
        "uiu/ml": "µiu/ml",
        "µu/ml": "µiu/ml",
        "uu/ml": "µiu/ml",
        "miu/l": "miu/l",
        "mu/l": "miu/l",
        "u/l": "u/l",
        "iu/l": "u/l",
        "units/l": "u/l",
        "unit/l": "u/l",
        "ui/l": "u/l",
        "mmhg": "mm hg",
        "mmofhg": "mm hg",
        "torr": "mm hg",
        "°c": "°c",
        "ºc": "°c",
        "°celsius": "°c",
        "degreescelsius": "°c",
        "degreecelsius": "°c",
        "degreesc": "°c",
        "degreescelsisus": "°c",
        "degreecelsisus": "°c",
        "degc": "°c",
        "celsius": "°c",
        "c": "°c",
        "°f": "°f",
        "ºf": "°f",
        "degreesfahrenheit": "°f",
        "degreefahrenheit": "°f",
        "degreesf": "°f",
        "degreesfahreinheit": "°f",
        "fahrenheit": "°f",
        "f": "°f",
        "bpm": "/min",
        "beats/min": "/min",
        "beats/minute": "/min",
        "beatsperminute": "/min",
        "beatspermin": "/min",
        "beats": "/min",
        "/min": "/min",
        "/minute": "/min",
        "perminute": "/min",
        "permin": "/min",
        "min-1": "/min",
        "breaths/min": "/min",
        "breaths/minute": "/min",
        "breathsperminute": "/min",
        "breathspermin": "/min",
        "breaths": "/min",
        "rpm": "/min",
        "%": "%",
        "percent": "%",
        "cm": "cm",
        "cms": "cm",
        "centimeters": "cm",
        "centimetres": "cm",
        "m": "m",
        "meters": "m",
        "metres": "m",
        "in": "in",
        "inch": "in",
        "inches": "in",
        '"': "in",
        "''": "in",
        "ft": "ft",
        "feet": "ft",
        "foot": "ft",
        "'": "ft",
        "kg": "kg",
        "kgs": "kg",
        "kilograms": "kg",
        "kilogram": "kg",
        "g": "g",
        "gm": "g",
        "gms": "g",
        "grams": "g",
        "gram": "g",
        "lb": "lb",
        "lbs": "lb",
        "pounds": "lb",
        "pound": "lb",
        "ms": "ms",
        "msec": "ms",
        "msecs": "ms",
        "milliseconds": "ms",
        "s": "s",
        "sec": "s",
        "seconds": "s",
        "ml/day": "ml/day",
        "ml/d": "ml/day",
        "ml/24h": "ml/day",
        "ml/24hr": "ml/day",
        "ml/24hrs": "ml/day",
        "ml/24hours": "ml/day",
        "mlperday": "ml/day",
        "mlin24hours": "ml/day",
        "mlin24h": "ml/day",
        "mlover24hours": "ml/day",
        "ml/h": "ml/h",
        "ml/hr": "ml/h",
        "ml/hour": "ml/h",
        "mlperhour": "ml/h",
        "cc/h": "ml/h",
        "cc/hr": "ml/h",
        "mcg/kg/min": "mcg/kg/min",
        "µg/kg/min": "mcg/kg/min",
        "ug/kg/min": "mcg/kg/min",
        "mcg/kg/minute": "mcg/kg/min",
        "µg/kg/minute": "mcg/kg/min",
        "mcg/kg/mn": "mcg/kg/min",
        "µg/kg/mn": "mcg/kg/min",
        "mcgs/kg/min": "mcg/kg/min",
        "γ/kg/min": "mcg/kg/min",
        "kg/m2": "kg/m^2",
        "kg/m^2": "kg/m^2",
        "kg/sqm": "kg/m^2",
        "mg": "mg",
        "mgs": "mg",
        "milligrams": "mg",
        "µg": "µg",
        "mcg": "µg",
        "ug": "µg",
        "micrograms": "µg",
        "years": "years",
        "year": "years",
        "days": "days",
        "day": "days",
        "/µl": "/µl",
        "/ul": "/µl",
        "/mm3": "/µl",
        "/mm^3": "/µl",
        "/cmm": "/µl",
        "/cumm": "/µl",
        "/microl": "/µl",
        "/microliter": "/µl",
        "cells/µl": "/µl",
        "cells/ul": "/µl",
        "cells/mm3": "/µl",
        "cells/cmm": "/µl",
        "/l": "/l",
        "cells/l": "/l",
    }
    words = {
        "milligramsperdeciliter": "mg/dl",
        "milligramperdeciliter": "mg/dl",
        "milligrams/deciliter": "mg/dl",
        "mg/deciliter": "mg/dl",
        "mgperdl": "mg/dl",
        "gramsperdeciliter": "g/dl",
        "gramperdeciliter": "g/dl",
        "g/deciliter": "g/dl",
        "gramsperliter": "g/l",
        "millimolesperliter": "mmol/l",
        "millimoleperliter": "mmol/l",
        "mmolperliter": "mmol/l",
        "micromolesperliter": "µmol/l",
        "milliequivalentsperliter": "meq/l",
        "milliequivalentperliter": "meq/l",
        "meqperliter": "meq/l",
        "unitsperliter": "u/l",
        "internationalunitsperliter": "u/l",
        "iuperliter": "u/l",
        "millimetersofmercury": "mm hg",
        "millimeterofmercury": "mm hg",
        "mmofmercury": "mm hg",
        "beatspermin": "/min",
        "breathspermin": "/min",
        "beatsperminutes": "/min",
        "timesperminute": "/min",
        "/min.": "/min",
        "percentage": "%",
        "kilogramspersquaremeter": "kg/m^2",
        "kg/squaremeter": "kg/m^2",
        "mlperday": "ml/day",
        "millilitersperday": "ml/day",
        "mlper24hours": "ml/day",
        "ml/24-hour": "ml/day",
        "ml/24-hours": "ml/day",
        "mlperhour": "ml/h",
        "millilitersperhour": "ml/h",
        "microgramsperkilogramperminute": "mcg/kg/min",
        "mcgperkgperminute": "mcg/kg/min",
        "µg/kg/minute": "mcg/kg/min",
        "percubicmillimeter": "/µl",
        "cellspercubicmillimeter": "/µl",
        "permicroliter": "/µl",
        "cellspermicroliter": "/µl",
        "/mcl": "/µl",
        "cells/mcl": "/µl",
        "cellsperµl": "/µl",
        "cellsperul": "/µl",
        "perµl": "/µl",
        "perul": "/µl",
        "permm3": "/µl",
        "cellspermm3": "/µl",
        "cells/µl.": "/µl",
        "milliseconds": "ms",
        "millisecond": "ms",
        "centimeter": "cm",
        "centimetre": "cm",
        "kilos": "kg",
    }
    same.update(words)
    table = {key: (spelling, 1.0) for key, spelling in same.items()}
    for prefix, factor in (("k", 1e3), ("thou", 1e3), ("thousand", 1e3)):
        for volume in ("/µl", "/ul", "/mm3", "/cmm", "/cumm", "/mcl", "", "/microl"):
            table[prefix + volume] = ("/µl", factor)
    table["l/day"] = ("ml/day", 1000.0)
    table["l/24h"] = ("ml/day", 1000.0)
    table["l/d"] = ("ml/day", 1000.0)
    return table


UNITS = _unit_table()
_DEGREES = frozenset({"degrees", "degree", "deg", "°"})
_AFTER_SCALE = {"/l": "/l", "l": "/l", "/µl": "/µl", "/ul": "/µl", "/mm3": "/µl", "/cmm": "/µl"}
FILLER = frozenset(
    {
        "of",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "being",
        "level",
        "levels",
        "value",
        "values",
        "concentration",
        "count",
        "counts",
        "at",
        "to",
        "from",
        "the",
        "a",
        "an",
        "serum",
        "plasma",
        "blood",
        "measured",
        "recorded",
        "noted",
        "found",
        "reported",
        "documented",
        "elevated",
        "high",
        "low",
        "raised",
        "increased",
        "decreased",
        "reduced",
        "rose",
        "fell",
        "dropped",
        "declined",
        "improved",
        "climbed",
        "reached",
        "peaked",
        "mildly",
        "markedly",
        "slightly",
        "significantly",
        "severely",
        "moderately",
        "very",
        "total",
        "initial",
        "initially",
        "admission",
        "on",
        "as",
        "with",
        "about",
        "approximately",
        "around",
        "nearly",
        "almost",
        "roughly",
        "result",
        "results",
        "reading",
        "measurement",
        "showed",
        "shows",
        "revealed",
        "demonstrated",
        "indicated",
        "remained",
        "became",
        "rate",
        "rates",
        "only",
        "just",
        "still",
        "further",
        "then",
        "now",
        "currently",
        "while",
        "pressure",
        "sat",
        "saturation",
        "arterial",
        "venous",
        "fasting",
        "random",
        "score",
        "scale",
        "ratio",
        "index",
        "his",
        "her",
        "their",
        "patient's",
        "estimated",
        "calculated",
        "corrected",
        "lab",
        "labs",
        "laboratory",
        "test",
        "tests",
        "peripheral",
        "systemic",
    }
)
"""Words that may stand between a term and its number."""
_RANGING = frozenset({"ranging", "ranged", "between", "range", "varying", "varied"})
_CHANGE = frozenset(
    {"rose", "increased", "decreased", "dropped", "fell", "improved", "declined", "climbed"}
)
_CENSOR_WORDS = {
    "less": "<",
    "below": "<",
    "under": "<",
    "lower": "<",
    "greater": ">",
    "more": ">",
    "above": ">",
    "over": ">",
    "exceeding": ">",
    "higher": ">",
}
_CENSOR_SYMBOLS = {"<": "<", ">": ">", "≤": "<", "≥": ">"}
_SKIP_SYMBOLS = frozenset({",", ":", "=", "-", "~", "≈", "+", "[", "]", "'", "*", "#"})
_NOT_UNITS = frozenset(
    {
        "and",
        "or",
        "with",
        "on",
        "in",
        "at",
        "was",
        "were",
        "is",
        "are",
        "which",
        "that",
        "the",
        "a",
        "an",
        "to",
        "from",
        "by",
        "for",
        "of",
        "after",
        "before",
        "while",
        "but",
        "as",
        "than",
        "vs",
        "versus",
        "respectively",
        "during",
        "when",
        "within",
        "without",
        "despite",
        "since",
        "until",
        "due",
        "then",
        "also",
        "normal",
        "reference",
        "range",
        "ref",
        "nl",
    }
)
_SCALE_SIGNS = frozenset({"×", "x", "*"})


def read_values(
    note: NoteText,
    end: int,
    *,
    pairs: bool = False,
    also_filler: frozenset[str] = frozenset(),
) -> list[Mention]:
    """The mention(s) of the number following a term that ends before token ``end``.

    ``pairs`` reads "128/73" as a pair (blood pressure, "GCS 8/15"); otherwise "/" after a
    number starts its unit. ``also_filler`` are further words allowed before the number (the
    concept's own words: "high density lipoprotein-*cholesterol* 74 mg/dL"). Returns ``[]``
    when no number follows within :data:`WINDOW` tokens.
    """
    if end >= len(note) or end <= 0:
        return []
    term_at = end - 1
    clause = note.clause[term_at]
    i = end
    words = 0
    depth = 0
    censor: str | None = None
    came_from = False
    changed = False
    ranging = False
    while i < len(note) and i < end + WINDOW and note.clause[i] == clause:
        kind, low = note.kinds[i], note.lows[i]
        if kind is Kind.NUMBER:
            if not note.attached(i):
                break
            if not depth:
                return []
        elif kind is Kind.SYMBOL:
            if low == "(":
                depth += 1
            elif low == ")":
                depth = max(0, depth - 1)
            elif low in _CENSOR_SYMBOLS:
                censor = _CENSOR_SYMBOLS[low]
            elif low not in _SKIP_SYMBOLS and not depth:
                return []
        elif depth:
            pass
        elif low in _CENSOR_WORDS:
            censor = _CENSOR_WORDS[low]
        elif low == "than" and censor is not None:
            pass
        elif low in _RANGING:
            ranging = True
        elif low in also_filler:
            pass
        elif low in FILLER:
            words += 1
            came_from = came_from or low == "from"
            changed = changed or low in _CHANGE
            if words > 5:
                return []
        else:
            return []
        i += 1
    else:
        return []
    if i >= len(note) or note.clause[i] != clause or note.kinds[i] is not Kind.NUMBER:
        return []
    came_from = came_from and not ranging
    first = _read_number(note, term_at, i, censor, pairs=pairs, ranges=not came_from)
    if first is None:
        return []
    if changed and not came_from:
        return [replace(first, time=TimePoint.LATER)]
    mentions = [first]
    if came_from:
        # "from 1.2 to 3.4 mg/dL": the first value is the earlier one, the second later.
        j = first.end
        if j + 1 < len(note) and note.lows[j] == "to" and note.kinds[j + 1] is Kind.NUMBER:
            second = _read_number(note, term_at, j + 1, None, pairs=pairs, ranges=True)
            if second is not None:
                unit = first.unit if first.unit is not None else second.unit
                if first.unit is None and second.unit is not None:
                    mentions[0] = replace(first, unit=second.unit, degrees=second.degrees)
                mentions[0] = replace(mentions[0], time=TimePoint.BEFORE)
                mentions.append(replace(second, unit=unit, time=TimePoint.LATER))
    return mentions


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _read_number(
    note: NoteText, term_at: int, at: int, censor: str | None, *, pairs: bool, ranges: bool
) -> Mention | None:
    value = note.numbers[at]
    if value is None:
        return None
    decimals = _decimals(note.texts[at])
    j = at + 1
    high: float | None = None
    second: float | None = None
    if j + 1 < len(note) and note.kinds[j + 1] is Kind.NUMBER and not note.attached(j + 1):
        if ranges and note.lows[j] in {"-", "to"} and note.numbers[j + 1] is not None:
            high = note.numbers[j + 1]
            j += 2
        elif pairs and note.lows[j] == "/" and note.numbers[j + 1] is not None:
            second = note.numbers[j + 1]
            j += 2
    factor, j = _scale(note, j)
    unit, unit_factor, unknown, degrees, j = _unit(note, j, scaled=factor != 1.0)
    factor *= unit_factor
    if unit == "ft":
        inches, j2 = _inches(note, j)
        if inches is not None:
            value, unit, decimals, j = value * 12 + inches, "in", 0, j2
    if factor != 1.0 and unit not in {"/l", "/µl"} and unit_factor == 1.0:
        unit = "/µl" if factor < 1e7 else "/l"
    value *= factor
    if high is not None:
        high *= factor
    written = " ".join(note.text[note.starts[at] : note.ends[j - 1]].split())
    return Mention(
        term_at=term_at,
        number_at=at,
        end=j,
        value=value,
        decimals=decimals,
        unit=unit,
        unknown_unit=unknown,
        degrees=degrees,
        censored=censor,
        high=high,
        second=second,
        time=note.time_point(at),
        written=written,
    )


def _scale(note: NoteText, j: int) -> tuple[float, int]:
    """``× 10ⁿ`` after a number (``×109``, ``x 10^9``, ``× 103``): (factor, next position)."""
    if j + 1 >= len(note) or note.lows[j] not in _SCALE_SIGNS:
        return 1.0, j
    base = note.texts[j + 1]
    if note.kinds[j + 1] is not Kind.NUMBER or not base.startswith("10") or "." in base:
        return 1.0, j
    if base == "10":
        if j + 3 < len(note) + 1 and j + 2 < len(note) and note.lows[j + 2] == "^":
            exponent_text = note.texts[j + 3] if j + 3 < len(note) else ""
            if exponent_text.isdigit():
                return _power(int(exponent_text)), j + 4
        return 1.0, j
    exponent = base[2:]
    if exponent.isdigit() and 1 <= int(exponent) <= 15:
        return _power(int(exponent)), j + 2
    return 1.0, j


def _power(exponent: int) -> float:
    return float(10**exponent) if 1 <= exponent <= 15 else 1.0


def _unit(
    note: NoteText, j: int, *, scaled: bool
) -> tuple[str | None, float, str | None, bool, int]:
    """(spelling, factor, unknown word, written only as degrees, next position) after a number.

    The factor is what the value is multiplied by to be in the spelling ("18.7 K/µL" is
    18,700 per µL; "1.2 L/day" is 1,200 mL/day).
    """
    best: tuple[str, int] | None = None
    pieces = ""
    sentence = note.sentence[j - 1] if j > 0 else 0
    if j + 1 < len(note) and note.lows[j] == "-" and note.kinds[j + 1] is Kind.WORD:
        j += 1  # "172-cm tall"
    for k in range(j, min(len(note), j + UNIT_TOKENS)):
        if note.sentence[k] != sentence:
            break
        if k > j and note.spaced[k] and note.kinds[k] is Kind.NUMBER:
            break
        pieces += note.lows[k]
        if (scaled and pieces in _AFTER_SCALE) or pieces in UNITS:
            best = (pieces, k + 1)
    if best is not None:
        key, after = best
        if scaled and key in _AFTER_SCALE:
            return _AFTER_SCALE[key], 1.0, None, False, after
        spelling, factor = UNITS[key]
        return spelling, factor, None, False, after
    if j < len(note) and note.lows[j] in _DEGREES:
        return None, 1.0, None, True, j + 1
    if j < len(note) and note.kinds[j] is Kind.WORD and note.lows[j] not in _NOT_UNITS:
        return None, 1.0, note.texts[j], False, j
    if j + 1 < len(note) and note.lows[j] == "/" and note.kinds[j + 1] is Kind.WORD:
        return None, 1.0, "/" + note.texts[j + 1], False, j
    return None, 1.0, None, False, j


def _inches(note: NoteText, j: int) -> tuple[float | None, int]:
    """Inches after feet ("5 ft 7 in", "5'7\\"")."""
    if j >= len(note) or note.kinds[j] is not Kind.NUMBER:
        return None, j
    inches = note.numbers[j]
    unit, _, _, _, after = _unit(note, j + 1, scaled=False)
    if unit == "in" or (unit is None and after == j + 1):
        return inches, after
    return None, j


_DELTA = frozenset({"by", "gain", "gained", "loss", "lost", "lose", "losing", "change", "changed"})
"""Words that make a later number a change, not a value ("weight decreased by 8.5 kg")."""
_BEFORE_GAP = frozenset({"in", "of", "body", "total", "tall", "("})
"""Words allowed between a number and the term after it ("177 cm *in* height")."""
_LIST_SEPARATORS = frozenset({"and", ",", "/", "&", "along"})
"""Words between the items of a list ("along" as in "along with")."""
_LIST_STOPS = frozenset(
    {
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "of",
        "at",
        "showed",
        "shows",
        "revealed",
        "demonstrated",
        "measured",
        "measuring",
        "results",
        "result",
        "values",
        "levels",
        "within",
        "respectively",
        "to",
        "as",
        "with",
        "on",
        "in",
        "had",
        "has",
        "the",
        "a",
        "an",
        "her",
        "his",
        "their",
        "include",
        "included",
        "including",
        "following",
        "from",
    }
)
"""Words that end a list of names ("height and weight *were* …")."""


def read_before(note: NoteText, start: int) -> list[Mention]:
    """The number written just before a term: "173 cm tall", "177 cm in height", "160 cm
    (5 ft 3 in) tall", "70 kg of body weight". Only a number with its unit counts."""
    clause = note.clause[start]
    i = start - 1
    depth = 0
    while i >= 0 and note.clause[i] == clause and i >= start - 12:
        low = note.lows[i]
        if low == ")":
            depth += 1
        elif low == "(":
            depth = max(0, depth - 1)
        elif not depth and note.kinds[i] is Kind.NUMBER and not note.attached(i):
            mention = _read_number(note, start, i, None, pairs=False, ranges=True)
            if mention is None or mention.unit is None or mention.end > start:
                return []
            if _only_gap(note, mention.end, start):
                return [replace(mention, term_at=start)]
            return []
        i -= 1
    return []


def _only_gap(note: NoteText, low: int, high: int) -> bool:
    depth = 0
    for i in range(low, high):
        word = note.lows[i]
        if word == "(":
            depth += 1
        elif word == ")":
            depth = max(0, depth - 1)
        elif not depth and word not in _BEFORE_GAP:
            return False
    return True


def read_loose(
    note: NoteText, end: int, stops: frozenset[int], *, unit: bool = True, pairs: bool = False
) -> list[Mention]:
    """The first number (with a unit, if ``unit``) later in the term's sentence, when no other
    known term stands between ("his hemoglobin was on par with his previous readings at
    14 g/dL", "the Glasgow Coma Score was tallied at 14")."""
    if end >= len(note) or end <= 0:
        return []
    sentence = note.sentence[end - 1]
    for i in range(end, min(len(note), end + 24)):
        if note.sentence[i] != sentence or i in stops or note.lows[i] in _DELTA:
            return []
        if note.kinds[i] is Kind.NUMBER and not note.attached(i):
            mention = _read_number(note, end - 1, i, None, pairs=pairs, ranges=True)
            if mention is None or (unit and mention.unit is None and not mention.degrees):
                return []
            return [mention]
    return []


def read_parallel(
    note: NoteText, start: int, end: int, terms: frozenset[int] = frozenset()
) -> list[Mention]:
    """A term's number in a parallel list: "height and weight were 160 cm and 56.8 kg,
    respectively", "sodium and potassium at 137 and 4.8 mEq/L, respectively",
    "Ca/P/Mg 8.5/5.3/1.6 mg/dL". The term's place is counted from the end of the list of
    names (its start is often unclear: "a history of BN and weight and height of …"). A list is
    read only when the sentence says "respectively", both lists are written with "/", or the
    two lists have the same length and the names include another known term (``terms``: the
    positions where terms start)."""
    sentence = note.sentence[start]
    kind: bool | None = None  # whether the list's separator is "/" (one list, one kind)
    others = False
    after, j, depth = 0, end, 0
    listing = True
    while j < len(note) and note.sentence[j] == sentence and j < end + 30:
        low = note.lows[j]
        if low == "(":
            depth += 1
        elif low == ")":
            depth = max(0, depth - 1)
        elif depth or low in _IN_WORD or (low == "with" and note.lows[j - 1] == "along"):
            pass
        elif low in _LIST_SEPARATORS:
            if listing and kind is not None and kind != (low == "/"):
                listing = False
            if listing and not (low == "and" and note.lows[j - 1] == ","):
                kind = low == "/"
                after += 1
        elif note.kinds[j] is Kind.NUMBER and not note.attached(j):
            break
        elif note.kinds[j] is not Kind.WORD:
            return []
        elif low in _LIST_STOPS:
            listing = False  # "… and sodium *were* within normal levels, i.e. 0.7 mg/dL …"
        elif listing and j in terms:
            others = True
        j += 1
    else:
        return []
    before, i = 0, start - 1
    while i >= 0 and note.sentence[i] == sentence and i >= start - 20:
        low = note.lows[i]
        if low in _LIST_SEPARATORS:
            if kind is not None and kind != (low == "/"):
                break
            kind = low == "/"
            if not (low == "and" and note.lows[i - 1] == ","):
                before += 1
        elif low in _IN_WORD or (low == "with" and i > 0 and note.lows[i - 1] == "along"):
            pass
        elif note.kinds[i] is not Kind.WORD or low in _LIST_STOPS:
            break
        else:
            others = others or i in terms
        i -= 1
    if before + after < 1 or j >= len(note) or note.kinds[j] is not Kind.NUMBER:
        return []
    slashes = bool(kind)
    values = _number_list(note, start, j, sentence, pairs=not slashes)
    index = len(values) - 1 - after
    if len(values) < 2 or index < 0:
        return []
    respectively = note.in_sentence(start, _RESPECTIVELY)
    same_length = len(values) == before + after + 1 and others
    if not (respectively or slashes or same_length):
        return []
    mine = values[index]
    if mine.unit is None:
        shared = next((v for v in values[index:] if v.unit is not None), None)
        if shared is not None:
            mine = replace(mine, unit=shared.unit, degrees=shared.degrees)
    return [mine]


_IN_WORD = frozenset({"-", ".", "'"})
_RESPECTIVELY = frozenset({"respectively"})


def _number_list(
    note: NoteText, start: int, k: int, sentence: int, *, pairs: bool
) -> list[Mention]:
    """Numbers separated by "/", ",", "and" from position ``k`` ("127/2.6 mEq/L")."""
    values: list[Mention] = []
    while k < len(note) and note.sentence[k] == sentence and len(values) < 8:
        if note.kinds[k] is not Kind.NUMBER:
            break
        mention = _read_number(note, start, k, None, pairs=pairs, ranges=False)
        if mention is None:
            break
        values.append(mention)
        k = _skip_parentheses(note, mention.end)
        if k < len(note) and note.lows[k] in _LIST_SEPARATORS:
            k += 1
            if k < len(note) and note.lows[k] == "and":
                k += 1
        else:
            break
    return values


def _skip_parentheses(note: NoteText, k: int) -> int:
    """Past a parenthesised group at ``k`` ("162 mg/dL (139-230 mg/dL), 33 mg/dL")."""
    if k >= len(note) or note.lows[k] != "(":
        return k
    depth = 0
    for i in range(k, min(len(note), k + 30)):
        if note.lows[i] == "(":
            depth += 1
        elif note.lows[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return k
