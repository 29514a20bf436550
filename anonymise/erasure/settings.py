"""The ``erasure:`` section of the pipeline config."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

DEFAULT_RECEIPTS_DIR = "receipts"


class ErasureConfig(BaseModel):
    """Where receipts are written: ``receipts_dir``, relative to the config file's folder.

    Receipts hold no identifier, only request ids, paths, counts and dates.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    receipts_dir: str = DEFAULT_RECEIPTS_DIR
