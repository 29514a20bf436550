"""The names the wider locales add to the dictionaries, as kept beside this module.

``wider_first_names.txt`` and ``wider_last_names.txt`` hold the given and family names
of Faker's person lists in ``WIDER_NAME_LOCALES`` (in the Latin alphabet; Chinese and
Japanese names romanised), case-folded, less the core locales' names and every word
that is also a word of the languages notes are written in or a place: English words
(GCIDE's headwords, spaCy's stop words), so ``Queen``, ``Forum``, ``Ruby`` or ``Mentor``
stay words; Faker's lorem words for German, French, Spanish, Italian, Dutch, Polish and
Danish (``Can``, ``Lei``, ``Na``); street suffixes; the countries, states, provinces
and counties of Faker's English address lists (``France``, ``Indiana``, ``Alberta``).

They are made by ``python -m detectors.recognizers.wider_names_build`` and kept in the
repository: every install reads the same words whatever Faker it has, in a few
milliseconds, and no English dictionary is loaded at run time. A test checks they are
what the locked Faker and english-words make.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Final

WIDER_NAME_LOCALES: Final = (
    *("cs_CZ", "sk_SK", "hu_HU", "ro_RO", "fi_FI", "no_NO", "is_IS", "et_EE", "lt_LT"),
    *("lv_LV", "hr_HR", "sl_SI", "ga_IE", "de_CH", "fr_CH", "fr_BE", "nl_BE"),
    *("fr_CA", "es_MX", "es_AR", "es_CL", "es_CO", "pt_BR", "en_NZ"),
    *("tr_TR", "az_AZ", "uz_UZ", "en_IN", "en_PK", "en_TH", "id_ID", "vi_VN"),
    *("en_KE", "en_NG", "yo_NG", "ig_NG", "ha_NG", "tw_GH", "zu_ZA", "sw", "fr_DZ"),
    *("zh_CN", "zh_TW", "ja_JP"),
)
"""Europe beyond the core locales, Latin America, Turkey and Central Asia, South and
South-East Asia, Africa; Chinese and Japanese names romanised."""

FIRST_FILE: Final = Path(__file__).with_name("wider_first_names.txt")
LAST_FILE: Final = Path(__file__).with_name("wider_last_names.txt")


@cache
def wider_first_names() -> frozenset[str]:
    """The wider locales' given names, as kept in ``FIRST_FILE``."""
    return read_names(FIRST_FILE)


@cache
def wider_last_names() -> frozenset[str]:
    """The wider locales' family names, as kept in ``LAST_FILE``."""
    return read_names(LAST_FILE)


def read_names(path: Path) -> frozenset[str]:
    """The words of a names file: one a line; ``#`` opens a comment line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))
