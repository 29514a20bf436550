"""Atomic file replacement: the one way the engine writes a file in place.

A temporary file in the target's folder is written, flushed to disk and renamed over
the target, so a reader (or a process killed half-way) sees the old file or the new
one, never a mix; through a symbolic link, the file it points to is replaced. An
existing target keeps its permissions. A new one is readable by its owner only when
``private`` (files that hold personal data or identify people: quarantine, receipts,
the suppression list), else it gets the usual mode (0666 less the umask) like any
file the user writes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Read once at import, while nothing else runs: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextlib.contextmanager
def replacing(target: Path, *, private: bool = True, suffix: str = ".tmp") -> Iterator[BinaryIO]:
    """Yield a binary handle; on a clean exit it replaces ``target``, on any error the
    temporary file is removed and ``target`` is untouched. OSErrors propagate for the
    caller to name the file in its own message. A symbolic link's file is replaced,
    not the link: the link would become a file of its own, and the file it points to
    keep the old content."""
    target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=suffix
    )
    try:
        with os.fdopen(handle, "wb") as temp:
            yield temp
            temp.flush()
            os.fsync(temp.fileno())
        try:
            os.chmod(temp_name, stat.S_IMODE(target.stat().st_mode))
        except FileNotFoundError:
            if not private:
                os.chmod(temp_name, 0o666 & ~_UMASK)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def replace_text(target: Path, text: str, *, private: bool = True) -> None:
    """Atomically replace ``target`` with ``text`` in UTF-8 (line ends as given)."""
    with replacing(target, private=private) as handle:
        handle.write(text.encode("utf-8"))
