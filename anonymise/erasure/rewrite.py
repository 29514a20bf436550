"""A dataset read whole, and written back without some rows, atomically, in its format.

The new file is written to a temporary file in the same folder (same disk), flushed
to disk, given the old file's permissions and renamed over it with ``os.replace``, so
a reader, or a process killed mid-write, sees the whole old file or the whole new one.
A failed write removes its temporary file; a process killed outright may leave one
(``.NAME.*.erasure.tmp``), which no input glob of the form ``*.csv`` picks up.

CSV/TSV come back with the same delimiter, header (duplicate names as they were),
encoding and line ending; gzip stays gzip; Parquet is written as Parquet (zstd).

Quarantine files (CSV ``line, reason, raw`` in UTF-8, as ``io.quarantine_file`` writes
them) are read and written with Python's ``csv`` module, every cell a string, so the
rows that stay come back byte for byte.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import gzip
import io
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, cast

import polars as pl

from anonymise.errors import InputError, OutputError
from anonymise.io.atomic import replacing
from anonymise.io.formats import (
    DELIMITED_FORMATS,
    compression_of,
    file_name,
    format_of,
    strip_compression,
)
from anonymise.io.nested_values import refuse_nested
from anonymise.io.quarantine_file import QUARANTINE_COLUMNS
from anonymise.io.read_result import QuarantinedRow
from anonymise.io.readers import read_table

QUARANTINE_FORMAT: Final = "quarantine"
_TEMP_SUFFIX: Final = ".erasure.tmp"
_SEPARATOR_LINE: Final = re.compile(rb"^(?:\xef\xbb\xbf)?(sep=[^\"\r\n]\r?\n)")
logger = logging.getLogger("anonymise.erasure")
_COLUMNAR_FORMATS: Final = frozenset({"json", "ndjson", "parquet"})


@dataclass(frozen=True)
class Layout:
    """How a file is written: enough to write it back the way it was."""

    format: str
    compression: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    line_terminator: str = "\n"
    header: tuple[str, ...] = ()
    quarantined: int = 0
    preamble: str = ""  # Excel's "sep=;" line, with its line break, written back first


@dataclass(frozen=True)
class LoadedDataset:
    frame: pl.DataFrame
    layout: Layout
    stamp: tuple[int, int]
    """Size and modification time when read: the file must not change before rewriting."""
    malformed: tuple[QuarantinedRow, ...] = ()
    """A delimited file's records with the wrong number of fields: not in ``frame``,
    searched as text (``delimited_records`` keeps them in a rewrite)."""


def file_stamp(path: str) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns


def dataset_format(path: str) -> tuple[str, str | None]:
    name = file_name(path)
    return format_of(path, strip_compression(name)), compression_of(name)


def parquet_columns(path: str) -> list[str]:
    return list(pl.read_parquet_schema(path))


def load_dataset(path: str, *, columns: list[str] | None = None) -> LoadedDataset:
    """Read a file (only ``columns`` of a local Parquet file, when given). A JSON or
    Parquet file with nested fields is refused as a run refuses it: a list of e-mail
    addresses is not one identifier, and a record may hide one."""
    stamp = file_stamp(path) if "://" not in path else (0, 0)
    fmt, compression = dataset_format(path)
    if fmt == "parquet" and compression is None and "://" not in path:
        _refuse_nested(path, pl.DataFrame(schema=pl.read_parquet_schema(path)))
        frame = pl.read_parquet(path, columns=columns)
        return LoadedDataset(frame, Layout("parquet"), stamp)
    if fmt in DELIMITED_FORMATS and _header_only(path, compression):
        return LoadedDataset(pl.DataFrame(), Layout(fmt, compression), stamp)
    read = read_table(path)
    if read.format in _COLUMNAR_FORMATS:
        _refuse_nested(path, read.frame, read.nested_as_text)
    originals = {new: old for new, old in read.renamed_columns.items()}
    layout = Layout(
        format=read.format,
        compression=compression,
        delimiter=read.delimiter,
        encoding=read.encoding,
        line_terminator=_line_terminator(path, compression),
        header=tuple(originals.get(name, name) for name in read.frame.columns),
        quarantined=len(read.quarantined),
        preamble=_separator_line(path, compression) if fmt in DELIMITED_FORMATS else "",
    )
    return LoadedDataset(read.frame, layout, stamp, malformed=tuple(read.quarantined))


def _refuse_nested(path: str, frame: pl.DataFrame, nested_as_text: Sequence[int] = ()) -> None:
    try:
        refuse_nested(path, frame, nested_as_text)
    except InputError as exc:
        raise InputError(
            f"{exc}; erasure cannot search it, so nothing was erased or written"
        ) from None


def load_quarantine(path: str) -> LoadedDataset:
    """Read a quarantine file whole: columns ``line, reason, raw``, all strings."""
    stamp = file_stamp(path)
    where = f"quarantine file '{path}'"
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"{where}: cannot read it ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8, so not as a run wrote it; fix or move it") from exc
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = tuple(rows[0]) if rows else QUARANTINE_COLUMNS
    if header != QUARANTINE_COLUMNS:
        raise InputError(
            f"{where}: its header is not {', '.join(QUARANTINE_COLUMNS)}, so not as a run "
            "wrote it; fix or move it so that erasure can search it"
        )
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(QUARANTINE_COLUMNS):
            raise InputError(
                f"{where}, record {number}: {len(row)} fields where the header has "
                f"{len(QUARANTINE_COLUMNS)}; fix or move it so that erasure can search it"
            )
    frame = pl.DataFrame(
        rows[1:],
        schema=dict.fromkeys(QUARANTINE_COLUMNS, pl.String),
        orient="row",
    )
    end_of_header = text.find("\n")
    crlf = end_of_header > 0 and text[end_of_header - 1] == "\r"
    layout = Layout(
        format=QUARANTINE_FORMAT,
        delimiter=",",
        encoding="utf-8",
        line_terminator="\r\n" if crlf or end_of_header < 0 else "\n",
        header=QUARANTINE_COLUMNS,
    )
    return LoadedDataset(frame, layout, stamp)


def rewrite_problem(path: str, layout: Layout, *, records_kept: bool = False) -> str | None:
    """Why this file cannot be rewritten, or ``None``. ``records_kept``: it can be
    rewritten record by record (``delimited_records``), its malformed rows kept."""
    if "://" in path:
        return "it is not a local file; erase it where it is stored"
    if layout.compression == "zip":
        return "zip archives are not rewritten; unzip it and point the source at the file"
    if layout.quarantined and not records_kept:
        return (
            f"it has {layout.quarantined} malformed row(s) that a rewrite would lose (its "
            "records could not be told apart as the reader tells them); fix them (see the "
            "run's quarantine file) and erase again"
        )
    folder = os.path.dirname(os.path.realpath(path))
    if not os.access(folder, os.W_OK | os.X_OK):  # a read-only mount too (EROFS)
        return (
            f"its folder '{folder}' cannot be written (a rewrite makes a file there and "
            "renames it over this one); make it writable, or take the file out of the "
            "sources, and erase again"
        )
    links = _hard_links(path)
    if links > 1:
        return (
            f"it has {links} names (hard links); a rewrite would leave the rows under the "
            "others: remove the other names (or copy the file) and erase again"
        )
    return None


def _hard_links(path: str) -> int:
    try:
        return os.stat(path).st_nlink
    except OSError:
        return 1  # gone or unreadable: the rewrite says so


def remove_erasure_leftovers(paths: Sequence[str]) -> int:
    """Remove the temporary files a killed erasure left beside these datasets (whole
    rows, the person's among them, nobody would ever look for); how many there were."""
    removed = 0
    for path in paths:
        if "://" in path:
            continue
        target = Path(os.path.realpath(path))
        for leftover in target.parent.glob(f".{glob.escape(target.name)}.*{_TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed += 1
    if removed:
        logger.warning("removed %d temporary file(s) a killed erasure left", removed)
    return removed


def write_atomically(path: str, frame: pl.DataFrame, layout: Layout) -> None:
    """Replace ``path`` by ``frame`` written in ``layout``; all or nothing."""

    def write(temp: IO[bytes]) -> None:
        if layout.compression == "gzip":
            with gzip.GzipFile(fileobj=temp, mode="wb", mtime=0) as zipped:
                _write(cast(IO[bytes], zipped), frame, layout)
        else:
            _write(temp, frame, layout)

    replace_atomically(path, write, layout)


def replace_atomically(path: str, write: Callable[[IO[bytes]], None], layout: Layout) -> None:
    """Replace ``path`` by what ``write`` writes; all or nothing."""
    target = Path(path)
    try:
        with replacing(target, suffix=_TEMP_SUFFIX) as temp:
            write(temp)
    except OSError as exc:
        raise OutputError(
            f"dataset '{path}': cannot rewrite it ({exc.strerror or type(exc).__name__}); "
            "it is unchanged, erase again to finish"
        ) from exc
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"dataset '{path}': a remaining value cannot be written in its encoding "
            f"({layout.encoding}); it is unchanged"
        ) from exc


def _write(sink: IO[bytes], frame: pl.DataFrame, layout: Layout) -> None:
    if layout.format == "parquet":
        frame.write_parquet(sink, compression="zstd")
    elif layout.format == "ndjson":
        frame.write_ndjson(sink)
    elif layout.format == "json":
        buffer = io.BytesIO()
        frame.write_json(buffer)
        sink.write(buffer.getvalue())
    elif layout.format in DELIMITED_FORMATS:
        sink.write(_delimited_text(frame, layout).encode(layout.encoding or "utf-8"))
    elif layout.format == QUARANTINE_FORMAT:
        sink.write(_quarantine_text(frame, layout).encode(layout.encoding or "utf-8"))
    else:
        raise InputError(f"format '{layout.format}' cannot be rewritten")


def _delimited_text(frame: pl.DataFrame, layout: Layout) -> str:
    delimiter = layout.delimiter or ","
    header = io.StringIO()
    csv.writer(header, delimiter=delimiter, lineterminator=layout.line_terminator).writerow(
        layout.header or frame.columns
    )
    body = frame.write_csv(
        separator=delimiter, include_header=False, line_terminator=layout.line_terminator
    )
    return layout.preamble + header.getvalue() + body


def _quarantine_text(frame: pl.DataFrame, layout: Layout) -> str:
    """As ``io.quarantine_file`` writes it: Python's ``csv`` module, minimal quoting."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=layout.delimiter or ",", lineterminator=layout.line_terminator
    )
    writer.writerow(layout.header)
    writer.writerows(frame.select(layout.header).iter_rows())
    return buffer.getvalue()


def _raw_head(path: str, compression: str | None, size: int = 1 << 16) -> bytes:
    opener = gzip.open if compression == "gzip" else open
    with opener(path, "rb") as handle:
        return bytes(handle.read(size))


def _separator_line(path: str, compression: str | None) -> str:
    """Excel's ``sep=;`` first line, if the file has one (it names the delimiter for
    Excel, which a rewrite must not lose)."""
    if "://" in path or compression == "zip":
        return ""
    found = _SEPARATOR_LINE.match(_raw_head(path, compression, 64))
    return found.group(1).decode("ascii") if found else ""


def _line_terminator(path: str, compression: str | None) -> str:
    if "://" in path or compression == "zip":
        return "\n"
    return "\r\n" if b"\r\n" in _raw_head(path, compression) else "\n"


def _header_only(path: str, compression: str | None) -> bool:
    """A file erasure emptied: the header and nothing else (``read_table`` refuses it)."""
    if "://" in path or compression == "zip":
        return False
    head = _raw_head(path, compression, 1 << 20)
    if len(head) >= 1 << 20:
        return False
    found = _SEPARATOR_LINE.match(head)
    body = head[found.end() :] if found else head
    return sum(1 for line in body.splitlines() if line.strip()) <= 1
