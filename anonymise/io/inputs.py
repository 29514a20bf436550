"""Turning the inputs a user lists (paths, globs, fsspec URLs) into the files to read."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from typing import Any

from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from anonymise.errors import InputError, InputUnavailable

_GLOB_CHARS = frozenset("*?[")


def expand_inputs(patterns: Sequence[str]) -> list[str]:
    """Every file the patterns name, in order; each glob's matches sorted; no file twice.

    A plain path or URL comes back as given; glob matches come back in the pattern's
    style (relative paths stay relative, URLs keep their protocol).
    """
    files: list[str] = []
    seen: set[str] = set()
    for pattern in patterns:
        for path in _expand_one(pattern):
            key = _identity(pattern, path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return files


def _is_url(pattern: str) -> bool:
    return "://" in pattern


def _has_glob(pattern: str) -> bool:
    return not _GLOB_CHARS.isdisjoint(pattern)


def _filesystem(pattern: str) -> tuple[Any, str]:
    try:
        return url_to_fs(pattern)  # type: ignore[no-any-return]
    except ImportError as e:
        raise InputError(
            f"input '{pattern}': needs an fsspec plug-in that is not installed ({e}); "
            "install it and try again"
        ) from e
    except ValueError as e:
        raise InputError(f"input '{pattern}': {e}; check the URL") from e


def _identity(pattern: str, path: str) -> str:
    """One spelling per file, so 'data/a.csv', 'data/./a.csv', a link to it and
    'file:///.../data/a.csv' count once."""
    fs, stripped = _filesystem(path)
    if isinstance(fs, LocalFileSystem):
        return os.path.realpath(stripped)
    return str(fs.unstrip_protocol(stripped))


def _expand_one(pattern: str) -> list[str]:
    if _has_glob(pattern):
        if not _is_url(pattern) and os.path.isfile(pattern):
            return [pattern]  # "Contacts [final].csv": the file itself, not a pattern
        matches = _glob_url(pattern) if _is_url(pattern) else _glob_local(pattern)
        if not matches:
            bracket = (
                " ('[' opens a set of characters in a pattern: write it '[[]' to mean itself)"
                if "[" in pattern
                else ""
            )
            raise InputError(
                f"input '{pattern}': no such file matches this pattern{bracket}; "
                "check the folder and the pattern"
            )
        return matches
    fs, path = _filesystem(pattern)
    try:
        exists, is_folder = fs.exists(path), fs.isdir(path)
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise InputUnavailable(
            f"input '{pattern}': cannot be checked ({reason}); check access"
        ) from e
    if not exists:
        raise InputError(f"input '{pattern}': no such file; check the path")
    if is_folder:
        raise InputError(
            f"input '{pattern}': is a folder, not a file; give a glob such as "
            f"'{pattern.rstrip('/')}/*.csv'"
        )
    return [pattern]


def _glob_local(pattern: str) -> list[str]:
    return sorted(path for path in glob.glob(pattern, recursive=True) if os.path.isfile(path))


def _glob_url(pattern: str) -> list[str]:
    fs, path = _filesystem(pattern)
    try:
        found: dict[str, dict[str, Any]] = fs.glob(path, detail=True)
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise InputUnavailable(
            f"input '{pattern}': cannot be listed ({reason}); check access"
        ) from e
    return sorted(
        str(fs.unstrip_protocol(name)) for name, info in found.items() if info.get("type") == "file"
    )
