"""Build the scanner from the analyzer's registry; scan a column of free text.

The scanner holds the vectorised form of every recognizer the analyzer runs, with
the thresholds the analyzer applies. ``scan`` returns what ``analyze`` returns for
each cell (after Presidio's duplicate removal): row, entity, start, end, score.

With a blank spaCy pipeline Presidio's context enhancer never fires (blank tokens
have no lemmas) and no NER runs, so the vectorised forms are the whole story. With a
real pipeline (lemmas, NER) the analyzer itself runs, once per distinct cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import polars as pl
from presidio_analyzer import AnalyzerEngine, EntityRecognizer

from detectors.analyzer import shared_analyzer
from detectors.nlp_engine import pipe_names
from detectors.recognizers.base import hits_frame, recognizer_name
from detectors.settings import DetectionSettings
from detectors.text.dedupe import remove_duplicates
from detectors.text.forms import (
    ExactForm,
    Form,
    IslandForm,
    NamesForm,
    forms_of,
    prefilter,
)
from detectors.text.names import name_spans
from detectors.text.spans import (
    CELLS,
    END,
    ENTITY,
    MATCH,
    ROW,
    SCORE,
    SPAN_SCHEMA,
    START,
    TEXT,
    distinct_texts,
    empty_spans,
    locate,
    searchable,
    texts_at,
)


@dataclass(frozen=True)
class TextScanner:
    """The vectorised forms, or the analyzer itself where NLP must run per cell."""

    forms: tuple[Form, ...]
    entities: tuple[str, ...]
    language: str
    analyzer: AnalyzerEngine | None = None


def _threshold(analyzer: AnalyzerEngine, recognizer: EntityRecognizer, entity: str) -> float:
    own: dict[str, float] = getattr(recognizer, "score_thresholds", None) or {}
    value = own.get(entity, own.get("default", analyzer.default_score_threshold))
    return float(value)


def _needs_nlp(analyzer: AnalyzerEngine, language: str) -> bool:
    """Lemmas (context words) or NER: only a pipeline with components gives them."""
    components = pipe_names(analyzer.nlp_engine, language)
    return components is None or bool(components)


def build_scanner(analyzer: AnalyzerEngine, language: str = "en") -> TextScanner:
    """The scanner of every recognizer in ``analyzer``'s registry for ``language``."""
    recognizers = analyzer.registry.get_recognizers(language=language, all_fields=True)
    entities = tuple(sorted({ent for r in recognizers for ent in r.supported_entities}))
    if _needs_nlp(analyzer, language):
        return TextScanner((), entities, language, analyzer)
    forms: list[Form] = []
    for recognizer in recognizers:
        if not recognizer.is_loaded:
            recognizer.load()
            recognizer.is_loaded = True
        threshold = min(
            _threshold(analyzer, recognizer, ent) for ent in recognizer.supported_entities
        )
        forms += forms_of(recognizer, threshold, context_boost=False)
    return TextScanner(tuple(forms), entities, language)


@cache
def shared_scanner(settings: DetectionSettings) -> TextScanner:
    return build_scanner(shared_analyzer(settings), settings.language)


def _exact(texts: pl.DataFrame, form: ExactForm) -> pl.DataFrame:
    found = locate(texts, form.regex)
    entity = form.recognizer.supported_entities[0]
    if found.is_empty():
        return empty_spans()
    if not form.validates:
        score = pl.lit(float(form.pattern.score))
    else:
        key = form.key(pl.col(MATCH)) if form.key else pl.col(MATCH)
        found = found.with_columns(key.alias("key"))
        keys = found.get_column("key").unique()
        scores = [_pattern_score(form, k) for k in keys.to_list()]
        lookup = pl.DataFrame({"key": keys, SCORE: pl.Series(scores, dtype=pl.Float64)})
        found = found.join(lookup, on="key", how="left")
        score = pl.col(SCORE)
    return found.select(ROW, pl.lit(entity).alias(ENTITY), START, END, score.alias(SCORE))


def _pattern_score(form: ExactForm, text: str) -> float:
    """PatternRecognizer's score of one match: validation sets 1 or 0, invalidation 0."""
    score = float(form.pattern.score)
    valid = form.recognizer.validate_result(text)
    if valid is not None:
        score = EntityRecognizer.MAX_SCORE if valid else EntityRecognizer.MIN_SCORE
    if form.recognizer.invalidate_result(text):
        score = EntityRecognizer.MIN_SCORE
    return score


def _islands(texts: pl.DataFrame, form: IslandForm) -> pl.DataFrame:
    island = form.island
    found = locate(texts, island.regex)
    if island.must_match is not None:
        found = found.filter(pl.col(MATCH).str.contains(island.must_match))
    if found.is_empty():
        return empty_spans()
    if island.strip:
        lead = pl.col(MATCH).str.len_chars() - pl.col(MATCH).str.strip_chars_start().str.len_chars()
        trail = pl.col(MATCH).str.len_chars() - pl.col(MATCH).str.strip_chars_end().str.len_chars()
        found = found.with_columns(
            (pl.col(START) + lead.cast(pl.Int64)).alias(START),
            (pl.col(END) - trail.cast(pl.Int64)).alias(END),
        ).filter(pl.col(END) > pl.col(START))
    cells = texts_at(texts, found.get_column(ROW))
    width = island.context
    found = found.with_columns(cells.alias(TEXT)).with_columns(
        pl.min_horizontal(pl.col(START), pl.lit(width)).alias("lo")
    )
    before = pl.col(TEXT).str.slice(pl.col(START) - pl.col("lo"), pl.col("lo"))
    body = pl.col(TEXT).str.slice(pl.col(START), pl.col(END) - pl.col(START))
    after = pl.col(TEXT).str.slice(pl.col(END), width)
    if island.context_class is not None:
        before, after = (_context_as(part, island.context_class) for part in (before, after))
    found = found.with_columns(
        pl.concat_str(before, body, after).alias("snippet"),
        (pl.col("lo") + pl.col(END) - pl.col(START)).alias("hi"),
    )
    keys = found.select("snippet", "lo", "hi").unique().with_row_index("at")
    snippets = keys.get_column("snippet").to_list()
    # the recognizer's hits in each distinct snippet (all at once where it can); hits
    # under the threshold are dropped anyway, so their candidates need no check
    hits = hits_frame(form.recognizer, snippets, form.threshold - 1e-9).join(keys, on="at")
    hits = hits.filter(
        (pl.col("lo") <= pl.col(START)) & (pl.col(END) <= pl.col("hi")) & (pl.col(SCORE) > 0)
    ).select(
        "snippet",
        "lo",
        "hi",
        ENTITY,
        (pl.col(START) - pl.col("lo")).alias("rel_start"),
        (pl.col(END) - pl.col("lo")).alias("rel_end"),
        SCORE,
    )
    if hits.is_empty():
        return empty_spans()
    return found.join(hits, on=["snippet", "lo", "hi"]).select(
        ROW,
        ENTITY,
        (pl.col(START) + pl.col("rel_start")).alias(START),
        (pl.col(START) + pl.col("rel_end")).alias(END),
        SCORE,
    )


def _context_as(context: pl.Expr, members: str) -> pl.Expr:
    """Context characters as the recognizer sees them: in ``members`` or not."""
    return context.str.replace_all(members, "a").str.replace_all("[^a]", "\x00")


def _cells(
    texts: pl.DataFrame, analyze: Iterable[tuple[str, EntityRecognizer | AnalyzerEngine]]
) -> pl.DataFrame:
    """Python once per distinct cell: the fallback without a vectorised form."""
    distinct = texts.get_column(TEXT).unique()
    rows: list[tuple[str, str, int, int, float]] = []
    for language, engine in analyze:
        for text in distinct.to_list():
            if isinstance(engine, AnalyzerEngine):
                found = engine.analyze(text, language=language)
            else:
                entities = list(engine.supported_entities)
                found = engine.analyze(text, entities, None) or []  # type: ignore[arg-type]
            rows += [(text, r.entity_type, r.start, r.end, r.score) for r in found]
    if not rows:
        return empty_spans()
    hits = pl.DataFrame(
        rows,
        schema={
            TEXT: pl.String,
            ENTITY: pl.String,
            START: pl.Int64,
            END: pl.Int64,
            SCORE: pl.Float64,
        },
        orient="row",
    )
    return texts.join(hits, on=TEXT).select(SPAN_SCHEMA.names())


def scan(
    scanner: TextScanner, texts: pl.Series, entities: Iterable[str] | None = None
) -> pl.DataFrame:
    """The spans ``analyze`` finds in each cell: row (position in ``texts``), entity,
    start, end (Python character offsets), score.

    Each distinct text is scanned once (notes repeat: "Left a voicemail.").
    """
    groups = distinct_texts(texts)
    distinct = searchable(groups)
    if distinct.is_empty():
        return empty_spans()
    spans = scan_distinct(scanner, distinct, entities)
    if spans.is_empty():
        return spans
    # each distinct text's spans, in every cell that holds it
    in_cells = spans.join(groups.select(ROW, CELLS), on=ROW).explode(CELLS)
    return (
        in_cells.with_columns(pl.col(CELLS).alias(ROW))
        .select(SPAN_SCHEMA.names())
        .sort(ROW, START, END, ENTITY)
    )


def _spans_of(form: Form, texts: pl.DataFrame, language: str) -> pl.DataFrame:
    if isinstance(form, ExactForm):
        return _exact(texts, form)
    if isinstance(form, IslandForm):
        return _islands(texts, form)
    if isinstance(form, NamesForm):
        return name_spans(texts, form.recognizer, form.threshold)
    return _cells(texts, [(language, form.recognizer)])


def scan_distinct(
    scanner: TextScanner,
    frame: pl.DataFrame,
    entities: Iterable[str] | None = None,
    *,
    contained: bool = False,
) -> pl.DataFrame:
    """``scan`` over a frame of (row, text) whose texts are not null or empty.

    ``contained``: keep the spans Presidio drops because another of the same entity
    contains them at an equal or higher score. A redaction may (it merges overlapping
    spans, and such a span changes neither the merged extent nor its entity, unless
    it is empty: a redaction drops empty spans): it saves Presidio's duplicate
    removal (~0.17 s on the bench's notes)."""
    wanted = set(scanner.entities if entities is None else entities)
    if scanner.analyzer is not None:
        spans = _cells(frame, [(scanner.language, scanner.analyzer)])
        return spans.filter(pl.col(ENTITY).is_in(list(wanted)))
    subsets: dict[str | None, pl.DataFrame] = {None: frame}
    parts = []
    # One form after the other, never in threads: this runs inside Polars' workers (an
    # expression's function), and a worker waiting on threads that wait on Polars'
    # pool deadlocks once every worker does (two such columns on two cores).
    for form in scanner.forms:
        if not wanted.intersection(form.recognizer.supported_entities):
            continue
        needed = prefilter(form.recognizer)
        if needed is not None and needed not in subsets:
            subsets[needed] = frame.filter(pl.col(TEXT).str.contains(needed))
        part = _spans_of(form, subsets[needed], scanner.language)
        parts.append(part.filter(pl.col(SCORE) >= form.threshold).cast(SPAN_SCHEMA))
    if not parts:
        return empty_spans()
    spans = pl.concat(parts).filter(pl.col(ENTITY).is_in(list(wanted)))
    return spans if contained else remove_duplicates(spans)


def form_descriptions(scanner: TextScanner) -> list[str]:
    from detectors.text.forms import describe

    if scanner.analyzer is not None:
        return ["AnalyzerEngine.analyze per distinct cell (the NLP pipeline has components)"]
    return [describe(f) for f in scanner.forms]


__all__ = ["TextScanner", "build_scanner", "form_descriptions", "recognizer_name", "scan"]
