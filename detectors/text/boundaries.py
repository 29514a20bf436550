"""Word boundaries and Rust's regex engine.

A Unicode word boundary (``\\b``) stops Rust's fast DFA at the first non-ASCII byte of
a cell, and a slower engine then searches the cell, several times slower (a German
note costs ~5x an English one). Two exact ways round it:

- ``without_boundaries``: the pattern less its boundary assertions matches wherever
  the pattern does (an assertion only ever rules a match out), so it is a prefilter:
  cells it does not match cannot hold a match, and it runs on the DFA.
- ``ascii_boundaries``: on pure-ASCII text Unicode's word characters are exactly
  ``[0-9A-Za-z_]``, so ASCII-only boundaries find the same matches there.
"""

from __future__ import annotations

import re
from typing import Final

import polars as pl

# \b or \B that is an assertion: not itself escaped (preceded by an even number of
# backslashes) and not one of Rust's \b{start}/\b{end} forms, which stay as they are.
# Inside a character class Rust refuses \b, so a pattern that compiles has none there.
_BOUNDARY: Final = re.compile(r"(?<!\\)((?:\\\\)*)\\([bB])(?!\{)")
# An inline flag group that turns the verbose flag on: (?x), (?ix:...), (?-i x...).
_VERBOSE: Final = re.compile(r"\(\?[a-zA-Z]*x[a-zA-Z-]*[:)]")


def is_ascii(texts: pl.Series) -> pl.Series:
    """Whether each text is pure ASCII (null for a null text)."""
    return texts.str.len_bytes() == texts.str.len_chars()


def ascii_boundaries(pattern: str) -> str:
    """``pattern`` with each word boundary assertion (``\\b``, ``\\B``) ASCII-only."""
    return _BOUNDARY.sub(r"\1(?-u:\\\2)", pattern)


def without_boundaries(pattern: str) -> str:
    """``pattern`` without its word boundary assertions: it matches in every text
    ``pattern`` matches in (and maybe more). A verbose pattern (``x`` flag) is left as
    it is: there ``a\\b {2}`` would become ``a {2}``, which means ``a{2}``."""
    if _VERBOSE.search(pattern):
        return pattern
    return _BOUNDARY.sub(r"\1", pattern)
