"""apply_plan on free text: the input's own names and deny terms, and their order."""

from __future__ import annotations

from typing import Any

import polars as pl

from anonymise.plan import PlannedColumn, PlannedInput, columns_fingerprint
from anonymise.transforming import apply_plan

KEY = b"k" * 32


def _plan(notes_action: str, params: dict[str, Any] | None = None) -> PlannedInput:
    columns = (
        PlannedColumn(name="First Name", entity="PERSON", confidence=1.0, action="redact"),
        PlannedColumn(name="Last Name", entity="PERSON", confidence=1.0, action="redact"),
        PlannedColumn(
            name="Notes",
            entity="FREE_TEXT",
            confidence=1.0,
            action=notes_action,
            params=params or {},
        ),
    )
    return PlannedInput(
        source="x.csv",
        format="csv",
        fingerprint=columns_fingerprint([c.name for c in columns]),
        content_sha256="0" * 64,
        rows=2,
        columns=columns,
    )


FRAME = pl.DataFrame(
    {
        "First Name": ["Jane", "Omar"],
        "Last Name": ["Doe", "Haddad"],
        "Notes": ["Write to Jane.Doe@Example.com re Project Falcon", "Omar called"],
    }
)


def test_an_email_made_of_input_names_goes_whole_and_names_and_terms_go_too() -> None:
    out = apply_plan(FRAME, _plan("redact_text"), key=KEY, deny_terms=["Project Falcon"])
    assert out["Notes"].to_list() == [
        "Write to <EMAIL_ADDRESS> re <REDACTED>",
        "<PERSON> called",
    ]


def test_other_actions_get_the_scrubbed_text() -> None:
    out = apply_plan(FRAME, _plan("mask", {"keep_first": 9}), key=KEY)
    assert out["Notes"][1].startswith("<PERSON> ")  # masked after the names went
