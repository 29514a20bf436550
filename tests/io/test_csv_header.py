from __future__ import annotations

import pytest

from anonymise.errors import InputError
from anonymise.io.csv_header import read_header, sniff_delimiter


@pytest.mark.parametrize(
    ("line", "prefer_tab", "delimiter"),
    [
        ("Id,Email,Phone\r\n", False, ","),
        ("Id;Email;Phone\n", False, ";"),
        ("Id\tEmail\tPhone\n", False, "\t"),
        ("Id|Email|Phone\n", False, "|"),
        ('"Last, First";Email;Phone\n', False, ";"),  # a comma inside quotes does not count
        ("Email\n", False, ","),  # one column: the format's default
        ("Email\n", True, "\t"),
        ("Name\tNotes, comments\n", True, "\t"),  # a tie in a .tsv goes to the tab
        ("", False, ","),
    ],
)
def test_sniff_delimiter(line: str, prefer_tab: bool, delimiter: str) -> None:
    assert sniff_delimiter(line, prefer_tab=prefer_tab) == delimiter


def _header(text: str) -> tuple[str, tuple[str, ...], int, int]:
    header = read_header("in.csv", memoryview(text.encode()), prefer_tab=False)
    return header.delimiter, header.names, header.line_count, header.byte_length


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n", (",", ("a", "b"), 1, 4)),
        ("a,b\r\n1,2\r\n", (",", ("a", "b"), 1, 5)),
        ('"Name\nfull",é\n1,2\n', (",", ("Name\nfull", "é"), 2, 15)),  # quoted line break
        ("\n\r\na;b\n1;2\n", (";", ("a", "b"), 3, 7)),  # empty lines before the header
        ("a,b", (",", ("a", "b"), 1, 3)),  # header only, no line break
        ("sep=;\r\na,b;c\r\n1,2;3\r\n", (";", ("a,b", "c"), 2, 14)),  # Excel's hint line
        ("sep=|\na|b", ("|", ("a", "b"), 2, 9)),
    ],
)
def test_read_header(text: str, expected: tuple[str, tuple[str, ...], int, int]) -> None:
    assert _header(text) == expected


def test_header_longer_than_the_first_prefix() -> None:
    names = [f"column number {i}" for i in range(10_000)]
    text = ",".join(names) + "\n" + ",".join("x" * len(names)) + "\n"
    assert _header(text)[1] == tuple(names)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n\r\n\n", r"has no header row \(only empty lines\)"),
        ("sep=;\n", r"has no header row"),
        (",,\n1,2,3\n", r"the header row has no column names"),
    ],
)
def test_read_header_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"^input 'in\.csv': {message}"):
        _header(text)
