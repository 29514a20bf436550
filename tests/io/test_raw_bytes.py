"""Local plain files are memory-mapped, everything else is read; readers see the same
bytes and give the same frame either way."""

from __future__ import annotations

import mmap
import os
from pathlib import Path

import fsspec
import pytest
from polars.testing import assert_frame_equal

from anonymise.errors import InputError
from anonymise.io import read_table, readers
from anonymise.io.raw_bytes import map_raw_bytes, read_raw_bytes

ROWS = 'Email,Notes\nann@example.com,"two\r\nlines"\nbob@example.org,caf\u00e9\n,\n'


def test_a_local_file_is_mapped_with_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(ROWS.encode())
    mapped = map_raw_bytes(str(path))
    assert isinstance(mapped, mmap.mmap)
    assert mapped[:] == read_raw_bytes(str(path)) == ROWS.encode()
    assert isinstance(map_raw_bytes(path.as_uri()), mmap.mmap)  # file:// is local too


def test_an_empty_or_remote_file_is_read(tmp_path: Path, memory_root: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert map_raw_bytes(str(empty)) == b""
    remote = f"{memory_root}/contacts.csv"
    with fsspec.open(remote, "wb") as handle:
        handle.write(ROWS.encode())
    assert map_raw_bytes(remote) == ROWS.encode()


def test_a_missing_file_names_the_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^input '.*gone\.csv': no such file; check the path$"):
        map_raw_bytes(str(tmp_path / "gone.csv"))


def test_mapped_and_read_inputs_give_the_same_frame(tmp_path: Path, memory_root: str) -> None:
    for encoding in ("utf-8", "utf-8-sig", "utf-16", "cp1252"):
        data = ROWS.encode(encoding)
        local = tmp_path / f"{encoding}.csv"
        local.write_bytes(data)
        remote = f"{memory_root}/{encoding}.csv"
        with fsspec.open(remote, "wb") as handle:
            handle.write(data)
        mapped, read = read_table(str(local)), read_table(remote)
        assert (mapped.encoding, mapped.sha256) == (read.encoding, read.sha256)
        assert_frame_equal(mapped.frame, read.frame)
        assert mapped.frame.get_column("Notes").to_list() == ["two\r\nlines", "caf\u00e9"]


def test_a_nul_byte_past_the_sample_is_found_in_a_mapped_file(tmp_path: Path) -> None:
    # A mapped file has no ``in`` for bytes (it would compare single ints): the whole
    # file is still searched.
    path = tmp_path / "late_nul.csv"
    path.write_bytes(ROWS.encode() + b"x,y\n" * 40_000 + b"a\x00,b\n")
    with pytest.raises(InputError, match=r"looks like binary data \(it contains NUL bytes\)"):
        read_table(str(path))


def test_a_file_changed_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(ROWS.encode())
    mapped = readers.map_raw_bytes

    def map_then_append(source: str) -> object:
        data = mapped(source)
        with open(source, "ab") as export:  # the exporter writes on
            export.write(b"late@example.com,\n")
        return data

    monkeypatch.setattr(readers, "map_raw_bytes", map_then_append)
    with pytest.raises(InputError, match=r"^input '.*contacts\.csv': changed while it was read"):
        read_table(str(path))


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="POSIX device")
def test_a_device_is_read_not_mapped() -> None:
    assert map_raw_bytes("/dev/null") == b""


def test_a_file_renamed_into_place_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Same size, same modification time: only the file's identity tells them apart. Polars
    # reads a clean CSV from its path again, so it would read the new file.
    path = tmp_path / "contacts.csv"
    path.write_bytes(ROWS.encode())
    stamp = path.stat().st_mtime_ns
    mapped = readers.map_raw_bytes

    def map_then_replace(source: str) -> object:
        data = mapped(source)
        other = tmp_path / "next.csv"
        other.write_bytes(ROWS.encode().replace(b"a", b"b"))
        os.utime(other, ns=(stamp, stamp))
        os.replace(other, source)
        return data

    monkeypatch.setattr(readers, "map_raw_bytes", map_then_replace)
    with pytest.raises(InputError, match=r"changed while it was read \(replaced, or its size"):
        read_table(str(path))
