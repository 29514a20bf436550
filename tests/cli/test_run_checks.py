"""`anonymise run` refuses what it can before Prefect starts (about 10 s here) and
before any input is read."""

from __future__ import annotations

from pathlib import Path

import pytest

import flows.run_flow
from tests.cli.conftest import Invoke


@pytest.fixture
def no_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    """A key, and a flow that must not start."""

    def started(**kwargs: object) -> None:
        raise AssertionError("the flow started")

    monkeypatch.setenv("ANONYMISE_KEY", "cli-test-key-0123456789abcdef0123456789")
    monkeypatch.setattr(flows.run_flow, "anonymise_run", started)


def _bare_config(tmp: Path) -> Path:
    """A config of a pipeline name only (no sources, every default)."""
    config = tmp / "pipeline.yaml"
    config.write_text("pipeline: p\n")
    return config


@pytest.mark.usefixtures("no_flow")
def test_inputs_published_under_one_name_are_refused_before_the_flow(
    invoke: Invoke, tmp_path: Path
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "contacts.csv").write_text("Id,Email\n1,a@example.com\n")
    config = _bare_config(tmp_path)
    result = invoke(
        "run", str(config), "--input", str(tmp_path / "*" / "contacts.csv"), "--dry-run"
    )
    assert result.exit_code == 2
    assert "would both be written to 'contacts.parquet'" in result.stderr


@pytest.mark.usefixtures("no_flow")
def test_a_plans_unknown_action_is_refused_before_the_flow(invoke: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "a.csv"
    source.write_text("Id,Email\n1,a@example.com\n2,b@example.org\n")
    plan = tmp_path / "plan.yaml"
    assert invoke("scan", str(source), "--plan-out", str(plan)).exit_code == 0
    plan.write_text(plan.read_text().replace("action: pseudonymise", "action: maks", 1))
    config = _bare_config(tmp_path)
    result = invoke("run", str(config), "--plan", str(plan), "--input", str(source))
    assert result.exit_code == 2
    assert "column 'Id': unknown action 'maks'" in result.stderr


@pytest.mark.parametrize("edit", ["remove", "add", "rename", "move"])
@pytest.mark.usefixtures("no_flow")
def test_a_plan_whose_columns_were_edited_is_refused_before_the_flow(
    invoke: Invoke, tmp_path: Path, edit: str
) -> None:
    import yaml

    source = tmp_path / "a.csv"
    source.write_text("Id,Email,City\n1,a@example.com,Leeds\n2,b@example.org,York\n")
    plan = tmp_path / "plan.yaml"
    assert invoke("scan", str(source), "--plan-out", str(plan)).exit_code == 0
    written = yaml.safe_load(plan.read_text())
    columns = written["inputs"][0]["columns"]
    if edit == "remove":  # the input's Email would be dropped from the output unsaid
        columns.pop(1)
    elif edit == "add":
        columns.append({**columns[2], "name": "Ghost"})
    elif edit == "rename":
        columns[2]["name"] = "Town"
    else:
        columns.reverse()
    plan.write_text(yaml.safe_dump(written, sort_keys=False))
    config = _bare_config(tmp_path)
    result = invoke("run", str(config), "--plan", str(plan), "--input", str(source))
    assert result.exit_code == 2
    assert "key 'inputs.0': its columns are not the ones it was made for" in result.stderr


@pytest.mark.usefixtures("no_flow")
def test_a_config_without_sources_and_no_input_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    config = _bare_config(tmp_path)
    result = invoke("run", str(config))
    assert result.exit_code == 2
    assert "key 'sources': none, and no --input given" in result.stderr


@pytest.mark.parametrize(
    ("fault", "code", "error"),
    [
        (ValueError("could not parse 'jane.doe@example.com'"), 1, "internal error (ValueError); "),
        (KeyboardInterrupt(), 130, "interrupted; "),
    ],
)
def test_a_run_that_ends_otherwise_still_prints_one_json_object(
    invoke: Invoke,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: BaseException,
    code: int,
    error: str,
) -> None:
    import json

    def flow(**kwargs: object) -> None:
        raise fault  # inside the flow, where the engine's own errors are told apart

    monkeypatch.setenv("ANONYMISE_KEY", "cli-test-key-0123456789abcdef0123456789")
    monkeypatch.setattr(flows.run_flow, "anonymise_run", flow)
    source = tmp_path / "contacts.csv"
    source.write_text("Id,Email\n1,a@example.com\n")
    result = invoke("run", str(_bare_config(tmp_path)), "--input", str(source))
    assert result.exit_code == code
    failed = json.loads(result.stdout)
    assert (failed["status"], failed["exit_code"]) == ("failed", code)
    assert failed["error"].startswith(error + "outputs are published only once every input")
    assert "jane" not in result.stdout + result.stderr


@pytest.mark.usefixtures("no_flow")
def test_an_output_url_is_refused_before_the_flow(invoke: Invoke, tmp_path: Path) -> None:
    # a local path of it made a folder named 's3:' that held the outputs and the raw
    # quarantined rows, and the run said it succeeded
    source = tmp_path / "a.csv"
    source.write_text("Id,Email\n1,a@example.com\n")
    config = _bare_config(tmp_path)
    given = invoke("run", str(config), "--input", str(source), "--output", "s3://crm/out")
    assert given.exit_code == 2
    assert "--output 's3://crm/out': a URL; outputs" in given.stderr
    assert '"exit_code": 2' in given.stdout
    config.write_text("pipeline: p\noutput: {dir: 's3://crm/out'}\n")
    configured = invoke("run", str(config), "--input", str(source))
    assert configured.exit_code == 2
    assert "output.dir" in configured.stderr
    assert "a URL; outputs" in configured.stderr
    assert not list(tmp_path.glob("s3*"))
    assert not Path("s3:").exists()


@pytest.mark.usefixtures("no_flow")
def test_a_prefect_server_that_does_not_answer_is_named(invoke: Invoke, tmp_path: Path) -> None:
    # it was "internal error (RuntimeError)", as if the tool were at fault
    from prefect.settings import PREFECT_API_URL, temporary_settings

    source = tmp_path / "a.csv"
    source.write_text("Id,Email\n1,a@example.com\n")
    config = _bare_config(tmp_path)
    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:1/api"}):
        result = invoke("run", str(config), "--input", str(source))
    assert result.exit_code == 2
    assert "the Prefect API at http://127.0.0.1:1/api (PREFECT_API_URL) does not answer" in (
        result.stderr
    )
