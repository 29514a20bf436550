"""Which reader a file gets, decided by its name: compression suffix first, then format."""

from __future__ import annotations

import re

from anonymise.errors import InputError

# Extension -> format. ".txt" is delimited text whose delimiter decides csv or tsv.
FORMAT_BY_EXTENSION = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "txt",
    ".parquet": "parquet",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "json",
}
COMPRESSION_BY_EXTENSION = {".gz": "gzip", ".zip": "zip"}
DELIMITED_FORMATS = ("csv", "tsv", "txt")


def file_name(source: str) -> str:
    """The last path segment of a local path or URL, without a query string."""
    without_query = source.split("?", 1)[0] if "://" in source else source
    return re.split(r"[/\\]", without_query.rstrip("/\\"))[-1]


def extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def compression_of(name: str) -> str | None:
    """``"gzip"``, ``"zip"`` or ``None``, from the file name."""
    return COMPRESSION_BY_EXTENSION.get(extension(name))


def strip_compression(name: str) -> str:
    return name[: -len(extension(name))] if compression_of(name) else name


def supported_extensions() -> str:
    return ", ".join(FORMAT_BY_EXTENSION) + " (optionally compressed as .gz or .zip)"


def format_of(source: str, name: str) -> str:
    """The format for ``name`` (compression already stripped); ``source`` is for the message."""
    found = FORMAT_BY_EXTENSION.get(extension(name))
    if found is None:
        shown = extension(name) or "no extension"
        raise InputError(
            f"input '{source}': unsupported file type ({shown}); "
            f"use one of {supported_extensions()}"
        )
    return found
