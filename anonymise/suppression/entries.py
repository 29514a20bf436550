"""One line of the suppression list: a keyed hash, never the identifier itself."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_serializer,
    field_validator,
    model_validator,
)

from anonymise.suppression.identifiers import IdentifierKind, Reason, normalise_source

EntryKey = tuple[IdentifierKind, str | None, str]
"""What makes an entry unique: kind, source (CRM ids only) and hash."""


class SuppressionEntry(BaseModel):
    """``{"kind", "source" (CRM ids only), "hash", "reason", "added_at", "key_id"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: IdentifierKind
    source: str | None = None
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    reason: Reason
    added_at: datetime
    key_id: str = Field(min_length=1)

    @field_validator("added_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("added_at needs a time zone (UTC, ending in 'Z')")
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _source_for_crm_ids_only(self) -> SuppressionEntry:
        if (self.kind is IdentifierKind.CRM_ID) != (self.source is not None):
            raise ValueError("'source' is required for crm_id entries and only for them")
        return self

    @field_serializer("added_at")
    def _iso_z(self, value: datetime) -> str:
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def entry_key(self) -> EntryKey:
        # the source as the list writes it: a hand-edited "HubSpot" is "hubspot" too
        return (self.kind, normalise_source(self.source) if self.source else None, self.hash)

    def to_line(self) -> str:
        return self.model_dump_json(exclude_none=True)
