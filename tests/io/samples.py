"""Small inputs shared by the reader tests."""

from __future__ import annotations

import fsspec
import polars as pl


def strings(columns: dict[str, list[str | None]]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


KEAP_PHONE = "'+44 20 7946 0123   "  # Keap's phone cells: a leading apostrophe, trailing spaces

# A dirty export: BOM or cp1252, CRLF, a blank and a duplicate header, quoted line breaks,
# blank rows in the middle and ragged rows. The comment is the line each record starts on.
DIRTY_LINES = [
    "Contact Id,First Name,Email,Phone Number,Phone Number,,Notes",  # 1 header
    f'00123,René,rene@example.com,{KEAP_PHONE},,x,"Paid 5€, said ’thanks’"',  # 2
    "",  # 3 empty line
    '00124,Zoë,zoe@example.com,0161 496 0000,07700 900123,,"Line one',  # 4
    'line two"',  # 5 (inside the record of line 4)
    ",,,,,,",  # 6 every field empty
    "00125,Too,few",  # 7 ragged
    "00126,Too,many,1,2,3,4,5",  # 8 ragged
    " , ,\t,,,,",  # 9 every field blank
    '00127,"Multi',  # 10 ragged, with a quoted line break
    'line",3',  # 11
    '00128,Ana,ana@example.com,,,,"said ""hi"""',  # 12
]
DIRTY_TEXT = "\r\n".join(DIRTY_LINES) + "\r\n"
DIRTY_FRAME = strings(
    {
        "Contact Id": ["00123", "00124", "00128"],
        "First Name": ["René", "Zoë", "Ana"],
        "Email": ["rene@example.com", "zoe@example.com", "ana@example.com"],
        "Phone Number": [KEAP_PHONE, "0161 496 0000", None],
        "Phone Number_2": [None, "07700 900123", None],
        "column_6": ["x", None, None],
        "Notes": ["Paid 5€, said ’thanks’", "Line one\r\nline two", 'said "hi"'],
    }
)
DIRTY_QUARANTINE = [
    (7, "expected 7 fields, found 3", "00125,Too,few"),
    (8, "expected 7 fields, found 8", "00126,Too,many,1,2,3,4,5"),
    (10, "expected 7 fields, found 3", '00127,"Multi\r\nline",3'),
]


def put_memory_file(url: str, data: bytes) -> str:
    with fsspec.open(url, "wb") as handle:
        handle.write(data)
    return url
