"""Phone numbers as CRMs export them: international, national, and Keap's `'+44 ...   `."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

import phonenumbers
import polars as pl
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from detectors import entities as e
from detectors.header_hints import context_words
from detectors.phone_scores import (
    FORMATTED_SCORE,
    INTERNATIONAL_SCORE,
    NOT_A_NUMBER,
    score_candidates,
)
from detectors.recognizers.base import HEADER_BACKED_SCORE, TextIsland, result

_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{5,22}\d(?![\w])")
_NOT_A_NUMBER = re.compile(NOT_A_NUMBER)
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
            r"[\d\s().\-/+]*\d(?:[\s().\-/+]*\d){6}[\d\s().\-/+]*",
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
        at: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        found: list[str] = []
        for index, text in enumerate(texts):
            for match in _CANDIDATE.finditer(text):
                at.append(index)
                starts.append(match.start())
                ends.append(match.end())
                found.append(match.group().strip())
        candidates = list(dict.fromkeys(found))
        scores = dict(zip(candidates, self.scores(candidates, floor), strict=True))
        hits = pl.DataFrame(
            {
                "at": pl.Series(at, dtype=pl.UInt32),
                "entity": pl.Series([self.ENTITY] * len(at), dtype=pl.String),
                "start": pl.Series(starts, dtype=pl.Int64),
                "end": pl.Series(ends, dtype=pl.Int64),
                "score": pl.Series([scores[c] for c in found], dtype=pl.Float64),
            }
        )
        return hits.filter(pl.col("score") > 0)

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
