from __future__ import annotations

import csv
import gzip
import os
import stat
from pathlib import Path

import pytest

from anonymise.errors import OutputError
from anonymise.io import read_table, write_quarantine
from tests.io.samples import DIRTY_QUARANTINE, DIRTY_TEXT


@pytest.fixture
def dirty(tmp_path: Path) -> str:
    path = tmp_path / "in" / "dirty.csv.gz"
    path.parent.mkdir()
    path.write_bytes(gzip.compress(DIRTY_TEXT.encode("cp1252")))
    return str(path)


def test_quarantine_file_holds_every_quarantined_row(dirty: str, tmp_path: Path) -> None:
    result = read_table(dirty)
    written = write_quarantine(result, tmp_path / "quarantine" / "run-1")
    assert written is not None
    assert written.name == f"dirty.{result.sha256[:12]}.quarantine.csv"
    with written.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["line", "reason", "raw"]
    assert [(int(line), reason, raw) for line, reason, raw in rows[1:]] == DIRTY_QUARANTINE
    assert stat.S_IMODE(written.stat().st_mode) == 0o600  # it holds personal data
    assert os.listdir(written.parent) == [written.name]  # no temporary file left behind


def test_nothing_quarantined_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    path.write_bytes(b"a\n1\n")
    assert write_quarantine(read_table(str(path)), tmp_path / "q") is None
    assert not (tmp_path / "q").exists()


def test_rewriting_replaces_the_file(dirty: str, tmp_path: Path) -> None:
    result = read_table(dirty)
    first = write_quarantine(result, tmp_path)
    second = write_quarantine(result, tmp_path)
    assert first == second
    assert second is not None
    assert len(second.read_text(encoding="utf-8").splitlines()) == 1 + 3 + 1  # raw has a CRLF


def test_unwritable_folder_is_an_output_error(dirty: str, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match=r"^quarantine file '.*': cannot be written") as caught:
        write_quarantine(read_table(dirty), blocker / "sub")
    assert "00125" not in str(caught.value)
