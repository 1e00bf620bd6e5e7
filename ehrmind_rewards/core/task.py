"""The task-family contract: what every family (MedCalc, trials, EHRSHOT, yours) provides.

A task family is one kind of question with one answer format and one verifier. Shared services
(adapters, grading, training, the command line) know families only through this contract and the
registry (:mod:`ehrmind_rewards.core.registry`), never by name, so a new family is one folder or
one package with an entry point. Subclass :class:`TaskFamily`, set the class attributes, implement
:meth:`TaskFamily.verify_row`, and override the hooks your family needs; every hook has a default
that is right for a family without that feature.

>>> from ehrmind_rewards.core.rewards import EHRMIND
>>> from schemas.reasons import Reason
>>> class Echo(TaskFamily):
...     name, title = "echo", "Echo"
...     def verify_row(self, completion, row, spec):
...         right = completion == row["label"]
...         reason = Reason.CORRECT if right else Reason.WRONG_ANSWER
...         return spec.verdict(format_ok=True, correct=right, reason=reason)
>>> Echo().verify_row("a", {"label": "a"}, EHRMIND).score
1.1
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, Protocol

from ehrmind_rewards.core.parsing.values import read_number
from ehrmind_rewards.core.rewards import RewardSpec
from ehrmind_rewards.core.rows import canonical_key, compact_key, flatten_record, integral
from schemas.verdict import Verdict

_MAX_CACHED_NAMES = 4096
"""Column names remembered per family (a dataset has a few dozen)."""

ErrorKind = tuple[str, str | None]
"""An error-analysis result for one failed answer: (kind, sub-kind or ``None``)."""


class ScoredOutcome(NamedTuple):
    """One binary outcome of a graded row and the answer's score for it.

    ``part`` names a sub-outcome of a row with several (EHRSHOT's chexpert: a finding), else
    ``""``; ``truth`` is 0 or 1; ``score`` is the answer's probability of 1, in [0, 1].
    """

    part: str
    truth: int
    score: float


class ScoredRow(NamedTuple):
    """What ranking and calibration metrics need from one graded row (see
    :meth:`TaskFamily.scored_outcomes`)."""

    outcomes: tuple[ScoredOutcome, ...]
    cluster: str | None
    """The resampling unit of bootstrap intervals (EHRSHOT: the patient); ``None``: the row."""
    stated: bool
    """The scores come from a probability the answer stated (else from its label)."""
    answered: bool
    """The answer was readable; an unreadable one is scored 0.5 on every outcome."""


class GradingExtension(Protocol):
    """Counters a family keeps while a file is graded, beyond the shared ones.

    One instance is made per chunk of rows (in a worker process), filled row by row, then merged
    into the run's instance in input order; it must be picklable. :meth:`summary` returns keys
    that are added to the grading summary (for MedCalc: the benchmark's official windows).
    """

    def observe(self, row: Mapping[str, Any], verdict: Verdict) -> None:
        """Count one graded row."""

    def merge(self, other: Any) -> None:
        """Add the counts of ``other`` (an instance of the same class, a later chunk)."""

    def summary(self) -> dict[str, Any]:
        """Summary keys this family adds to a grading run's summary."""


class TaskFamily:
    """Base class of a task family; see the module docstring.

    Class attributes:

    * ``name`` — the registry name and the value of a row's ``task`` column;
    * ``title`` — a human-readable name for reports (``"MedCalc-Bench"``);
    * ``label_fields`` — columns a row must carry to be graded without a reference dataset;
    * ``row_markers`` — columns whose presence (non-null) identifies a row of this family when it
      has no ``task`` column (MedCalc: ``calculator_id``); empty if rows cannot be recognized;
    * ``source_markers`` — substrings of verl ``data_source`` names that mean this family;
    * ``column_aliases`` — canonical column names (:func:`~ehrmind_rewards.core.io.canonical_key`)
      of native benchmark files and of other pipelines' layouts → the verifier's column names
      (matched in any case and spacing, see :meth:`TaskFamily.column_name`);
    * ``integer_columns`` — columns of whole numbers (ids, class labels): an integral float there
      (``2.0``, as CSV readers and Arrow columns with gaps write them) is read as the integer;
    * ``subgroup_name`` — a second grouping reported by grading (MedCalc: ``"calculator"``);
    * ``training_formats`` — values of a training config's ``data.format`` this family reads;
    * ``id_columns`` — columns that together identify a row without an ``id``;
    * ``classification`` — answers are class labels (balanced accuracy and confusion matrices
      apply), not values;
    * ``benchmark_name`` — the family's benchmark as evaluation frameworks name it (the Inspect
      AI task name, ``"medcalc_bench"``); ``None`` when the family has no
      :meth:`benchmark_rows`;
    * ``hub_dataset`` — the benchmark's Hugging Face Hub dataset id, whose records
      :meth:`hub_row` reads (``None``: not on the Hub in a layout the family reads).
    """

    name: ClassVar[str]
    title: ClassVar[str]
    label_fields: ClassVar[tuple[str, ...]] = ("label",)
    row_markers: ClassVar[tuple[str, ...]] = ()
    source_markers: ClassVar[tuple[str, ...]] = ()
    column_aliases: ClassVar[Mapping[str, str]] = {}
    integer_columns: ClassVar[tuple[str, ...]] = ()
    subgroup_name: ClassVar[str | None] = None
    metric_group_name: ClassVar[str] = "group"
    """What a :meth:`metric_group` is called in reports (EHRSHOT: ``"task"``)."""
    training_formats: ClassVar[tuple[str, ...]] = ()
    id_columns: ClassVar[tuple[str, ...]] = ()
    classification: ClassVar[bool] = False
    benchmark_name: ClassVar[str | None] = None
    hub_dataset: ClassVar[str | None] = None

    def __repr__(self) -> str:
        return f"<task family {self.name!r}>"

    # --- the hot path -----------------------------------------------------------------------

    def verify_row(self, completion: object, row: Mapping[str, Any], spec: RewardSpec) -> Verdict:
        """Grade one completion against one row under ``spec``; never raises for bad input."""
        raise NotImplementedError

    def recognizes(self, row: Mapping[str, Any]) -> bool:
        """Whether ``row`` (flat, without a ``task`` column) belongs to this family: every
        :attr:`row_markers` column is present with a value, under any of its names."""
        if not self.row_markers:
            return False
        present = {self.column_name(key) for key, value in row.items() if value is not None}
        return all(marker in present for marker in self.row_markers)

    # --- records ----------------------------------------------------------------------------

    def column_name(self, key: str) -> str:
        """The verifier's name for a column called ``key`` in any case and spacing.

        ``key`` is put in canonical spelling (:func:`~ehrmind_rewards.core.io.canonical_key`)
        and looked up in :attr:`column_aliases`; failing that, its compact form (letters and
        digits only) is matched against the aliases and this family's own column names.
        Unknown columns keep their canonical spelling.
        """
        names = self.__dict__.get("_column_names")
        if names is None:
            names = self.__dict__["_column_names"] = {}
        name: str | None = names.get(key)
        if name is None:
            name = self._column_name(key)
            if len(names) < _MAX_CACHED_NAMES:
                names[key] = name
        return name

    def _column_name(self, key: str) -> str:
        canonical = canonical_key(key)
        alias = self.column_aliases.get(canonical)
        if alias is not None:
            return alias
        compact = self.__dict__.get("_compact_names")
        if compact is None:
            own = (
                *self.column_aliases.values(),
                *self.label_fields,
                *self.row_markers,
                *self.id_columns,
                *self.integer_columns,
                "task",
                "category",
            )
            compact = {compact_key(name): name for name in own}
            compact.update({compact_key(k): v for k, v in self.column_aliases.items()})
            self.__dict__["_compact_names"] = compact
        return str(compact.get(compact_key(key), canonical))

    def normalize_row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """``row``, in any layout this family recognizes, as the row :meth:`verify_row` reads.

        Every adapter, the grading engine and evaluation call this before :meth:`verify_row`.
        The default flattens pipeline layouts (verl's ``reward_model``/``extra_info``, a
        ``ground_truth`` holding the whole record: :func:`~ehrmind_rewards.core.rows.
        flatten_record`), converts numpy/pandas/pyarrow values to plain Python (arrays become
        lists, missing values ``None``), renames columns with :meth:`column_name` (a column that
        already has the verifier's name wins over an alias of it) and reads integral floats in
        :attr:`integer_columns` as integers. Override it to add a family's own layouts, calling
        ``super().normalize_row(row)`` first.

        Contract: it never raises, returns a new dict, and returns a row equal to ``row`` when
        ``row``'s keys are already the verifier's names and every value is a ``str``, an ``int``
        or ``None`` in no layout column (:data:`~ehrmind_rewards.core.rows.LAYOUT_COLUMNS`):
        text is read by :meth:`verify_row`, never rewritten here (adapters skip the call for
        such batches).

        >>> class Demo(TaskFamily):
        ...     name, title = "demo", "Demo"
        ...     column_aliases = {"target": "label"}
        ...     integer_columns = ("label",)
        >>> Demo().normalize_row({"reward_model": {"ground_truth": {"Target": 2.0}}})
        {'label': 2}
        """
        flat = flatten_record(row)
        names = [(key, self.column_name(key), value) for key, value in flat.items()]
        exact = {key for key, name, _ in names if name == key}
        out: dict[str, Any] = {}
        for key, name, value in names:
            if name == key or (name not in exact and name not in out):
                out[name] = value
        for column in self.integer_columns:
            if column in out:
                out[column] = integral(out[column])
        return out

    # --- grading ------------------------------------------------------------------------------

    def category(self, row: Mapping[str, Any]) -> str:
        """The row's category for training, sampling and pass@k (default: its ``category``)."""
        return str(row.get("category") or self.name).strip()

    def grading_group(self, row: Mapping[str, Any]) -> str:
        """The group a graded row is reported under (default: :meth:`category`)."""
        return self.category(row)

    def subgroup(self, row: Mapping[str, Any]) -> tuple[str, str] | None:
        """``(key, display name)`` of the row's :attr:`subgroup_name` group, if there is one."""
        return None

    def class_names(self, row: Mapping[str, Any]) -> tuple[str, ...]:
        """Label names by class index for classification rows; ``()`` for value answers."""
        return ()

    def gold_class(self, row: Mapping[str, Any]) -> int | None:
        """The row's true class index for confusion matrices (default: an integral ``label``)."""
        number = read_number(row.get("label"))
        return int(number) if number is not None and number.is_integer() else None

    def classify_wrong(self, row: Mapping[str, Any], verdict: Verdict) -> ErrorKind:
        """Why a readable, well-formed answer is wrong (error analysis); default: a wrong label."""
        return "wrong_label", f"{row.get('label')} → {verdict.parsed}"

    def grading_extension(self) -> GradingExtension | None:
        """A fresh set of this family's own grading counters, or ``None`` if it has none."""
        return None

    def metric_group(self, row: Mapping[str, Any]) -> str | None:
        """The group a row's classification metrics are computed within, or ``None`` (default)
        for one pool of all rows. A family whose rows belong to different prediction tasks
        (EHRSHOT) returns the task: grading then reports a confusion matrix, AUROC, AUPRC,
        Brier score and calibration per group and their macro mean, and never mixes groups."""
        return None

    def scored_outcomes(self, row: Mapping[str, Any], verdict: Verdict) -> ScoredRow | None:
        """The row's binary outcomes with the answer's scores, for the ranking and calibration
        metrics of :meth:`metric_group` groups; ``None`` (default) when the row has none."""
        return None

    # --- training -----------------------------------------------------------------------------

    def min_correct(self, category: str, k: int) -> int | None:
        """EHRMind's reliable-pass@k minimum of correct samples for guessable answers, or
        ``None`` when answers in ``category`` cannot be guessed (continuous values)."""
        return None

    def n_classes(self, category: str) -> int | None:
        """The number of answer classes in ``category`` when fixed, else ``None``."""
        return None

    def training_rows(
        self, fmt: str, data: Any, split: str, *, with_completion: bool
    ) -> list[dict[str, Any]]:
        """Training rows of ``split`` for a ``data.format`` in :attr:`training_formats`.

        ``data`` is the config's data section (``ehrmind_rewards.train.config.DataSection``).
        Each row holds ``prompt`` (text or messages), the label columns and, if
        ``with_completion``, a ``completion``. Raise an :class:`EhrmindError` subclass naming the
        file and row for bad data.
        """
        raise NotImplementedError(f"{self.name} has no training format {fmt!r}")

    def training_source(self, fmt: str, data: Any, split: str) -> Path | None:
        """The file or folder ``split`` reads in format ``fmt`` (default: ``data.<split>_file``)."""
        path: Path | None = getattr(data, f"{split}_file", None)
        return path

    def prepare_training_row(self, row: dict[str, Any]) -> None:
        """Adjust a training row in place before it becomes a dataset row (default: nothing)."""

    # --- evaluation frameworks and guided decoding -------------------------------------------

    def benchmark_rows(self, *args: Any, **options: Any) -> list[dict[str, Any]]:
        """Evaluation rows read from the benchmark's own files (Inspect AI tasks, verifiers).

        Each row holds ``prompt`` (chat messages, without EHRMind's assistant pre-fill, for
        models behind a chat API), ``task``, ``id`` and the label columns :meth:`verify_row`
        reads. A family declares its own keyword parameters (paths, sampling); the evaluation
        integrations expose exactly that signature. Bad files raise an
        :class:`~ehrmind_rewards.core.errors.EhrmindError` subclass naming the file and row.
        """
        raise NotImplementedError(f"{self.name} has no benchmark loader")

    def hub_row(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """One row, as :meth:`benchmark_rows` makes them, from one record of
        :attr:`hub_dataset` in its native columns (lighteval's Hub-backed tasks)."""
        raise NotImplementedError(f"{self.name} reads no Hugging Face Hub layout")

    def answer_variants(self) -> tuple[str, ...]:
        """Names :meth:`answer_schema` accepts to narrow the answer to one shape (default none).

        EHRSHOT: one per labeler (each has its own label names); MedCalc: one per answer kind.
        """
        return ()

    def answer_schema(self, variant: str | None = None) -> dict[str, Any] | None:
        """The JSON Schema of the answer payload, for guided decoding; ``None`` if undeclared.

        ``variant`` is ``None`` (every answer the family accepts) or one of
        :meth:`answer_variants`. Label sets are ``enum``/``const`` values. The schema stays
        inside the subset :mod:`ehrmind_rewards.guided` turns into a regular expression, and
        every payload it admits is format-valid for :meth:`verify_row` (the guided-decoding
        tests check both on generated payloads).
        """
        return None

    # --- command line and examples ------------------------------------------------------------

    def register_commands(self, subparsers: Any) -> None:
        """Add this family's own subcommands to the ``ehrmind-rewards`` parser (default: none)."""

    def example_files(self) -> tuple[Path, Path] | None:
        """The bundled ``(predictions, dataset)`` example for ``grade --example``, if any."""
        return None
