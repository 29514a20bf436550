"""Fetching an input's bytes through fsspec, so local paths and URLs behave the same.

A plain local file can be memory-mapped instead of read (``map_raw_bytes``): the
parsers read the page cache directly, with no copy into the process (1M-row export,
248 MiB: the read ~0.25 s shorter, measured with Arrow's parse). Polars' own CSV
reader maps its input the same way, and reads a clean CSV from its path itself
(``anonymise.io.csv_polars``). As with any memory-mapped reader, a file truncated in
place while it is mapped ends the process (SIGBUS); exports replaced by renaming, as
exporters and sync tools do, are safe.
"""

from __future__ import annotations

import mmap
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager

import fsspec
from fsspec.implementations.local import LocalFileSystem

from anonymise.errors import InputError, InputUnavailable

RawBytes = bytes | mmap.mmap
"""A file's bytes: read into memory, or mapped (slicing either gives ``bytes``)."""


def read_raw_bytes(source: str) -> bytes:
    """The bytes of ``source`` exactly as stored (still compressed, if it is)."""
    with _reading(source), fsspec.open(source, "rb") as handle:
        data: bytes = handle.read()
    return data


def map_raw_bytes(source: str) -> RawBytes:
    """The bytes of ``source``: mapped when it is a non-empty regular local file, else
    read (a pipe, such as a shell's ``<(zcat export.csv.gz)``, cannot be mapped)."""
    with _reading(source):
        path = local_file_path(source)
        if path is not None:
            with open(path, "rb") as handle:
                try:
                    return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except ValueError:
                    pass  # empty: nothing to map; the read below says so
    return read_raw_bytes(source)


def local_file_path(source: str) -> str | None:
    """The path of ``source`` when it is a regular file on this machine, else ``None``."""
    fs, path = fsspec.core.url_to_fs(source)
    return path if isinstance(fs, LocalFileSystem) and is_regular_file(path) else None


def is_regular_file(path: str) -> bool:
    """Whether ``path`` is a regular file (not a pipe, a device or a folder)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # the read says what is wrong with it


def local_version(source: str) -> tuple[int, int, int, int] | None:
    """Identity (device and inode), size and modification time of a regular local file
    (``None`` for a remote one or a pipe), taken before and after a parse: the bytes
    checked first must be the ones parsed. Polars reads a clean CSV from its path
    again, so a file renamed into place meanwhile must not pass for the same file."""
    with _reading(source):
        path = local_file_path(source)
        if path is None:
            return None
        status = os.stat(path)
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def refuse_changed(source: str, before: tuple[int, int, int, int] | None) -> None:
    """Raise if ``source`` is no longer the version ``local_version`` saw."""
    if before is not None and local_version(source) != before:
        raise InputUnavailable(
            f"input '{source}': changed while it was read (replaced, or its size or "
            "modification time changed); "
            "run again once the export is complete"
        )


@contextmanager
def _reading(source: str) -> Iterator[None]:
    """Turns the ways a read fails into an ``InputError`` that names ``source``."""
    try:
        yield
    except FileNotFoundError as e:
        raise InputError(f"input '{source}': no such file; check the path") from e
    except IsADirectoryError as e:
        raise InputError(
            f"input '{source}': is a folder, not a file; give a file or a glob such as "
            f"'{source.rstrip('/')}/*.csv'"
        ) from e
    except PermissionError as e:
        raise InputError(
            f"input '{source}': permission denied; check the file's permissions or credentials"
        ) from e
    except ImportError as e:
        raise InputError(
            f"input '{source}': needs an fsspec plug-in that is not installed ({e}); "
            "install it and try again"
        ) from e
    except ValueError as e:
        # fsspec raises ValueError for an unknown protocol; its message holds only the URL.
        raise InputError(f"input '{source}': cannot be opened ({e}); check the URL") from e
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise InputUnavailable(
            f"input '{source}': cannot be read ({reason}); check the path"
        ) from e
