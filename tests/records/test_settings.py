from __future__ import annotations

import pytest
from pydantic import ValidationError

from anonymise.records.settings import ActivityConfig, RecordsConfig, gaps, retention_gaps
from tests.records.helpers import FULL_SECTIONS, PROCESSOR_SECTIONS, make_config


def test_a_bare_config_lists_every_required_gap_in_art30_order() -> None:
    assert gaps(make_config()) == [
        "controller",
        "activity.purposes",
        "activity.lawful_basis",
        "activity.data_subjects",
        "activity.recipients",
        "activity.transfers",
        "activity.retention",
        "activity.security_measures",
    ]


def test_a_full_controller_config_has_no_gap() -> None:
    assert gaps(make_config(**FULL_SECTIONS)) == []


def test_a_full_processor_config_has_no_gap() -> None:
    assert gaps(make_config(**PROCESSOR_SECTIONS)) == []


@pytest.mark.parametrize(
    ("activity", "expected"),
    [
        # an empty list says "none": no gap; None (unset) says nothing: a gap
        ({"recipients": [], "transfers": []}, []),
        ({"transfers": [{"country": "US"}]}, ["activity.transfers[0].safeguard"]),
        (
            {"role": "processor", "controllers": [{"name": "Acme"}]},
            ["activity.controllers[0].contact"],
        ),
    ],
)
def test_partial_sections(activity: dict[str, object], expected: list[str]) -> None:
    full = {**FULL_SECTIONS["activity"], **activity}
    if activity.get("role") == "processor":
        full = {**PROCESSOR_SECTIONS["activity"], **activity}
    config = make_config(controller=FULL_SECTIONS["controller"], activity=full)
    assert gaps(config) == expected


def test_controller_without_contact() -> None:
    config = make_config(controller={"name": "Acme"}, activity=FULL_SECTIONS["activity"])
    assert gaps(config) == ["controller.contact"]


def test_categories_without_a_retention_period_are_gaps() -> None:
    activity = {**FULL_SECTIONS["activity"], "retention": {"names": "1 year"}}
    config = make_config(controller=FULL_SECTIONS["controller"], activity=activity)
    assert retention_gaps(config, ["contact details", "names"]) == [
        "activity.retention[contact details]"
    ]


def test_sections_are_frozen_and_refuse_unknown_keys() -> None:
    with pytest.raises(ValidationError, match="purpose"):
        ActivityConfig.model_validate({"purpose": ["typo"]})
    with pytest.raises(ValidationError, match="role"):
        ActivityConfig.model_validate({"role": "owner"})
    with pytest.raises(ValidationError, match="frozen"):
        RecordsConfig().log = "elsewhere.jsonl"


def test_the_log_defaults_to_records_processing_jsonl_beside_the_config() -> None:
    from anonymise.records.settings import log_path_of

    assert str(log_path_of(make_config(base_dir="/etc/crm"))) == "/etc/crm/records/processing.jsonl"
