"""What detection says about one column, and why. Counts and names only, never values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class ColumnEvidence:
    """The reasons behind a column's entity: counts, recognizer names, the header hint."""

    sampled: int  # non-empty cells sampled
    distinct: int  # distinct values among them
    analysed: int  # cells covered by the distinct values actually analysed
    hit_rate: float  # share of sampled cells the chosen entity covers entirely
    recognizers: dict[str, int] = field(default_factory=dict)  # recognizer -> cells it fired on
    entity_rates: dict[str, float] = field(default_factory=dict)  # entity -> whole-cell rate
    header_hint: str | None = None  # the header words that matched a rule
    header_entity: str | None = None  # what the header alone implies
    text_entities: dict[str, int] = field(default_factory=dict)  # free text: entity -> cells
    decided_by: str = "none"  # values+header | values | header | config | none

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON and YAML."""
        return asdict(self)


@dataclass(frozen=True)
class ColumnFinding:
    """A column's entity (None: no personal data), confidence 0-1, and the evidence."""

    name: str
    entity: str | None
    confidence: float
    evidence: ColumnEvidence
