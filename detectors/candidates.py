"""A Rust regex for the texts a recognizer could find anything in.

Each recognizer's vectorised form (``detectors.text``) is a regex that matches every
hit of it: its own pattern, or a looser "island" around its hits, or the chains of
capitalised words names lie in. Where none of a batch's values matches that regex,
the recognizer cannot hit, and its Python ``analyze`` need not run. A recognizer
without such a form always runs.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import polars as pl
from presidio_analyzer import EntityRecognizer

from detectors.text.forms import ExactForm, IslandForm, NamesForm, forms_of
from detectors.text.names import chain_regex

# Per recognizer object (identity-hashed), forgotten with it.
_CANDIDATES: weakref.WeakKeyDictionary[EntityRecognizer, str | None] = weakref.WeakKeyDictionary()


def candidate_regex(recognizer: EntityRecognizer) -> str | None:
    """A Rust regex matching every text ``recognizer`` can hit in, or None (no form)."""
    if recognizer not in _CANDIDATES:
        _CANDIDATES[recognizer] = _build(recognizer)
    return _CANDIDATES[recognizer]


def _build(recognizer: EntityRecognizer) -> str | None:
    # Every pattern, whatever its score: header context may still lift it.
    parts = []
    for form in forms_of(recognizer, 0.0, context_boost=True):
        if isinstance(form, ExactForm):
            parts.append(form.regex)
        elif isinstance(form, IslandForm):
            parts.append(form.island.regex)
        elif isinstance(form, NamesForm):
            parts.append(chain_regex(1))
        else:
            return None
    return "|".join(f"(?:{p})" for p in parts) if parts else None


def could_hit(recognizers: Sequence[EntityRecognizer], values: pl.Series) -> list[bool]:
    """For each recognizer, whether it can find anything in any of ``values``; all their
    regexes in one Polars query."""
    regexes = [candidate_regex(r) for r in recognizers]
    column = pl.col(values.name)
    tests = [
        column.str.contains(regex).any().alias(str(i))
        for i, regex in enumerate(regexes)
        if regex is not None
    ]
    found = values.to_frame().select(tests).row(0, named=True) if tests else {}
    return [regex is None or bool(found[str(i)]) for i, regex in enumerate(regexes)]


def as_series(values: Sequence[str]) -> pl.Series:
    return pl.Series("value", list(values), dtype=pl.String)
