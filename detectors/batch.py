"""Run Presidio recognizers over many short values at once.

Values are joined into one text with a separator no recognizer can match across,
each recognizer runs once over it, and hits are mapped back to their values. Header
context is applied once per batch (it is the same for every value of a column),
instead of Presidio's per-result context enhancer, which is quadratic in a long text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, Pattern, PatternRecognizer

from detectors.candidates import as_series, could_hit
from detectors.recognizers.base import CONTEXT_BOOST, found_in, recognizer_name

SEPARATOR = "\n\u00a6\n"


@dataclass(frozen=True)
class Hit:
    """One recognizer hit inside one value (offsets are within that value)."""

    entity: str
    start: int
    end: int
    score: float
    recognizer: str


def language_recognizers(analyzer: AnalyzerEngine, language: str) -> list[EntityRecognizer]:
    """Every recognizer ``analyzer`` runs for ``language``."""
    return list(analyzer.registry.get_recognizers(language=language, all_fields=True))


def runs_nlp(analyzer: AnalyzerEngine, language: str) -> bool:
    """Whether detection runs the spaCy pipeline (NER), not patterns and dictionaries only."""
    return any(
        r.__class__.__name__ == "SpacyRecognizer" for r in language_recognizers(analyzer, language)
    )


def _boost(recognizer: EntityRecognizer, context: frozenset[str]) -> float:
    words = {w.lower() for w in (recognizer.context or [])}
    return CONTEXT_BOOST if words & context else 0.0


def best_score(recognizer: EntityRecognizer) -> float:
    """The highest score ``recognizer`` can give a hit before context: its best pattern's,
    unless it validates matches (a validated match scores the maximum) or is not
    pattern-based (then anything up to the maximum)."""
    if (
        isinstance(recognizer, PatternRecognizer)
        and type(recognizer).validate_result is PatternRecognizer.validate_result
    ):
        patterns: list[Pattern] = getattr(recognizer, "patterns", [])
        return max((float(p.score) for p in patterns), default=0.0)
    return float(EntityRecognizer.MAX_SCORE)


def detect_batch(
    analyzer: AnalyzerEngine,
    values: Sequence[str],
    *,
    context: Sequence[str] = (),
    threshold: float,
    language: str = "en",
) -> list[list[Hit]]:
    """Hits per value, at or above ``threshold`` once header context is counted."""
    if not values:
        return []
    text = SEPARATOR.join(values)
    starts = []
    offset = 0
    for value in values:
        starts.append(offset)
        offset += len(value) + len(SEPARATOR)
    context_set = frozenset(w.lower() for w in context)
    recognizers = language_recognizers(analyzer, language)
    needs_nlp = runs_nlp(analyzer, language)
    artifacts = analyzer.nlp_engine.process_text(text, language) if needs_nlp else None

    hits: list[list[Hit]] = [[] for _ in values]
    # A recognizer none of whose hits could count (a bare number without an ID header)
    # is skipped, and so is one whose Rust form finds nothing to look at in any value.
    boosted = [(r, _boost(r, context_set)) for r in recognizers]
    wanted = [(r, boost) for r, boost in boosted if min(1.0, best_score(r) + boost) >= threshold]
    if artifacts is None:
        hittable = could_hit([r for r, _ in wanted], as_series(values))
        wanted = [pair for pair, hit in zip(wanted, hittable, strict=True) if hit]
    for recognizer, boost in wanted:
        # our recognizers and Presidio's pattern ones ignore the artifacts; spaCy's needs
        # them. The floor has a margin: a hit at exactly the threshold still counts below.
        (found_all,) = found_in(recognizer, [text], threshold - boost - 1e-9, artifacts=artifacts)
        for found in found_all:
            score = min(1.0, found.score + boost) if found.score > 0 else 0.0
            if score < threshold:
                continue
            index = bisect_right(starts, found.start) - 1
            start = found.start - starts[index]
            end = found.end - starts[index]
            if end > len(values[index]):
                continue  # crossed a separator: not a hit in any one value
            name = recognizer_name(recognizer)
            hits[index].append(Hit(found.entity, start, end, score, name))
    return hits
