"""Header cells that are a person's data: the sign of a file without its header line.

A CSV exported without its header row is read with its first person's row as the column
names, and column names go everywhere values never may: the plan, the run report, the
Art. 30 record, Prefect's artifacts and error messages. So a header cell that holds an
e-mail address or a phone number written with its + (anywhere but in brackets) refuses
the file, and so does one that is a phone or card number, an IBAN or a UK postcode
over cells mostly of the same kind. The rows below are read until
there are five non-blank cells under each such number, or a MiB has been read. Both
halves are needed: headers can look like numbers (a product code, a week such as
``1/2/2024 - 1/8/2024``, an epoch, a band such as ``100000-499999``, an unused custom
field named by its id), but the cells under them are then counts and amounts, or
nothing. A first row without such a value (names and a short id only) cannot be told
from a header this way, and is read as one.

``personal_kind`` also judges JSON and Parquet field names (``nested_values``), and
``unknown_columns`` names the columns of files written by hand (identifier files,
erasure requests) without quoting what may be a value.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final

from detectors.contact_shapes import without_extension
from detectors.header_hints import hint_for
from detectors.name_shapes import is_name_shaped
from detectors.recognizers.dictionaries import first_names, last_names

_EMAIL: Final = re.compile(  # not Price@1.5x
    r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)*\.(?:[A-Za-z]{2,}|xn--[A-Za-z0-9-]+)"
)
_LABEL_WORDS: Final = 12  # a header's words before its example, at most
_EMAIL_REACH: Final = 320  # an address's most characters on either side of its @ (RFC 5321)
_BRACKETED: Final = re.compile(r"\([^()]*\)")  # "Email (format: name@company.com)"
_ADDRESS: Final = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)+")  # where one starts
_LOCAL_CHAR: Final = re.compile(r"[\w.%+\-]")
_LETTER: Final = re.compile(r"[^\W\d_]")  # a word before an example's marker, or after it
# brackets that say they hold an example, anywhere in them: an abbreviation with its dots
# or colon ("e.g.", "eg:", "z.B.", "p. ej.", "bijv."), or a word with its colon or after
# "for", "zum", "par", "por", "per" ("example:", "for example", "format:")
_EXAMPLE: Final = re.compile(
    r"(?i)(?<![\w.@])(?:(?:e\.\s?g\.?|eg[.:]|i\.\s?e\.|ex[.:]|z\.\s?b\.|bspw\.|bsp[.:]|bijv\.|bv\.|np\.|"
    r"p\.\s?ex\.?|p\.\s?ej\.|ad\s?es\.|f\.\s?eks\.|esim\.))|"
    r"(?:example|format|beispiel|exemple|ejemplo|esempio|voorbeeld|exempel|przyk\w*)\s*:|"
    r"(?:for|zum|par|por|per)\s+(?:example|beispiel|exemple|ejemplo|esempio)\b"
)
_NUMBER: Final = re.compile(r"\+?[\d\s().\-/]+")
# A number with its +, nine digits or more: only a phone number is written so.
_PLUS_NUMBER: Final = re.compile(r"\+\s*\(?\d(?:[\s().\-/]*\d){8,}")
# a number after its area code in brackets: "(555) 010-1234", "(020) 7946 0123"
# a number after its area code in brackets, 10 digits or more in all: "(555) 010-1234",
# "(020) 7946 0123" (not "(000) 1234567", "(020) 123456" nor "(300) 400 500 600")
_AREA_NUMBER: Final = re.compile(
    r"(?<![\w+])(?:\([2-9]\d{2}\)[ .\-]?\d{3}[ .\-]?\d{4}"
    r"|\(0[1-9]\d{0,3}\)[ .\-]?\d(?:[ .\-]?\d){5,9})(?!\d)"
)
_MIN_AREA_DIGITS: Final = 10
_AREA_CODE: Final = re.compile(r"\((\d{1,5})\)")  # brackets that hold digits alone
_KEPT: Final = ("\ue010", "\ue011")  # an area code's brackets, while the others go
_IBAN: Final = re.compile(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}")
_UK_NINO: Final = re.compile(r"(?i)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]")
# the same inside a bracket's text, and a national phone or card number written there
_IBAN_IN: Final = re.compile(rf"\b{_IBAN.pattern}\b")
_UK_NINO_IN: Final = re.compile(rf"\b{_UK_NINO.pattern.removeprefix('(?i)')}\b", re.IGNORECASE)
_LONG_NUMBER_IN: Final = re.compile(r"(?<![\w+])\d(?:[\s.\-/]*\d){8,}")
_UK_POSTCODE: Final = re.compile(r"(?i)[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}")
_DATE_OR_TIME: Final = re.compile(
    r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
# Phone numbers (E.164 allows 15 digits, national forms start at ~9) and card numbers;
# a date, with its time, is written with fewer digits or in a shape of its own.
_MIN_DIGITS: Final = 9
_LEADING_APOSTROPHES: Final = "'\u2019`"  # spreadsheets keep a number as text so
EMAIL: Final = "an e-mail address"
PHONE: Final = "a phone number"
LONG_NUMBER: Final = "a phone or card number"
IBAN: Final = "an IBAN"
POSTCODE: Final = "a postcode"
NINO: Final = "a national insurance number"
BRACKETED: Final = "a contact or a personal number in brackets"
# Kinds a header cell is refused for at once: no column is named by an address or a
# number written with its +. The others need the cells below to be of the kind too.
ALWAYS: Final = frozenset({EMAIL, PHONE})
_CONFIRMED_BY: Final = {
    LONG_NUMBER: frozenset({LONG_NUMBER, PHONE}),
    IBAN: frozenset({IBAN}),
    POSTCODE: frozenset({POSTCODE}),
    NINO: frozenset({NINO}),
    BRACKETED: frozenset({BRACKETED}),
}
CELLS_COMPARED: Final = 5
_CLOSE: Final = 0.75  # difflib ratio: "emial" is 0.8 from "email"


def personal_kind(text: str) -> str | None:
    """What ``text`` is, as a whole, if it is an e-mail address (``EMAIL``), a phone
    number with its + (``PHONE``), a phone or card number (``LONG_NUMBER``), an IBAN, a
    UK postcode or a national insurance number; else ``None``. A phone number's
    extension is left out; fullwidth forms (``＠``, ``＋``, digits) count as what they
    stand for."""
    cell = unicodedata.normalize("NFKC", bare_cell(text))
    if _EMAIL.fullmatch(cell):
        return EMAIL
    number = without_extension(cell)
    if _PLUS_NUMBER.fullmatch(number.lstrip("(")):
        return PHONE
    if _is_long_number(number):
        return LONG_NUMBER
    if _IBAN.fullmatch(cell):
        return IBAN
    if _UK_POSTCODE.fullmatch(cell):
        return POSTCODE
    if _UK_NINO.fullmatch(cell):
        return NINO
    return None


def bare_cell(text: str) -> str:
    """``text`` without surrounding blanks and a spreadsheet's leading apostrophes."""
    return text.strip().lstrip(_LEADING_APOSTROPHES).strip()


def header_kind(name: str) -> str | None:
    """What a header cell holds if it is a person's data: an e-mail address or a phone
    number with its + anywhere in it (``ann@x.org; ann@home.org``, ``Ann <ann@...>``, a
    JSON line's ``"Email": "ann@..."``, ``Mobile +44 7700 ...``, ``tel:+44...``) but in
    brackets, where a header gives an example (``Email (format: name@company.com)``,
    ``Phone (+44 20 7946 0000)``); or, whole, what ``personal_kind`` finds. One in
    brackets is ``BRACKETED``, refused only over cells below written so too (``Ann Lee
    (ann@example.com)``: a row of data), not over plain addresses or numbers."""
    cell = unicodedata.normalize("NFKC", bare_cell(name))
    outside_brackets = _BRACKETED.sub(" ", cell)
    if _holds_email(outside_brackets):
        return EMAIL
    if _PLUS_NUMBER.search(outside_brackets) or _number_after_area_code(cell):
        return PHONE
    if kind := personal_kind(cell):
        return kind
    return BRACKETED if _contact_in_brackets(cell) else None


def _number_after_area_code(cell: str) -> bool:
    """A phone number written with its area code in brackets (``Ann Lee +1 (555)
    010-1234``, ``Ann Lee (020) 7946 0123``) outside the brackets of other text, nested
    ones too (an example's: ``Phone (e.g. (020) 7946 0123)``)."""
    opening, closing = _KEPT
    text = _AREA_CODE.sub(rf"{opening}\1{closing}", cell)
    while (outside := _BRACKETED.sub(" ", text)) != text:
        text = outside
    text = text.replace(opening, "(").replace(closing, ")")
    return bool(_PLUS_NUMBER.search(text)) or any(
        sum(char.isdigit() for char in found.group()) >= _MIN_AREA_DIGITS
        for found in _AREA_NUMBER.finditer(text)
    )


def _contact_in_brackets(cell: str) -> bool:
    """An e-mail address, a phone or card number, an IBAN or a national insurance number
    in brackets (``Ann Lee (ann@x.org)``, ``(Tel: +44 ...)``, ``(020 7946 0100)``),
    unless the brackets open by saying they give an example, and nothing but the
    example follows (``(e.g. name@company.com)``, ``(format: ...)``; not ``(ann@x.org,
    format: HTML)``, ``(PA: E.G. Brown, +44 ...)`` nor ``(ex-wife: e.g. ...)``), after
    words a header is made of (``Email``, ``Referred by``): after a person's name, the
    same markers say other things (``Ann Lee (ex: ann@old.org)``, a former address)."""
    for group in _BRACKETED.findall(cell):
        inside = group[1:-1]
        contacts = _contacts_in(inside)
        if not (contacts or _holds_email(inside)):
            continue
        addresses = _address_spans(inside)
        first = min([start for start, _ in contacts] + [_at_or_end(inside)])
        after = _without(inside, contacts)[first:]
        said = not _LETTER.search(after) and any(
            marker.end() <= first
            and not _LETTER.search(inside[: marker.start()])
            and not _LETTER.search(inside[marker.end() : first])
            for marker in _EXAMPLE.finditer(inside)
            if not any(start <= marker.start() < end for start, end in addresses)
        )
        if not (said and _labelled(cell)):
            return True
    return False


def _labelled(cell: str) -> bool:
    """Whether the words outside the brackets are a header's (``Email``, ``Referred
    by``): a few words, that say what a column holds, and are no person's name (``Mark
    Price`` holds a word a header may too)."""
    label = _BRACKETED.sub(" ", cell)
    if len(label.split()) > _LABEL_WORDS:
        return False
    return hint_for(label) is not None and not is_name_shaped(label, first_names(), last_names())


def _contacts_in(inside: str) -> list[tuple[int, int]]:
    """Where the contacts a bracket may hold are: e-mail addresses and + numbers, and,
    dates and times aside, numbers of 9 digits or more (a national phone or a card
    number), IBANs and national insurance numbers."""
    undated = _DATE_OR_TIME.sub(lambda date: " " * len(date.group()), inside)
    return _address_spans(inside) + [
        match.span()
        for pattern, text in (
            (_PLUS_NUMBER, inside),
            (_LONG_NUMBER_IN, undated),
            (_IBAN_IN, undated),
            (_UK_NINO_IN, undated),
        )
        for match in pattern.finditer(text)
    ]


def _address_spans(text: str) -> list[tuple[int, int]]:
    """Where ``_ADDRESS`` matches, looked for from each ``@`` only (as ``_holds_email``):
    from every position, a long run of word characters is scanned to its end each time."""
    spans: list[tuple[int, int]] = []
    at = text.find("@")
    while at != -1:
        start = at
        while start > max(0, at - _EMAIL_REACH) and _LOCAL_CHAR.match(text[start - 1]):
            start -= 1
        if (match := _ADDRESS.match(text, start, at + _EMAIL_REACH)) and match.end() > at:
            spans.append(match.span())
        at = text.find("@", max(at + 1, match.end() if match else 0))
    return spans


def _without(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with blanks where ``spans`` are."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _at_or_end(text: str) -> int:
    at = text.find("@")
    return len(text) if at == -1 else at


def flagged_cells(
    names: Sequence[str], rows_below: Iterable[Sequence[str]]
) -> dict[int, tuple[str, list[str]]]:
    """Each header cell that is a person's data, by index: its kind and, for a number,
    the first ``CELLS_COMPARED`` non-blank cells below it in ``rows_below`` (the records
    after the header, read only as far as needed)."""
    flagged: dict[int, tuple[str, list[str]]] = {
        index: (kind, []) for index, name in enumerate(names) if (kind := header_kind(name))
    }
    compared = {index: cells for index, (kind, cells) in flagged.items() if kind not in ALWAYS}
    for row in rows_below if compared else ():
        for index, cells in compared.items():
            if len(cells) < CELLS_COMPARED and index < len(row) and row[index].strip():
                cells.append(row[index])
        if all(len(cells) >= CELLS_COMPARED for cells in compared.values()):
            break
    return flagged


def needs_cells(flagged: dict[int, tuple[str, list[str]]]) -> bool:
    """Whether a flagged number has fewer than ``CELLS_COMPARED`` cells to judge it by."""
    return any(
        kind not in ALWAYS and len(cells) < CELLS_COMPARED for kind, cells in flagged.values()
    )


def values_in_header(flagged: dict[int, tuple[str, list[str]]]) -> list[tuple[int, str]]:
    """(1-based position, what it holds) of each flagged header cell: an e-mail address
    or a + number always (no column is named by one), another kind over cells most of
    which are of its kind too (an unused custom field is often named by its numeric
    id, and a product code or an epoch names a column of counts)."""
    return [
        (index + 1, kind)
        for index, (kind, cells) in flagged.items()
        if kind in ALWAYS or 2 * sum(_confirms(kind, cell) for cell in cells) > len(cells) > 0
    ]


def _holds_email(text: str) -> bool:
    """``_EMAIL`` anywhere in ``text``, looked for around each ``@`` only: searched from
    every position, a 140 KB header took 29 s (the local part is scanned to its end
    from each start)."""
    at = text.find("@")
    while at != -1:
        # an address has a character of its own on either side of its @ (a header of
        # @s was searched at each one: 0.6-2 s for 140 KB)
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        if (
            before not in ("", "@")
            and not before.isspace()
            and after not in ("", "@", ".")
            and not after.isspace()
            and _EMAIL.search(text[max(0, at - _EMAIL_REACH) : at + _EMAIL_REACH])
        ):
            return True
        at = text.find("@", at + 1)
    return False


def _confirms(kind: str, cell: str) -> bool:
    if kind == BRACKETED:
        return _contact_in_brackets(unicodedata.normalize("NFKC", bare_cell(cell)))
    return personal_kind(cell) in _CONFIRMED_BY.get(kind, frozenset())


def _is_long_number(cell: str) -> bool:
    if not _NUMBER.fullmatch(cell) or _DATE_OR_TIME.fullmatch(cell):
        return False
    return sum(char.isdigit() for char in cell) >= _MIN_DIGITS


def data_as_header_message(
    found: Sequence[tuple[int, str]],
    advice: str = (
        "export it again with its header row (or, if that is its header, rename those "
        "columns: a column name goes into plans, reports and records)"
    ),
) -> str:
    """What the refusal says: positions and kinds, never the values."""
    where = ", ".join(f"column {position} holds {kind}" for position, kind in found[:5])
    more = f" and {len(found) - 5} more" if len(found) > 5 else ""
    return f"its first line looks like a row of data, not a header ({where}{more}); {advice}"


def unknown_columns(header: Sequence[str], known: Sequence[str]) -> list[str]:
    """The header's columns not in ``known``, as an error may name them: by name where
    the name is close to a known one (a typo such as ``emial``), else by position only,
    as the cell may be a person's data (a file without its header line)."""
    named = []
    for position, name in enumerate(header, start=1):
        if name in known:
            continue
        close = difflib.get_close_matches(name, known, n=1, cutoff=_CLOSE)
        named.append(f"'{name}' (did you mean '{close[0]}'?)" if close else f"column {position}")
    return named
