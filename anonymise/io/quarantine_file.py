"""Writing the rows a reader set aside, so nothing is lost and someone can fix them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from anonymise.errors import OutputError
from anonymise.io.atomic import replace_text
from anonymise.io.formats import extension, file_name, strip_compression
from anonymise.io.read_result import ReadResult

QUARANTINE_COLUMNS = ("line", "reason", "raw")
QUARANTINE_SUFFIX = ".quarantine.csv"


def quarantine_file_name(result: ReadResult) -> str:
    """``<input name>.<first 12 hex of its sha256>.quarantine.csv``: unique per input."""
    name = strip_compression(file_name(result.source))
    stem = name[: -len(extension(name))] if extension(name) else name
    return f"{stem}.{result.sha256[:12]}{QUARANTINE_SUFFIX}"


def write_quarantine(result: ReadResult, directory: Path) -> Path | None:
    """Write ``result.quarantined`` as CSV (line, reason, raw) into ``directory``.

    Returns the file, or ``None`` when nothing was quarantined. The file appears complete
    or not at all, and is readable by its owner only: it holds personal data.
    """
    if not result.quarantined:
        return None
    target = directory / quarantine_file_name(result)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(QUARANTINE_COLUMNS)
    writer.writerows((row.line, row.reason, row.raw) for row in result.quarantined)
    try:
        replace_text(target, text.getvalue())
    except OSError as e:
        raise OutputError(_cannot_write(target, e)) from e
    return target


def _cannot_write(target: Path, error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    return (
        f"quarantine file '{target}': cannot be written ({reason}); "
        "check the folder's permissions and free space"
    )
