"""Phone numbers as CRMs export them: international, national, and Keap's `'+44 ...   `."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import ClassVar

import phonenumbers
import polars as pl
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors import entities as e
from detectors.contact_shapes import TEXT_EXTENSION
from detectors.header_hints import context_words
from detectors.phone_scores import (
    FORMATTED_SCORE,
    INTERNATIONAL_SCORE,
    NOT_A_NUMBER,
    score_candidates,
)
from detectors.recognizers.base import HEADER_BACKED_SCORE, TextIsland, result

_BODY = r"(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d"
# An extension is part of the hit, not of the number validated: without it a number
# with one glued on ("5000x12") had no end that is not a word character, and was missed.
_CANDIDATE = re.compile(rf"(?<![\w+])(?P<number>{_BODY}){TEXT_EXTENSION}?(?![\w])")
# A text that is one candidate, with at most one ASCII character on either side that
# neither is a word character nor could start one ("+", "(", a digit): Python's
# ``finditer`` finds exactly that candidate in it, so Rust can say so for many texts
# at once (the scanner's phone islands, each with its context, mostly are such texts).
# Rust's ``\s`` is narrower than Python's, never wider, so a Rust match is Python's.
_EDGE = r"[\x00-\x7F&&[^\w+(]]"
_WHOLE_CANDIDATE = (
    rf"^(?<lead>{_EDGE}?)(?<candidate>{_BODY})(?<extension>{TEXT_EXTENSION}?)(?:{_EDGE})?$"
)
_NOT_A_NUMBER = re.compile(NOT_A_NUMBER)
# An island takes an extension's digits to their end: cut after six, the rest of a
# number written there ("ext. 07700900123") was lost to the island after it.
_ISLAND_EXTENSION = TEXT_EXTENSION.replace(r"\d{1,6}", r"\d+")
# Fewer candidates than this are cheaper one by one than through Polars (measured:
# 300 take about as long either way, 1,000 two thirds in Polars, 3,000 a third).
_VECTORISE_FROM = 500


class CrmPhoneRecognizer(LocalRecognizer):
    """Finds phone numbers and validates them with libphonenumber.

    Score by shape: an international number that validates 0.85; a national
    number with separators that validates in one of the default regions 0.75; a
    bare run of digits that validates only counts with header context.
    """

    ENTITY: ClassVar[str] = e.PHONE_NUMBER
    # Free text: a candidate lies in a run of digits, blanks and ``+().-/`` holding 7
    # digits or more; libphonenumber then runs once per distinct run. The candidate
    # regex only asks whether the characters around it are word characters.
    TEXT_ISLANDS: ClassVar[tuple[TextIsland, ...]] = (
        TextIsland(
            rf"[\d\s().\-/+]*\d(?:[\s().\-/+]*\d){{6}}[\d\s().\-/+]*{_ISLAND_EXTENSION}?",
            strip=True,
            context_class=r"\w",
        ),
    )
    TEXT_PREFILTER: ClassVar[str] = r"\d"

    def __init__(self, regions: Sequence[str] = ("GB", "US", "DE", "FR")) -> None:
        self.regions = tuple(regions)
        super().__init__(
            supported_entities=[self.ENTITY],
            name="CrmPhoneRecognizer",
            context=context_words(self.ENTITY),
        )

    def load(self) -> None:
        """Nothing to load: libphonenumber's metadata ships with the package."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        hits = self.hits_in_many([text], 0.0)
        return [
            result(self, entity, start, end, score)
            for _, entity, start, end, score in hits.iter_rows()
        ]

    def hits_in_many(self, texts: Sequence[str], floor: float) -> pl.DataFrame:
        """The hits of ``analyze`` in each text (``HIT_SCHEMA``), less those under
        ``floor``: a candidate whose shape cannot score that much is not validated (a
        column of bare numbers without a phone header costs no libphonenumber call).
        The candidates of all the texts are scored together, in Polars when there are
        many (``detectors.phone_scores``)."""
        found = phone_candidates(texts)
        distinct = found.get_column("candidate").unique(maintain_order=True)
        scores = pl.DataFrame(
            {
                "candidate": distinct,
                "score": pl.Series(self.scores(distinct.to_list(), floor), dtype=pl.Float64),
            }
        )
        return (
            found.join(scores, on="candidate", how="left", maintain_order="left")
            .filter(pl.col("score") > 0)
            .select("at", pl.lit(self.ENTITY).alias("entity"), "start", "end", "score")
        )

    def scores(self, candidates: Sequence[str], floor: float = 0.0) -> list[float]:
        """``score`` of each of ``candidates`` (distinct); by libphonenumber's rules in
        Polars for many plain ASCII ones, by ``score`` itself for the rest."""
        if len(candidates) < _VECTORISE_FROM:
            return [self.score(c, floor) for c in candidates]
        scored = dict.fromkeys(candidates, 0.0)
        plain = [c for c in candidates if c.isascii()]
        vectorised = score_candidates(
            pl.Series(plain, dtype=pl.String),
            regions=self.regions,
            floor=floor,
            header_backed=HEADER_BACKED_SCORE,
            validate=self._valid,
        )
        scored.update(zip(plain, vectorised.to_list(), strict=True))
        for c in candidates:
            if not c.isascii():
                scored[c] = self.score(c, floor)
        return [scored[c] for c in candidates]

    def score(self, candidate: str, floor: float = 0.0) -> float:
        """0 when the candidate is not a valid phone number (or could not score
        ``floor``), else how sure we are."""
        if _NOT_A_NUMBER.search(candidate):
            return 0.0
        digits = sum(ch.isdigit() for ch in candidate)
        if not 7 <= digits <= 15:
            return 0.0
        if candidate.startswith(("+", "00")):
            number = "+" + candidate[2:] if candidate.startswith("00") else candidate
            regions: tuple[str | None, ...] = (None,)
            score = INTERNATIONAL_SCORE
        else:
            number, regions = candidate, self.regions
            formatted = candidate.startswith(("0", "(")) or not candidate.isdigit()
            score = FORMATTED_SCORE if formatted else HEADER_BACKED_SCORE
        if score < floor or not any(self._valid(number, region) for region in regions):
            return 0.0
        return score

    @staticmethod
    def _valid(text: str, region: str | None) -> bool:
        try:
            return bool(phonenumbers.is_valid_number(phonenumbers.parse(text, region)))
        except phonenumbers.NumberParseException:
            return False


_FOUND_SCHEMA = pl.Schema(
    {"at": pl.UInt32, "start": pl.Int64, "end": pl.Int64, "candidate": pl.String}
)


def phone_candidates(texts: Sequence[str]) -> pl.DataFrame:
    """Each candidate in each text: text index, start, end (an extension included), the
    number stripped (without it).

    Many texts: those that are one candidate (``_WHOLE_CANDIDATE``) are read by Rust,
    the rest by Python (19.5k distinct phone islands of the bench's notes: 0.1 s of
    Python before)."""
    if len(texts) < _VECTORISE_FROM:
        return _candidates_by_python(texts, range(len(texts)))
    parts = (
        pl.Series("text", texts, dtype=pl.String)
        .to_frame()
        .with_row_index("at")
        .select("at", pl.col("text").str.extract_groups(_WHOLE_CANDIDATE).struct.unnest())
    )
    whole = parts.filter(pl.col("candidate").is_not_null()).select(
        "at",
        pl.col("lead").str.len_chars().cast(pl.Int64).alias("start"),
        (
            pl.col("lead").str.len_chars()
            + pl.col("candidate").str.len_chars()
            + pl.col("extension").str.len_chars()
        )
        .cast(pl.Int64)
        .alias("end"),
        "candidate",
    )
    rest = parts.filter(pl.col("candidate").is_null()).get_column("at").to_list()
    by_python = _candidates_by_python([texts[i] for i in rest], rest)
    return pl.concat([whole, by_python]).sort("at", "start")


def _candidates_by_python(texts: Sequence[str], at: Iterable[int]) -> pl.DataFrame:
    rows = [
        (index, match.start(), match.end(), match.group("number").strip())
        for index, text in zip(at, texts, strict=True)
        for match in _CANDIDATE.finditer(text)
    ]
    return pl.DataFrame(rows, schema=_FOUND_SCHEMA, orient="row")
