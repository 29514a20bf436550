"""``PatternRecognizer.analyze``'s hits as plain tuples, without Presidio objects.

Presidio's ``analyze`` builds a ``RecognizerResult`` and an ``AnalysisExplanation`` for
every match of every pattern, and its duplicate removal then sorts and hashes them all,
weak patterns included (a 0.1 "integer id" matches most values of a numeric column).
Here each pattern runs as Presidio runs it (the ``regex`` module, the recognizer's
flags, its timeout), with Presidio's scoring (validation sets 1 or 0, invalidation 0,
zero scores dropped) and duplicate removal; but a pattern whose matches cannot score
``floor`` is not run at all, and a hit is a tuple. Dropping hits under ``floor`` keeps
the others as they are: Presidio's duplicate removal only lets a result remove one
scoring as much or less.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import TypeGuard

import regex  # type: ignore[import-untyped]
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer
from presidio_analyzer.pattern_recognizer import REGEX_TIMEOUT_SECONDS

_LOG = logging.getLogger(__name__)

Found = tuple[int, int, int, float]  # text index, start, end, score


def runs_as_presidio(recognizer: EntityRecognizer) -> TypeGuard[PatternRecognizer]:
    """Whether ``recognizer``'s hits are its patterns' alone, as Presidio's own
    ``PatternRecognizer.analyze`` finds them (a subclass may only add validation)."""
    return isinstance(recognizer, PatternRecognizer) and not overrides(recognizer, "analyze")


@cache
def _compiled(pattern: str, flags: int) -> regex.Pattern[str]:
    return regex.compile(pattern, flags=flags)


def overrides(recognizer: EntityRecognizer, method: str) -> bool:
    """Whether ``recognizer``'s class has its own ``method`` of ``PatternRecognizer``."""
    return getattr(type(recognizer), method) is not getattr(PatternRecognizer, method)


def compile_patterns(recognizer: EntityRecognizer) -> None:
    """Compile ``recognizer``'s patterns as ``pattern_hits`` runs them, if it runs them
    (each compiled once per process: Presidio's street and e-mail patterns take tens of
    milliseconds each)."""
    if runs_as_presidio(recognizer):
        for pattern in getattr(recognizer, "patterns", []):
            _compiled(pattern.regex, recognizer.global_regex_flags)


def best_pattern_score(recognizer: PatternRecognizer, pattern: Pattern) -> float:
    """The most a match of ``pattern`` can score: validation may raise it to the top,
    unless the recognizer declares that its validation only rejects."""
    raises = overrides(recognizer, "validate_result") and not getattr(
        recognizer, "VALIDATION_ONLY_REJECTS", False
    )
    return float(EntityRecognizer.MAX_SCORE) if raises else float(pattern.score)


def pattern_hits(recognizer: PatternRecognizer, texts: Sequence[str], floor: float) -> list[Found]:
    """The hits of ``recognizer.analyze`` in each text (the text's index, start, end,
    score; the entity is the recognizer's), less those under ``floor``, in text order."""
    validates = overrides(recognizer, "validate_result")
    invalidates = overrides(recognizer, "invalidate_result")
    flags = recognizer.global_regex_flags
    patterns: list[Pattern] = getattr(recognizer, "patterns", [])
    hits: list[Found] = []
    for pattern in patterns:
        if best_pattern_score(recognizer, pattern) < floor:
            continue
        compiled = _compiled(pattern.regex, flags)
        for index, text in enumerate(texts):
            try:
                for match in compiled.finditer(text, timeout=REGEX_TIMEOUT_SECONDS):
                    start, end = match.span()
                    if start == end:
                        continue
                    score = float(pattern.score)
                    if validates or invalidates:
                        matched = text[start:end]
                        valid = recognizer.validate_result(matched) if validates else None
                        if valid is not None:
                            score = float(EntityRecognizer.MAX_SCORE if valid else 0.0)
                        if invalidates and recognizer.invalidate_result(matched):
                            score = 0.0
                    if score > 0 and score >= floor:
                        hits.append((index, start, end, score))
            except TimeoutError:
                # as Presidio does: the text's remaining matches of the pattern are
                # skipped, and it says which pattern (never the text)
                _LOG.warning(
                    "Regex pattern '%s' timed out after %s seconds, skipping.",
                    pattern.name,
                    REGEX_TIMEOUT_SECONDS,
                )
    return _without_duplicates(hits)


def _without_duplicates(hits: list[Found]) -> list[Found]:
    """Presidio's ``remove_duplicates`` within each text, for hits of one entity: a hit
    contained in a kept one scoring as much or more goes, and so does a repeat."""
    kept: list[Found] = []
    active: list[Found] = []  # kept hits of the current text that may still contain
    for hit in sorted(set(hits), key=lambda h: (h[0], h[1], h[1] - h[2], -h[3])):
        at, start, end, score = hit
        active = [k for k in active if k[0] == at and k[2] >= start]
        if any(k[1] <= start and end <= k[2] and score <= k[3] for k in active):
            continue
        kept.append(hit)
        active.append(hit)
    return kept
