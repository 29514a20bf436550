"""Load the key a pipeline config points at (never the key from the config itself)."""

from __future__ import annotations

from pathlib import Path

from anonymise.config import PipelineConfig
from anonymise.keys import SecretKey, load_key


def configured_key(config: PipelineConfig) -> SecretKey:
    """The key from the config's one source: a key file, a Prefect Secret block, or
    the environment variable (ANONYMISE_KEY unless `key.env` names another)."""
    source = config.key
    if source.file or source.prefect_secret:
        return load_key(
            env_var=None,
            key_file=Path(config.resolve(source.file)) if source.file else None,
            prefect_secret_block=source.prefect_secret,
        )
    return load_key(env_var=source.env)
