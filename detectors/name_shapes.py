"""Whole cells written as a person's name in the forms exports use besides "Jane Doe":
"Doe, Jane", "DOE Jane", "J. Doe", "J.R. Doe", "Jane van der Berg".

PersonNameRecognizer finds runs of dictionary names ("Jane Doe"); a column of names in
these forms gives it no run that covers a cell, so without this test such a column under
a header that says nothing ("Contact", "Customer", "Holder") was kept in clear. A cell
is name-shaped when it is two to five tokens, each a capitalised word, an initial or a
name particle, with at least one dictionary name; a capitalised word outside the
dictionaries is allowed once, beside a known first name ("Aaron Zbigniewski"), unless it
comes back in many cells of the column ("April Webinar", "May Webinar"). Companies
("Smith & Sons", "Pearce Ltd", "Smith, Jones and Brown") and products ("Plan B") are not.
Titles ("Dr", "Prof.", "pani", "MBA") are allowed and do not count as names. Streets and
places named after people ("Via Claudia", "Rua Luísa Cardoso", "Lake Derek", "Jenna
Plains") and companies ("Thierry Maury SA") are not names: a street type first, or a
place, street or legal-form word outside the dictionaries, rules a cell out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Final

from detectors.recognizers.dictionaries import first_names, fold, last_names, street_suffixes


def _words(text: str) -> list[str]:
    return text.split()


# "van der Berg", "de la Cruz", "von Trapp", "di Stefano", "dos Santos", "ter Horst"
PARTICLES: Final = frozenset(
    _words(
        "van von der den de del della des di da das do dos du le la ter ten zu y"
        " bin binti ibn ben al el los las ní nic"
    )
)
# compared without dots, case-folded: "Dr.", "Univ.Prof.", "B.Sc."
_TITLES: Final = frozenset(
    _words(
        "mr mrs ms miss mx dr prof univprof ing dipl herr frau mme mlle sr sra srta sig dott"
        " sigra dipl-ing pan pani ir drs sir dame mba bsc msc ba ma beng meng phd md jr"
    )
)
# a street type or a place word opening the cell: "Via Claudia", "Calle de ...", "West
# Anne" (West is a surname too, but not first)
_STREET_TYPES: Final = frozenset(
    _words(
        "via viale vicolo piazza piazzale corso strada borgo largo rotonda canale stretto"
        " incrocio contrada calle camino cuesta plaza paseo pasaje ronda avenida av avda"
        " vial callejón callejon acceso cañada glorieta travesía travesia rambla senda pasadizo"
        " urbanización urbanizacion"
        " carrer rua praca praça travessa alameda estrada rue allee allée boulevard bd"
        " chemin impasse quai route cours ulica ul aleja plac"
    )
)
_PLACE_WORDS: Final = frozenset(
    _words(
        "new north south east west lake port mount fort saint st san santa santo upper lower"
        " great little old ville town city village"
    )
)
_LEGAL_FORMS: Final = frozenset(
    _words(
        "sa sas sarl sl slu slne sll scoop scom ltd limited plc llc llp inc corp co company"
        " group gmbh ag kg ohg ug bv nv spa srl snc lda sat sp ab as aps oy"
    )
)
_TOKENS: Final = re.compile(r"\s*,\s*|\s+")
_MAX_LENGTH: Final = 120
_SEPARATORS: Final = re.compile(r"[\s/.()]+")
_TRAILING_BRACKET: Final = re.compile(r"\s*\([^()]*\)$")
_NICKNAME: Final = re.compile(r"\s+[\"“'‘][^\"“”'‘’\s]+[\"”'’](?=\s)")
_TITLE_WORD: Final = r"(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|m)\.?"
_COUPLE: Final = re.compile(rf"(?i)^{_TITLE_WORD}\s*(?:&|and|und|et|y|en)\s*(?={_TITLE_WORD}\s)")
_JOINED: Final = re.compile(r"(?<=[^\W\d_]{2})(?:/|\.)(?=[^\W\d_]{2})|\s*/\s*")
# a colour's last word: a column of them ("Rose Gold", "Olive Green", "Hazel Brown") is
# products' colours, though some are first and last names
_COLOURS: Final = frozenset(
    _words(
        "red orange yellow green blue purple violet pink brown black white grey gray silver"
        " gold beige ivory cream teal navy maroon turquoise bronze copper charcoal khaki"
        " lilac lavender indigo"
    )
)
_WORD: Final = re.compile(r"[^\W\d_][^\W\d_]*(?:['’-][^\W\d_]+)*")
_INITIALS: Final = re.compile(r"(?:[^\W\d_]\.){1,3}|[^\W\d_]")
_MAX_TOKENS: Final = 5
# an unknown word in this many distinct values, and this share of them, is a word, not a
# surname
_WORD_MIN_CELLS: Final = 3
_WORD_SHARE: Final = 0.05
_MOSTLY: Final = 0.5  # of distinct values names, for a first name and an unknown word to count


def is_name_shaped(value: str, first: frozenset[str], last: frozenset[str]) -> bool:
    """Whether ``value`` is a person's name in one of the forms above (``first`` and
    ``last``: the case-folded dictionaries), taken alone."""
    return name_shape(value, first, last) is not None


def name_shape(
    value: str, first: frozenset[str], last: frozenset[str], *, formed: bool = False
) -> str | None:
    """``None`` if ``value`` is not name-shaped; else its word outside the dictionaries,
    case-folded, or ``""`` when it has none (``name_shaped_rate`` looks at how often
    such a word comes back). ``formed``: a word outside the dictionaries only in a name's
    form (last name first after a comma, in capitals, with initials, a title or a
    particle), as needed to outvote a header that says "not personal" ("Billy Bookcase"
    under "Product")."""
    if len(value) > _MAX_LENGTH:  # no name is so long (and the patterns stay linear)
        return None
    text = _as_written(value)
    # "james walker" typed so into a form, "Smith/James", "James.Smith": only a first
    # name then a surname that is no first name ("jack russell", "daisy may", "Max.Plus"
    # are breeds, plants and tiers)
    strict = text.islower() or _JOINED.search(value.strip()) is not None
    if text.islower():
        text = text.title()
    if text.count(",") > 1:
        return None
    tokens = _TOKENS.split(text)
    if not 2 <= len(tokens) <= _MAX_TOKENS:
        return None
    if _bare(tokens[0]) in _STREET_TYPES | _PLACE_WORDS:
        return None
    known = initials = 0
    unknown: list[str] = []
    has_first = titled = particled = False
    for token in tokens:
        if token in PARTICLES:
            particled = True
            continue  # "van der Berg, Jan" as well as "Jan van der Berg"
        word = _WORD.fullmatch(token)
        parts = [p.casefold() for p in re.split(r"['’-]", token)]
        is_known = word is not None and (
            all(p in first or p in last for p in parts) or fold(token) in last
        )
        if not is_known and _bare(token) in _TITLES:
            titled = True
            continue
        if not token[:1].isupper():
            return None
        if is_known:
            known += 1
            has_first = has_first or parts[0] in first
        elif _bare(token) in _not_names():
            return None
        elif _INITIALS.fullmatch(token):
            initials += 1
        elif word:
            unknown.append(token.casefold())
        else:
            return None
    if known == 0 or len(unknown) > 1:
        return None
    if strict and not _first_then_surname(
        tokens, first, last, unknown, initials, either_way="/" in value
    ):
        return None
    if unknown:
        marked = titled or particled or initials > 0 or _name_form(text, tokens)
        fits = has_first and (marked or not formed)
        return unknown[0] if fits else None  # "Aaron Zbigniewski", "Okonkwo, Sarah"
    return "" if known + initials + titled >= 2 else None  # "Mr Smith", "J. Doe"


def _first_then_surname(
    tokens: list[str],
    first: frozenset[str],
    last: frozenset[str],
    unknown: list[str],
    initials: int,
    *,
    either_way: bool,
) -> bool:
    """A first name, then a surname that is no first name (``either_way``: or the other
    way round, ``Smith/James``), and nothing outside the dictionaries."""
    words = [t.casefold() for t in tokens if t not in PARTICLES and _bare(t) not in _TITLES]
    if unknown or initials or len(words) < 2:
        return False
    ends = [(words[0], words[-1])] + ([(words[-1], words[0])] if either_way else [])
    return any(a in first and b in last and b not in first for a, b in ends)


def _as_written(value: str) -> str:
    """``value`` without what exports write beside a name: a trailing bracket ("James
    Smith (Acme)"), a nickname in quotes ("James \"Sar\" Smith"), a couple's first title
    ("Mr & Mrs J Smith"); and with "/" and a dot between words read as blanks
    ("Smith/James", "James.Smith")."""
    text = value.strip()
    if text.endswith(")"):
        text = _TRAILING_BRACKET.sub("", text) or text
    if any(quote in text for quote in "\"'“‘"):
        text = _NICKNAME.sub(" ", text)
    if text[:1] and text[0] in "MmDdPpSsHhFf":  # a couple's title may open it
        text = _COUPLE.sub("", text)
    if "/" in text or "." in text:
        text = _JOINED.sub(" ", text)
    return text.strip()


def _name_form(text: str, tokens: list[str]) -> bool:
    """Last name first after a comma, or in capitals beside a name that is not."""
    capitals = [t for t in tokens if len(t) > 1 and t.isupper()]
    return "," in text or (bool(capitals) and len(capitals) < len(tokens))


def _bare(token: str) -> str:
    return token.replace(".", "").casefold()


@cache
def _not_names() -> frozenset[str]:
    """Words outside the name dictionaries that say street, place or company."""
    streets = {_bare(suffix) for suffix in street_suffixes()}
    return frozenset(streets | _PLACE_WORDS | _LEGAL_FORMS | _STREET_TYPES)


def name_shaped_rate(
    values: Sequence[str], counts: Sequence[int], *, formed: bool = False
) -> float:
    """The share of cells (``values`` weighted by ``counts``) that are name-shaped. A
    word outside the dictionaries that comes back in many distinct values is a word, not
    a surname ("April Webinar", "May Webinar"; "Austin, Texas"): its cells do not count.
    Nor do the cells of a first name beside such a word in no name's form ("Max Plus")
    when most distinct values are no names: one such value over most rows is a tier."""
    total = sum(counts)
    if not total or _colours(values):
        return 0.0
    first, last = first_names(), last_names()
    shapes = [
        (value, name_shape(value, first, last, formed=formed), count)
        for value, count in zip(values, counts, strict=True)
    ]
    # by distinct value: one person's several rows (deals, orders) are one name
    beside = Counter(shape for _, shape, _ in shapes if shape)
    words = {
        w for w, n in beside.items() if n >= _WORD_MIN_CELLS and n >= _WORD_SHARE * len(values)
    }
    names = [(v, shape, n) for v, shape, n in shapes if shape is not None and shape not in words]
    if len(names) < _MOSTLY * len(values):
        names = [(v, shape, n) for v, shape, n in names if not shape or _formed(v, first, last)]
    return sum(n for _, _, n in names) / total


def _ends_in_a_colour(value: str) -> bool:
    """``Rose Gold``, ``Rose/Gold``; not a couple, ``Mr & Mrs J Brown``."""
    if len(value) > _MAX_LENGTH or _COLOURS.isdisjoint(_SEPARATORS.split(value.casefold())):
        return False  # no colour in it at all (most cells): the clean-up is not needed
    words = _as_written(value).split()
    titled = any(_bare(w) in _TITLES for w in words)
    return bool(words) and not titled and words[-1].casefold() in _COLOURS


def _colours(values: Sequence[str]) -> bool:
    """Whether most of three or more distinct values end in a colour (no names column
    has most of its surnames Brown, Green, White or Black)."""
    ending = sum(1 for v in values if _ends_in_a_colour(v))
    return len(values) >= _WORD_MIN_CELLS and ending >= _MOSTLY * len(values)


def _formed(value: str, first: frozenset[str], last: frozenset[str]) -> bool:
    return name_shape(value, first, last, formed=True) is not None
