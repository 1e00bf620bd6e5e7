"""One validated configuration per run, loaded from YAML.

A run file names its ``kind`` (``sft``, ``grpo``, or ``eval`` for sampling and evaluation only),
the base model, the data, and the trainer's
hyper-parameters. Validation is pure pydantic (no torch, no TRL import), so a bad file fails in
milliseconds, before any model loads, with the dotted path of each bad field::

    invalid config configs/medcalc_grpo.yaml:
      grpo.num_generations: Input should be greater than or equal to 2

(Data paths are checked for existence here too; rows are read, and checked, when a run starts.)
Defaults reproduce EHRMind's published setup (arXiv 2505.24105; summarized in
``docs/training.md``): SFT lr 2e-5, 2 epochs, max length 4096; GRPO lr 1e-6, 32 prompts per step,
KL loss 0.001, temperature 0.6, top_p 0.95. Per-task values (generations, lengths) live in
``configs/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.core.parsing.envelope import PREFILL

DEFAULT_BASE_MODEL = "meta-llama/Llama-3.2-3B-Instruct"

ROWS_FORMAT = "rows"
"""The data format every task reads: TRL rows in a file (see :class:`DataSection`)."""


class _Section(BaseModel):
    """Config sections refuse unknown keys, so a typo is an error rather than a silent default."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelSection(_Section):
    """The base model and its tokenizer (forms of ``name_or_path``: :mod:`.models`)."""

    name_or_path: str = Field(DEFAULT_BASE_MODEL, min_length=1)
    """A Hugging Face Hub id, a local directory (a previous run's ``output_dir`` for GRPO), a
    ``.gguf`` file, or ``package:NAME[/PATH]`` (an installed Python package's folder)."""
    gguf_file: str | None = None
    """A GGUF file inside the ``name_or_path`` folder or Hub repository; converted once into a
    normal checkpoint folder (:func:`ehrmind_rewards.train.models.convert_gguf`)."""
    chat_template: str | None = None
    """Replaces the tokenizer's chat template: Jinja text, or the path of a file holding it (read
    when the config is loaded)."""
    dtype: Literal["auto", "bfloat16", "float16", "float32"] = "auto"
    trust_remote_code: bool = False
    attn_implementation: str | None = None
    """E.g. ``flash_attention_2`` or ``sdpa``; ``None`` lets transformers choose."""

    @field_validator("chat_template")
    @classmethod
    def _template_text(cls, value: str | None) -> str | None:
        if value is None or "{{" in value or "{%" in value:
            return value
        path = Path(value)
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"not Jinja text and not a readable file: {error.strerror}") from None

    @field_validator("name_or_path")
    @classmethod
    def _model_exists(cls, name_or_path: str) -> str:
        _check_source(name_or_path, None)
        return name_or_path

    @field_validator("gguf_file")
    @classmethod
    def _gguf_exists(cls, gguf_file: str | None, info: ValidationInfo) -> str | None:
        if gguf_file is not None and "name_or_path" in info.data:
            _check_source(info.data["name_or_path"], gguf_file)
        return gguf_file


def _check_source(name_or_path: str, gguf_file: str | None) -> None:
    """:func:`ehrmind_rewards.train.models.check_source`, its error without the field name
    (pydantic adds it)."""
    from ehrmind_rewards.train.models import ModelSourceError, check_source

    try:
        check_source(name_or_path, gguf_file)
    except ModelSourceError as error:
        raise ValueError(str(error).split(": ", 1)[-1]) from None


class DataSection(_Section):
    """Where the rows come from and how prompts are rendered.

    ``format``:

    * ``rows`` — TRL rows in a ``.jsonl``/``.json``/``.csv``/``.parquet`` file: a ``prompt`` (the
      user message text, or a list of chat messages), the task's label columns, and for SFT a
      ``completion``. This is what the package's dataset builders write (``ehrmind-rewards
      explain`` for MedCalc SFT text, ``build_trial_dataset`` for trial pairs).
    * a format of the task's own family (its ``training_formats``):

      - ``medcalc_csv`` — a MedCalc-Bench CSV read directly; for SFT the completion is the row's
        ``Ground Truth Explanation`` inside ``<think>`` (EHRMind's MedCalc warm-up text).
      - ``medcalc_explain`` — a MedCalc-Bench CSV whose SFT completions are the calculators' own
        step-by-step explanations and recomputed answers (``ehrmind_rewards.tasks.medcalc.sft``,
        correct by construction); rows no calculator can compute are left out and counted in
        the log. For GRPO it reads the same rows as ``medcalc_csv``.
      - ``ehrshot`` — an EHRSHOT directory (MEDS or FEMR-CSV, real or synthetic) given as
        ``train_file``, turned into rows by ``ehrmind_rewards.tasks.ehrshot.dataset`` for
        ``ehrshot_tasks``; the train/eval/test splits are the directory's patient splits named
        in ``ehrshot_splits``. Prompts carry no completion, so this format is for GRPO,
        sampling and evaluation.

    ``task`` is any registered task name (``ehrmind_rewards.tasks.names()``). Paths must exist
    when the config is loaded.
    """

    task: str
    format: str = ROWS_FORMAT
    train_file: Path | None = None
    """Required by ``sft`` and ``grpo`` runs; an ``eval`` file may name only ``test_file``."""
    eval_file: Path | None = None
    test_file: Path | None = None
    ehrshot_tasks: list[str] | None = None
    """EHRSHOT labelers to use (default: EHRMind's four new-diagnosis tasks)."""
    ehrshot_splits: dict[str, str] = Field(
        default_factory=lambda: {"train": "train", "eval": "tuning", "test": "held_out"}
    )
    """Training split → EHRSHOT patient split."""
    ehrshot_class_weights: Literal["eval", "all", "none"] = "eval"
    """Which EHRSHOT rows carry EHRMind's class weight 0.5·N/N_class: ``eval`` (default) the
    eval and test splits only, as EHRMind (training rewards unweighted); ``all`` every split,
    training included; ``none`` no row."""
    ehrshot_max_tokens: int = Field(4000, ge=16)
    """Token budget of a rendered timeline; oldest events are dropped first (EHRMind: 4,000)."""
    max_rows: int | None = Field(None, ge=1)
    """Use only the first ``max_rows`` rows of each file (smoke runs)."""
    system_prompt: str | None = None
    prefill: str = PREFILL
    prompt_column: str = "prompt"

    @field_validator("task")
    @classmethod
    def _registered_task(cls, task: str) -> str:
        from ehrmind_rewards.core import registry

        registry.get(task)  # UnknownTaskError (a ValueError) lists the known names
        return task

    @model_validator(mode="after")
    def _known_format(self) -> DataSection:
        from ehrmind_rewards.core import registry

        if self.format == ROWS_FORMAT:
            return self
        family = registry.find(self.task)
        formats = (ROWS_FORMAT, *(family.training_formats if family else ()))
        if self.format not in formats:
            raise ValueError(
                f"format {self.format!r} is not one task {self.task!r} reads; "
                f"choose one of {', '.join(formats)}"
            )
        return self

    @field_validator("train_file", "eval_file", "test_file")
    @classmethod
    def _path_exists(cls, path: Path | None) -> Path | None:
        if path is not None and not path.exists():
            raise ValueError(f"no such file or directory: {path}")
        return path


class SFTSection(_Section):
    """SFT warm-up hyper-parameters (EHRMind: lr 2e-5, 2 epochs, max length 4096)."""

    learning_rate: float = Field(2e-5, gt=0)
    num_train_epochs: float = Field(2.0, gt=0)
    max_steps: int = Field(-1, ge=-1)
    """Stop after this many optimizer steps (``-1``: run the epochs)."""
    max_length: int = Field(4096, ge=8)
    """Tokens of prompt + completion; longer rows are truncated by TRL."""
    per_device_train_batch_size: int = Field(1, ge=1)
    gradient_accumulation_steps: int = Field(8, ge=1)
    warmup_ratio: float = Field(0.03, ge=0, lt=1)
    lr_scheduler_type: str = "cosine"
    weight_decay: float = Field(0.0, ge=0)
    gradient_checkpointing: bool = True
    """Recompute activations in the backward pass (TRL's default): less memory, ~30% slower."""
    completion_only_loss: bool = True
    """Train on the completion tokens only (the prompt is context)."""


class GRPOSection(_Section):
    """GRPO hyper-parameters (EHRMind: lr 1e-6, 32 prompts per step, KL 0.001, T 0.6, p 0.95)."""

    learning_rate: float = Field(1e-6, gt=0)
    num_train_epochs: float = Field(1.0, gt=0)
    max_steps: int = Field(-1, ge=-1)
    prompts_per_step: int = Field(32, ge=1)
    """Prompts per optimizer step across all processes (verl's ``train_batch_size``)."""
    num_generations: int = Field(12, ge=2)
    """Rollouts per prompt (EHRMind: 12 for MedCalc and trial matching, 8 for EHRSHOT)."""
    per_device_train_batch_size: int = Field(4, ge=1)
    """Completions per device per micro-batch; gradient accumulation makes up the rest."""
    max_prompt_length: int = Field(2048, ge=8)
    """Prompts longer than this (in tokens) are left out of the dataset, and counted in the log."""
    max_completion_length: int = Field(1500, ge=1)
    beta: float = Field(0.001, ge=0)
    """KL coefficient; TRL's estimator is k3, the same as verl's ``low_var_kl`` (unclamped)."""
    temperature: float = Field(0.6, gt=0)
    top_p: float = Field(0.95, gt=0, le=1)
    num_iterations: int = Field(1, ge=1)
    epsilon: float = Field(0.2, gt=0)
    loss_type: str = "dapo"
    """Token-mean over the batch, like verl's default ``loss_agg_mode: token-mean``."""
    scale_rewards: Literal["group", "batch", "none"] = "group"
    warmup_ratio: float = Field(0.0, ge=0, lt=1)
    lr_scheduler_type: str = "constant"
    gradient_checkpointing: bool = True
    """Recompute activations in the backward pass (TRL's default): less memory, ~30% slower."""
    log_completions: bool = False


class VLLMSection(_Section):
    """TRL's vLLM generation (only when the ``vllm`` package is installed)."""

    enabled: bool = False
    mode: Literal["colocate", "server"] = "colocate"
    server_base_url: str | None = None
    """``server`` mode: the URL of ``trl vllm-serve`` (default ``http://localhost:8000``)."""
    gpu_memory_utilization: float = Field(0.3, gt=0, le=1)
    tensor_parallel_size: int = Field(1, ge=1)


class GenerationSection(_Section):
    """Sampling for ``sample`` (the pass@k diagnostic) and ``evaluate``."""

    k: int = Field(12, ge=1)
    """Completions per prompt for ``sample`` (EHRMind's diagnostic: 12)."""
    temperature: float = Field(0.6, ge=0)
    top_p: float = Field(0.95, gt=0, le=1)
    max_new_tokens: int = Field(1500, ge=1)
    batch_size: int = Field(8, ge=1)
    """Prompts per ``generate`` call on the transformers backend."""
    eval_temperature: float = Field(0.0, ge=0)
    """``evaluate`` decodes greedily by default."""


Kind = Literal["sft", "grpo", "eval"]
"""``sft`` and ``grpo`` select the trainer; ``eval`` is a file for ``sample`` and ``evaluate``
only (``train`` refuses it)."""


class RunConfig(_Section):
    """A training run: ``kind`` selects the trainer; the matching section holds its parameters."""

    kind: Kind
    output_dir: Path
    model: ModelSection = ModelSection()
    data: DataSection
    reward_spec: str = "ehrmind"
    """A reward spec by name (``ehrmind_rewards.SPECS``)."""
    sft: SFTSection = SFTSection()
    grpo: GRPOSection = GRPOSection()
    vllm: VLLMSection = VLLMSection()
    generation: GenerationSection = GenerationSection()
    seed: int = 42
    bf16: bool | None = None
    """Mixed precision; ``None``: on when a GPU supports bfloat16."""
    logging_steps: int = Field(1, ge=1)
    save_steps: int = Field(200, ge=1)
    save_total_limit: int | None = Field(2, ge=1)
    report_to: list[str] = Field(default_factory=list)
    """Trackers, e.g. ``["wandb"]``; progress always goes to ``output_dir/log.jsonl`` too."""
    resume_from_checkpoint: bool | str = False
    """``true``: the latest checkpoint in ``output_dir``; a path: that checkpoint."""
    trainer_overrides: dict[str, Any] = Field(default_factory=dict)
    """Any other ``trl.SFTConfig``/``trl.GRPOConfig`` field, checked against TRL before loading."""

    @field_validator("reward_spec")
    @classmethod
    def _known_spec(cls, name: str) -> str:
        from ehrmind_rewards.core.rewards import get_spec

        get_spec(name)  # a ValueError naming the known specs
        return name

    @model_validator(mode="after")
    def _training_needs_rows(self) -> RunConfig:
        if self.kind != "eval" and self.data.train_file is None:
            raise ValueError(f"data.train_file: a {self.kind} run needs training rows")
        return self

    @model_validator(mode="after")
    def _grpo_batch_is_whole_groups(self) -> RunConfig:
        if self.kind == "grpo":
            group = self.grpo.num_generations
            if (self.grpo.prompts_per_step * group) % self.grpo.per_device_train_batch_size:
                raise ValueError(
                    "grpo.per_device_train_batch_size must divide prompts_per_step × "
                    f"num_generations ({self.grpo.prompts_per_step} × {group})"
                )
        return self


class ConfigError(EhrmindError, ValueError):
    """A run file that cannot be used; the message names the file and every bad field."""


def _format_errors(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        # a check across fields names its own field(s) at the start of the message
        lines.append(f"  {where}: {message}" if where else f"  {message}")
    return "\n".join(lines)


def parse_config(data: object, *, source: str = "<dict>") -> RunConfig:
    """Validate a mapping as a :class:`RunConfig`; raise :class:`ConfigError` naming bad fields."""
    if not isinstance(data, dict):
        raise ConfigError(f"invalid config {source}: expected a mapping at the top level")
    try:
        return RunConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"invalid config {source}:\n{_format_errors(error)}") from None


def read_yaml(path: Path, text: str) -> Any:
    """The YAML document ``text`` (of ``path``), refusing a key repeated in one mapping.

    PyYAML keeps the last of two equal keys; a run file that sets ``learning_rate`` twice is a
    mistake, so it is a :class:`ConfigError` naming both lines. YAML syntax errors name the line
    and column, on one line.
    """
    import yaml

    class StrictLoader(yaml.SafeLoader):
        """``yaml.SafeLoader`` that refuses repeated mapping keys."""

    def construct_mapping(loader: StrictLoader, node: yaml.MappingNode) -> Any:
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                repeated = key in first
            except TypeError:  # an unhashable key: SafeLoader reports it
                continue
            if repeated:
                raise ConfigError(
                    f"{path}:{line}: the key {key!r} appears twice in one mapping (first on "
                    f"line {first[key]}); keep one"
                )
            first[key] = line
        return loader.construct_mapping(node, deep=True)

    StrictLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
        construct_mapping,  # type: ignore[arg-type]
    )
    try:
        return yaml.load(text, Loader=StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None


def load_config(path: str | Path, *, kind: Kind | None = None) -> RunConfig:
    """Read and validate a YAML run file; relative data paths resolve against the working dir.

    Args:
        path: the YAML file.
        kind: when given, the file's ``kind`` must equal it (``train sft`` refuses a GRPO file).
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 (byte 0x{error.object[error.start]:02x} at offset {error.start});"
            " re-encode the config as UTF-8"
        ) from None
    data = read_yaml(path, text)
    config = parse_config(data, source=str(path))
    if kind is not None and config.kind != kind:
        raise ConfigError(
            f"invalid config {path}:\n  kind: this command trains {kind!r} but the file says "
            f"{config.kind!r}"
        )
    return config
