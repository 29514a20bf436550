"""The plain-value lists: values never treated as personal, terms always redacted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

import polars as pl

from transforms.normalise import normalise_email

# The characters Rust's regex::escape escapes; Python's re.escape escapes others too
# (a space), which Rust's parser is not guaranteed to accept.
_RUST_META: Final = frozenset("\\.+*?()|[]{}^$#&-~")
_WORD: Final = re.compile(r"\w")


def allowed_mask(expr: pl.Expr, allow_values: Iterable[str]) -> pl.Expr:
    """True where the value is allow-listed (compared stripped and lower-cased);
    null never is. The pipeline keeps these values untouched."""
    allowed = sorted({value.strip().lower() for value in allow_values if value.strip()})
    return normalise_email(expr).is_in(pl.Series(allowed, dtype=pl.String)).fill_null(False)


def deny_terms_pattern(terms: Iterable[str]) -> str | None:
    """A case-insensitive Rust regex matching any term as a whole word, or ``None``.

    Terms are escaped (``a.b`` matches only ``a.b``), inner whitespace matches any run
    of whitespace, longer terms are tried first, and a word boundary is required only
    at an end of a term that is a word character (``C++`` still matches).
    """
    words = sorted(
        {" ".join(term.split()) for term in terms if term.strip()},
        key=lambda term: (-len(term), term),
    )
    if not words:
        return None
    return "(?i)(?:" + "|".join(_whole_word(term) for term in words) + ")"


def _whole_word(term: str) -> str:
    body = r"\s+".join(_escape(part) for part in term.split(" "))
    start = r"\b" if _WORD.match(term[0]) else ""
    end = r"\b" if _WORD.match(term[-1]) else ""
    return start + body + end


def _escape(text: str) -> str:
    return "".join("\\" + char if char in _RUST_META else char for char in text)
