"""Each recognizer's vectorised form, read from the recognizer itself.

- ``ExactForm``: a pattern whose regex runs in Rust as it is (flags converted) or
  as an exact rewrite; the recognizer's ``validate_result``/``invalidate_result``
  run once per distinct match (per distinct key where one is known).
- ``IslandForm``: a Rust regex for the runs of text that hold the hits; the
  recognizer's own ``analyze`` runs once per distinct run (libphonenumber, IBAN
  groups, look-arounds).
- ``NamesForm``: the person-name dictionary, on runs of capitalised words.
- ``CellsForm``: no vectorised form: ``analyze`` once per distinct cell.

Patterns that cannot reach their threshold (a header-backed 0.1 without context)
are left out: Presidio drops their hits anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer

from detectors.recognizers.base import TextIsland, recognizer_name
from detectors.recognizers.pattern_hits import best_pattern_score, overrides
from detectors.recognizers.person_name import PersonNameRecognizer
from detectors.text.presidio_forms import ISLANDS, PREFILTERS, REWRITES, VALIDATION_KEYS
from detectors.text.spans import rust_regex


@dataclass(frozen=True)
class ExactForm:
    recognizer: PatternRecognizer
    pattern: Pattern
    regex: str
    threshold: float
    validates: bool
    key: Callable[[pl.Expr], pl.Expr] | None = None


@dataclass(frozen=True)
class IslandForm:
    recognizer: EntityRecognizer
    island: TextIsland
    threshold: float


@dataclass(frozen=True)
class NamesForm:
    recognizer: PersonNameRecognizer
    threshold: float


@dataclass(frozen=True)
class CellsForm:
    recognizer: EntityRecognizer
    threshold: float


Form = ExactForm | IslandForm | NamesForm | CellsForm


def _islands(recognizer: EntityRecognizer) -> tuple[TextIsland, ...]:
    declared: tuple[TextIsland, ...] = getattr(recognizer, "TEXT_ISLANDS", ())
    return declared or ISLANDS.get(type(recognizer).__name__, ())


def prefilter(recognizer: EntityRecognizer) -> str | None:
    """A Rust regex every cell with a hit of ``recognizer`` matches (declared)."""
    declared: str | None = getattr(recognizer, "TEXT_PREFILTER", None)
    return declared or PREFILTERS.get(type(recognizer).__name__)


def forms_of(recognizer: EntityRecognizer, threshold: float, *, context_boost: bool) -> list[Form]:
    """The vectorised forms of one recognizer (``context_boost``: a score may still
    rise through context words, so no pattern is left out for its score)."""
    if isinstance(recognizer, PersonNameRecognizer):
        return [NamesForm(recognizer, threshold)]
    islands = _islands(recognizer)
    if not isinstance(recognizer, PatternRecognizer) or overrides(recognizer, "analyze"):
        whole = [i for i in islands if i.patterns is None]
        if whole:
            return [IslandForm(recognizer, i, threshold) for i in whole]
        return [CellsForm(recognizer, threshold)]
    name = type(recognizer).__name__
    forms: list[Form] = []
    covered = set().union(*(i.patterns or () for i in islands)) if islands else set()
    needed_islands = False
    validates = overrides(recognizer, "validate_result") or overrides(
        recognizer, "invalidate_result"
    )
    patterns: list[Pattern] = vars(recognizer).get("patterns") or []
    for pattern in patterns:
        if not context_boost and best_pattern_score(recognizer, pattern) < threshold:
            continue
        flags = int(recognizer.global_regex_flags or 0)
        regex = rust_regex(REWRITES.get((name, pattern.name), pattern.regex), flags)
        all_covered = any(i.patterns is None for i in islands)
        if pattern.name in covered or (regex is None and all_covered):
            needed_islands = True
        elif regex is None:
            return [CellsForm(recognizer, threshold)]
        else:
            forms.append(
                ExactForm(
                    recognizer, pattern, regex, threshold, validates, VALIDATION_KEYS.get(name)
                )
            )
    if needed_islands:
        forms += [IslandForm(recognizer, i, threshold) for i in islands]
    return forms


def describe(form: Form) -> str:
    """One line for logs and reports: which recognizer, how it runs."""
    name = recognizer_name(form.recognizer)
    if isinstance(form, ExactForm):
        how = "Rust regex" + (", Python validation per distinct match" if form.validates else "")
        return f"{name} / {form.pattern.name}: {how}"
    if isinstance(form, IslandForm):
        return f"{name}: Rust islands, Python analyze per distinct island"
    if isinstance(form, NamesForm):
        return f"{name}: Rust runs of capitalised words, Python per distinct word"
    return f"{name}: Python analyze per distinct cell (no vectorised form)"
