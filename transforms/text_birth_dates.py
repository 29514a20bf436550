"""Dates of birth in free text: a date the words before it call one.

A date alone is no personal data in a note ("booked 05.03.2024"); after "DOB", "born
on", "date of birth", "geb.", "né le" or "fecha de nacimiento" it is. The pattern is
the cue, a few linking words ("DOB is", "born on the"), then the date, in any of the
shapes notes hold it: ``12/03/1985``, ``12.03.85``, ``1985-03-12``, ``3rd March 1985``,
``12-Mar-85``, ``March 3, 1985``, ``März 1985``, ``3 de marzo de 1985``. Written
months may come without a year ("birthday 3 March"): a day and a month after such a
cue still point to one person, and so do numbers written so ("DOB 12/03", "DOB
03/1985"). An age in brackets may stand before the date ("DOB (age 39) 12/03/1985"). A
year alone ("born in 1985") is not taken: it is the coarse form a birth date is
generalised to.

Group 1 is the cue with its linking words, kept in the text; group 2 the date, the span
replaced.
"""

from __future__ import annotations

from typing import Final

from detectors.text.spans import Words

_CUE: Final = (
    r"\b(?:(?:date\s+of\s+birth|birth\s*date|birthday|b[-'’]?day|dob|born(?:\s+(?:on|in))?"
    r"|geboren(?:\s+(?:am|op))?|geburtsdatum|geburtstag|geboortedatum|geb\.?-?datum|geb"
    r"|n[éÉ]e?\s+le|date\s+de\s+naissance|fecha\s+de\s+nacimiento|nacid[oa]\s+el"
    r"|nat[oa]\s+il|data\s+di\s+nascita)\b|geb\.|d\.o\.b\.?)"
)
# what stands between the cue and the date: "DOB: ", "DOB - ", "DOB (", "DOB., ", "DOB is",
# "DOB confirmed as", "born on the"; not "DOB verified on <the day it was verified>"
_LINK: Final = (
    r"(?:\s*[:=\-–—(\[.,;/]{1,2}\s*|\s+)(?:(?:is|was)\s+)?"
    r"(?:(?:confirmed|given|verified)(?:\s+as)?\s*[:\-]?\s+"
    r"|(?:(?:on|the|of|am|op|le|el|il)\s+){0,2})"
    # an age in brackets before the date: "DOB (age 39) 12/03/1985", "DOB (39 yrs): ..."
    r"(?:[(\[]\s*(?:age[ds]?|aged|alter|âge|edad|età)?\s*:?\s*\d{1,3}\s*"
    r"(?:y(?:ears?|rs?|o)?|j(?:ahre)?|ans|años|anni)?\s*[)\]]\s*[:,\-–—]?\s*)?"
)
_WEEKDAY: Final = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"  # "Tuesday 12 March"
# English, German, French, Spanish, Italian and Dutch months, whole or cut short
_MONTH: Final = (
    r"(?:jan(?:uary|uar|vier|uari)?|feb(?:ruary|ruar|ruari)?|f[ée]v(?:rier)?|febbraio"
    r"|m[aä]r(?:ch|z|s|zo)?|maart|apr(?:il|ile)?|avr(?:il)?|abril|may|mai|mayo|maggio|mei"
    r"|jun[ei]?|juin|junio|giugno|jul[iy]?|juil(?:let)?|julio|luglio"
    r"|aug(?:ust|ustus)?|ao[uû]t|agosto|sep(?:t(?:ember|embre|iembre)?)?|settembre"
    r"|o[ck]t(?:ober|obre|ubre)?|ottobre|nov(?:ember|embre|iembre)?"
    r"|d[eé]c(?:ember|embre)?|dez(?:ember)?|dic(?:iembre|embre)?|enero|gennaio)\b\.?"
)
_YEAR: Final = r"(?:\d{4}|'?\d{2})"
_DD: Final = r"(?:0[1-9]|[12]\d|3[01])"  # a day, two digits
_MM: Final = r"(?:0[1-9]|1[0-2])"  # a month, two digits
_DATE_SHAPES: Final = (
    r"\d{4}\s?[./\-–]\s?\d{1,2}\s?[./\-–]\s?\d{1,2}",  # 1985-03-12, 1985 / 3 / 12
    r"\d{1,2}\s?[./\-–]\s?\d{1,2}\s?[./\-–]\s?(?:\d{4}|\d{2})",  # 12/03/1985, 3.12.85
    r"\d{1,2} \d{1,2} (?:\d{4}|\d{2})",  # 12 03 1985
    r"(?:19|20)\d{2}[01]\d[0-3]\d",  # 19850312
    r"\d{1,2}(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:\d{4}|\d{2})",  # 12Mar85
    # 3rd of March 1985, 3. März, 12-Mar-85, 12Mar1985, 3 de marzo de 1985
    rf"\d{{1,2}}(?:st|nd|rd|th|er|\.)?(?:\s+(?:of|de))?[\s\-]*{_MONTH}"
    rf"(?:,?[\s\-]*(?:de\s+)?{_YEAR})?",
    rf"{_MONTH}[\s\-]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[\s\-]+\d{{4}})?",  # March 3, 1985
    rf"{_MONTH}\s+\d{{4}}",  # March 1985
    # a day and a month, or a month and a year, without the rest: after a cue, still
    # finer than the year a birth date is generalised to
    rf"(?:19|20)\d{{2}}\s?[./\-–]\s?{_MM}",  # 1985-03
    rf"{_MM}\s?[./\-–]\s?(?:19|20)\d{{2}}",  # 03/1985
    # 12/03, a day then a month, two digits each (not "born 3.5 weeks early", "born 2.5
    # kg", "born 12.30 pm", "1/2 hour", "3-4 weeks")
    rf"{_DD}\s?[./]\s?{_MM}",
)
_DATE: Final = _WEEKDAY + "(?:" + "|".join(_DATE_SHAPES) + r")\b"

BIRTH_DATE: Final = rf"(?i:({_CUE}{_LINK})({_DATE}))"
"""A date of birth with its cue: group 1 the cue and linking words, group 2 the date."""

BIRTH_DATE_CUES: Final = Words(
    (
        *("dob", "d.o.b", "birth", "bday", "b'day", "b-day", "b’day", "born", "geb"),
        *("né", "nÉ"),
        *("naissance", "nacimiento", "nacid", "nato", "nata", "nascita"),
        "ſ",  # a long s, which a case-blind regex takes for an s ("naiſſance")
    )
)
"""What every match of ``BIRTH_DATE`` holds: one of these words, in any case."""
