"""The one label-name normalizer shared by every classification task (trials, EHRSHOT).

A model writes label names in many harmless spellings: case, underscores, hyphens, runs of
whitespace and a final full stop do not change which label it means.

>>> normalize_label_name("  Not_Eligible. ")
'not eligible'
>>> normalize_label_name("ICU-transfer") == normalize_label_name("icu transfer")
True
"""

from __future__ import annotations


def normalize_label_name(text: str) -> str:
    """Case-fold ``text``, read ``_``/``-``/whitespace runs as one space, drop a trailing ``.``."""
    words = text.replace("_", " ").replace("-", " ").casefold().split()
    joined = " ".join(words)
    return joined[:-1].rstrip() if joined.endswith(".") else joined
