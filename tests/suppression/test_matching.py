"""drop_suppressed / suppressed_mask: vectorised, counted per reason, order kept."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal, assert_series_equal

from anonymise.errors import ConfigError, KeyConfigError
from anonymise.suppression import (
    Reason,
    SuppressionHashes,
    SuppressionList,
    drop_suppressed,
    suppressed_mask,
)
from tests.suppression.conftest import KEY, OTHER_KEY, crm_id, email, phone

IDENTITY = {"Email": "email", "Phone 1": "phone", "Id": "crm_id"}


@pytest.fixture
def hashes(suppression_list: SuppressionList) -> SuppressionHashes:
    suppression_list.add([email("erased@example.com")], reason=Reason.ERASURE)
    suppression_list.add([phone("07700 900123")], reason=Reason.OBJECTION)
    suppression_list.add([crm_id("C-7", "keap")], reason=Reason.OPT_OUT)
    suppression_list.add([email("manual@example.com")], reason=Reason.MANUAL)
    return suppression_list.hashes()


def contacts(rows: list[tuple[str | None, str | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"Email": pl.String, "Phone 1": pl.String, "Id": pl.String}, orient="row"
    )


def drop(frame: pl.DataFrame, hashes: SuppressionHashes, **options: object):  # type: ignore[no-untyped-def]
    return drop_suppressed(
        frame,
        identity_columns=options.pop("identity_columns", IDENTITY),  # type: ignore[arg-type]
        source=options.pop("source", "Keap"),  # type: ignore[arg-type]
        hashes=hashes,
        key=KEY,
        **options,  # type: ignore[arg-type]
    )


def test_rows_go_if_any_identity_column_matches(hashes: SuppressionHashes) -> None:
    frame = contacts(
        [
            ("keep1@example.com", "020 7946 0000", "C-1"),
            (" Erased@Example.COM ", None, "C-2"),  # e-mail spelled otherwise
            ("other@example.com", "'+44 7700 900123  ", "C-3"),  # Keap phone cell
            ("keep2@example.com", None, "C-4"),
            (None, None, " C-7 "),  # CRM id only
            ("manual@example.com", "07700900123", "C-7"),  # objection beats manual
            ("keep3@example.com", "", ""),
        ]
    )
    kept, counts = drop(frame, hashes)
    assert_frame_equal(kept, frame[[0, 3, 6]])
    assert counts == {
        "erasure": 1,
        "objection": 2,
        "opt_out": 1,
        "manual": 0,
        "domain": 0,
    }


def test_a_row_matching_several_reasons_counts_once_under_the_first(
    hashes: SuppressionHashes,
) -> None:
    frame = contacts([("manual@example.com", "07700 900123", "C-7")])
    _, counts = drop(frame, hashes)
    assert counts["objection"] == 1
    assert sum(counts.values()) == 1


@pytest.mark.parametrize(
    "rows",
    [
        [],  # empty frame
        [(None, None, None)] * 3,  # null cells never match
        [("", "", "")],  # nor do blank ones
    ],
)
def test_nothing_to_drop(hashes: SuppressionHashes, rows: list) -> None:  # type: ignore[type-arg]
    frame = contacts(rows)
    kept, counts = drop(frame, hashes)
    assert_frame_equal(kept, frame)
    assert set(counts.values()) == {0}


def test_crm_ids_match_only_in_their_own_crm(hashes: SuppressionHashes) -> None:
    frame = contacts([(None, None, "C-7")])
    assert drop(frame, hashes, source="hubspot")[0].height == 1
    assert drop(frame, hashes, source=" KEAP ")[0].height == 0


def test_crm_id_columns_need_a_source(hashes: SuppressionHashes) -> None:
    with pytest.raises(ConfigError, match=r"^identity column 'Id' holds CRM ids"):
        drop(contacts([]), hashes, source=None)


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        ({"Mail": "email"}, r"^identity column 'Mail' is not in the input"),
        ({"Email": "mail"}, r"^identity column 'Email': unknown kind 'mail'; known: email"),
    ],
)
def test_bad_identity_columns(
    hashes: SuppressionHashes, identity: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        drop(contacts([]), hashes, identity_columns=identity)


def test_hashes_from_another_key_are_refused(hashes: SuppressionHashes) -> None:
    with pytest.raises(KeyConfigError, match=OTHER_KEY.key_id):
        suppressed_mask(
            contacts([]), identity_columns=IDENTITY, source="keap", hashes=hashes, key=OTHER_KEY
        )


def test_blocked_domains(hashes: SuppressionHashes) -> None:
    frame = contacts(
        [
            ("a@Rival.COM", None, None),
            ("b@sub.rival.com", None, None),  # exact domains only
            ("erased@example.com", None, None),  # a list reason beats the domain
            ("c@rival.com.", None, None),  # trailing dot of a fully-qualified domain
            (None, None, None),
        ]
    )
    kept, counts = drop(frame, hashes, blocked_domains=["@rival.com", "example.com"])
    assert_frame_equal(kept, frame[[1, 4]])
    assert (counts["domain"], counts["erasure"]) == (2, 1)


def test_mask_is_boolean_without_nulls(hashes: SuppressionHashes) -> None:
    frame = contacts([("erased@example.com", None, None), (None, None, None)])
    mask = suppressed_mask(
        frame, identity_columns={"Email": "email"}, source=None, hashes=hashes, key=KEY
    )
    assert_series_equal(mask, pl.Series("suppression_reason", [True, False]))


def test_an_empty_list_drops_nothing() -> None:
    frame = contacts([("erased@example.com", "07700 900123", "C-7")])
    kept, counts = drop(frame, SuppressionHashes(key_id=KEY.key_id))
    assert_frame_equal(kept, frame)
    assert sum(counts.values()) == 0


def test_non_string_identity_columns(hashes: SuppressionHashes) -> None:
    frame = pl.DataFrame({"phone": [7700900123, 2079460000]})  # an Excel-mangled phone
    kept, counts = drop(frame, hashes, identity_columns={"phone": "phone"})
    assert kept["phone"].to_list() == [2079460000]
    assert counts["objection"] == 1
