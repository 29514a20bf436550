"""Vectorised descriptions of Presidio's own recognizers (ours carry theirs as
class attributes): islands for patterns Rust cannot run, exact Rust rewrites of
look-aheads, and the key under which a validation answer can be shared.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import polars as pl

from detectors.recognizers.base import TextIsland

_IPV6_PATTERNS: Final = frozenset({"IPv4_mapped", "IPv4_embedded", "IPv6", "IPv6_unspecified"})

ISLANDS: Final[dict[str, tuple[TextIsland, ...]]] = {
    # every IPv6 shape has two colons; the run holds all look-around characters
    "IpRecognizer": (TextIsland(r"[\w.%/]*:[\w.%/]*:[\w.%/:]*", patterns=_IPV6_PATTERNS),),
    # digits with single blanks or hyphens between them, 13 digits at least
    "CreditCardRecognizer": (TextIsland(r"[0-9](?:[ \-]?[0-9]){12,}"),),
    # IbanRecognizer.analyze shortens a match group by group until it validates
    "IbanRecognizer": (
        TextIsland(
            r"[A-Z0-9 \-]*[A-Z]{2}[0-9]{2}[A-Z0-9 \-]*",
            must_match=r"[A-Z]{2}[0-9]{2}(?:[ \-]?[A-Z0-9]{4}){2}",
        ),
    ),
}


# A character every hit needs: cells without one are not searched for the recognizer.
PREFILTERS: Final[dict[str, str]] = {
    "EmailRecognizer": "@",
    "IpRecognizer": r"[\d:]",
    "CreditCardRecognizer": r"\d",
    "IbanRecognizer": r"\d",
    "UkNinoRecognizer": r"\d",
}


def _nino_prefix() -> str:
    """UkNinoRecognizer's first two letters without its look-ahead: the excluded
    pairs (BG, GB, NK, KN, NT, TN, ZZ in any case) taken out of each first letter."""
    first = "abceghjklmnoprstwxyz"
    second = "abceghjklmnprstwxyz"
    excluded = {"bg", "gb", "nk", "kn", "nt", "tn", "zz"}
    groups = []
    for letter in first:
        allowed = "".join(s for s in second if letter + s not in excluded)
        groups.append(f"[{letter}{letter.upper()}][{allowed}{allowed.upper()}]")
    return "(?:" + "|".join(groups) + ")"


REWRITES: Final[dict[tuple[str, str], str]] = {
    ("UkNinoRecognizer", "NINO (medium)"): (
        rf"\b{_nino_prefix()} ?[0-9]{{2}} ?[0-9]{{2}} ?[0-9]{{2}} ?[a-dA-D]\b"
    ),
}


def _email_key(match: pl.Expr) -> pl.Expr:
    # tldextract reads a "local@host" as a URL: only the host decides, unless the
    # local part holds "/", "?" or "#", which end a URL's authority.
    host = match.str.extract(r"@([^@]*)$")
    return (
        pl.when(match.str.contains(r"^[^/?#]*@"))
        .then(pl.concat_str(pl.lit("x@"), host))
        .otherwise(match)
    )


# Validation answers shared by all matches with the same key (a distinct key runs once).
VALIDATION_KEYS: Final[dict[str, Callable[[pl.Expr], pl.Expr]]] = {
    "EmailRecognizer": _email_key,
}
