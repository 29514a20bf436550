from __future__ import annotations

import codecs

import pytest

from anonymise.errors import InputError
from anonymise.io.binary_content import describe_binary
from anonymise.io.encoding import to_utf8

TEXT = "Name,City\nRené,Zürich\nŁucja,Kraków\n"
CP1252_TEXT = "Name,Note\nRené,5€ – it’s “fine”\n"


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (TEXT.encode("utf-8"), "utf-8", TEXT),
        (b"Name\nAnn\n", "utf-8", "Name\nAnn\n"),  # plain ASCII is UTF-8
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", TEXT),  # the BOM is dropped
        (CP1252_TEXT.encode("cp1252"), "cp1252", CP1252_TEXT),
        # Bytes cp1252 leaves undefined map to the C1 control of the same number: lossless.
        (b"Name\nA\x81B\n", "cp1252", "Name\nA\x81B\n"),
        ("Name\tCity\nRené\tZürich\n".encode("utf-16"), "utf-16", "Name\tCity\nRené\tZürich\n"),
    ],
)
def test_detects_and_transcodes_to_utf8(data: bytes, encoding: str, text: str) -> None:
    decoded = to_utf8("in.csv", data)
    assert decoded.encoding == encoding
    assert bytes(decoded.body).decode("utf-8") == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"looks like a PNG image, not text"),
        (b"%PDF-1.7\nsecret@example.com", r"looks like a PDF document"),
        (b"PK\x03\x04secret@example.com", r"looks like a zip archive or an \.xlsx/\.ods"),
        (b"Name\nsecret@example.com\x00\n", r"binary data \(it contains NUL bytes\)"),
        ("Name\nsecret@example.com\n".encode("utf-16-le"), r"UTF-16 text without a byte-order"),
        (b"Name\x01\x02\x03\x04\x05\x06\x07\x08secret\n", r"many control bytes"),
        # Many bytes that no cp1252 text holds: not a text encoding we can read.
        (b"Name\n" + b"secret\x81\x8d\x8f\x90\x9d" * 20, r"neither UTF-8 nor Windows-1252"),
        (
            codecs.BOM_UTF8 + b"Name\nsecret\xe9\n",
            r"UTF-8 byte-order mark .*\(first bad byte on line 2\)",
        ),
    ],
)
def test_refuses_binary_and_unreadable_bytes(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=rf"^input 'in\.csv': .*{message}") as caught:
        to_utf8("in.csv", data)
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [b"", b"Name\n", b"Tab\tand\x0cform feed\r\n", "Ünïcödé".encode()],
)
def test_text_is_not_binary(data: bytes) -> None:
    assert describe_binary(data) is None


def test_a_utf8_file_with_a_stray_windows_1252_byte_is_refused_naming_its_line() -> None:
    data = (
        "Id,Company,Notes\n1,Müller GmbH,ok\n2,Société Générale,".encode()
        + b"caf\xe9\n"
        + "3,Zoë,ok\n".encode()
    )
    with pytest.raises(InputError, match=r"^input 'in\.csv': is UTF-8 but for some bytes") as e:
        to_utf8("in.csv", data)
    assert "first bad byte on line 3" in str(e.value)
    assert "caf" not in str(e.value)


def test_a_windows_1252_file_that_happens_to_hold_a_utf8_pair_is_read_as_such() -> None:
    text = "Id,Company\n1,Ã©tude\n2,Société\n3,Café\n"  # "Ã©" is a valid UTF-8 pair
    decoded = to_utf8("in.csv", text.encode("cp1252"))
    assert decoded.encoding == "cp1252"
    assert bytes(decoded.body).decode() == text
