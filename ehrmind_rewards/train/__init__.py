"""Training: TRL SFT warm-up → GRPO with this package's rewards (optional extra ``train``).

``sft(config)`` and ``grpo(config)`` take a :class:`RunConfig` or a YAML path. Nothing in the
reward hot path imports this package; torch, transformers and TRL load only when a run starts.
"""

from ehrmind_rewards.train.config import PREFILL, ConfigError, RunConfig, load_config, parse_config
from ehrmind_rewards.train.trainers import RunResult, grpo, sft

__all__ = [
    "PREFILL",
    "ConfigError",
    "RunConfig",
    "RunResult",
    "grpo",
    "load_config",
    "parse_config",
    "sft",
]
