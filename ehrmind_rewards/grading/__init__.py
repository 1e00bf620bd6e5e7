"""Standalone grading of answer files: streaming, parallel, with error analysis and reports.

``ehrmind-rewards grade`` and ``compare`` are thin front ends to this package:

* :mod:`.readers` / :mod:`.references`: stream prediction files (JSONL, CSV) and index label
  datasets (MedCalc-Bench CSVs of any version, relabelled files), reporting bad rows by line;
* :mod:`.engine`: grade in chunks across worker processes with the task verifiers;
* :mod:`.analysis`: why each failed answer failed; :mod:`.official`: the benchmark's own windows;
* :mod:`.summary`, :mod:`.display`, :mod:`.report`: the JSON summary, terminal table, HTML page;
* :mod:`.compare` and :mod:`.stats`: paired comparison of two models.
"""

from ehrmind_rewards.core.errors import InputError
from ehrmind_rewards.core.io import BadRow
from ehrmind_rewards.grading.engine import GradeOptions, GradeResult, grade_file
from ehrmind_rewards.grading.references import load_references
from ehrmind_rewards.grading.summary import summarize

__all__ = [
    "BadRow",
    "GradeOptions",
    "GradeResult",
    "InputError",
    "grade_file",
    "load_references",
    "summarize",
]
