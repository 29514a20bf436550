"""Normalisation and the keyed hash: two spellings of one identifier are one entry."""

from __future__ import annotations

import polars as pl
import pytest

from anonymise.suppression import Identifier, IdentifierKind, digest_identifiers
from anonymise.suppression.identifiers import identifier_digest, suppression_sub_key
from tests.suppression.conftest import KEY, OTHER_KEY, crm_id, email, phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (email(" Jane.Doe@Example.COM "), email("jane.doe@example.com")),
        (email("ÉLODIE@exemple.fr"), email("élodie@exemple.fr")),  # unicode lower-cased
        # Keap's apostrophe-prefixed, space-padded cell vs a national GB number
        (phone("'+44 20 7946 0123   "), phone("020 7946 0123")),
        (phone("+44 (0)7700 900123"), phone("07700900123")),
        (crm_id(" 00042 ", "Keap"), crm_id("00042", "keap")),
    ],
)
def test_spellings_of_one_identifier_hash_alike(typed: Identifier, stored: Identifier) -> None:
    assert digest_identifiers([typed], key=KEY, phone_region="GB") == digest_identifiers(
        [stored], key=KEY, phone_region="GB"
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (email("jane@example.com"), email("jane@example.org")),
        (crm_id("42", "keap"), crm_id("042", "keap")),  # ids are not numbers
        (email("42"), phone("42")),  # same text, but kinds never share a hash set
    ],
)
def test_different_identifiers_differ(one: Identifier, other: Identifier) -> None:
    digests = digest_identifiers([one, other], key=KEY, phone_region="GB")
    if one.kind is other.kind:
        assert digests[0] != digests[1]
    else:  # the hash is of the value only; matching keeps kinds apart
        assert digests[0] == digests[1]


def test_another_key_gives_other_hashes() -> None:
    ident = [email("jane@example.com")]
    assert digest_identifiers(ident, key=KEY, phone_region="GB") != digest_identifiers(
        ident, key=OTHER_KEY, phone_region="GB"
    )


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_and_null_give_no_hash(blank: str | None) -> None:
    frame = pl.DataFrame({"e": [blank]}, schema={"e": pl.String})
    out = frame.select(
        identifier_digest(
            pl.col("e"),
            IdentifierKind.EMAIL,
            sub_key=suppression_sub_key(KEY),
            phone_region="GB",
        )
    )
    assert out.to_series().to_list() == [None]


def test_a_crm_id_needs_its_source() -> None:
    with pytest.raises(ValueError, match="source"):
        Identifier(IdentifierKind.CRM_ID, "42")
    with pytest.raises(ValueError, match="source"):
        Identifier(IdentifierKind.EMAIL, "a@b.c", "keap")


def test_repr_hides_the_value() -> None:
    assert "jane" not in repr(email("jane@example.com"))
