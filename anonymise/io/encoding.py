"""Deciding how a text file is encoded and turning it into UTF-8 bytes for the parser.

The cascade: a byte-order mark decides (UTF-8 or UTF-16); else strict UTF-8; else
Windows-1252, the encoding Excel and most Western CRMs use for "CSV" on Windows,
unless the file is mostly UTF-8 with a few stray bytes, which is refused.
"""

from __future__ import annotations

import codecs
import re
import struct
from dataclasses import dataclass

import pyarrow as pa  # type: ignore[import-untyped]

from anonymise.errors import InputError
from anonymise.io.binary_content import describe_binary_start, refuse_binary
from anonymise.io.raw_bytes import RawBytes

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as surrogateescape keeps it
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Bytes cp1252 leaves undefined. Windows maps them to the C1 controls of the same
# number, which keeps them lossless; many of them means the file is not cp1252 at all.
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_ERRORS = "anonymise-cp1252-c1"
_MAX_UNDEFINED_SHARE = 0.001
_MAX_UNDEFINED_ALWAYS_ALLOWED = 8
# What ``utf8_at_first_sight`` checks: the first megabyte, and windows spread over the
# rest, where a Windows-1252 export whose start is plain ASCII shows its accents.
_FIRST_SIGHT_BYTES = 1 << 20
_SPREAD_WINDOWS = 64
_WINDOW_BYTES = 16 << 10


def _undefined_as_c1(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_CP1252_ERRORS, _undefined_as_c1)


@dataclass(frozen=True)
class Utf8Text:
    """A text file as UTF-8 bytes without a byte-order mark, and the encoding it came in."""

    encoding: str
    body: memoryview


def to_utf8(source: str, data: RawBytes) -> Utf8Text:
    """Detect the encoding of ``data`` and return its text as UTF-8 (zero-copy when possible)."""
    start = data[:4]
    if start.startswith(_UTF16_BOMS):
        return Utf8Text("utf-16", _transcode_utf16(source, bytes(data)))
    refuse_binary(source, data)
    view = memoryview(data)
    if start.startswith(codecs.BOM_UTF8):
        body = view[len(codecs.BOM_UTF8) :]
        if not is_valid_utf8(body):
            raise InputError(
                f"input '{source}': starts with a UTF-8 byte-order mark but is not valid "
                f"UTF-8 ({_first_bad_utf8_line(body)}); export it again as CSV UTF-8"
            )
        return Utf8Text("utf-8-sig", body)
    if is_valid_utf8(view):
        return Utf8Text("utf-8", view)
    if _mostly_utf8(bytes(data)):
        raise InputError(
            f"input '{source}': is UTF-8 but for some bytes in another encoding "
            f"({_first_bad_utf8_line(view)}; a value pasted from elsewhere): read as "
            "Windows-1252, every accent would be garbled; fix that line or export it again "
            "as CSV UTF-8"
        )
    return Utf8Text("cp1252", _transcode_cp1252(source, bytes(data)))


def _mostly_utf8(data: bytes) -> bool:
    """More characters of two bytes or more that are valid UTF-8 than bytes that are
    not: a UTF-8 export with a stray Windows-1252 byte (``caf\xe9`` among ``Müller``s).
    A Windows-1252 file almost never holds a valid UTF-8 sequence (``Ã©``)."""
    text = data.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED.findall(text))
    return len(_NON_ASCII.findall(text)) - invalid > invalid


def utf8_at_first_sight(data: RawBytes) -> Utf8Text | None:
    """What ``to_utf8`` gives for ``data`` when it is UTF-8 text (with or without a
    byte-order mark), judged by its first megabyte and 64 windows of 16 KiB spread over
    the rest; ``None`` where ``to_utf8`` must decide (a UTF-16 mark, a start that looks
    binary, a window that is not UTF-8).

    The caller owes the rest of ``to_utf8``'s checks before trusting the text: every
    byte is valid UTF-8 (``Utf8Pieces``) and none is NUL. A pass that reads the rows
    anyway makes them (``anonymise.io.rows_scan``), where ``to_utf8`` would read the
    whole file once more before any parse could start. The windows make it unlikely
    that a Windows-1252 export is parsed as UTF-8 in vain (its first megabyte plain
    ASCII, its accents further on), a parse that is then set aside.
    """
    start = data[:4]
    if start.startswith(_UTF16_BOMS) or describe_binary_start(data) is not None:
        return None
    marked = start.startswith(codecs.BOM_UTF8)
    body = memoryview(data)[len(codecs.BOM_UTF8) if marked else 0 :]
    if not all(is_valid_utf8(window) for window in _first_sight_windows(body)):
        return None
    return Utf8Text("utf-8-sig" if marked else "utf-8", body)


def _first_sight_windows(body: memoryview) -> list[memoryview]:
    """The first megabyte of ``body`` and windows spread evenly over the rest, each cut
    to whole characters (if ``body`` is UTF-8)."""
    spans = [(0, min(len(body), _FIRST_SIGHT_BYTES))]
    rest = len(body) - _FIRST_SIGHT_BYTES
    if rest > _SPREAD_WINDOWS * _WINDOW_BYTES:
        step = rest // _SPREAD_WINDOWS
        starts = range(_FIRST_SIGHT_BYTES, len(body) - _WINDOW_BYTES, step)
        spans += [(start, start + _WINDOW_BYTES) for start in starts]
    windows = []
    for start, end in spans:
        for _ in range(3):  # a character's continuation: it starts before the window
            if start < end and body[start] & 0xC0 == 0x80:
                start += 1
        windows.append(body[start : _last_char_start(body, start, end)])
    return windows


class Utf8Pieces:
    """Whether ``body`` is valid UTF-8, checked a piece at a time, front to back.

    Each check stops short of the last character that starts in its piece, which may
    go on into the next: every check then begins at a character's start, and the
    pieces are all valid exactly when the whole is.
    """

    def __init__(self, body: memoryview) -> None:
        self._body = body
        self._checked = 0
        self._valid = True

    def check_through(self, end: int) -> bool:
        """Check ``body`` up to ``end`` (all of it at its end); whether it is valid."""
        if self._valid and end > self._checked:
            if end < len(self._body):
                end = _last_char_start(self._body, self._checked, end)
            self._valid = is_valid_utf8(self._body[self._checked : end])
            self._checked = end
        return self._valid


def _last_char_start(body: memoryview, start: int, end: int) -> int:
    """Where the last character that starts in ``body[start:end]`` starts. If none of
    the last four bytes starts one: ``end`` (four continuation bytes in a row are never
    valid UTF-8), or ``start`` when the span is shorter than that."""
    for position in range(end - 1, max(start, end - 4) - 1, -1):
        if body[position] & 0xC0 != 0x80:
            return position
    return end if end - start >= 4 else start


def is_valid_utf8(body: memoryview) -> bool:
    """Arrow's validator: about ten times faster than decoding to a Python str."""
    # Offsets built from bytes: ``pa.array`` of a list would import pandas if installed.
    offsets = pa.py_buffer(struct.pack("<qq", 0, len(body)))
    as_string = pa.LargeStringArray.from_buffers(1, offsets, pa.py_buffer(body))
    try:
        as_string.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _first_bad_utf8_line(body: memoryview) -> str:
    try:
        codecs.decode(body, "utf-8")
    except UnicodeDecodeError as e:
        line = bytes(body[: e.start]).count(b"\n") + 1
        return f"first bad byte on line {line}"
    return "no bad byte found"


def _transcode_utf16(source: str, data: bytes) -> memoryview:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as e:
        raise InputError(
            f"input '{source}': starts with a UTF-16 byte-order mark but is not valid "
            "UTF-16; export it again as CSV UTF-8"
        ) from e
    refuse_binary(source, text.encode("utf-8"))
    return memoryview(text.encode("utf-8"))


def _transcode_cp1252(source: str, data: bytes) -> memoryview:
    undefined = sum(data.count(byte) for byte in _CP1252_UNDEFINED)
    allowed = max(_MAX_UNDEFINED_ALWAYS_ALLOWED, _MAX_UNDEFINED_SHARE * len(data))
    if undefined > allowed:
        raise InputError(
            f"input '{source}': is neither UTF-8 nor Windows-1252 text (unreadable encoding "
            "or binary data); export it again as CSV UTF-8"
        )
    return memoryview(data.decode("cp1252", errors=_CP1252_ERRORS).encode("utf-8"))
