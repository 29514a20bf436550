"""The list's hashes grouped for matching: (kind, source) -> hash -> reason."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from anonymise.suppression.entries import SuppressionEntry
from anonymise.suppression.identifiers import IdentifierKind, Reason, normalise_source

Scope = tuple[IdentifierKind, str | None]


@dataclass(frozen=True)
class SuppressionHashes:
    """Stored hashes of one list, made under the key ``key_id``."""

    key_id: str
    reasons: Mapping[Scope, Mapping[str, Reason]] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Iterable[SuppressionEntry], *, key_id: str) -> SuppressionHashes:
        reasons: dict[Scope, dict[str, Reason]] = {}
        for entry in entries:
            scope = (entry.kind, normalise_source(entry.source) if entry.source else None)
            reasons.setdefault(scope, {})[entry.hash] = entry.reason
        return cls(key_id=key_id, reasons=reasons)

    def by_reason(self, kind: IdentifierKind, source: str | None) -> dict[Reason, list[str]]:
        """The hashes of one kind (and CRM source) per reason, in precedence order."""
        scope = (kind, normalise_source(source) if source else None)
        grouped: dict[Reason, list[str]] = {}
        for digest, reason in self.reasons.get(scope, {}).items():
            grouped.setdefault(reason, []).append(digest)
        return {reason: grouped[reason] for reason in Reason if reason in grouped}

    def __len__(self) -> int:
        return sum(len(hashes) for hashes in self.reasons.values())
