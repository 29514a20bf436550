from __future__ import annotations

import pytest

from anonymise.io.column_names import unique_column_names


@pytest.mark.parametrize(
    ("header", "names", "renamed"),
    [
        (["Email", "Phone"], ["Email", "Phone"], {}),
        (
            ["Phone Number", "Phone Number", "Phone Number"],
            ["Phone Number", "Phone Number_2", "Phone Number_3"],
            {"Phone Number_2": "Phone Number", "Phone Number_3": "Phone Number"},
        ),
        # A new name never takes one the file already uses.
        (["A", "A", "A_2"], ["A", "A_3", "A_2"], {"A_3": "A"}),
        (
            ["Id", "", "Name", " "],
            ["Id", "column_2", "Name", "column_4"],
            {"column_2": "", "column_4": " "},
        ),
        (["column_2", ""], ["column_2", "column_2_2"], {"column_2_2": ""}),
        (["Name", "name"], ["Name", "name"], {}),  # case matters, as in Polars
        (["Prénom", "Prénom"], ["Prénom", "Prénom_2"], {"Prénom_2": "Prénom"}),
        ([], [], {}),
    ],
)
def test_unique_column_names(header: list[str], names: list[str], renamed: dict[str, str]) -> None:
    assert unique_column_names(header) == (names, renamed)
