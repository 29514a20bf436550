"""Detection settings: validated once at the edge, frozen inside."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DetectionSettings(BaseModel):
    """How columns are sampled and classified (the config's `detection:` section)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sample_size: int = Field(1000, ge=10, description="non-empty values sampled per column")
    free_text_sample_size: int = Field(
        300, ge=10, description="values sampled from a free-text column (span detection)"
    )
    threshold: float = Field(0.5, gt=0, le=1, description="minimum Presidio score of a hit")
    min_hit_rate: float = Field(
        0.5, gt=0, le=1, description="share of sampled values that must hit to decide by values"
    )
    nlp_model: str = Field(
        "blank", description="'blank' (no NER) or the name of an installed spaCy model"
    )
    language: str = "en"
    phone_regions: tuple[str, ...] = ("GB", "US", "DE", "FR", "IE", "ES", "IT", "NL")
    recognizers: tuple[str, ...] | None = Field(
        None, description="recognizers to enable by name; default all"
    )
    unclassified: Literal["keep", "drop", "fail"] = "keep"
    seed: int = 0
