from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from anonymise.errors import ConfigError
from transforms.pseudonymise import pseudonymise_values
from transforms.registry import ActionContext, apply_action
from transforms.text_redaction import DEFAULT_PATTERNS, patterns_for, redact_spans

from .conftest import KEY, columns, frame, run


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("mail jane.doe@example.co.uk today", "mail <EMAIL_ADDRESS> today"),
        ("zoë.ångström@exämple.de", "<EMAIL_ADDRESS>"),
        # the digits inside an address are not a phone number: e-mails go first
        ("jane.07700900123@x.com", "<EMAIL_ADDRESS>"),
        ("call +44 7700 900123.", "call <PHONE_NUMBER>."),
        ("call +44 (0)20 7946 0123", "call <PHONE_NUMBER>"),
        ("call 07700 900123 or 020-7946-0123", "call <PHONE_NUMBER> or <PHONE_NUMBER>"),
        ("US: (555) 010-1234, +1 (555) 010-1234", "US: <PHONE_NUMBER>, <PHONE_NUMBER>"),
        ("555.010.1234", "<PHONE_NUMBER>"),
        ("order 12345678 on 2024-01-02", "order 12345678 on 2024-01-02"),  # 8 digits, a date
        ("from 192.168.0.1 and 2001:db8::1", "from <IP_ADDRESS> and <IP_ADDRESS>"),
        ("lives in SW1A 1AA, or sw1a1aa", "lives in <POSTCODE>, or <POSTCODE>"),
        ("at 10:30 on 12/03/2024", "at 10:30 on 12/03/2024"),
        # a date and its time, or a year opening a reference, are no phone number
        ("booked 05.03.2024 14:30 with", "booked 05.03.2024 14:30 with"),
        ("Follow-up 2024-03-05 09:15, ok", "Follow-up 2024-03-05 09:15, ok"),
        ("2024/03/05 09:15", "2024/03/05 09:15"),
        ("09:15 2024-03-05 call", "09:15 2024-03-05 call"),
        # a group such as 1923 or 2012 inside a phone number is no year
        ("Called +44-1923-456789", "Called <PHONE_NUMBER>"),
        ("0044-1908-123456, +44.1908.123456", "<PHONE_NUMBER>, <PHONE_NUMBER>"),
        ("Rang +49-30-2012-3456 re invoice", "Rang <PHONE_NUMBER> re invoice"),
        ("Tel. 06-2012-3456", "Tel. <PHONE_NUMBER>"),
        ("john.2024.5@example.com", "<EMAIL_ADDRESS>"),  # the shield is the phone's alone
        # but a year-like group inside a phone number is the number's
        ("+44 1923 456789, 01923 456789", "<PHONE_NUMBER>, <PHONE_NUMBER>"),
        ("+44 (0)1923 456789", "<PHONE_NUMBER>"),
        ("on 2024-03-05 020 7946 0123", "on 2024-03-05 <PHONE_NUMBER>"),
        ("Called 2024-03-05 0044 7700 900123", "Called 2024-03-05 <PHONE_NUMBER>"),
        ("05.03.2024 06.03.2024 0044 7700 900123", "05.03.2024 06.03.2024 <PHONE_NUMBER>"),
        ("2024-03-05 09:15 0044 7700 900123", "2024-03-05 09:15 <PHONE_NUMBER>"),
        ("Tel 020 7946 0123 2024-03-05", "Tel <PHONE_NUMBER> 2024-03-05"),
        ("at 09:15 07700 900123", "at 09:15 <PHONE_NUMBER>"),
        # a range's second date is a date too
        ("01.03.2024-05.03.2024 020 7946 0123", "01.03.2024-05.03.2024 <PHONE_NUMBER>"),
        ("2024-03-01/2024-03-05 0044 7700 900123", "2024-03-01/2024-03-05 <PHONE_NUMBER>"),
        ("05.03.2024-06-12-34-56-78", "05.03.<PHONE_NUMBER>"),  # no date after a date's year
        ("05.03.2024 020 7946 0123", "05.03.2024 <PHONE_NUMBER>"),
        # a word processor's en dash is a hyphen, in a phone number and in a date
        ("tel 0161–496–0000, call 020 7946–0123", "tel <PHONE_NUMBER>, call <PHONE_NUMBER>"),
        ("2024–03–05 09:15 ok", "2024–03–05 09:15 ok"),
        ("booked 2024‑03‑05 09:15", "booked 2024‑03‑05 09:15"),  # non-breaking hyphens
        # an extension glued on left the whole number: no word boundary after its digits
        ("Call back on 212-736-5000x12", "Call back on <PHONE_NUMBER>"),
        ("at (212)736-5000x341 after 5pm", "at <PHONE_NUMBER> after 5pm"),
        ("+1 212-736-5000x12, 020 7946 0018x5", "<PHONE_NUMBER>, <PHONE_NUMBER>"),
        ("212-736-5000 ext. 12", "<PHONE_NUMBER>"),
        ("Box 5000xyz, order SO-1234", "Box 5000xyz, order SO-1234"),
        ("Order 123456789 x 2 units", "Order <PHONE_NUMBER> x 2 units"),  # a quantity
        # no postcode: Q is no first letter, and "3rd" an ordinal
        ("Q1 2nd week, A4 3rd edition", "Q1 2nd week, A4 3rd edition"),
        ("N1 2ND and m1 1ae", "<POSTCODE> and <POSTCODE>"),
        # a date of birth: the date after a cue, in the shapes notes hold; the cue stays
        ("DOB 12/03/1985, prefers email", "DOB <DATE_OF_BIRTH>, prefers email"),
        ("D.O.B.: 12.03.85 confirmed", "D.O.B.: <DATE_OF_BIRTH> confirmed"),
        ("Customer dob is 1985-03-12.", "Customer dob is <DATE_OF_BIRTH>."),
        ("born on the 3rd of March 1985 in Leeds", "born on the <DATE_OF_BIRTH> in Leeds"),
        ("Born March 3, 1985", "Born <DATE_OF_BIRTH>"),
        ("Date of birth - 12-Mar-85 ok", "Date of birth - <DATE_OF_BIRTH> ok"),
        ("DOB confirmed as 12 03 1985", "DOB confirmed as <DATE_OF_BIRTH>"),
        ("Birthday 3 March, b'day 12 May", "Birthday <DATE_OF_BIRTH>, b'day <DATE_OF_BIRTH>"),
        (
            "geb. 12.03.1985, geboren am 3. März 1985",
            "geb. <DATE_OF_BIRTH>, geboren am <DATE_OF_BIRTH>",
        ),
        ("née le 3 février 1985", "née le <DATE_OF_BIRTH>"),
        ("nacido el 3 de marzo de 1985", "nacido el <DATE_OF_BIRTH>"),
        ("DOB: 12/03/1985 07700 900123", "DOB: <DATE_OF_BIRTH> <PHONE_NUMBER>"),
        ("Ann (DOB (12/03/1985), NHS)", "Ann (DOB (<DATE_OF_BIRTH>), NHS)"),
        # the shapes a review found left: other marks, cues, weekdays and compact dates
        ("DOB. 12/03/1985; DOB/12 / 03 / 1985", "DOB. <DATE_OF_BIRTH>; DOB/<DATE_OF_BIRTH>"),
        (
            "DOB — 12/3/85, b-day 3 May, B’day 4 May",
            "DOB — <DATE_OF_BIRTH>, b-day <DATE_OF_BIRTH>, B’day <DATE_OF_BIRTH>",
        ),
        ("geb 12.03.1985, Geb.-Datum 1985-3-12", "geb <DATE_OF_BIRTH>, Geb.-Datum <DATE_OF_BIRTH>"),
        ("DOB: Tuesday 12 March 1985", "DOB: <DATE_OF_BIRTH>"),
        (
            "DOB Mar-3-1985, DOB 19850312, DOB 12Mar1985",
            "DOB <DATE_OF_BIRTH>, DOB <DATE_OF_BIRTH>, DOB <DATE_OF_BIRTH>",
        ),
        (
            "born in March 1985; date de naiſſance 12/03/1985",
            "born in <DATE_OF_BIRTH>; date de naiſſance <DATE_OF_BIRTH>",
        ),
        # an age in brackets before the date; a day and a month, or a month and a year
        ("DOB (age 39) 12/03/1985 ok", "DOB (age 39) <DATE_OF_BIRTH> ok"),
        ("DOB (39 yrs): 12.03.1985", "DOB (39 yrs): <DATE_OF_BIRTH>"),
        (
            "DOB 12/03, DOB: 03/1985, born 1985-03",
            "DOB <DATE_OF_BIRTH>, DOB: <DATE_OF_BIRTH>, born <DATE_OF_BIRTH>",
        ),
        ("DOB (age 39), DOB 123/45", "DOB (age 39), DOB 123/45"),
        ("baby born 3-4 weeks early", "baby born 3-4 weeks early"),  # a range, no date
        # weights, times and fractions after a cue are no dates
        (
            "born 3.5 weeks early, 2.5 kg, at 12.30 pm, 1/2 hour after",
            "born 3.5 weeks early, 2.5 kg, at 12.30 pm, 1/2 hour after",
        ),
        ("born 12.30 pm", "born 12.30 pm"),
        # a word processor's en dash in the date itself
        ("DOB 12–03–1985; born 1985–03–12", "DOB <DATE_OF_BIRTH>; born <DATE_OF_BIRTH>"),
        # the day a date of birth was checked is not one
        ("DOB verified on 12/03/2024 by Ann", "DOB verified on 12/03/2024 by Ann"),
        (
            "born 12th March 85; DOB confirmed: 1985-03-12",
            "born <DATE_OF_BIRTH>; DOB confirmed: <DATE_OF_BIRTH>",
        ),
        # a year alone is what a birth date is generalised to; other dates are no birth's
        ("born in 1985", "born in 1985"),
        ("birthday party on 3 March", "birthday party on 3 March"),
        ("firstborn 12/03/2019, Bornholm 12/03/2019", "firstborn 12/03/2019, Bornholm 12/03/2019"),
        ("DOB may be wrong; DOB 3 Mayfair Road", "DOB may be wrong; DOB 3 Mayfair Road"),
        # payment cards and IBANs, as far as their checksums hold
        ("Card 4111111111111111 exp 12/27", "Card <CREDIT_CARD> exp 12/27"),
        (
            "card 4111-1111-1111-1111, amex 3782 822463 10005",
            "card <CREDIT_CARD>, amex <CREDIT_CARD>",
        ),
        ("paid 5555 5555 5555 4444 2027", "paid <CREDIT_CARD> 2027"),  # and a year after it
        ("order 4111111111111112 shipped", "order 4111111111111112 shipped"),  # no Luhn
        # a phone number of thirteen digits after a "+" is no card, Luhn-valid (the first) or not
        ("call +49 162 79584604 or +49 151 5309049", "call <PHONE_NUMBER> or <PHONE_NUMBER>"),
        ("IBAN DE89370400440532013000 refund", "IBAN <IBAN_CODE> refund"),
        ("IBAN DE89 3704 0044 0532 0130 00 AND NOTE", "IBAN <IBAN_CODE> AND NOTE"),
        ("to GB82 WEST 1234 5698 7654 32.", "to <IBAN_CODE>."),
        ("SKU DE89ABCDEFGHIJKLMNOP", "SKU DE89ABCDEFGHIJKLMNOP"),  # no IBAN's checksum
        # a National Insurance number, as Presidio's UK_NINO pattern reads one
        ("NINO AB123456C; NI no. ab 12 34 56 d", "NINO <UK_NINO>; NI no. <UK_NINO>"),
        ("ref GB123456A, QQ123456C", "ref GB123456A, QQ123456C"),  # no such prefixes
        ("nothing to see", "nothing to see"),
        ("", ""),
        (None, None),
    ],
)
def test_label_mode(note: str | None, expected: str | None) -> None:
    assert run(redact_spans(pl.col("x")), [note]) == [expected]


def test_pseudonymise_mode_uses_the_column_tokens(make_ctx: Callable[..., ActionContext]) -> None:
    note = "Jane@X.com called from 07700 900123 and from 07700 900123 again"
    out = run(redact_spans(pl.col("x"), mode="pseudonymise", ctx=make_ctx()), [note])
    (email,) = pseudonymise_values(["jane@x.com"], key=KEY, entity="EMAIL_ADDRESS")
    (phone,) = pseudonymise_values(["+447700900123"], key=KEY, entity="PHONE_NUMBER")
    assert out == [f"{email} called from {phone} and from {phone} again"]


def test_a_date_of_birth_is_pseudonymised_without_its_cue(
    make_ctx: Callable[..., ActionContext],
) -> None:
    note = "DOB 12/03/1985; born on 3 March 1985"
    out = run(redact_spans(pl.col("x"), mode="pseudonymise", ctx=make_ctx()), [note])
    first, second = pseudonymise_values(
        ["12/03/1985", "3 March 1985"], key=KEY, entity="DATE_OF_BIRTH"
    )
    assert out == [f"DOB {first}; born on {second}"]


_BIRTH_CUES = [
    "DOB", "D.O.B.", "date of birth", "birth date", "birthdate", "birthday", "bday",
    "born on", "geb.", "geboren am", "geburtsdatum", "geboortedatum", "née le",
    "date de naissance", "fecha de nacimiento", "nacida el", "nato il", "data di nascita",
]  # fmt: skip


@settings(deadline=None)  # Polars' warm-up outlasts the default
@given(
    cue=st.sampled_from(_BIRTH_CUES),
    upper=st.lists(st.booleans(), min_size=len(max(_BIRTH_CUES, key=len)), max_size=30),
    date=st.sampled_from(["12/03/1985", "1985-03-12", "3 March 1985", "Mar 3, 1985"]),
)
def test_a_date_of_birth_is_found_whatever_the_case_of_its_cue(
    cue: str, upper: list[bool], date: str
) -> None:
    # the cells searched are found by plain words in any case: none may be missed
    cased = "".join(c.upper() if upper[i] else c for i, c in enumerate(cue))
    assert run(redact_spans(pl.col("x")), [f"Note: {cased}: {date}."]) == [
        f"Note: {cased}: <DATE_OF_BIRTH>."
    ]


def test_cards_ibans_and_ninos_get_their_tokens(
    make_ctx: Callable[..., ActionContext],
) -> None:
    expr = redact_spans(pl.col("x"), mode="pseudonymise", ctx=make_ctx())
    card, iban, nino = "5555 5555 5555 4444", "GB82 WEST 1234 5698 7654 32", "AB123456C"
    (card_token,) = pseudonymise_values([card], key=KEY, entity="CREDIT_CARD")
    (iban_token,) = pseudonymise_values([iban], key=KEY, entity="IBAN_CODE")
    (nino_token,) = pseudonymise_values([nino], key=KEY, entity="UK_NINO")
    note = f"paid {card} 2027 from {iban} AND, NINO {nino}"
    assert run(expr, [note, "4111111111111112"]) == [
        f"paid {card_token} 2027 from {iban_token} AND, NINO {nino_token}",
        "4111111111111112",
    ]


def test_pseudonymise_mode_needs_a_key() -> None:
    with pytest.raises(ValueError, match="needs a ctx"):
        redact_spans(pl.col("x"), mode="pseudonymise")


def test_the_action_with_a_subset_of_entities(make_ctx: Callable[..., ActionContext]) -> None:
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), {"entities": ["EMAIL_ADDRESS"]})
    assert run(expr, ["jane@x.com 07700 900123"]) == ["<EMAIL_ADDRESS> 07700 900123"]


def test_unknown_entity_is_a_config_error(make_ctx: Callable[..., ActionContext]) -> None:
    with pytest.raises(ConfigError, match=r"^action 'redact_text': param 'entities': no pattern"):
        apply_action("redact_text", pl.col("x"), make_ctx(), {"entities": ["SHOE_SIZE"]})


def test_patterns_keep_table_order() -> None:
    assert list(patterns_for(["POSTCODE", "EMAIL_ADDRESS"])) == ["EMAIL_ADDRESS", "POSTCODE"]
    assert next(iter(DEFAULT_PATTERNS)) == "EMAIL_ADDRESS"


@pytest.mark.parametrize("entity", list(DEFAULT_PATTERNS))
def test_every_pattern_compiles_in_polars(entity: str) -> None:
    run(pl.col("x").str.contains(DEFAULT_PATTERNS[entity]), ["x"])


@pytest.mark.parametrize("mode", ["label", "pseudonymise"])
def test_on_an_empty_frame(mode: str, make_ctx: Callable[..., ActionContext]) -> None:
    expr = redact_spans(pl.col("x"), mode=mode, ctx=make_ctx())  # type: ignore[arg-type]
    assert_frame_equal(frame([]).select(expr), frame([]))


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(values=columns)
def test_rows_and_nulls_are_kept(values: list[str | None]) -> None:
    ctx = ActionContext(key=KEY, entity=None, column="x")
    out = run(redact_spans(pl.col("x"), mode="pseudonymise", ctx=ctx), values)
    assert [v is None for v in out] == [v is None for v in values]


local_parts = st.from_regex(r"[a-z][a-z0-9.]{0,10}", fullmatch=True)
phones = st.from_regex(r"07\d{3} \d{6}", fullmatch=True)


@settings(deadline=None)  # Polars and Faker warm-up outlast the default
@given(user=local_parts, phone=phones, filler=st.sampled_from(["", "see ", "Tel: "]))
def test_no_detected_value_survives(user: str, phone: str, filler: str) -> None:
    email = f"{user}@example.com"
    note = f"{filler}{email}; {phone}"
    for mode in ("label", "pseudonymise"):
        ctx = ActionContext(key=KEY, entity=None, column="x")
        (out,) = run(redact_spans(pl.col("x"), mode=mode, ctx=ctx), [note])  # type: ignore[arg-type]
        assert out is not None
        assert email not in out
        assert phone not in out


# --- the action on the vectorised scanner ----------------------------------------

PRESIDIO = {"detector": "presidio"}
NOTE = "Called Laura Weiss on +33 6 37 68 71 88, mail laura@example.com; 776 Cheryl Hills"


def test_the_action_redacts_what_the_scanner_finds(
    make_ctx: Callable[..., ActionContext],
) -> None:
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), PRESIDIO)
    assert run(expr, [NOTE, None, "", "nothing here"]) == [
        "Called <PERSON> on <PHONE_NUMBER>, mail <EMAIL_ADDRESS>; <STREET_ADDRESS>",
        None,
        "",
        "nothing here",
    ]


def test_a_column_is_redacted_as_each_of_its_cells_alone(
    make_ctx: Callable[..., ActionContext],
) -> None:
    # repeated notes are redacted once and mapped back: every cell in its place
    notes = [
        NOTE,
        "Ring Zoé Åsa at 020 7946 0123 or 07700 900123; then zoe@example.org.",
        "nothing here",
        "",
        None,
        "SW1A 1AA and EC1A 1BB, twice: SW1A 1AA.",
    ]
    cells = [notes[i % len(notes)] for i in (0, 1, 5, 3, 1, 4, 2, 0, 5, 5, 4, 3, 1)]
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), PRESIDIO)
    alone = [run(expr, [cell])[0] for cell in cells]
    assert run(expr, cells) == alone
    assert alone[2] == "<POSTCODE> and <POSTCODE>, twice: <POSTCODE>."


def test_overlapping_spans_merge_under_the_strongest(
    make_ctx: Callable[..., ActionContext],
) -> None:
    # "Laura Weiss" is a name (0.7) inside a street address (0.6): the union goes,
    # under the stronger label
    expr = apply_action(
        "redact_text", pl.col("x"), make_ctx(), {**PRESIDIO, "entities": ["PERSON"]}
    )
    assert run(expr, ["at 12 Laura Weiss Street."]) == ["at 12 <PERSON> Street."]
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), PRESIDIO)
    # (the address pattern takes the full stop after "Street")
    assert run(expr, ["at 12 Laura Weiss Street."]) == ["at <PERSON>"]


def test_the_action_pseudonymises_with_column_tokens(
    make_ctx: Callable[..., ActionContext],
) -> None:
    expr = apply_action(
        "redact_text", pl.col("x"), make_ctx(), {**PRESIDIO, "mode": "pseudonymise"}
    )
    (out,) = run(expr, ["mail Laura@Example.com or laura@example.com"])
    (email,) = pseudonymise_values(["laura@example.com"], key=KEY, entity="EMAIL_ADDRESS")
    assert out == f"mail {email} or {email}"


def test_the_presidio_detector_takes_a_phone_with_its_extension(
    make_ctx: Callable[..., ActionContext],
) -> None:
    # "5000x12" has no word boundary after the number's digits: it was left whole
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), PRESIDIO)
    notes = ["Call 212-736-5000x12 or 020 7946 0018 ext. 5", "need 020 7946 0018 x 2 units"]
    assert run(expr, notes) == [
        "Call <PHONE_NUMBER> or <PHONE_NUMBER>",
        "need <PHONE_NUMBER> x 2 units",
    ]


def test_shapes_presidio_misses_are_still_redacted(
    make_ctx: Callable[..., ActionContext],
) -> None:
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), PRESIDIO)
    assert run(expr, ["mail cordier.anais@mace-s.a.r.l..fr."]) == ["mail <EMAIL_ADDRESS>."]


def test_an_entity_without_a_table_pattern_is_known_to_the_scanner(
    make_ctx: Callable[..., ActionContext],
) -> None:
    expr = apply_action(
        "redact_text", pl.col("x"), make_ctx(), {**PRESIDIO, "entities": ["IBAN_CODE"]}
    )
    assert run(expr, ["pay GB82 WEST 1234 5698 7654 32 now"]) == ["pay <IBAN_CODE> now"]


def test_the_default_detector_is_the_pattern_table(
    make_ctx: Callable[..., ActionContext],
) -> None:
    # names and street addresses need `detector: presidio`; the table finds the rest
    expr = apply_action("redact_text", pl.col("x"), make_ctx(), {})
    assert run(expr, [NOTE, None]) == [
        "Called Laura Weiss on <PHONE_NUMBER>, mail <EMAIL_ADDRESS>; 776 Cheryl Hills",
        None,
    ]


def test_an_unknown_detector_is_a_config_error(make_ctx: Callable[..., ActionContext]) -> None:
    with pytest.raises(ConfigError, match="detector"):
        apply_action("redact_text", pl.col("x"), make_ctx(), {"detector": "spacy"})


def test_the_presidio_detector_follows_the_runs_detection_settings() -> None:
    from detectors.settings import DetectionSettings

    only_email = DetectionSettings(recognizers=("EmailRecognizer",))
    ctx = ActionContext(key=KEY, entity="FREE_TEXT", column="x", detection=only_email)
    expr = apply_action("redact_text", pl.col("x"), ctx, PRESIDIO)
    # no name or address recognizer runs; the pattern table (a floor) still takes phones
    assert run(expr, [NOTE]) == [
        "Called Laura Weiss on <PHONE_NUMBER>, mail <EMAIL_ADDRESS>; 776 Cheryl Hills"
    ]


_THREE_COLUMNS = """
import polars as pl
from transforms.registry import ActionContext, apply_action
notes = [
    f"Called Laura Weiss on +33 6 37 68 71 {i % 100:02d}, mail l{i}@example.com; 776 Cheryl Hills"
    for i in range(3000)
]
frame = pl.DataFrame({c: notes[k:] + notes[:k] for k, c in enumerate("abc")})
ctx = ActionContext(key=b"k" * 32, entity="FREE_TEXT", column="a")
params = {"detector": "presidio"}
out = frame.select(apply_action("redact_text", pl.col(c), ctx, params).alias(c) for c in "abc")
assert out.height == 3000 and not out.get_column("a").str.contains("Laura").any()
"""


def test_several_presidio_columns_in_one_select_finish() -> None:
    # Each column's redaction runs inside a Polars worker: a thread pool there once
    # deadlocked both workers of a 2-core machine (each waiting on threads that waited
    # on Polars). In a child process, so that a hang fails the test instead of the run.
    subprocess.run([sys.executable, "-c", _THREE_COLUMNS], timeout=120, check=True)


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Confirmed DOB: 12/03/1985 today", "Confirmed DOB: <DATE_OF_BIRTH> today"),
        # Presidio's phone recognizer takes "(12/03/1985" and "39) 12/03/1985" for numbers
        ("Ann (DOB (12/03/1985), NHS)", "Ann (DOB (<DATE_OF_BIRTH>), NHS)"),
        ("DOB (age 39) 12/03/1985", "DOB (age 39) <DATE_OF_BIRTH>"),
        # a phone number after the date stays one
        ("DOB 12/03/1985 +44 7700 900123", "DOB <DATE_OF_BIRTH> <PHONE_NUMBER>"),
    ],
)
def test_the_presidio_detector_takes_a_date_of_birth_but_not_its_cue(
    make_ctx: Callable[..., ActionContext], note: str, expected: str
) -> None:
    ctx = make_ctx(column="Notes", entity="FREE_TEXT")
    expr = apply_action("redact_text", pl.col("x"), ctx, {"detector": "presidio"})
    assert run(expr, [note]) == [expected]


def test_the_presidio_detector_keeps_dates_too(make_ctx: Callable[..., ActionContext]) -> None:
    # its spans include the pattern table's, which took "2024-03-05 09" for a number
    notes = ["Follow-up 2024-03-05 09:15, happy", "booked 05.03.2024 14:30", "ring 07700 900123"]
    ctx = make_ctx(column="Notes", entity="FREE_TEXT")
    out = run(apply_action("redact_text", pl.col("x"), ctx, {"detector": "presidio"}), notes)
    assert out == [notes[0], notes[1], "ring <PHONE_NUMBER>"]
