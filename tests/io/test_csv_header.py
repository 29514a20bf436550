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
        (
            '{"Id": "0012", "First Name": "Zq", "Phone": "07700 900123"}\n{"Id": "0013"}\n',
            r"its first line is a JSON object, not a CSV header: it holds JSON lines; name it",
        ),
    ],
)
def test_read_header_refuses(text: str, message: str) -> None:
    with pytest.raises(InputError, match=rf"^input 'in\.csv': {message}"):
        _header(text)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # an export without its header line: the first person's row over the next ones
        (
            "5500019,Zqx,Zqy,zq7x@example.com,'+44 7700 900781,1 Zq Road\n"
            "5500020,Ann,Bee,ann@example.org,'+44 7700 900782,2 Road\n"
            "5500021,Bob,Cee,,'+44 7700 900783,3 Road\n",
            "column 4 holds an e-mail address, column 5 holds a phone number",
        ),
        ("17;4500 5166 1605 3445\n18;4500 5166 1605 3446\n", "column 2 holds a phone"),
        ("1001,Ann,ann.smith@example.com\n1002,Bob,\n", "column 3 holds an e-mail address"),
        # a placeholder first, then 90 KB without a value: the check reads on for five
        (
            "1001,Ann,ann.smith@example.com\n1002,Bob,unknown\n"
            + "1003,Cy,\n" * 10_000
            + "".join(f"{i},Di,di{i}@example.org\n" for i in range(10)),
            "column 3 holds an e-mail address",
        ),
        ("zq7x@example.com\nann@example.org\n", "column 1 holds an e-mail address"),
        # a sparse column: blank below for a while, blank lines, or no row at all
        (
            "1001,Ann,zq7x@example.com,'+44 7700 900123\n"
            + "1002,Bob,,\n" * 6
            + "\n\n1009,Cy,cy@example.org,\n",
            # a + number needs no cells under it: no column is named by one
            "column 3 holds an e-mail address, column 4 holds a phone number)",
        ),
        (
            "Zq,zq7x@example.com\n\n\n\n\n\nBob,\n" + "Cy,\n" * 40_000 + "Di,di@example.org\n",
            "column 2 holds an e-mail address",
        ),
        # an address over other things (no column is named by one), or inside text:
        # a JSON line read as CSV
        ("Id,Name,zq7x@example.com\n1,Bob,yes\n2,Ann,no\n", "column 3 holds an e-mail"),
        ("Week,zq7x@example.com\n2024-01,\n2024-02,120\n", "column 2 holds an e-mail"),
        ("Contact,Ann Zq <zq7x@example.com>\n1,2\n", "column 2 holds an e-mail address"),
        # an address inside other text, out of brackets
        ("Ann,zq7x@acme.org; ann@home.org,Paris\nBob,b@x.io,Rome\n", "column 2 holds an e-mail"),
        ("Ann,Call zq7x@acme.org re renewal\nBob,ok\n", "column 2 holds an e-mail address"),
        ("Ann,zq7x@acme.xn--p1ai\nBob,ok\n", "column 2 holds an e-mail address"),
        # phone numbers as exports write them, with an extension or a bracketed code,
        # or inside other text: no column is named by a number written with its +
        ("2001,Zq,'+44 7700 900461 ext. 12\n2002,Bo,x\n", "column 3 holds a phone number"),
        ("2001,Zq,(+44) 7700 900461\n2002,Bo,x\n", "column 3 holds a phone number"),
        ("Id,Mobile +44 7700 900461\n1,2\n", "column 2 holds a phone number"),
        # a number after its area code in brackets, with or without its +: no example
        ("2001,Zq Ax +1 (555) 010-1234\n2002,x\n", "column 2 holds a phone number"),
        ("2001,Zq Ax (555) 010-1234\n2002,x\n", "column 2 holds a phone number"),
        ("2001,Zq Ax (020) 7946 0123\n2002,x\n", "column 2 holds a phone number"),
        ("2001,Zq Ax (+44 (0)20 7946 0123)\n2002,x\n", "column 2 holds a phone number"),
        ("Id,tel:+447700900461\n1,2\n", "column 2 holds a phone number"),
        # over cells of their kind: a national number with its extension, an IBAN, a
        # UK postcode
        (
            "2001,Zq,07700 900461 ext 12\n" + "".join(f"{i},Bo,07700 900{i}\n" for i in range(5)),
            "column 3 holds a phone or card number",
        ),
        (
            "2001,Zq,GB94BARC10201530093459\n"
            + "".join(f"{i},Bo,GB3{i}BARC2004158219383{i}\n" for i in range(5)),
            "column 3 holds an IBAN",
        ),
        (
            "2001,Zq,ZE3 9QX\n" + "".join(f"{i},Bo,SW1A {i}AA\n" for i in range(5)),
            "column 3 holds a postcode",
        ),
        # an address in brackets over cells written so: a row of data, not an example
        (
            "2001,Zq Ax (zq7x@example.org),Leeds\n"
            + "".join(f"{i},Bo Ly (bo{i}@example.com),York\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        # with a label or an extension beside it in the brackets
        (
            "2001,Zq Ax (Tel: +44 7700 900461),Leeds\n"
            + "".join(f"{i},Bo Ly (Tel: +44 7700 90046{i}),York\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        (
            "2001,Zq Ax (zq7x@example.org; work)\n"
            + "".join(f"{i},Bo Ly (bo{i}@example.com; home)\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        # words that begin like an example's but are a person's details
        (
            '2001,"Zq Ax (ex-colleague, +44 7700 900461)",Leeds\n'
            + "".join(f'{i},"Bo Ly (ex-client, +44 7700 90046{i})",York\n' for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        (
            "2001,Zq Ax (Example Corp: zq7x@example.org)\n"
            + "".join(f"{i},Bo Ly (Format Ltd: bo{i}@example.com)\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        # an example's abbreviation inside the address itself, or a phrase of a note
        (
            "2001,Zq Ax (zq.e.green@example.org),Leeds\n"
            + "".join(f"{i},Bo Ly (bo{i}@example.com),York\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        (
            "2001,Zq Ax (prefers contact such as +44 7700 900461)\n"
            + "".join(f"{i},Bo Ly (prefers +44 7700 90046{i})\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        # an example word after the contact, or a name between it and the contact
        *(
            (
                f"2001;Zq Ax ({inside});Leeds\n"
                + "".join(f"{i};Bo Ly (bo{i}@example.com);York\n" for i in range(5)),
                "column 2 holds a contact or a personal number in brackets",
            )
            for inside in (
                "zq7x@example.org, format: HTML",
                "ex. Smith, zq7x@example.org",
                "PA: E.G. Brown, +44 7700 900461",
                "zq7x@example.org e.g. weekends",
                "ex. MCDONALD, zq7x@example.org",
                "ex-wife: e.g. zq7x@example.org",
                "ex: zq7x@old.example.org, now zq7x@example.org",
            )
        ),
        # an example's marker after a person's name, not after a header's words: "ex:"
        # for a former address, an abbreviation for something else
        *(
            (
                f"2001;Zq Ax ({inside});Leeds\n"
                + "".join(f"{i};Bo Ly (bo{i}@example.com);York\n" for i in range(5)),
                "column 2 holds a contact or a personal number in brackets",
            )
            for inside in (
                "ex: zq7x@old.example.org",
                "2. ex: zq7x@old.example.org",
                "P. Ex. +33 6 37 68 71 88",
                "e.g. zq7x@example.org",
            )
        ),
        # a national insurance number over cells of them; a national phone number, an
        # IBAN or a card number in brackets over cells written so
        (
            "Ann,Lee,AB123456D,Gold\n" + "".join(f"Bo,Ly,AB12345{i}C,Silver\n" for i in range(5)),
            "column 3 holds a national insurance number",
        ),
        *(
            (
                f"Zq Ax ({inside}),Gold\n"
                + "".join(f"Bo Ly ({inside[:-1]}{i}),Silver\n" for i in range(5)),
                "column 1 holds a contact or a personal number in brackets",
            )
            for inside in (
                "020 7946 0100",
                "tel. 020 7946 0100",
                "GB82 WEST 1234 5698 7654 32",
                "card 4111 1111 1111 0006",
            )
        ),
        (
            "Zq Ax (NI AB 12 34 56 C),Gold\n"
            + "".join(f"Bo Ly (NI AB 12 34 5{i} C),Silver\n" for i in range(5)),
            "column 1 holds a contact or a personal number in brackets",
        ),
        # a person's name before an example's marker, though a header word is in it
        (
            "2001;Mark Price (ex: zq7x@oldco.example.org);Leeds\n"
            + "".join(f"{i};Bo Ly (bo{i}@example.com);York\n" for i in range(5)),
            "column 2 holds a contact or a personal number in brackets",
        ),
        # fullwidth forms are what they stand for
        ("2001,zq7x\uff20example.org\n3,b@x.io\n", "column 2 holds an e-mail address"),
        ("Zq,\uff0b44 7700 900461\nBo,1\n", "column 2 holds a phone number"),
    ],
)
def test_a_row_of_data_is_no_header(text: str, where: str) -> None:
    with pytest.raises(InputError) as refused:
        _header(text)
    message = str(refused.value)
    assert message.startswith(
        f"input 'in.csv': its first line looks like a row of data, not a header ({where}"
    )
    assert "; export it again with its header row (or, if that is its header, rename" in message
    for value in ("zq7x", "7700", "4500", "Zq", "GB94", "ZE3"):
        assert value not in message


@pytest.mark.parametrize(
    "text",
    [
        "Email,E-mail (work),Phone,Phone 1 Type,Mobile #,Id\na@x.io,b@x.io,1,2,3,4\n",
        "Customer,2024,2024-01-31,31/01/2024,2024-01-31 10:00,Q1 2024\nAnn,1,2,3,4,5\n",
        # headers that look like long numbers, over counts and amounts
        "Email,1/2/2024 - 1/8/2024,2024-01-01 - 2024-01-07,01.01.2024-31.01.2024\n"
        "a@x.io,12,7,1500.00\n",
        "Product,4006381333931,1704067200,100000-499999,360012345678\nTea,3,0,12,9\n",
        # over nothing at all: an unused custom field named by its id, a blank product
        "Ticket ID,Subject,360012345678\n" + "1,Refund,\n" * 3000,
        "Customer,4006381333931,4006381333948\nAnn,,2\n",
        # an address a header mentions, and a price rule, are no person's
        "Id,Email (format: name@company.com),Signup (via news@acme.com)\n1,a@x.io,y\n",
        "Id,Email (e.g. ann@example.com)\n" + "".join(f"{i},bo{i}@example.com\n" for i in range(6)),
        # an example said so, over cells written as the example shows, in any language
        *(
            f"Id,Referred by ({said} jane@example.com)\n"
            + "".join(f"{i},Bo Ly (bo{i}@example.com)\n" for i in range(6))
            for said in (
                "p. ej.",
                "por ejemplo",
                "ad es.",
                "bspw.",
                "zum Beispiel",
                "format:",
            )
        ),
        "Id,Referred by (e.g. jane@example.com)\n"
        + "".join(f"{i},Bo Ly (bo{i}@example.com)\n" for i in range(6)),
        "Product,Price@1.5x\nTea,3\n",
        # a national number an example gives, after a header's words; dates in brackets
        "Id,Phone (e.g. 020 7946 0000)\n"
        + "".join(f"{i},Bo ({i} 020 7946 0100)\n" for i in range(6)),
        "Id,Period (2024-01-01 10:00 - 2024-12-31 18:00)\n"
        + "".join(
            f"{i},Q{i} (2024-0{i + 1}-01 10:00 - 2024-0{i + 2}-01 18:00)\n" for i in range(6)
        ),
        # a number an example gives; codes and postcodes over counts
        "Id,Phone (+44 20 7946 0000),Growth +12%\n1,2,3\n",
        # digits in brackets that are no area code, or an example's in its brackets
        "Id,Revenue (2024) 1.234.567,Phone (e.g. (020) 7946 0123),Sales (000) 12\n1,2,3,4\n",
        "Revenue (000) 1234567,Code (020) 123456,Tickets (300) 400 500 600\n1,2,3\n",
        "Region,SW1A 1AA,M1 1AE,GB94BARC10201530093459\nNorth,3,4,5\n",
    ],
)
def test_real_headers_pass(text: str) -> None:
    assert _header(text)[1] == tuple(text.split("\n", 1)[0].split(","))


@pytest.mark.parametrize(
    ("header", "rows", "delimiter"),
    [
        # commas in a semicolon export's header, the same number in every row
        (
            "Kundennr;Name;Anschrift (Strasse, Hausnr., Zusatz, PLZ, Ort);E-Mail;Telefon\n",
            ["1001;Anna;Hauptstr. 1, EG, links, 10115, Berlin;a@web.de;030 1\n"] * 5,
            ";",
        ),
        # and a different number of them in each row
        (
            "Kundennr;Name;Anschrift (Strasse, Hausnr., PLZ, Ort);E-Mail\n",
            ["1001;Anna;Hauptstr. 1, 10115 Berlin;a@web.de\n", "1002;Bo;Weg 2;b@web.de\n"],
            ";",
        ),
        # a comma export whose notes hold semicolons
        ("Id,Email,Notes\n", ["1,a@x.io,called; no answer\n", "2,b@x.io,ok\n"], ","),
        # decimal commas, and quoted notes over two lines: records, not lines, agree
        (
            "Name;Betrag, EUR;Notiz;Ort\n",
            ['Kunde 1;10,50;"Rückruf am Montag,\n', 'bitte vormerken";Berlin\n'] * 4,
            ";",
        ),
    ],
)
def test_the_delimiter_is_the_one_that_splits_the_rows_as_the_header(
    header: str, rows: list[str], delimiter: str
) -> None:
    assert sniff_delimiter(header, prefer_tab=False, next_lines=rows) == delimiter


def test_long_header_cells_are_judged() -> None:
    from anonymise.io.header_values import header_kind
    from detectors.header_hints import hint_for

    # a role in each word ran a recursion per role, to a RecursionError (blanks before
    # an extension took 223 s, and those in a name's patterns 9.5 s: measured by hand,
    # 0.015 s now)
    assert header_kind("account owner " * 10_000) is None
    assert hint_for("account owner " * 10_000) is not None
    assert header_kind("Email (1" + " " * 140_000 + ")") is None
    assert header_kind("Ann Lee (+44 20 7946 0100" + " " * 140_000 + "ext. 12)") is not None


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("@" * 140_000, None),  # each @ was searched around: 0.6-2 s
        ("@" * 140_000 + " ann@example.com", "email"),
        ("x" + "@" * 140_000 + ".com", None),
        ("@example.com, ann@ example.com, ann@.com", None),
        ("Contact: ann@example.com", "email"),
    ],
)
def test_an_address_in_a_header_is_found_by_its_at_signs_neighbours(
    header: str, kind: str | None
) -> None:
    from anonymise.io.header_values import EMAIL, header_kind

    assert header_kind(header) == (EMAIL if kind else None)
