"""JSON into a frame: an array of objects, or one object per line (NDJSON).

A ``.json`` file that is one object is refused, on one line or several: its keys would
become column names, and an object keyed by person (``{"Ann Smith": "ann@..."}``)
would put people in the plan and the records. A ``.ndjson`` file of one line is a
one-record export.

Columns keep their JSON types. In NDJSON a line that is not a JSON object is quarantined
with its line number; the other lines are still read.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Callable, Sequence
from typing import Final

import polars as pl

from anonymise.errors import InputError
from anonymise.io.encoding import is_valid_utf8
from anonymise.io.read_result import ParsedTable, QuarantinedRow

_WHITESPACE = b" \t\r\n"
_LOOKS_LIKE_JSON: Final = r"^\s*(?:\[[\s\S]*\]|\{[\s\S]*\})\s*$"


def read_json(source: str, data: bytes) -> ParsedTable:
    """A ``.json`` file: an array of objects, or NDJSON (the first character decides)."""
    encoding, body = _utf8_body(source, data)
    first = body.lstrip(_WHITESPACE)[:1]
    if first == b"[":
        return ParsedTable(format="json", frame=_read_array(source, body), encoding=encoding)
    if first == b"{":
        if b"\n" not in body.strip(_WHITESPACE) and _whole_is_one_object(body):
            # a name-to-address map ({"Ann Smith": "ann@..."}) would become column names
            raise InputError(
                f"input '{source}': holds a single JSON object, not records; export an array "
                "of objects, or name a file of one object per line .ndjson"
            )
        return _read_lines(source, body, encoding)
    raise InputError(
        f"input '{source}': is not a JSON array of objects nor one JSON object per line; "
        "export it again as JSON records"
    )


def read_ndjson(source: str, data: bytes) -> ParsedTable:
    encoding, body = _utf8_body(source, data)
    return _read_lines(source, body, encoding)


def _utf8_body(source: str, data: bytes) -> tuple[str, bytes]:
    if data.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8-sig", data[len(codecs.BOM_UTF8) :]
    else:
        encoding, body = "utf-8", data
    if not is_valid_utf8(memoryview(body)):
        raise InputError(
            f"input '{source}': is not valid UTF-8, which JSON requires; export it again as UTF-8"
        )
    return encoding, body


def _read_array(source: str, body: bytes) -> pl.DataFrame:
    try:
        return pl.read_json(io.BytesIO(body), infer_schema_length=None)
    except (pl.exceptions.PolarsError, ValueError):
        # Polars' message may quote the data; the cause is described from json instead.
        pass
    try:
        records = json.loads(body)
    except json.JSONDecodeError as e:
        raise InputError(
            f"input '{source}': is not valid JSON ({e.msg} at line {e.lineno}, column "
            f"{e.colno}); fix the file or export it again"
        ) from None
    kinds = {type(record).__name__ for record in records if not isinstance(record, dict)}
    if kinds:
        raise InputError(
            f"input '{source}': holds non-object elements ({', '.join(sorted(kinds))}); "
            "every element of the array must be a JSON object"
        )
    raise InputError(
        f"input '{source}': its JSON records cannot be combined into one table "
        "(conflicting types for a field); export it again"
    )


def _read_lines(source: str, body: bytes, encoding: str) -> ParsedTable:
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") or not body else 1)
    try:
        frame = pl.read_ndjson(io.BytesIO(body), infer_schema_length=None)
    except (pl.exceptions.PolarsError, ValueError):
        return _read_lines_one_by_one(source, body, encoding)
    return ParsedTable(
        format="ndjson",
        frame=frame,
        encoding=encoding,
        blank_rows=lines - frame.height,
        nested_as_text=nested_as_text(frame, lambda: _records(body)),
    )


def _records(body: bytes) -> list[bytes]:
    """The non-blank lines of ``body``: one a frame row, in order."""
    return [line for line in body.split(b"\n") if line.strip()]


def nested_as_text(
    frame: pl.DataFrame, records: Callable[[], Sequence[str | bytes]]
) -> tuple[int, ...]:
    """Positions (1-based) of the text columns of ``frame`` where some record (the line
    of a row, from ``records``, read only if needed) held a JSON list or record rather
    than a string: Polars reads a field that mixes them with strings as text. Only a
    text that opens and closes like JSON sends its line to the parser, so a string that
    is itself JSON text (``"tags": "[]"``) is read as the string it is."""
    positions: list[int] = []
    lines: Sequence[str | bytes] | None = None
    for position, (name, dtype) in enumerate(frame.schema.items(), start=1):
        if dtype != pl.String:
            continue
        rows = frame.select(pl.arg_where(pl.col(name).str.contains(_LOOKS_LIKE_JSON)))
        if rows.height == 0:
            continue
        lines = records() if lines is None else lines
        if any(_holds_structure(lines[row], name) for row in rows.to_series()):
            positions.append(position)
    return tuple(positions)


def _holds_structure(line: str | bytes, field: str) -> bool:
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and isinstance(record.get(field), dict | list)


def _read_lines_one_by_one(source: str, body: bytes, encoding: str) -> ParsedTable:
    """The slow path: each line on its own, so one bad line does not sink the file."""
    kept: list[str] = []
    blank = 0
    quarantined: list[QuarantinedRow] = []
    for number, line in enumerate(body.decode("utf-8").split("\n"), start=1):
        raw = line.removesuffix("\r")
        if not raw.strip():
            blank += 1
            continue
        reason = _not_an_object(raw)
        if reason:
            quarantined.append(QuarantinedRow(line=number, reason=reason, raw=raw))
        else:
            kept.append(raw)
    if body.endswith(b"\n"):
        blank -= 1  # the final line break ends the last line; it does not start a blank one
    if quarantined and _whole_is_one_object(body):
        raise InputError(
            f"input '{source}': holds a single JSON object, not records; export an array of "
            "objects or one object per line"
        )
    try:
        frame = (
            pl.read_ndjson(io.BytesIO("\n".join(kept).encode("utf-8")), infer_schema_length=None)
            if kept
            else pl.DataFrame()
        )
    except (pl.exceptions.PolarsError, ValueError):
        raise InputError(
            f"input '{source}': its JSON records cannot be combined into one table "
            "(conflicting types for a field); export it again"
        ) from None
    return ParsedTable(
        format="ndjson",
        frame=frame,
        encoding=encoding,
        blank_rows=blank,
        quarantined=tuple(quarantined),
        nested_as_text=nested_as_text(frame, lambda: kept),
    )


def _not_an_object(line: str) -> str | None:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as e:
        return f"not valid JSON ({e.msg} at column {e.colno})"
    if not isinstance(value, dict):
        return f"expected a JSON object, found {type(value).__name__}"
    return None


def _whole_is_one_object(body: bytes) -> bool:
    try:
        return isinstance(json.loads(body), dict)
    except json.JSONDecodeError:
        return False
