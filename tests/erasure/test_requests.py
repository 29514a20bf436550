from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from anonymise.erasure.requests import read_requests, receipt_stem
from anonymise.errors import InputError
from anonymise.suppression import IdentifierKind

HEADER = "request_id,email,phone,crm_id,received_at"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "requests.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_requests_with_optional_source(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + ",source\nR1,a@x.com,,,2025-01-01,\nR2,,07700 900123,42,2025-01-02,Keap\n",
    )
    first, second = read_requests(path)
    assert [i.kind for i in first.identifiers] == [IdentifierKind.EMAIL]
    assert [i.kind for i in second.identifiers] == [IdentifierKind.PHONE, IdentifierKind.CRM_ID]
    assert second.identifiers[1].source == "Keap"
    assert "a@x.com" not in repr(first)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "request_id,email,received_at\nR1,a@x.com,2025-01-01\n",
            r"row 1: missing column\(s\) phone, crm_id",
        ),
        (
            HEADER + "\nR1,secret@x.com,,,31/01/2025\n",
            r"row 2, column 'received_at': not an ISO date",
        ),
        (
            HEADER + "\nR1,a@x.com,,,2025-01-01\nR1,b@x.com,,,2025-01-01\n",
            r"row 3, column 'request_id': duplicate request id \(also on row 2",
        ),
        # ids that collide as file names are duplicates too
        (
            HEADER + "\na/b,a@x.com,,,2025-01-01\na_b,b@x.com,,,2025-01-01\n",
            r"row 3, column 'request_id': duplicate",
        ),
        (HEADER + "\nR1,,,,2025-01-01\n", r"row 2, columns 'email, phone, crm_id': all empty"),
        (HEADER + "\nR1,,,123,2025-01-01\n", r"row 2, column 'source': a crm_id needs"),
        (HEADER + "\n,a@x.com,,,2025-01-01\n", r"row 2, column 'request_id': empty"),
        # the id names the receipt file and is printed: not the requester's address
        *(
            (
                f"{HEADER},source\n{request_id},secret@x.com,{phone},42,2025-01-01,keap\n",
                r"row 2, column 'request_id': the requester's own identifier, or what looks",
            )
            for request_id, phone in [
                ("secret@x.com", ""),
                ("+44 7700 900123", ""),
                ("'+44 7700 900123", ""),
                ("(+44) 7700 900123", ""),
                ("0044 7700 900123", "+447700900123"),
                ("07700 900123", "+447700900123"),  # the row's own number, written nationally
                ("tel:+447700900123", "+447700900123"),
                ("42", ""),  # the row's own CRM id
                # national numbers shorter than nine digits, an extension, a name and address
                ("030 123456", "+49 30 123456"),
                ("01 234 5678", "+353 1 234 5678"),
                ("9123 4567", "+6591234567"),
                ("07700 900123", "+44 7700 900123 ext 45"),
                ("Ann Smith <ann@example.com>", ""),
                ("ann@example.com.", ""),
                # the number with an extension, in other text, or the row's with (0)
                ("07700 900123 ext 45", "+447700900123"),
                ("+44 7700 900123 ext 45", ""),
                ("0044 20 7946 0123", "+44 (0)20 7946 0123"),
                ("REQ 2025-01-15 07700 900123", "+447700900123"),
                ("07700 900123", "+44 7700 900123;ext=45"),
                ("07700 900123", "+44 7700 900123 extn 45"),
                ("07700 900123", "+44 7700 900123 ext-45"),
                ("07700 900123", "+44 7700 900123 Ext.: 45"),
                # short numbers: the trunk 0 or the country code among the last digits
                ("0049 89 12345", "089 12345"),
                ("49 89 12345", "089 12345"),
                ("0043 1 12345", "01 12345"),
                ("89 12345", "+49 89 12345"),
                ("1234567", "+1 123 4567"),
                # whoever's it is: an address however written, an international number,
                # a name, an IBAN or a postcode (fullwidth characters read as ASCII)
                ("0044 7700 900461", ""),
                (
                    "\uff0b\uff14\uff14\uff17\uff17\uff10\uff10\uff19\uff10\uff10\uff14\uff16\uff11",
                    "",
                ),
                ("ZQXLEAK1\uff20planted.example", ""),
                ("zqxleak1(at)planted.example", ""),
                ("zqxleak1 [at] planted [dot] example", ""),
                ("mailto:zqxleak1%40planted.example", ""),
                ("zqxleak1@planted", ""),
                ("Zoltanleak Quxworth", ""),
                ("Jean-Luc Picard", ""),
                # names in the other forms: last name first, initials, titles, joined
                ('"Quxworth, Zoltanleak"', ""),
                ("Dr. Zoltanleak Quxworth", ""),
                ("Z. Quxworth", ""),
                ("Zoltanleak_Quxworth", ""),
                ('"O\'Quxworth, Zoltanleak"', ""),
                ("SECRET", ""),  # the requester's address before its @ (secret@x.com)
                ("GB82 WEST 1234 5698 7654 32", ""),  # an IBAN, its check digits right
                ("ZE3 9QX", ""),
            ]
        ),
        (HEADER + "\nR1,a@x.com,,2025-01-01\n", r"row 2: 4 fields where the header has 5"),
        (HEADER + "\n", r"no requests"),
        (HEADER + "\nR1,secret.example.com,,,2025-01-01\n", r"column 'email': not an e-mail"),
        (HEADER + "\nR1,,0123,,2025-01-01\n", r"row 2, column 'phone': not a phone number"),
        (HEADER + "\nR1,a@x.com,,,9999-12-31\n", r"row 2, column 'received_at': in the future"),
        # an instant with its offset is compared as one: an hour ahead is the future
        (
            HEADER + f"\nR1,a@x.com,,,{(datetime.now(UTC) + timedelta(hours=1)).isoformat()}\n",
            r"row 2, column 'received_at': in the future",
        ),
        # a column named by a value, or a typo: by position, or by name with a suggestion
        (HEADER + ",secret@x.com\nR1,a@x.com,,,2025-01-01,\n", r"unknown column\(s\) column 6;"),
        (HEADER + ",sorce\nR1,a@x.com,,,2025-01-01,\n", r"'sorce' \(did you mean 'source'\?\)"),
        (
            HEADER.replace("email", "emial") + "\nR1,a@x.com,,,2025-01-01\n",
            r"row 1: missing column\(s\) email \(unknown: 'emial' \(did you mean 'email'\?\)\)",
        ),
    ],
)
def test_bad_requests_name_file_row_and_column_never_the_value(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=r"^requests file '.*requests\.csv'(, |: |)") as caught:
        read_requests(path)
    import re

    assert re.search(message, str(caught.value))
    assert "secret@x.com" not in str(caught.value)
    assert "31/01/2025" not in str(caught.value)


@pytest.mark.parametrize(
    ("request_id", "stem"),
    [("R-1", "R-1"), ("a/b c", "a_b_c"), ("../x", "_.._x"), ("Ünï", "_n_")],
)
def test_receipt_stem_is_a_safe_file_name(request_id: str, stem: str) -> None:
    assert receipt_stem(request_id) == stem


@pytest.mark.parametrize(
    "request_id",
    [
        "1708456789",
        "20250115-001",
        "2025/000123456",
        "T-1",
        "0000123456",
        "00-2025-001234",
        "REQ-2025-0001",
        "Ticket #4521",
        "HS 1708456789",
        "DSAR_2025_17",
        # ticket ids that look a little like the rest: a 00 inside, letters and a date
        "DSAR-0042-20250131",
        "Case 00123-20250131",
        "REQ-001-2024-00420",
        "SR20240112000123",
        "DS2025013100001",
        "A123AB",
    ],
)
def test_ticket_numbers_are_request_ids(tmp_path: Path, request_id: str) -> None:
    path = _write(tmp_path, HEADER + f"\n{request_id},a@x.com,,,2025-01-01\n")
    assert [r.request_id for r in read_requests(path)] == [request_id]
