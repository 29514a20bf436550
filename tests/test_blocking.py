"""Which columns the block step (and erasure, for raw files) matches people in."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from anonymise.blocking import block, content_kind, identity_columns
from anonymise.config import PipelineConfig, load_config
from anonymise.keys import SecretKey
from anonymise.suppression import Identifier, IdentifierKind, Reason, SuppressionList


@pytest.mark.parametrize(
    ("cells", "kind"),
    [
        (["ann@example.com", "bob@example.org", ""], "email"),
        (["07700 900123", "+44 7911 123456", "020 7946 0123"], "phone"),
        (["(415) 555-0132", "415.555.0133", None], "phone"),
        (["'+44 7700 900123   ", "0044 20 7946 0123"], "phone"),
        (["0044 20 7946 0123", "+1 (415) 555-0132"], "phone"),
        (["01.23.45.67.89", "06.12.34.56.78"], "phone"),
        (["0612345678", "07879571325"], "phone"),
        (["1-415-555-0132", "1 (415) 555-0133"], "phone"),
        (["0 800 123 4567", "030.1234567"], "phone"),
        (["+1 415 555 1234 x56", "020 7946 0123 ext. 12"], "phone"),
        # ids, dates, amounts, scores, versions, coordinates: not phone numbers
        (["1708456789", "1708456790"], None),
        (["447700900123", "447700900124"], None),
        (["000123456", "000123457"], None),
        (["0012345678", "00123456789"], None),  # zero-padded ids
        (["01/02/24 - 01/08/24", "01/09/24 - 01/15/24"], None),
        (["123-456-789", "123-456-790"], None),
        (["04992383", "04992384"], None),
        (["12345678.90", "98765432.10"], None),  # amounts would normalise to +4412...
        (["0.123456789", "0.987654321"], None),
        (["51.5073509", "53.4807593"], None),
        (["10.0.19045.3803", "10.0.22631.2428"], None),
        (["978-3-16-148410-0", "978-0-306-40615-7"], None),
        (["2024-01-15", "2024-02-01"], None),
        (["2024-01-15 10:30:00", "2024-02-01 09:00:00"], None),
        (["2024-01-15 10.30.00", "2024-02-01 09.00.00"], None),
        (["12.50", "1,234,567.00"], None),
        (["Open", "Closed"], None),
        (["0012", "0013"], None),
        # 00 opens an international number only before a country code
        (["009-3136-7061", "009-3136-7062"], None),
        (["00123-20250131", "00124-20250131"], None),
        (["0049-89-123456", "00 44 20 7946 0123"], "phone"),
        (["0049151 12345678", "004420 7946 0123", "001 415 555 0132"], "phone"),
        (["+4992383.85", "-120.50"], None),  # signed amounts
        (["+51.5073509", "-0.1277583"], None),  # signed coordinates
        (["0045123456-01", "0020250131-0042", "0044000123-17"], None),  # references
        (["02.12345678", "0471.123456", "030.1234567"], "phone"),  # one dot, trunk 0
    ],
)
def test_a_column_is_told_by_its_cells(cells: list[str | None], kind: str | None) -> None:
    assert content_kind(pl.Series(cells, dtype=pl.String)) == kind


def _listed(
    tmp_path: Path, identifiers: list[Identifier], *, reason: Reason
) -> tuple[PipelineConfig, SecretKey]:
    """A pipeline config whose suppression list holds ``identifiers``, and its key."""
    config_path = tmp_path / "pipeline.yaml"
    config_path.write_text("pipeline: p\n")
    config = load_config(config_path)
    key = SecretKey(bytes(range(32)))
    listing = SuppressionList(Path(config.resolve(config.suppression.path)), key)
    listing.add(identifiers, reason=reason)
    return config, key


def test_columns_of_contacts_under_other_headers_are_identity_columns() -> None:
    frame = pl.DataFrame(
        {
            "Id": ["1", "2"],
            "Contact Number": ["07700 900004", "07700 900005"],
            "Login": ["d4@gmail.com", "e5@gmail.com"],
            "Status": ["active", "active"],
        }
    )
    found = identity_columns(frame, declared=None, source_name=None)
    assert found == {"Contact Number": "phone", "Login": "email"}


def test_a_suppressed_phone_under_an_unknown_header_drops_its_row(tmp_path: Path) -> None:
    config, key = _listed(
        tmp_path, [Identifier(IdentifierKind.PHONE, "+44 7911 100004")], reason=Reason.ERASURE
    )
    frame = pl.DataFrame(
        {"Id": ["4", "5"], "WhatsApp": ["07911 100004", "07911 100005"], "Status": ["a", "b"]}
    )
    kept, dropped = block(frame, config=config, key=key, source_name=None, declared=None)
    assert kept["Id"].to_list() == ["5"]
    assert dropped == {"erasure": 1}


def test_french_numbers_under_unknown_headers_drop_a_blocked_persons_row(tmp_path: Path) -> None:
    config_path = tmp_path / "pipeline.yaml"
    config_path.write_text("pipeline: p\nsuppression:\n  phone_region: FR\n")
    config = load_config(config_path)
    key = SecretKey(bytes(range(32)))
    listing = SuppressionList(Path(config.resolve(config.suppression.path)), key, phone_region="FR")
    listing.add([Identifier(IdentifierKind.PHONE, "+33 6 12 34 56 78")], reason=Reason.OPT_OUT)
    for column, cells in (
        ("GSM", ["06.12.34.56.78", "06.98.76.54.32", "06.11.22.33.44"]),
        ("Festnetz", ["0612345678", "0698765432", "0611223344"]),
    ):
        frame = pl.DataFrame({"Id": ["1", "2", "3"], column: cells})
        kept, dropped = block(frame, config=config, key=key, source_name=None, declared=None)
        assert kept["Id"].to_list() == ["2", "3"], column
        assert dropped == {"opt_out": 1}


def test_crm_ids_on_the_list_are_named_when_an_input_has_no_source(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config, key = _listed(
        tmp_path,
        [Identifier(IdentifierKind.CRM_ID, "4", source="hubspot")],
        reason=Reason.OBJECTION,
    )
    frame = pl.DataFrame({"Record ID": ["4", "5"], "Status": ["a", "b"]})
    caplog.set_level("WARNING", logger="anonymise")
    kept, dropped = block(frame, config=config, key=key, source_name=None, declared=None)
    assert kept.height == 2  # an id means something only in its own CRM
    assert "1 CRM id(s) on the suppression list are not matched in column(s) 'Record ID'" in (
        caplog.text
    )
    caplog.clear()
    kept, dropped = block(frame, config=config, key=key, source_name="hubspot", declared=None)
    assert (kept.height, dropped) == (1, {"objection": 1})
    assert "CRM id" not in caplog.text


def test_a_missing_list_is_said_to_block_nobody(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_path = tmp_path / "pipeline.yaml"
    config_path.write_text("pipeline: p\nsuppression: {path: suppresion/list.jsonl}\n")
    config = load_config(config_path)
    caplog.set_level("WARNING", logger="anonymise")
    frame = pl.DataFrame({"Email": ["a@x.io"]})
    kept, _ = block(
        frame, config=config, key=SecretKey(bytes(range(32))), source_name=None, declared=None
    )
    assert kept.height == 1
    assert f"suppression list '{tmp_path / 'suppresion' / 'list.jsonl'}' does not exist" in (
        caplog.text
    )


def test_one_cell_is_told_as_a_column_tells_it() -> None:
    # erasure's request-id check reads one value in Python; the block step a column in
    # Polars: the same rules either way
    from detectors.contact_shapes import is_phone_shaped, is_phone_text

    cells = [
        "+44 20 7946 0123",
        "(+44) 7700 900461",
        "0049151 12345678",
        "0044000123-17",
        "009-3136-7061",
        "02.12345678",
        "+51.5073509",
        "12345678.90",
        "(415) 555-0132",
        "01/02/24 - 01/08/24",
        "0012345678",
        "1-415-555-0132",
        "07700 900123 ext 4",
        "1708456789",
        "DSAR-0042-20250131",
        "0 800 123 4567",
    ]
    column = pl.DataFrame({"c": cells}).select(is_phone_shaped(pl.col("c"))).to_series()
    assert [is_phone_text(c) for c in cells] == column.to_list()
    assert any(column)
    assert not all(column)


@pytest.mark.parametrize(
    "extension", ["x56", "x 56", "ext. 56", "extn 56", "ext: 56", "#56", ";ext=56"]
)
def test_a_phone_number_with_an_extension_is_one_shape_everywhere(extension: str) -> None:
    # the column shape, the header check and erasure's request matching read one
    # extension pattern
    from anonymise.erasure.requests import _same_number
    from anonymise.io.header_values import PHONE, personal_kind
    from detectors.contact_shapes import is_phone_text, without_extension

    number = f"+44 20 7946 0123 {extension}".replace(" ;", ";")
    assert without_extension(number) == "+44 20 7946 0123"
    assert is_phone_text(number)
    assert personal_kind(number) == PHONE
    assert _same_number("020 7946 0123", number)


def test_ids_and_phones_stored_as_floats_match_as_integers(tmp_path: Path) -> None:
    # pandas writes an integer column with a gap as floats (5001.0): blocked people in
    # such a Parquet export were published, and its tokens joined no other file's
    from transforms.pseudonymise import pseudonymise

    config, key = _listed(
        tmp_path,
        [
            Identifier(IdentifierKind.CRM_ID, "5001", source="crm"),
            Identifier(IdentifierKind.PHONE, "+44 7700 900102"),
        ],
        reason=Reason.OBJECTION,
    )
    floats = pl.DataFrame(
        {
            "Id": [5000.0, 5001.0, 5002.0, None],
            "Phone": [447700900100.0, 447700900101.0, 447700900102.0, None],
        }
    )
    kept, dropped = block(floats, config=config, key=key, source_name="crm", declared=None)
    assert kept.get_column("Id").to_list() == [5000.0, None]
    assert dropped == {"objection": 2}
    text = pl.DataFrame({"Id": ["5000"], "Phone": ["+44 7700 900100"]})
    tokens = [
        frame.select(
            pseudonymise(pl.col("Id"), key=bytes(32), entity="CRM_ID"),
            pseudonymise(pl.col("Phone"), key=bytes(32), entity="PHONE_NUMBER"),
        ).row(0)
        for frame in (kept, text)
    ]
    assert tokens[0] == tokens[1]


def test_an_address_written_with_its_name_is_blocked_and_joins(tmp_path: Path) -> None:
    # "Ann Lee <ann@example.com>" was planned an e-mail column, but the block step did
    # not take it for one, and its token joined no plain address's
    from transforms.pseudonymise import pseudonymise

    config, key = _listed(
        tmp_path, [Identifier(IdentifierKind.EMAIL, "ann.lee@example.com")], reason=Reason.OBJECTION
    )
    frame = pl.DataFrame(
        {
            "Contact": ["Ann Lee <Ann.Lee@Example.com>", "Bob Ray <bob@example.com>"],
            "Plan": ["Gold", "Silver"],
        }
    )
    kept, dropped = block(frame, config=config, key=key, source_name=None, declared=None)
    assert (kept.get_column("Plan").to_list(), dropped) == (["Silver"], {"objection": 1})
    tokens = pl.DataFrame({"a": ["Bob Ray <bob@example.com>"], "b": ["bob@example.com"]}).select(
        pseudonymise(pl.col("a"), key=bytes(32), entity="EMAIL_ADDRESS"),
        pseudonymise(pl.col("b"), key=bytes(32), entity="EMAIL_ADDRESS"),
    )
    assert tokens.item(0, 0) == tokens.item(0, 1)


def test_an_address_written_as_a_link_or_decomposed_is_blocked(tmp_path: Path) -> None:
    # "mailto:zoë@...", "zoë@....", and "zoë" with its diaeresis as a second character
    # (macOS) were not the listed "zoë@example.com": the rows were published
    config, key = _listed(
        tmp_path, [Identifier(IdentifierKind.EMAIL, "zoë@example.com")], reason=Reason.OBJECTION
    )
    frame = pl.DataFrame(
        {
            "Email": [
                "mailto:Zoë@example.com",
                "zoë@example.com.",
                "zoe\u0308@example.com",
                "zoe@example.com",
            ],
            "Plan": ["Gold", "Silver", "Bronze", "Basic"],
        }
    )
    kept, dropped = block(frame, config=config, key=key, source_name=None, declared=None)
    assert (kept.get_column("Plan").to_list(), dropped) == (["Basic"], {"objection": 3})
