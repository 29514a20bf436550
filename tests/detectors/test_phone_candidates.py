"""Many texts at once, the phone recognizer finds what it finds in each text alone."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors import entities as e
from detectors.recognizers.phone import CrmPhoneRecognizer, phone_candidates

# What phone islands and their context look like, and what could trip the shortcut:
# characters that may start a candidate or are word characters at the edges, other
# scripts' digits and blanks, too many digits for one candidate.
_PIECES = (
    "+44 20 7946 0123",
    "020 7946 0123",
    "(020) 7946-0123",
    "0033 6 37 68 71 88",
    "07700 900123",
    "+1 (555) 010-9999",
    "1234567",
    "12345678901234567890123456",
    "2024-01-31",
    "\x00",
    "a",
    "+",
    "(",
    ")",
    " ",
    "-",
    "/",
    ".",
    "_",
    "é",
    "\u0663\u0661\u0662\u0663\u0664\u0665\u0666\u0667",  # Arabic-Indic digits
    "\u00a0",
    "\x1c",
    "9",
    "x9",
    # extensions, glued on or after a blank, and what only looks like one
    "x12",
    " ext. 4",
    "EXTN5",
    " x 2",
)


def _texts(draw: random.Random, count: int) -> list[str]:
    return ["".join(draw.choices(_PIECES, k=draw.randint(1, 6))) for _ in range(count)]


def _one_by_one(
    recognizer: CrmPhoneRecognizer, texts: list[str]
) -> list[tuple[int, int, int, float]]:
    rows = []
    for at, text in enumerate(texts):
        for hit in recognizer.analyze(text, [e.PHONE_NUMBER]):
            rows.append((at, hit.start, hit.end, hit.score))
    return sorted(rows)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0))
def test_many_texts_give_each_texts_own_candidates(seed: int) -> None:
    texts = _texts(random.Random(seed), 650)
    together = phone_candidates(texts)  # Rust for the texts that are one candidate
    assert together.height >= len(texts) // 10
    # fewer texts at a time than that path takes: Python's finditer for every text
    few = 250
    expected = [
        (offset + at, start, end, candidate)
        for offset in range(0, len(texts), few)
        for at, start, end, candidate in phone_candidates(texts[offset : offset + few]).iter_rows()
    ]
    assert list(together.iter_rows()) == expected


def test_islands_with_their_context_are_read_whole() -> None:
    recognizer = CrmPhoneRecognizer()
    texts = ["\x00+44 20 7946 0123\x00", "a020 7946 0123\x00", "(020) 7946 0123)"] * 170
    hits = recognizer.hits_in_many(texts, 0.0)
    assert hits.height > 0
    assert sorted(hits.select("at", "start", "end", "score").iter_rows()) == _one_by_one(
        recognizer, texts
    )
    assert hits.filter(pl.col("at") == 0).select("start", "end").row(0) == (1, 17)
