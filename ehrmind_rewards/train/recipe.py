"""The whole recipe on one held-out set: baseline → SFT warm-up → GRPO, measured at every stage.

``run_recipe(sft, grpo, evaluation, run_dir)`` takes three run files (an ``sft`` file, a ``grpo``
file and an ``eval`` file whose ``data.test_file`` holds the held-out rows) and runs, in one
process:

1. ``model`` — locates the base model (converting a GGUF file once, :mod:`.models`);
2. ``baseline`` — on the held-out rows, ``generation.k`` sampled completions per prompt (pass@k
   and EHRMind's ``diagnose``, :mod:`.passk`) and one greedy completion (``evaluate``);
3. ``sft`` — the warm-up, from the SFT file's model, into ``run_dir/sft``;
4. ``after_sft`` — the same measurements with ``run_dir/sft``;
5. ``grpo`` — GRPO from ``run_dir/sft`` into ``run_dir/grpo``;
6. ``after_grpo`` — the same measurements with ``run_dir/grpo``;

then writes ``run_dir/report.json``, ``run_dir/report.md`` (one table: format-valid rate,
accuracy overall and per category, mean reward, pass@k, for every stage; the diagnosis; wall and
CPU time per stage with the machine and its load) and two plots: ``grpo_curves.png`` (reward and
format-valid rate over the GRPO steps) and ``before_after.png``. Each stage records itself in
``run_dir/<stage>/stage.json`` when it finishes; ``resume=True`` keeps finished stages and redoes
an unfinished one from its start. The effective run files are written to ``run_dir/configs``;
resuming with files that change a finished stage's settings is refused.

Every figure is computed by the same code as the ``sample``, ``diagnose`` and ``evaluate``
commands (:mod:`.evaluation`, :mod:`.passk`), so a stage can be re-checked with them.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import platform
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ehrmind_rewards.core.errors import EhrmindError
from ehrmind_rewards.train.config import RunConfig, load_config, parse_config
from ehrmind_rewards.train.generation import Backend
from ehrmind_rewards.train.passk import Sample, diagnose, pass_at_k

Progress = Callable[[int, int], None]
"""A progress callback: prompts done, prompts in all."""

logger = logging.getLogger(__name__)

STAGES = ("model", "baseline", "sft", "after_sft", "grpo", "after_grpo")
EVAL_STAGES = {"baseline": "base model", "after_sft": "after SFT", "after_grpo": "after GRPO"}
"""Measured stages and their column titles."""
STAGE_TITLES = {
    "model": "locate the base model (a GGUF file: convert it once)",
    "baseline": "base model: sample + evaluate + diagnose",
    "sft": "SFT warm-up",
    "after_sft": "after SFT: sample + evaluate",
    "grpo": "GRPO",
    "after_grpo": "after GRPO: sample + evaluate",
}
STAGE_FILE = "stage.json"
REPORT_JSON = "report.json"
REPORT_MD = "report.md"
CURVES_PNG = "grpo_curves.png"
BARS_PNG = "before_after.png"
DOCS_BEGIN = "<!-- recipe:begin -->"
DOCS_END = "<!-- recipe:end -->"


class RecipeError(EhrmindError, ValueError):
    """A recipe that cannot run as asked (e.g. a run folder holding another run's results)."""


@dataclass(frozen=True)
class RecipeConfigs:
    """The three run files of a recipe, validated."""

    sft: RunConfig
    grpo: RunConfig
    evaluation: RunConfig

    @classmethod
    def load(cls, sft: str | Path, grpo: str | Path, evaluation: str | Path) -> RecipeConfigs:
        """Read the files; each must be of its kind."""
        return cls(
            load_config(sft, kind="sft"),
            load_config(grpo, kind="grpo"),
            load_config(evaluation, kind="eval"),
        )


def _override(config: RunConfig, **changes: Any) -> RunConfig:
    """``config`` with top-level or ``model`` fields replaced, validated again."""
    data = config.model_dump(mode="json")
    model = changes.pop("model", None)
    if model is not None:
        data["model"] = {**data["model"], "name_or_path": str(model), "gguf_file": None}
    data.update({key: str(value) for key, value in changes.items()})
    return parse_config(data, source=f"recipe ({config.kind})")


def stage_configs(configs: RecipeConfigs, run_dir: Path) -> dict[str, RunConfig]:
    """The run file of every stage: outputs inside ``run_dir``, each stage starting from the
    previous stage's model."""
    sft_dir, grpo_dir = run_dir / "sft", run_dir / "grpo"
    return {
        "sft": _override(configs.sft, output_dir=sft_dir),
        "grpo": _override(configs.grpo, output_dir=grpo_dir, model=sft_dir),
        "baseline": configs.evaluation,
        "after_sft": _override(configs.evaluation, model=sft_dir),
        "after_grpo": _override(configs.evaluation, model=grpo_dir),
    }


def _write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.partial")
    staging.write_text(text, encoding="utf-8")
    staging.replace(path)


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    _write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def _load_average() -> list[float] | None:
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def machine() -> dict[str, Any]:
    """The machine the recipe ran on: CPU, cores, memory, GPU, library versions."""
    import torch
    import transformers
    import trl

    cpu = platform.processor() or platform.machine()
    memory_gib = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gib = round(int(line.split()[1]) / 2**20, 1)
                break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "memory_gib": memory_gib,
        "gpu": gpu,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "trl": trl.__version__,
    }


def _timed(run_dir: Path, stage: str, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one stage, timing it (wall and CPU seconds, load average), and record it."""
    folder = run_dir / stage
    folder.mkdir(parents=True, exist_ok=True)
    load_before = _load_average()
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    record = {
        "stage": stage,
        "wall_s": round(time.perf_counter() - wall, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "load_average_before": load_before,
        "load_average_after": _load_average(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **result,
    }
    _write_text(folder / STAGE_FILE, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    gc.collect()
    return record


def _samples(records: Sequence[dict[str, Any]]) -> list[Sample]:
    return [
        Sample(
            id=str(r["id"]),
            task=str(r["task"]),
            category=str(r["category"]),
            correct=bool(r["correct"]),
            answer=None if r["answer"] is None else str(r["answer"]),
        )
        for r in records
    ]


def sampled_metrics(records: Sequence[dict[str, Any]], k: int) -> dict[str, Any]:
    """pass@k over the items (unbiased estimator), the items solved at least once, and the
    format-valid share of every sampled completion."""
    by_item: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_item[(str(record["task"]), str(record["id"]))].append(record)
    passes = [
        pass_at_k(len(group), sum(r["correct"] for r in group), k) for group in by_item.values()
    ]
    return {
        "k": k,
        "items": len(by_item),
        "pass@k": sum(passes) / len(passes),
        "items_solved": sum(any(r["correct"] for r in group) for group in by_item.values()),
        "completions": len(records),
        "format_ok": sum(r["format_ok"] for r in records),
    }


def _counts(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts of a set of greedy records: rows, correct, format-valid, mean reward."""
    return {
        "n": len(records),
        "correct": sum(r["correct"] for r in records),
        "format_ok": sum(r["format_ok"] for r in records),
        "mean_reward": sum(r["score"] for r in records) / len(records),
    }


def greedy_metrics(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Overall and per-category counts of the greedy completions."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[str(record["category"])].append(record)
    return {
        "overall": _counts(records),
        "categories": {name: _counts(group) for name, group in sorted(groups.items())},
    }


def measure(
    config: RunConfig,
    folder: Path,
    *,
    backend: Backend,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Sample ``generation.k`` completions and one greedy completion per held-out prompt; write
    them (``samples.jsonl``, ``graded.jsonl``) and return the figures. ``on_progress(done,
    total)`` is called as generation advances."""
    from ehrmind_rewards.train.evaluation import generate_and_grade

    generation = config.generation
    sampled = list(
        generate_and_grade(
            config,
            "test",
            n=generation.k,
            temperature=generation.temperature,
            backend=backend,
            on_progress=on_progress,
        )
    )
    _write_jsonl(folder / "samples.jsonl", sampled)
    greedy = list(
        generate_and_grade(
            config,
            "test",
            n=1,
            temperature=generation.eval_temperature,
            backend=backend,
            on_progress=on_progress,
        )
    )
    _write_jsonl(folder / "graded.jsonl", greedy)
    return {
        "model": config.model.name_or_path,
        "greedy": greedy_metrics(greedy),
        "sampled": sampled_metrics(sampled, generation.k),
        "diagnosis": diagnose(_samples(sampled), generation.k),
    }


def _train(kind: str, config: RunConfig) -> dict[str, Any]:
    from ehrmind_rewards.train.trainers import LOG_FILE, grpo, sft

    result = (sft if kind == "sft" else grpo)(config)
    log = [
        json.loads(line)
        for line in (config.output_dir / LOG_FILE).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return {"output_dir": str(result.output_dir), "global_step": result.global_step, "log": log}


def _prepare_model(configs: RecipeConfigs) -> dict[str, Any]:
    from ehrmind_rewards.train.models import resolve_model_path

    sources = {configs.sft.model.name_or_path, configs.evaluation.model.name_or_path}
    paths = {
        name: resolve_model_path(config.model)
        for name, config in (("sft", configs.sft), ("eval", configs.evaluation))
    }
    return {"sources": sorted(sources), "resolved": paths, "machine": machine()}


def _finished(run_dir: Path, stage: str) -> dict[str, Any] | None:
    path = run_dir / stage / STAGE_FILE
    if not path.is_file():
        return None
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


def run_recipe(
    configs: RecipeConfigs,
    run_dir: Path,
    *,
    resume: bool = False,
    backend: Backend = "auto",
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Run every stage not yet finished, then write the report; returns the report.
    ``on_progress(done, total)`` follows each measuring stage's generation."""
    run_dir = Path(run_dir)
    done = [stage for stage in STAGES if _finished(run_dir, stage) is not None]
    if done and not resume:
        raise RecipeError(
            f"{run_dir} already holds finished stages ({', '.join(done)}): pass --resume to "
            "continue that run, or choose another --run-dir"
        )
    per_stage = stage_configs(configs, run_dir)
    for name, config in per_stage.items():
        path, text = run_dir / "configs" / f"{name}.json", config.model_dump_json(indent=2) + "\n"
        if name in done and path.is_file() and path.read_text(encoding="utf-8") != text:
            raise RecipeError(
                f"{run_dir}: stage {name} finished with other settings than the run files give "
                f"now ({path}); use another --run-dir for a run with these files"
            )
        _write_text(path, text)
    records: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        finished = _finished(run_dir, stage)
        if finished is not None:
            logger.warning("recipe: %s already finished, kept", stage)
            records[stage] = finished
            continue
        if stage in ("sft", "grpo") and (run_dir / stage).exists():
            shutil.rmtree(run_dir / stage)  # an unfinished attempt of this stage: start it over
        logger.warning("recipe: %s", stage)
        records[stage] = _timed(
            run_dir, stage, _stage_work(stage, configs, per_stage, run_dir, backend, on_progress)
        )
    report = build_report(configs, records)
    write_report(report, run_dir)
    return report


def _stage_work(
    stage: str,
    configs: RecipeConfigs,
    per_stage: dict[str, RunConfig],
    run_dir: Path,
    backend: Backend,
    on_progress: Progress | None,
) -> Callable[[], dict[str, Any]]:
    if stage == "model":
        return lambda: _prepare_model(configs)
    if stage in ("sft", "grpo"):
        return lambda: _train(stage, per_stage[stage])
    return lambda: measure(
        per_stage[stage], run_dir / stage, backend=backend, on_progress=on_progress
    )


def build_report(configs: RecipeConfigs, records: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Everything the tables and plots show, as one JSON-ready mapping."""
    evaluation = configs.evaluation
    return {
        "machine": records["model"]["machine"],
        "held_out": str(evaluation.data.test_file),
        "k": evaluation.generation.k,
        "generation": evaluation.generation.model_dump(mode="json"),
        "stages": {
            stage: {key: value for key, value in records[stage].items() if key != "log"}
            for stage in STAGES
        },
        "sft_log": [r for r in records["sft"].get("log", []) if "loss" in r],
        "grpo_log": [r for r in records["grpo"].get("log", []) if "rewards/reward_fn/mean" in r],
    }


def _count(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "–"


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def render_markdown(report: dict[str, Any], image_dir: str = "") -> str:
    """The report's tables and plot links as Markdown (``image_dir`` prefixes the plots)."""
    stages = report["stages"]
    measured = [s for s in EVAL_STAGES if s in stages]
    n = stages[measured[0]]["greedy"]["overall"]["n"]
    k = report["k"]
    head = f"| held-out rows (n = {n}) | " + " | ".join(EVAL_STAGES[s] for s in measured) + " |"
    lines = [head, "|---|" + "---:|" * len(measured)]

    def row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(stages[s]) for s in measured) + " |")

    row("format-valid (greedy)", lambda s: _count(s["greedy"]["overall"]["format_ok"], n))
    row("accuracy (greedy)", lambda s: _count(s["greedy"]["overall"]["correct"], n))
    categories = sorted(stages[measured[0]]["greedy"]["categories"])
    for category in categories:

        def cell(stage: dict[str, Any], name: str = category) -> str:
            counts = stage["greedy"]["categories"][name]
            return _count(counts["correct"], counts["n"])

        row(f"accuracy, {category}", cell)
    row("mean reward (greedy)", lambda s: f"{s['greedy']['overall']['mean_reward']:.3f}")
    row(
        f"pass@{k} (T = {report['generation']['temperature']})",
        lambda s: (
            f"{s['sampled']['pass@k']:.3f} ({s['sampled']['items_solved']}/"
            f"{s['sampled']['items']} solved)"
        ),
    )
    row(
        f"format-valid (sampled, {k} per row)",
        lambda s: _count(s["sampled"]["format_ok"], s["sampled"]["completions"]),
    )
    lines += ["", f"Diagnosis of the base model (`diagnose`, k = {k}):", ""]
    lines += [
        "| category | items | pass@k | reliable pass@k | recommendation |",
        "|---|---:|---:|---:|---|",
    ]
    for name, entry in stages["baseline"]["diagnosis"].items():
        lines.append(
            f"| {name} | {entry['n_items']} | {entry['pass@k']:.3f} | "
            f"{entry['reliable_pass@k']:.3f} | {entry['recommendation']} |"
        )
    mach = report["machine"]
    where = mach["gpu"] or f"{mach['cpu']}, {mach['cores']} cores, no GPU"
    lines += [
        "",
        f"Time per stage on {where} ({mach['memory_gib']} GiB; torch {mach['torch']}, "
        f"transformers {mach['transformers']}, TRL {mach['trl']}, {mach['torch_threads']} "
        "torch threads); the load average (1 min) shows how busy the machine was:",
        "",
        "| stage | wall time | CPU time | load average before → after |",
        "|---|---:|---:|---|",
    ]
    total = 0.0
    for stage, record in stages.items():
        total += record["wall_s"]
        before, after = record.get("load_average_before"), record.get("load_average_after")
        load = f"{before[0]} → {after[0]}" if before and after else "–"
        lines.append(
            f"| {STAGE_TITLES[stage]} | {_minutes(record['wall_s'])} | "
            f"{_minutes(record['cpu_s'])} | {load} |"
        )
    lines.append(f"| total | {_minutes(total)} | | |")
    lines += [
        "",
        f"![Reward and format-valid rate over the GRPO steps]({image_dir}{CURVES_PNG})",
        "",
        f"![Before and after, held-out rows]({image_dir}{BARS_PNG})",
    ]
    return "\n".join(lines) + "\n"


def plot(report: dict[str, Any], out_dir: Path) -> list[Path]:
    """``grpo_curves.png`` and ``before_after.png`` in ``out_dir``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    out_dir.mkdir(parents=True, exist_ok=True)
    log = report["grpo_log"]
    steps = [r["step"] for r in log]
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2), constrained_layout=True)
    mean = [r["rewards/reward_fn/mean"] for r in log]
    std = [r.get("rewards/reward_fn/std", 0.0) for r in log]
    left.plot(steps, mean, marker="o", label="mean")
    left.fill_between(
        steps,
        [m - s for m, s in zip(mean, std, strict=True)],
        [m + s for m, s in zip(mean, std, strict=True)],
        alpha=0.2,
        label="± std",
    )
    left.set(xlabel="GRPO step", ylabel="reward (−2 / 0 / 1.1)", ylim=(-2.2, 1.3), title="Reward")
    left.legend()
    right.plot(steps, [r.get("reward_fn/format_ok", 0.0) for r in log], marker="o")
    right.set(
        xlabel="GRPO step",
        ylabel="share of completions",
        ylim=(-0.05, 1.05),
        title="Format-valid completions",
    )
    for panel in (left, right):
        panel.xaxis.set_major_locator(MaxNLocator(integer=True))
    curves = out_dir / CURVES_PNG
    figure.savefig(curves, dpi=110)
    plt.close(figure)

    stages = report["stages"]
    measured = [s for s in EVAL_STAGES if s in stages]
    metrics: dict[str, Callable[[dict[str, Any]], float]] = {
        "format-valid\n(greedy)": lambda s: (
            s["greedy"]["overall"]["format_ok"] / s["greedy"]["overall"]["n"]
        ),
        "accuracy\n(greedy)": lambda s: (
            s["greedy"]["overall"]["correct"] / s["greedy"]["overall"]["n"]
        ),
        f"pass@{report['k']}": lambda s: s["sampled"]["pass@k"],
        "format-valid\n(sampled)": lambda s: (
            s["sampled"]["format_ok"] / s["sampled"]["completions"]
        ),
    }
    figure, axis = plt.subplots(figsize=(8, 3.4), constrained_layout=True)
    width = 0.8 / len(measured)
    for index, stage in enumerate(measured):
        values = [metric(stages[stage]) for metric in metrics.values()]
        positions = [i + (index - (len(measured) - 1) / 2) * width for i in range(len(metrics))]
        bars = axis.bar(positions, values, width, label=EVAL_STAGES[stage])
        axis.bar_label(bars, fmt="%.2f", fontsize=8)
    axis.set_xticks(range(len(metrics)), list(metrics))
    axis.set(ylim=(0, 1.1), ylabel="share of held-out rows")
    axis.legend(loc="upper right")
    bars_path = out_dir / BARS_PNG
    figure.savefig(bars_path, dpi=110)
    plt.close(figure)
    return [curves, bars_path]


def write_report(report: dict[str, Any], run_dir: Path) -> None:
    """``report.json``, ``report.md`` and the two plots in ``run_dir``."""
    _write_text(run_dir / REPORT_JSON, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    _write_text(run_dir / REPORT_MD, render_markdown(report))
    plot(report, run_dir)


def publish(run_dir: Path, page: Path, assets: Path) -> None:
    """Copy a run's report into documentation: ``report.json`` and the plots into ``assets``,
    the rendered tables between the page's ``recipe:begin``/``recipe:end`` markers."""
    report = json.loads((run_dir / REPORT_JSON).read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    if DOCS_BEGIN not in text or DOCS_END not in text:
        raise RecipeError(f"{page}: no {DOCS_BEGIN} … {DOCS_END} block to fill")
    assets.mkdir(parents=True, exist_ok=True)
    for name in (REPORT_JSON, CURVES_PNG, BARS_PNG):
        shutil.copyfile(run_dir / name, assets / name)
    prefix = os.path.relpath(assets, page.parent).replace(os.sep, "/") + "/"
    before, rest = text.split(DOCS_BEGIN, 1)
    after = rest.split(DOCS_END, 1)[1]
    block = render_markdown(report, prefix)
    _write_text(page, f"{before}{DOCS_BEGIN}\n{block}{DOCS_END}{after}")
