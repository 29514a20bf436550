from __future__ import annotations

import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.io import read_table
from tests.io.samples import put_memory_file

CSV = "Id,Name\r\n00123,Zoë\r\n".encode("cp1252")
FRAME = pl.DataFrame({"Id": ["00123"], "Name": ["Zoë"]})
NDJSON = b'{"Id": "00123", "Name": "Zo\xc3\xab"}\n'


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "file_format"),
    [
        ("contacts.csv.gz", gzip.compress(CSV), "csv"),
        ("contacts.CSV.GZ", gzip.compress(CSV), "csv"),  # extensions are case-insensitive
        ("contacts.ndjson.gz", gzip.compress(NDJSON), "ndjson"),
        ("contacts.zip", _zip(("export/contacts.csv", CSV)), "csv"),
        # macOS adds resource forks and folders; they are not data files.
        (
            "mac.zip",
            _zip(
                ("export/", b""),
                ("__MACOSX/export/._contacts.csv", b"x"),
                ("export/contacts.csv", CSV),
            ),
            "csv",
        ),
        ("contacts.csv.zip", _zip(("contacts", CSV)), "csv"),  # the archive's name decides
        ("contacts.zip", _zip(("contacts.jsonl", NDJSON)), "ndjson"),  # the member's name decides
    ],
)
def test_compressed_inputs_read_as_the_file_inside(
    tmp_path: Path, name: str, data: bytes, file_format: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_table(str(path))
    assert_frame_equal(result.frame, FRAME)
    assert result.format == file_format


def test_compressed_memory_url(memory_root: str) -> None:
    data = gzip.compress(CSV)
    result = read_table(put_memory_file(f"{memory_root}/contacts.csv.gz", data))
    assert_frame_equal(result.frame, FRAME)
    assert result.encoding == "cp1252"
    assert result.sha256 == hashlib.sha256(data).hexdigest()  # of the compressed bytes
