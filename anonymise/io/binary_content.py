"""Telling text from binary before any decoding is attempted."""

from __future__ import annotations

from anonymise.errors import InputError
from anonymise.io.raw_bytes import RawBytes

# Leading bytes of files people export by mistake instead of text, and what to call them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive or an .xlsx/.ods workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"),
    (b"\x1f\x8b", "a gzip file without the .gz extension"),
    (b"PAR1", "a Parquet file without the .parquet extension"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_SAMPLE_BYTES = 64 * 1024
# C0 control bytes that never occur in text exports (tab, newlines and form feed excluded).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.01


def describe_binary(data: RawBytes) -> str | None:
    """What ``data`` looks like if it is not text, else ``None``."""
    return _describe(data, whole=True)


def describe_binary_start(data: RawBytes) -> str | None:
    """``describe_binary`` without looking for NUL bytes past the first 64 KiB."""
    return _describe(data, whole=False)


def _describe(data: RawBytes, *, whole: bool) -> str | None:
    sample = data[:_SAMPLE_BYTES]  # bytes, also from a mapped file
    for signature, kind in _SIGNATURES:
        if sample.startswith(signature):
            return kind
    nuls = sample.count(b"\x00")
    if nuls and nuls * 3 >= len(sample):
        return "UTF-16 text without a byte-order mark, or binary data"
    if nuls or (whole and data.find(b"\x00") != -1):  # ``in`` compares ints on a mapping
        return "binary data (it contains NUL bytes)"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        return "binary data (it contains many control bytes)"
    return None


def refuse_binary(source: str, data: RawBytes) -> None:
    kind = describe_binary(data)
    if kind is not None:
        raise InputError(
            f"input '{source}': looks like {kind}, not text; "
            "export the data again as CSV (UTF-8), Parquet or JSON"
        )
