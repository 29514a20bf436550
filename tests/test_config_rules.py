"""Column and entity rules name known actions with valid params, checked as the config
loads: before any input is read, by every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymise.config import load_config
from anonymise.errors import ConfigError


@pytest.mark.parametrize(
    ("rules", "key", "message"),
    [
        ("columns:\n  Email: {action: maks}\n", "columns.Email", "unknown action 'maks'"),
        (
            "actions:\n  PHONE_NUMBER: {action: mask, params: {keep_lastt: 2}}\n",
            "actions.PHONE_NUMBER",
            "action 'mask': unknown param 'keep_lastt'",
        ),
        (
            "sources:\n  - path: a.csv\n    columns:\n      Notes: {action: redact_text, "
            "params: {detector: spacy}}\n",
            "sources.0.columns.Notes",
            "action 'redact_text': param 'detector'",
        ),
        (
            "columns:\n  Id: {action: pseudonymise, params: {length: 8}}\n",
            "columns.Id",
            "action 'pseudonymise': param 'length'",
        ),
    ],
)
def test_an_unknown_action_or_param_is_the_configs_error(
    tmp_path: Path, rules: str, key: str, message: str
) -> None:
    config = tmp_path / "pipeline.yaml"
    config.write_text(f"pipeline: p\n{rules}")
    with pytest.raises(ConfigError) as refused:
        load_config(config)
    assert str(refused.value).startswith(f"config '{config}', key '{key}': {message}")


def test_known_actions_and_params_load(tmp_path: Path) -> None:
    config = tmp_path / "pipeline.yaml"
    config.write_text(
        "pipeline: p\ncolumns:\n  Email: {action: mask, params: {keep_email_domain: true}}\n"
        "actions:\n  PERSON: {action: fake, params: {locale: de_DE}}\n"
    )
    loaded = load_config(config)
    assert loaded.columns["Email"].params == {"keep_email_domain": True}


def test_a_schedule_that_is_no_cron_is_refused_as_the_config_loads(tmp_path: Path) -> None:
    path = tmp_path / "pipeline.yaml"
    path.write_text('pipeline: p\nschedule: "not a cron"\n')
    with pytest.raises(ConfigError, match=r"key 'schedule': not a cron expression; give five"):
        load_config(path)
    path.write_text('pipeline: p\nschedule: "0 6 * * 1"\n')
    assert load_config(path).schedule == "0 6 * * 1"


@pytest.mark.parametrize("cron", ["0 6 30 2 *", "0 6 31 4,6 *"])
def test_a_cron_that_never_fires_is_refused_as_the_config_loads(tmp_path: Path, cron: str) -> None:
    path = tmp_path / "pipeline.yaml"
    path.write_text(f'pipeline: p\nschedule: "{cron}"\n')
    with pytest.raises(ConfigError, match=r"key 'schedule': a cron that names no real date"):
        load_config(path)
    path.write_text('pipeline: p\nschedule: "0 6 29 2 *"\n')  # every leap year
    assert load_config(path).schedule == "0 6 29 2 *"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "{action: fake, params: {locale: xx_YY}}",
            r"param 'locale': unknown Faker locale 'xx_YY'",
        ),
        ("{action: generalise, params: {to: bucket}}", r"to='bucket' needs the param 'width'"),
        (
            "{action: generalise, params: {to: year, width: 5}}",
            r"param 'width' does not apply to to='year'",
        ),
        # the pattern table finds no names (detector: presidio does)
        (
            "{action: redact_text, params: {entities: [PERSON]}}",
            r"param 'entities': no pattern for 'PERSON'; known entities: EMAIL_ADDRESS",
        ),
    ],
)
def test_params_that_fail_only_when_applied_are_refused_as_the_config_loads(
    tmp_path: Path, rule: str, message: str
) -> None:
    path = tmp_path / "pipeline.yaml"
    path.write_text(f"pipeline: p\ncolumns:\n  City: {rule}\n")
    with pytest.raises(ConfigError, match=rf"key 'columns\.City': action '\w+': {message}"):
        load_config(path)


def test_a_date_in_params_is_kept_as_text(tmp_path: Path) -> None:
    # YAML reads an unquoted date as a date: the run report could not be written, after
    # the outputs were published
    import json

    from anonymise.plan import PlannedColumn

    path = tmp_path / "pipeline.yaml"
    path.write_text(
        "pipeline: p\nactions:\n  DATE_OF_BIRTH: {action: generalise, params: "
        "{to: age_band, width: 10, reference_date: 2024-06-30}}\n"
        "columns:\n  Born: {action: generalise, params: {to: age_band, width: 10, "
        "reference_date: 2024-06-30}}\n"
    )
    config = load_config(path)
    assert config.action_for("DATE_OF_BIRTH").params["reference_date"] == "2024-06-30"
    assert json.dumps(config.columns["Born"].params)
    import datetime

    column = PlannedColumn(
        name="Born",
        entity="DATE_OF_BIRTH",
        confidence=1.0,
        action="generalise",
        params={"to": "age_band", "reference_date": datetime.date(2024, 6, 30)},
    )
    assert column.params["reference_date"] == "2024-06-30"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "pipeline: x\nsources:\n  - path: a.csv\n   zq7: [\n",
            "line 4, column 4, in what opens at line 3, column 3; ParserError",
        ),
        # an unclosed quote is found at the end: where it opened is said too
        (
            'pipeline: x\nsources:\n  - path: "zq7.csv\nmemory: {}\n',
            "line 5, column 1, in what opens at line 3, column 11; ScannerError",
        ),
        ("pipeline: x\ncolumns:\n  Email: {action: `zq7`}\n", "line 3, column 19; ScannerError"),
    ],
)
def test_malformed_yaml_is_placed_by_line_and_column_never_quoted(
    tmp_path: Path, text: str, where: str
) -> None:
    path = tmp_path / "pipeline.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as refused:
        load_config(path)
    assert str(refused.value) == f"config '{path}': not valid YAML ({where})"
