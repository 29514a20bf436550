"""What a reader hands back: the table, how it was read, and the rows it set aside."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class QuarantinedRow:
    """A record that could not be parsed into the table.

    ``raw`` is personal data: it only ever goes to the quarantine file, never to a log.
    """

    line: int
    """1-based physical line where the record starts in the decompressed, decoded file."""
    reason: str
    raw: str

    def __repr__(self) -> str:
        # Keeps the raw text out of tracebacks, test reports and debug logs.
        hidden = f"<{len(self.raw)} chars>"
        return f"QuarantinedRow(line={self.line}, reason={self.reason!r}, raw={hidden})"


@dataclass(frozen=True)
class ReadResult:
    """One input read into a frame, with everything needed to account for its records.

    For every format: ``frame.height + blank_rows + len(quarantined)`` is the number of
    records after the header.
    """

    source: str
    format: str
    frame: pl.DataFrame
    encoding: str | None
    delimiter: str | None
    blank_rows: int
    renamed_columns: Mapping[str, str]
    quarantined: tuple[QuarantinedRow, ...]
    sha256: str
    nested_as_text: tuple[int, ...] = ()
    """NDJSON: positions (1-based) of text columns where some line held a JSON list or
    record, which Polars reads as text when the field is a string in other lines."""

    def __post_init__(self) -> None:
        # A private copy, so the caller's dict cannot change the result afterwards. (A plain
        # dict rather than a MappingProxyType: results must pickle, for Prefect and Dask.)
        object.__setattr__(self, "renamed_columns", dict(self.renamed_columns))

    def __repr__(self) -> str:
        # The default repr would print cell values from the frame.
        return (
            f"ReadResult(source={self.source!r}, format={self.format!r}, "
            f"shape={self.frame.shape}, encoding={self.encoding!r}, "
            f"delimiter={self.delimiter!r}, blank_rows={self.blank_rows}, "
            f"renamed_columns={dict(self.renamed_columns)!r}, "
            f"quarantined={len(self.quarantined)}, sha256={self.sha256!r})"
        )

    @property
    def records(self) -> int:
        """Records after the header: kept, blank and quarantined together."""
        return self.frame.height + self.blank_rows + len(self.quarantined)


@dataclass(frozen=True)
class ParsedTable:
    """What a format reader found; ``read_table`` adds the source and the fingerprint."""

    format: str
    frame: pl.DataFrame
    encoding: str | None = None
    delimiter: str | None = None
    blank_rows: int = 0
    renamed_columns: Mapping[str, str] = field(default_factory=dict)
    quarantined: tuple[QuarantinedRow, ...] = ()
    nested_as_text: tuple[int, ...] = ()

    def __repr__(self) -> str:
        return f"ParsedTable(format={self.format!r}, shape={self.frame.shape})"
