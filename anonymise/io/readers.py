"""``read_table``: any supported input into a frame, with its fingerprint and the rows set
aside; ``write_quarantine`` stores those rows."""

from __future__ import annotations

import mmap

from anonymise.errors import InputError
from anonymise.io.compression import decompress
from anonymise.io.csv_reader import read_delimited
from anonymise.io.file_digest import FileDigest
from anonymise.io.formats import (
    DELIMITED_FORMATS,
    FORMAT_BY_EXTENSION,
    compression_of,
    extension,
    file_name,
    format_of,
    strip_compression,
)
from anonymise.io.huge_pages import turn_off_transparent_huge_pages
from anonymise.io.json_reader import read_json, read_ndjson
from anonymise.io.parquet_reader import read_parquet
from anonymise.io.quarantine_file import write_quarantine
from anonymise.io.raw_bytes import (
    RawBytes,
    local_file_path,
    local_version,
    map_raw_bytes,
    read_raw_bytes,
    refuse_changed,
)
from anonymise.io.read_result import ParsedTable, ReadResult

__all__ = ["read_table", "write_quarantine"]


def read_table(source: str) -> ReadResult:
    """Read one input (local path or fsspec URL) into a :class:`ReadResult`.

    Raises :class:`InputError` when the input cannot be read at all. Rows that cannot be
    parsed do not raise: they are in ``quarantined``. Turns transparent huge pages off
    for the process first (``anonymise.io.huge_pages``).
    """
    turn_off_transparent_huge_pages()
    name = file_name(source)
    if compression_of(name) != "zip":
        format_of(source, strip_compression(name))  # refuse unsupported types before reading
    plain_text = compression_of(name) is None and format_of(source, name) in DELIMITED_FORMATS
    before = local_version(source)
    data = map_raw_bytes(source) if plain_text else read_raw_bytes(source)
    with FileDigest(data) as digest:
        if not plain_text:
            digest.hash_in_background()  # while it is decompressed and parsed
        parsed = _parse(source, name, data, digest)
        sha256 = digest.hexdigest()
    refuse_changed(source, before)
    return ReadResult(
        source=source,
        format=parsed.format,
        frame=parsed.frame,
        encoding=parsed.encoding,
        delimiter=parsed.delimiter,
        blank_rows=parsed.blank_rows,
        renamed_columns=parsed.renamed_columns,
        quarantined=parsed.quarantined,
        sha256=sha256,
        nested_as_text=parsed.nested_as_text,
    )


def _parse(source: str, name: str, data: RawBytes, digest: FileDigest) -> ParsedTable:
    """The table in ``data``. ``digest`` is hashed while it is read: in the background
    from the start for anything but a plain CSV, whose reader hashes it."""
    if not len(data):
        raise InputError(
            f"input '{source}': the file is empty (0 bytes); "
            "export it again with at least a header and one row"
        )
    inner_name, payload = decompress(source, name, data)
    if not len(payload):
        raise InputError(
            f"input '{source}': the file is empty once decompressed (0 bytes); "
            "export it again with at least a header and one row"
        )
    # The member's name decides inside a zip; the archive's own name is the fallback.
    names = (inner_name, strip_compression(name))
    declared = format_of(
        source, next((n for n in names if extension(n) in FORMAT_BY_EXTENSION), inner_name)
    )
    if declared == "parquet":
        parsed = read_parquet(source, bytes(payload))  # already bytes: no copy
    elif declared == "json":
        parsed = read_json(source, bytes(payload))
    elif declared == "ndjson":
        parsed = read_ndjson(source, bytes(payload))
    else:
        mapped = local_file_path(source) if isinstance(payload, mmap.mmap) else None
        parsed = read_delimited(
            source, declared, payload, local_path=mapped, digest=digest if payload is data else None
        )
    _refuse_no_rows(source, parsed)
    return parsed


def _refuse_no_rows(source: str, parsed: ParsedTable) -> None:
    if parsed.frame.height and not parsed.frame.width:
        raise InputError(
            f"input '{source}': its {parsed.frame.height} record(s) have no fields ({{}}); "
            "export it again with the fields included"
        )
    if parsed.frame.height or parsed.quarantined:
        return
    blank = f" (only {parsed.blank_rows} blank rows)" if parsed.blank_rows else ""
    if parsed.format in ("csv", "tsv"):
        what = f"has a header but no data rows{blank}"
    elif parsed.format == "parquet":
        what = "has columns but no rows"
    else:
        what = f"holds no records{blank}"
    raise InputError(f"input '{source}': {what}; export it again with the rows included")
