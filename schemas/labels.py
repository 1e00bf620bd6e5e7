"""The one label-name normalizer shared by every classification task (trials, EHRSHOT).

A model writes label names in many harmless spellings: compatibility forms (full-width letters
``Ｅｌｉｇｉｂｌｅ``, no-break spaces, ligatures — folded by Unicode NFKC), case, underscores,
hyphens, runs of whitespace and a final full stop do not change which label it means.

>>> normalize_label_name("  Not_Eligible. ")
'not eligible'
>>> normalize_label_name("ICU-transfer") == normalize_label_name("icu transfer")
True
>>> normalize_label_name("ＹＥＳ．")
'yes'
"""

from __future__ import annotations

import unicodedata


def normalize_label_name(text: str) -> str:
    """NFKC-fold ``text``, case-fold it, read ``_``/``-``/whitespace runs as one space, drop a
    trailing ``.``."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    words = text.replace("_", " ").replace("-", " ").casefold().split()
    joined = " ".join(words)
    return joined[:-1].rstrip() if joined.endswith(".") else joined
