"""Text redaction: replace personal data *inside* free text (notes, comments).

The ``redact_text`` action finds spans with the vectorised scanner
(``detectors.text``): the analyzer's own recognizers (Presidio's patterns and
checksums, our phone, postcode, address and name recognizers), the spans Presidio's
``analyze`` would find cell by cell. Overlapping spans merge; each span becomes
``<ENTITY>`` (mode ``label``) or the pseudonym the ``pseudonymise`` action gives the
same value in a column (mode ``pseudonymise``), so a note still joins to its contact.

``redact_spans`` is the older hand-written table (``DEFAULT_PATTERNS``), kept for
callers that want fixed patterns. Each entity has one Rust-regex pattern, applied in
table order: e-mails go first so that the digits of
``jane.07700900123@x.com`` are not taken for a phone number, IP addresses before phones
for the same reason. A match becomes ``<ENTITY>`` (mode ``label``) or the entity's
pseudonym (mode ``pseudonymise``), the very token the ``pseudonymise`` action gives the
same value in a column, so a note still joins to its contact. Tokens and labels contain
nothing a later pattern matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any, Final, Literal

import polars as pl
import pydantic

from anonymise.errors import ConfigError
from detectors.contact_shapes import TEXT_EXTENSION
from detectors.settings import DetectionSettings
from detectors.text import TextScanner, shared_scanner
from detectors.text.presidio_forms import REWRITES
from detectors.text.scanner import scan_distinct
from detectors.text.spans import (
    CELLS,
    END,
    ENTITY,
    MATCH,
    ROW,
    SCORE,
    START,
    TEXT,
    Candidates,
    distinct_texts,
    empty_spans,
    holding,
    in_their_cells,
    locate,
    searchable,
)
from detectors.text.stand_ins import STAND_IN, locate_on_stand_ins, with_stand_ins
from transforms.date_shield import shield_dates, unshield_dates
from transforms.pseudonymise import (
    DEFAULT_LENGTH,
    DEFAULT_PREFIX,
    TokenLength,
    TokenPrefix,
    pseudonymise,
)
from transforms.registry import ActionContext, register
from transforms.text_birth_dates import BIRTH_DATE, BIRTH_DATE_CUES
from transforms.text_checksums import CARD, CHECKS, IBAN, valid_end
from transforms.text_replace import replace_all
from transforms.text_spans import REPLACEMENT, VALUE, merge_overlaps, replace_spans, with_values
from transforms.wrapped_spans import (
    CLOSE,
    OPEN,
    SpansFunction,
    checked_part,
    replace_in_rows,
    replace_wrapped,
    rows_holding,
)

Mode = Literal["label", "pseudonymise"]

# a blank, a dot or a hyphen, the en dash too (word processors write "0161–496–0000";
# the date shield knows it)
_PHONE_SEPARATOR: Final = r"[ .\-–]?"
# an extension is part of the number: without it "5000x12" had no word boundary to end
# on and was left whole
_PHONE_EXTENSION: Final = rf"{TEXT_EXTENSION}?"
DEFAULT_PATTERNS: Final[Mapping[str, str]] = {
    # dots may repeat: exports hold addresses such as "x@mace-s.a.r.l..fr"
    "EMAIL_ADDRESS": r"[\w.%+\-]+@[\w\-]+(?:\.+[\w\-]+)*\.+[A-Za-z]{2,}",
    "IP_ADDRESS": (
        r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b"
        r"|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b"
        r"|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5}\b"
    ),
    # a date after "DOB", "born on", "geb." ...: only the date is replaced, the cue stays
    "DATE_OF_BIRTH": BIRTH_DATE,
    # replaced as far as their checksums hold (``transforms/text_checksums.py``), before
    # the phone pattern takes their digits
    "CREDIT_CARD": CARD,
    "IBAN_CODE": IBAN,
    # Presidio's UK_NINO pattern, its look-ahead spelt out for Rust (two letters, but not
    # BG, GB, NK, KN, NT, TN or ZZ; three pairs of digits; A to D; blanks between or none)
    "UK_NINO": REWRITES[("UkNinoRecognizer", "NINO (medium)")],
    # International (+44 ..., +1 (555) ...), an area code in brackets, or 9-15 digits
    # with single spaces, dots or hyphens between them.
    "PHONE_NUMBER": (
        rf"\+\d{{1,3}}{_PHONE_SEPARATOR}(?:\(\d{{1,5}}\){_PHONE_SEPARATOR})?"
        rf"\d(?:{_PHONE_SEPARATOR}\d){{5,13}}{_PHONE_EXTENSION}\b"
        rf"|\(\d{{2,5}}\){_PHONE_SEPARATOR}\d(?:{_PHONE_SEPARATOR}\d){{5,9}}{_PHONE_EXTENSION}\b"
        rf"|\b\d(?:{_PHONE_SEPARATOR}\d){{8,14}}{_PHONE_EXTENSION}\b"
    ),
    # UK shape, any case, but no Q, V or X first ("Q1 2nd") nor a lower-case ordinal
    # after it ("A4 3rd")
    "POSTCODE": (
        r"\b(?i:[A-PR-UWYZ][A-Z]?\d[A-Z\d]?|GIR) ?\d"
        r"(?:[A-Z][A-Za-z]|[a-z][A-Z]|[a-mo-qu-z][a-z]|n[a-ce-z]|r[a-ce-z]|s[a-su-z]|t[a-gi-z])\b"
    ),
}
# What every match of the entity's pattern holds: cells without it are not searched.
# The tighter, the fewer cells the full pattern runs on.
_CANDIDATES: Final[Mapping[str, Candidates]] = {
    "EMAIL_ADDRESS": "@",
    # an IPv4 octet's last digit and the next one's first; two IPv6 groups (or "::")
    "IP_ADDRESS": r"\d\.\d|[0-9A-Fa-f]:[0-9A-Fa-f:]",
    "DATE_OF_BIRTH": BIRTH_DATE_CUES,
    # thirteen digits, single separators between them, the first 2-6 and not after a
    # word character or a "+" (a match after a "+" fails its check: "+49 162 79584611")
    "CREDIT_CARD": r"(?:^|[^+\w])[2-6]\d(?:[ \-]?\d){11}",
    # a country, its check digits and a group
    "IBAN_CODE": r"[A-Z]{2}\d{2} ?[A-Z0-9]{4}",
    # a letter, the three pairs of digits and the letter ending it ("0000 and" after a
    # phone number is none: 15k of the bench's notes held the digits and a letter alone)
    # (no \b: a Unicode word boundary keeps Rust's fast engine off the whole pass)
    "UK_NINO": r"[A-Za-z] ?\d\d ?\d\d ?\d\d ?[a-dA-D](?:[^A-Za-z0-9_]|$)",
    # six digits, single separators between them, as every alternative holds
    "PHONE_NUMBER": r"\d" + rf"(?:{_PHONE_SEPARATOR}\d)" * 5,
    # the inward code's digit and letters (the same case-blind class as the pattern)
    "POSTCODE": r"(?i)\d[A-Z]{2}",
}

# Entities that few notes hold: one pass finds the cells of all of them, and only those
# cells are searched (each pass over the bench's 157k distinct notes costs ~0.016 s).
_RARE: Final = frozenset({*CHECKS, "UK_NINO"})

# Patterns whose group 1 is context kept in the text and group 2 the value replaced.
_KEEPS_CUE: Final = frozenset({"DATE_OF_BIRTH"})


def redact_spans(
    expr: pl.Expr,
    *,
    patterns: Mapping[str, str] = DEFAULT_PATTERNS,
    mode: Mode = "label",
    ctx: ActionContext | None = None,
    prefix: str = DEFAULT_PREFIX,
    length: int = DEFAULT_LENGTH,
) -> pl.Expr:
    """Free text with every match of ``patterns`` (entity -> pattern, in order) replaced."""
    if mode == "pseudonymise" and ctx is None:
        raise ValueError("mode 'pseudonymise' needs a ctx with the key")

    def redact(texts: pl.Series) -> pl.Series:
        # The wrapping characters must not occur in the text itself.
        marks = f"[{OPEN}{CLOSE}]"
        texts = replace_all(texts, marks, "", candidates=marks)
        # One pass finds the cells that may hold a card, an IBAN or a NINO, for all three:
        # what the entities before them put in a cell (labels, tokens) cannot start one.
        rare_rows = rows_holding(texts, [_rare_candidates(e, p) for e, p in patterns.items()])
        for entity, pattern in patterns.items():
            phone = entity == "PHONE_NUMBER"
            if phone:
                texts = shield_dates(texts)  # "2024-03-05 09:15" is no phone number
            candidates = _CANDIDATES[entity] if DEFAULT_PATTERNS.get(entity) == pattern else None
            if mode == "label":
                replace = _labels(entity) if entity in _RARE else None
            else:
                assert ctx is not None
                replace = _tokens(entity, ctx=ctx, prefix=prefix, length=length)
            if entity in _RARE:
                assert replace is not None
                if entity in CHECKS:
                    replace = checked_part(replace, partial(valid_end, entity))
                texts = replace_in_rows(texts, pattern, rare_rows, replace)
            else:
                texts = _redact_entity(texts, entity, pattern, candidates, replace)
            if phone:
                texts = unshield_dates(texts)
        return texts

    # The whole column in one call (``is_elementwise`` would call it once per chunk).
    return expr.map_batches(redact, return_dtype=pl.String).name.keep()


def _redact_entity(
    texts: pl.Series,
    entity: str,
    pattern: str,
    candidates: Candidates | None,
    replace: SpansFunction | None,
) -> pl.Series:
    """``texts`` with ``entity``'s matches replaced: by its label where ``replace`` is
    None, else by what ``replace`` gives each distinct match."""
    cue, value = ("${1}", "${2}") if entity in _KEEPS_CUE else ("", "${0}")
    if replace is None:
        return replace_all(texts, pattern, f"{cue}<{entity}>", candidates=candidates)
    wrapped = replace_all(texts, pattern, f"{cue}{OPEN}{value}{CLOSE}", candidates=candidates)
    return replace_wrapped(wrapped, replace)


def _rare_candidates(entity: str, pattern: str) -> str | None:
    """What a cell must hold for ``entity``, one of the rare ones, to be searched: its
    candidate where it has its default pattern, else anything; ``""`` for an entity
    that is not rare (the one pass does not search for it)."""
    if entity not in _RARE:
        return ""
    if DEFAULT_PATTERNS[entity] != pattern:
        return None
    candidates = _CANDIDATES[entity]
    assert isinstance(candidates, str)  # a regex, not words
    return candidates


def _labels(entity: str) -> SpansFunction:
    def labels(spans: pl.Series) -> pl.Series:
        return pl.Series(spans.name, [f"<{entity}>"] * len(spans), dtype=pl.String)

    return labels


def _tokens(entity: str, *, ctx: ActionContext, prefix: str, length: int) -> SpansFunction:
    def tokens(spans: pl.Series) -> pl.Series:
        return (
            spans.to_frame("span")
            .select(
                pseudonymise(
                    pl.col("span"),
                    key=ctx.key,
                    entity=entity,
                    prefix=prefix,
                    length=length,
                    phone_region=ctx.phone_region,
                )
            )
            .to_series()
        )

    return tokens


def patterns_for(entities: list[str] | None) -> dict[str, str]:
    """The default patterns of ``entities`` (all if None), in table order."""
    if entities is None:
        return dict(DEFAULT_PATTERNS)
    unknown = sorted(set(entities) - set(DEFAULT_PATTERNS))
    if unknown:
        raise ConfigError(
            f"action 'redact_text': param 'entities': no pattern for '{unknown[0]}'; "
            f"known entities: {', '.join(DEFAULT_PATTERNS)}"
        )
    return {entity: p for entity, p in DEFAULT_PATTERNS.items() if entity in entities}


def check_entities(entities: list[str] | None, scanner: TextScanner) -> None:
    unknown = sorted(set(entities or ()) - set(scanner.entities))
    if unknown:
        raise ConfigError(
            f"action 'redact_text': param 'entities': no pattern for '{unknown[0]}'; "
            f"known entities: {', '.join(scanner.entities)}"
        )


TABLE_SCORE: Final = 0.5


# Patterns that see a non-ASCII character only as a word character or a digit: they
# run on ASCII stand-ins of the text (``detectors.text.stand_ins``).
_ON_STAND_INS: Final = frozenset({"PHONE_NUMBER"})


def table_spans(texts: pl.DataFrame, entities: list[str] | None) -> pl.DataFrame:
    """Spans of ``DEFAULT_PATTERNS`` (of ``entities`` where they have one) in ``texts``
    (row, text, and maybe their stand-ins): shapes exports hold that Presidio's patterns
    miss ("x@mace-s.a.r.l..fr"). Each pattern runs only on the cells holding its
    candidate (``_CANDIDATES``), as in ``redact_spans``: 0.73 -> 0.54 s on the
    benchmark's 157k distinct notes."""
    # The scanner finds the rare ones (cards, IBANs, NINOs) with Presidio's own recognizers.
    wanted = {
        entity: p
        for entity, p in DEFAULT_PATTERNS.items()
        if entity not in _RARE and (entities is None or entity in entities)
    }
    parts = []
    for entity, pattern in wanted.items():
        held = texts.filter(holding(pl.col(TEXT), _CANDIDATES[entity]))
        if entity == "PHONE_NUMBER":
            # dates kept out of the phone pattern's reach, as redact_spans keeps them
            held = with_stand_ins(held) if STAND_IN not in held.columns else held
            held = held.with_columns(shield_dates(held.get_column(STAND_IN)))
        found = (
            locate_on_stand_ins(held, pattern, as_written=False)  # the offsets are all it needs
            if entity in _ON_STAND_INS
            else locate(held, pattern)
        )
        start = pl.col(START)
        if entity in _KEEPS_CUE:  # the span starts after the cue
            start += pl.col(MATCH).str.extract(pattern, 1).str.len_chars().cast(pl.Int64)
        parts.append(
            found.select(
                ROW,
                pl.lit(entity).alias(ENTITY),
                start.alias(START),
                END,
                pl.lit(TABLE_SCORE).alias(SCORE),
            )
        )
    return pl.concat(parts) if parts else empty_spans()


def redact_detected(
    texts: pl.Series,
    *,
    scanner: TextScanner,
    entities: list[str] | None = None,
    mode: Mode = "label",
    ctx: ActionContext | None = None,
    prefix: str = DEFAULT_PREFIX,
    length: int = DEFAULT_LENGTH,
) -> pl.Series:
    """``texts`` with every span the scanner finds replaced (nulls stay null)."""
    if mode == "pseudonymise" and ctx is None:
        raise ValueError("mode 'pseudonymise' needs a ctx with the key")
    texts = texts.cast(pl.String)
    # Each distinct text is redacted once, then put back in every cell that holds it.
    groups = distinct_texts(texts)
    plain = groups.get_column(TEXT)
    distinct = searchable(groups)
    if distinct.is_empty():
        return texts
    distinct = with_stand_ins(distinct)  # made once for the patterns that use them
    table = table_spans(distinct, entities)
    found = [
        _off_birth_dates(scan_distinct(scanner, distinct, entities, contained=True), table),
        table,
    ]
    # an empty span redacts nothing (and merging needs none: see scan_distinct)
    spans = merge_overlaps(pl.concat(found).filter(pl.col(END) > pl.col(START)))
    if spans.is_empty():
        return texts
    if mode == "label":
        spans = spans.with_columns(
            pl.concat_str(pl.lit("<"), pl.col("entity"), pl.lit(">")).alias(REPLACEMENT)
        )
    else:
        assert ctx is not None
        spans = with_values(plain, spans)
        values = spans.select("entity", VALUE).unique()
        tokens = pl.concat(
            [
                part.with_columns(
                    pseudonymise(
                        pl.col(VALUE),
                        key=ctx.key,
                        entity=entity,
                        prefix=prefix,
                        length=length,
                        phone_region=ctx.phone_region,
                    ).alias(REPLACEMENT)
                )
                for (entity,), part in values.group_by("entity")
                if isinstance(entity, str)
            ]
        )
        spans = spans.join(tokens, on=["entity", VALUE], how="left")
    redacted = replace_spans(plain, spans)
    return in_their_cells(redacted, groups.get_column(CELLS)).rename(texts.name)


def _off_birth_dates(scanned: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    """``scanned`` without its phone numbers that end inside a date of birth of the
    table: a date after a cue is a date, whatever Presidio's phone recognizer makes of
    ``(12/03/1985`` or of ``39) 12/03/1985`` in ``DOB (age 39) 12/03/1985``."""
    births = table.filter(pl.col(ENTITY) == "DATE_OF_BIRTH")
    if births.is_empty():
        return scanned
    scanned = scanned.with_row_index("_span")
    overlapping = (
        scanned.filter(pl.col(ENTITY) == "PHONE_NUMBER")
        .join(births.select(ROW, START, END), on=ROW, suffix="_birth")
        # a number that runs on past the date may hold a phone number: it stays
        .filter(pl.col(f"{START}_birth") < pl.col(END), pl.col(END) <= pl.col(f"{END}_birth"))
        .get_column("_span")
    )
    return scanned.filter(~pl.col("_span").is_in(overlapping.implode())).drop("_span")


Detector = Literal["patterns", "presidio"]


def _check_params(params: Mapping[str, Any]) -> None:
    """The pattern table's entities, known as the config loads (Presidio's, with
    ``detector: presidio``, once its analyzer is built for the run)."""
    if params.get("detector", "patterns") == "patterns":
        patterns_for(params.get("entities"))


@register("redact_text", check=_check_params)
def redact_text_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    mode: Mode = "label",
    detector: Detector = "patterns",
    entities: Annotated[list[str], pydantic.Field(min_length=1)] | None = None,
    prefix: TokenPrefix = DEFAULT_PREFIX,
    length: TokenLength = DEFAULT_LENGTH,
) -> pl.Expr:
    """``detector: patterns`` (the default) runs the pattern table (``DEFAULT_PATTERNS``:
    e-mail, IP, date of birth, phone, postcode) as a few Rust regex passes, ~1.5M cells a second on
    the benchmark's notes; ``detector: presidio`` finds what Presidio's analyzer finds
    (names from the dictionary, street addresses, cards and IBANs by checksum, ...),
    ~500k cells a second (``benchmarks/RESULTS_TEXT.md``)."""
    if detector == "patterns":
        return redact_spans(
            expr, patterns=patterns_for(entities), mode=mode, ctx=ctx, prefix=prefix, length=length
        )
    scanner = shared_scanner(ctx.detection or DetectionSettings())
    check_entities(entities, scanner)

    def redact(texts: pl.Series) -> pl.Series:
        return redact_detected(
            texts,
            scanner=scanner,
            entities=entities,
            mode=mode,
            ctx=ctx,
            prefix=prefix,
            length=length,
        )

    # The whole column at once: each distinct text is scanned once (``is_elementwise``
    # would make Polars call this once per chunk, 249 times on a 1M-row CSV).
    return expr.map_batches(redact, return_dtype=pl.String).name.keep()
