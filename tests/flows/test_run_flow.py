"""The run flow end to end on real files, under a real (temporary) Prefect server."""

from __future__ import annotations

import json
import re
import threading
import traceback
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from anonymise.errors import ConfigError, KeyConfigError, PlanError
from anonymise.output_lock import JOURNALS_LOCK_NAME, LOCK_NAME
from anonymise.staging import STAGING
from flows.run_flow import anonymise_run
from tests.flows.conftest import OTHER_KEY

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
# Run ids, record ids, key ids and chain hashes are random hex: a digit probe such as
# "7946" turns up in one of them now and then, so they are taken out before the search.
HEX_IDS = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|k-[0-9a-f]+|[0-9a-f]{16,}"
)

CRM_A = (
    "Id,First Name,Last Name,Email,Phone 1,Company,Lead Status,Person Notes\n"
    "001,Jane,Doe,Jane.Doe@Example.com,'+44 20 7946 0123   ,Acme Ltd,Open,"
    '"Called on 020 7946 0999, wrote to jd@example.org, lives SW1A 1AA"\n'
    "002,John,Smith,john.smith@example.net,(415) 555-0132,Beta plc,Closed,Interested.\n"
)
CRM_B = (
    "Email Address,First Name,Last Name,MEMBER_RATING\n"
    " jane.doe@example.com ,Jane,Doe,4\n"
    "someone.else@example.net,Ann,Other,2\n"
)


def _config(tmp: Path, body: str = "") -> Path:
    config = tmp / "pipeline.yaml"
    config.write_text(f"pipeline: test\n{body}")
    return config


# Notes redacted of phone numbers only: "wrote to jd@example.org" is left, a residual.
PHONES_ONLY = (
    "columns:\n  Person Notes:\n"
    "    {entity: FREE_TEXT, action: redact_text, params: {entities: [PHONE_NUMBER]}}\n"
)


def _published(folder: Path) -> list[Path]:
    """The files in ``folder``, but the lock files a run holds while it works there."""
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and p.name not in (LOCK_NAME, JOURNALS_LOCK_NAME)
    ]


def _erase(tmp: Path, config: Path, rows: str) -> str:
    """``anonymise erase`` of a requests file of ``rows`` (after its header) with
    ``config``; what it printed on stderr."""
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    path = _write(tmp, "requests.csv", "request_id,email,phone,crm_id,received_at\n" + rows)
    erased = CliRunner().invoke(app, ["erase", str(path), "--config", str(config)])
    assert erased.exit_code == 0, erased.stderr
    return erased.stderr


_B_BODY = "sources:\n  - path: exports/crm_b.csv\noutput:\n  dir: out\n"


def _pipeline_b(tmp_path: Path, extra: str = "") -> Path:
    """The config of a pipeline of ``exports/crm_b.csv`` into ``out`` (``pipeline:
    test``), and that export."""
    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm_b.csv", CRM_B)
    return _config(tmp_path, _B_BODY + extra)


class _Killed(BaseException):
    """The process dies between the renames and the report."""


def _killed_while_publishing(
    config: Path, output_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of ``config`` into ``output_dir`` killed after it renamed its outputs, before
    its report and record: its journal stays for the next holder of the folder's lock."""
    import flows.run_flow as run_flow

    def killed(*args: object, **kwargs: object) -> None:
        raise _Killed

    with monkeypatch.context() as patched:
        patched.setattr(run_flow, "write_report", killed)
        patched.setattr(run_flow, "settle_journal", lambda *a, **k: False)
        with pytest.raises(_Killed):
            anonymise_run(str(config), output_dir=str(output_dir))


def _until_it_waits(thread: threading.Thread, caplog: pytest.LogCaptureFixture, what: str) -> None:
    """Until ``thread`` says it waits for an output folder's lock (not ending first)."""
    import time

    deadline = time.monotonic() + 120
    while "waiting up to 3600 s for another run or erasure" not in caplog.text:
        assert thread.is_alive(), f"{what} did not wait"
        assert time.monotonic() < deadline, f"{what} never started"
        time.sleep(0.05)


def _write(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_pipeline_leaks_no_value(tmp_path: Path) -> None:
    # the example pipeline, its state (records, list) kept in tmp_path
    example = (ROOT / "config" / "example.yaml").read_text()
    config = tmp_path / "example.yaml"
    config.write_text(example.replace("../data/samples", str(SAMPLES)).replace("../out", "out"))
    report = anonymise_run(str(config), output_dir=str(tmp_path))
    assert report["status"] == "succeeded"
    published = json.loads((tmp_path / "run_report.json").read_text())
    assert published["key_id"].startswith("k-")
    for entry in report["inputs"]:
        source = pl.read_parquet(entry["output"])
        original = _read_original(Path(entry["source"]))
        assert source.height == original.height
        personal = [
            c["name"] for c in entry["columns"] if c["entity"] and c["entity"] != "FREE_TEXT"
        ]
        # every original value of a personal column, searched as a whole word in the
        # personal and free-text cells of its row; non-personal columns keep their values
        # ("Event - London 2022" in Tags is not the contact's city)
        cleaned = [c["name"] for c in entry["columns"] if c["entity"] and c["output"]]
        leaks = []
        for before, after in zip(
            original.iter_rows(named=True), source.select(cleaned).iter_rows(), strict=True
        ):
            row_text = "\n".join(str(v) for v in after if v is not None)
            for name in personal:
                value = (before[name] or "").strip().lstrip("'").strip()
                if len(value) >= 4 and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", row_text):
                    leaks.append(name)
        assert leaks == []
        # and no personal column's value survives anywhere in its own column
        for name in personal:
            if name in source.columns:
                kept = set(source.get_column(name).drop_nulls().to_list())
                assert not kept & set(original.get_column(name).drop_nulls().to_list())
        for c in entry["columns"]:
            if c["entity"] == "FREE_TEXT":
                notes = "\n".join(source.get_column(c["name"]).drop_nulls().to_list())
                assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", notes)
                assert not re.search(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", notes)


def _read_original(path: Path) -> pl.DataFrame:
    from anonymise.io.readers import read_table

    return read_table(str(path)).frame


def test_pseudonyms_are_stable_keyed_and_join_across_crms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    b = _write(tmp_path, "crm_b.csv", CRM_B)
    config = _config(tmp_path)
    first = anonymise_run(str(config), inputs=[str(a), str(b)], output_dir=str(tmp_path / "one"))
    again = anonymise_run(str(config), inputs=[str(a), str(b)], output_dir=str(tmp_path / "two"))
    out_a = pl.read_parquet(first["inputs"][0]["output"])
    out_b = pl.read_parquet(first["inputs"][1]["output"])
    assert out_a.equals(pl.read_parquet(again["inputs"][0]["output"]))
    # the same person, written differently in two CRMs, gets one token
    assert out_a["Email"][0] == out_b["Email Address"][0]
    assert out_a.join(out_b, left_on="Email", right_on="Email Address").height == 1
    # untouched columns keep their values and order
    assert out_a["Lead Status"].to_list() == ["Open", "Closed"]
    assert out_a["Company"].to_list() == ["Acme Ltd", "Beta plc"]
    assert "<PHONE_NUMBER>" in out_a["Person Notes"][0]

    monkeypatch.setenv("ANONYMISE_KEY", OTHER_KEY)
    other = anonymise_run(str(config), inputs=[str(a)], output_dir=str(tmp_path / "three"))
    out_other = pl.read_parquet(other["inputs"][0]["output"])
    assert set(out_other["Email"].to_list()).isdisjoint(out_a["Email"].to_list())


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ("columns:\n  Email: {action: maks}\n", ConfigError, r"unknown action 'maks'"),
        ("columns:\n  Emial: {action: redact}\n", ConfigError, r"columns\.Emial'.*no such column"),
        (
            "columns:\n  Company:\n    action: date_shift\n    params: {by_column: Nope}\n",
            ConfigError,
            r"column 'Company', param 'by_column': the input has no column 'Nope'",
        ),
    ],
)
def test_bad_config_fails_and_publishes_nothing(
    tmp_path: Path, body: str, error: type[Exception], message: str
) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    out = tmp_path / "out"
    with pytest.raises(error, match=message):
        anonymise_run(str(_config(tmp_path, body)), inputs=[str(a)], output_dir=str(out))
    assert not _published(out)


@pytest.mark.parametrize(
    ("body", "state"),
    [
        # a hand-written list line: pydantic's error quotes it as its input_value
        ("suppression:\n  path: list.jsonl\n", '"zq7leak@example.com"\n'),
        # a config that went bad between two served runs, loaded in the flow itself
        ('suppression:\n  allow_values: ["zq7leak@example.com", "  "]\n', None),
    ],
)
def test_an_error_reaches_prefect_without_the_input_it_was_raised_from(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, body: str, state: str | None
) -> None:
    if state is not None:
        (tmp_path / "list.jsonl").write_text(state)
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    with pytest.raises(ConfigError) as raised:
        anonymise_run(str(_config(tmp_path, body)), inputs=[str(a)], output_dir=str(tmp_path))
    # Prefect logs the whole traceback, chained exceptions included
    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None
    assert "zq7leak" not in "".join(traceback.format_exception(raised.value))
    assert "raise ConfigError" in caplog.text  # Prefect's logs hold the traceback
    assert "zq7leak" not in caplog.text


def test_inputs_published_under_one_name_fail_before_reading(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _write(tmp_path / "a", "contacts.csv", CRM_A)
    b = _write(tmp_path / "b", "contacts.csv", CRM_B)
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match=r"would both be written to 'contacts\.parquet'"):
        anonymise_run(str(_config(tmp_path)), inputs=[str(a), str(b)], output_dir=str(out))
    assert not _published(out)
    assert STAGING.held() == 0


def test_a_reviewed_plan_with_an_unknown_action_fails_before_reading(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    plan = tmp_path / "plan.yaml"
    scanned = CliRunner().invoke(app, ["scan", str(a), "--plan-out", str(plan)])
    assert scanned.exit_code == 0, scanned.stderr
    plan.write_text(plan.read_text().replace("action: redact_text", "action: maks", 1))
    a.write_bytes(b"\x00\x01\x02 not a CSV")  # an error about it would mean it was read
    with pytest.raises(ConfigError, match=r"^plan '.*', column 'Person Notes': unknown action"):
        anonymise_run(
            str(_config(tmp_path)), plan_path=str(plan), inputs=[str(a)], output_dir=str(tmp_path)
        )


def test_a_plan_of_several_inputs_runs_for_one_of_them(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "a.csv", "Id,Email\n1,a@example.com\n2,b@example.org\n")
    b = _write(tmp_path, "b.csv", "Id,Flavour\n1,mint\n2,lime\n")
    config = _config(tmp_path, "detection:\n  unclassified: fail\n")
    plan = tmp_path / "plan.yaml"
    scanned = CliRunner().invoke(
        app, ["scan", str(a), str(b), "--config", str(config), "--plan-out", str(plan)]
    )
    assert scanned.exit_code == 0, scanned.stderr
    assert "action: review" in plan.read_text()  # b.csv's Flavour, left to review
    report = anonymise_run(
        str(config), plan_path=str(plan), inputs=[str(a)], output_dir=str(tmp_path / "o")
    )
    assert report["status"] == "succeeded"
    with pytest.raises(ConfigError, match=r"column 'Flavour': unclassified"):
        anonymise_run(
            str(config), plan_path=str(plan), inputs=[str(b)], output_dir=str(tmp_path / "o2")
        )


def test_a_run_refused_before_reading_is_recorded(tmp_path: Path) -> None:
    from anonymise.records.chain import read_records

    a = _write(tmp_path, "a.csv", CRM_A)
    plan = tmp_path / "plan.yaml"
    plan.write_text("format_version: 1\n")  # not a plan: refused before any input is read
    with pytest.raises(PlanError):
        anonymise_run(
            str(_config(tmp_path)), plan_path=str(plan), inputs=[str(a)], output_dir=str(tmp_path)
        )
    [record] = read_records(tmp_path / "records" / "processing.jsonl")
    assert record["status"] == "failed"
    assert record["error"].startswith("PlanError: plan '")


def test_a_steps_foreign_error_keeps_no_trace_of_its_text() -> None:
    from anonymise.errors import RunError
    from flows.run_flow import value_free

    def transform() -> None:
        raise ValueError("could not parse 'jane.doe@example.com'")

    with pytest.raises(RunError, match=r"^step 'transform' failed \(ValueError\)") as info:
        value_free(transform)()
    assert info.value.__context__ is None  # not even hidden behind it
    assert "jane" not in "".join(traceback.format_exception(info.value))


def test_a_missing_input_is_recorded(tmp_path: Path) -> None:
    from anonymise.errors import InputError
    from anonymise.records.chain import read_records

    with pytest.raises(InputError, match="no such file"):
        anonymise_run(
            str(_config(tmp_path)), inputs=[str(tmp_path / "gone.csv")], output_dir=str(tmp_path)
        )
    [record] = read_records(tmp_path / "records" / "processing.jsonl")
    assert record["status"] == "failed"


def test_missing_key_fails_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANONYMISE_KEY")
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    with pytest.raises(KeyConfigError, match="ANONYMISE_KEY"):
        anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    assert not (tmp_path / "o").exists()
    # a scheduled run whose key went missing is in the processing log all the same
    from anonymise.records.chain import read_records

    [record] = read_records(tmp_path / "records" / "processing.jsonl")
    assert (record["status"], record["key_id"]) == ("failed", None)
    assert record["error"].startswith("KeyConfigError: ")


def test_a_torn_processing_log_stops_the_run_before_it_publishes(tmp_path: Path) -> None:
    from anonymise.errors import OutputError

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    log = tmp_path / "records" / "processing.jsonl"
    log.parent.mkdir()
    log.write_text('{"record_id": "x", "hash": "ab')  # a write cut short
    out = tmp_path / "o"
    with pytest.raises(OutputError, match="the last line is incomplete"):
        anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(out))
    assert not _published(out)  # its record could not be written: nothing published


def test_plan_for_another_file_is_refused(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    b = _write(tmp_path, "crm_b.csv", CRM_B)
    plan = tmp_path / "plan.yaml"
    scanned = CliRunner().invoke(app, ["scan", str(b), "--plan-out", str(plan)])
    assert scanned.exit_code == 0, scanned.stderr
    with pytest.raises(PlanError, match=f"made for another file than input '{a}'"):
        anonymise_run(
            str(_config(tmp_path)),
            plan_path=str(plan),
            inputs=[str(a)],
            output_dir=str(tmp_path / "o"),
        )
    assert STAGING.held() == 0  # a failed run lets its staged inputs go
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(_config(tmp_path)),
            "--plan",
            str(plan),
            "--input",
            str(a),
            "--output",
            str(tmp_path / "o"),
        ],
    )
    assert result.exit_code == 2
    assert not _published(tmp_path / "o")


def test_suppressed_people_are_dropped_before_detection(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path, "suppression:\n  blocked_domains: [example.net]\n")
    added = CliRunner().invoke(
        app,
        [
            "blocklist",
            "add",
            "--config",
            str(config),
            "--email",
            " JANE.doe@example.com",
            "--reason",
            "objection",
        ],
    )
    assert added.exit_code == 0, added.stderr
    report = anonymise_run(str(config), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    [entry] = report["inputs"]
    assert entry["rows_in"] == 2
    assert entry["rows_blocked"] == {"objection": 1, "domain": 1}
    assert entry["rows_out"] == 0
    assert report["rows_blocked"] == 2


def test_allow_list_keeps_a_value_and_deny_terms_are_redacted(tmp_path: Path) -> None:
    text = (
        "Email,Lead Status,Person Notes\n"
        "support@ourco.example,Open,Project Falcon kickoff; mailed jd@example.org\n"
        "jane@example.com,Closed,nothing to see\n"
    )
    a = _write(tmp_path, "crm.csv", text)
    config = _config(
        tmp_path,
        "suppression:\n  allow_values: [Support@OurCo.example]\n"
        "  deny_terms: [project falcon]\n"
        "columns:\n  Person Notes: {entity: FREE_TEXT, action: redact_text}\n",
    )
    report = anonymise_run(str(config), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    out = pl.read_parquet(report["inputs"][0]["output"])
    assert out["Email"][0] == "support@ourco.example"
    assert out["Email"][1].startswith("tok_")
    assert out["Person Notes"][0] == "<REDACTED> kickoff; mailed <EMAIL_ADDRESS>"


def test_the_presidio_detector_also_takes_dictionary_names_and_addresses(
    tmp_path: Path,
) -> None:
    text = (
        "Email,Person Notes\n"
        'jane@example.com,"Referred by Laura Weiss, who lives at 776 Cheryl Hills"\n'
        "john@example.net,Call back on 020 7946 0999\n"
    )
    a = _write(tmp_path, "crm.csv", text)
    config = _config(
        tmp_path,
        "columns:\n  Person Notes:\n"
        "    {entity: FREE_TEXT, action: redact_text, params: {detector: presidio}}\n",
    )
    report = anonymise_run(str(config), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    notes = pl.read_parquet(report["inputs"][0]["output"])["Person Notes"].to_list()
    assert notes == [
        "Referred by <PERSON>, who lives at <STREET_ADDRESS>",
        "Call back on <PHONE_NUMBER>",
    ]


def test_dry_run_publishes_nothing(tmp_path: Path) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    out = tmp_path / "o"
    report = anonymise_run(
        str(_config(tmp_path)), inputs=[str(a)], output_dir=str(out), dry_run=True
    )
    assert report["status"] == "dry_run"
    assert report["rows_out"] == 2
    assert not _published(out)


def test_csv_output_is_guarded(tmp_path: Path) -> None:
    a = _write(tmp_path, "crm.csv", "Email,Formula\njane@example.com,=1+1\n")
    config = _config(tmp_path, "output:\n  format: csv\n")
    report = anonymise_run(str(config), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    written = Path(report["inputs"][0]["output"])
    assert written.name == "crm.csv"
    assert "'=1+1" in written.read_text()


def test_erased_people_leave_every_dataset_and_stay_out(tmp_path: Path) -> None:

    raw = tmp_path / "exports"
    raw.mkdir()
    export = _write(raw, "crm_a.csv", CRM_A)
    config = _config(tmp_path, "sources:\n  - path: exports/crm_a.csv\noutput:\n  dir: out\n")
    first = anonymise_run(str(config))
    token = pl.read_parquet(first["inputs"][0]["output"])["Email"][0]
    _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2026-01-31\n")
    assert "jane.doe" not in export.read_text().lower()
    output = pl.read_parquet(first["inputs"][0]["output"])
    assert token not in output["Email"].to_list()
    receipt = json.loads((tmp_path / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert receipt["deadline"].startswith("2026-02-28")

    from anonymise.records.chain import read_records

    records = read_records(tmp_path / "records" / "processing.jsonl")
    assert [r["kind"] for r in records] == ["run", "erasure"]
    assert records[1]["data"]["counts"]["erased"] >= 2  # the raw row and the output row
    assert "jane" not in json.dumps(records).lower()

    fresh = _write(raw, "crm_a.csv", CRM_A)  # next week's export brings her back
    again = anonymise_run(str(config))
    assert again["inputs"][0]["rows_blocked"] == {"erasure": 1}
    assert fresh.exists()


def test_a_person_in_an_encrypted_column_of_a_past_output_is_erased(tmp_path: Path) -> None:
    # encrypt is reversible: the output still held the person, and the receipt said
    # "erased" after only the raw export lost the row
    from anonymise.errors import KeyConfigError

    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm_a.csv", CRM_A)
    config = _config(
        tmp_path,
        "sources:\n  - path: exports/crm_a.csv\noutput:\n  dir: out\n"
        "suppression:\n  phone_region: US\n"
        "columns:\n  Email: {entity: EMAIL_ADDRESS, action: encrypt}\n"
        "  Phone 1: {entity: PHONE_NUMBER, action: encrypt}\n  Id: {action: drop}\n",
    )
    output = Path(anonymise_run(str(config))["inputs"][0]["output"])
    assert pl.read_parquet(output)["Email"][0].startswith("enc_")
    # as a report made before runs recorded their region: plain values read in the config's
    report_path = output.parent / "run_report.json"
    report = json.loads(report_path.read_text())
    for entry in report["inputs"]:
        del entry["phone_region"]
    report_path.write_text(json.dumps(report))
    # by the address written otherwise, and by the phone number written nationally
    _erase(
        tmp_path,
        config,
        "R-1,JANE.DOE@example.com,,,2026-01-31\nR-2,,+1 415 555 0132,,2026-01-31\n",
    )
    assert pl.read_parquet(output).height == 0
    for request in ("R-1", "R-2"):
        receipt = json.loads((tmp_path / "receipts" / f"{request}.json").read_text())
        assert receipt["rows_removed"].get(str(output)) == 1, receipt
    # an output made with another key cannot be opened: refused, not reported erased
    _write(raw, "crm_a.csv", CRM_A)
    anonymise_run(str(config))
    from anonymise.config import load_config
    from anonymise.erasure.engine import erase
    from anonymise.erasure.requests import read_requests
    from anonymise.keys import SecretKey

    with pytest.raises(KeyConfigError):
        erase(
            load_config(config),
            read_requests(tmp_path / "requests.csv"),
            key=SecretKey(bytes(range(32))),
            dry_run=True,
        )


def test_a_kept_phone_is_read_in_the_region_its_run_recorded(tmp_path: Path) -> None:
    # the config's region changed since the run: the output's plain numbers are the run's
    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm_a.csv", CRM_A)
    body = (
        "sources:\n  - path: exports/crm_a.csv\noutput:\n  dir: out\n"
        "suppression:\n  phone_region: {region}\n"
        "columns:\n  Phone 1: {{entity: PHONE_NUMBER, action: keep}}\n"
    )
    config = _config(tmp_path, body.format(region="US"))
    output = Path(anonymise_run(str(config))["inputs"][0]["output"])
    config.write_text(f"pipeline: test\n{body.format(region='GB')}")
    _erase(tmp_path, config, "R-2,,+1 415 555 0132,,2026-01-31\n")
    receipt = json.loads((tmp_path / "receipts" / "R-2.json").read_text())
    assert receipt["rows_removed"].get(str(output)) == 1, receipt


def test_outputs_and_quarantines_of_earlier_runs_are_still_erased(tmp_path: Path) -> None:

    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm_a.csv", CRM_A)
    # a malformed row (a field too many) for John goes to quarantine
    bad_b = CRM_B + "john.smith@example.net,John,Smith,3,extra\n"
    _write(raw, "crm_b.csv", bad_b)
    config = _config(tmp_path, "sources:\n  - path: exports/*.csv\noutput:\n  dir: out\n")
    first = anonymise_run(str(config))
    out_b = Path(first["inputs"][1]["output"])
    quarantine = Path(first["inputs"][1]["quarantine_file"])
    # later runs: only crm_a, then crm_b once fixed (its report lists no quarantine)
    anonymise_run(str(config), inputs=[str(raw / "crm_a.csv")])
    _write(raw, "crm_b.csv", CRM_B)
    anonymise_run(str(config), inputs=[str(raw / "crm_b.csv")])
    assert quarantine.is_file()
    report = json.loads((tmp_path / "out" / "run_report.json").read_text())
    assert [Path(e["output"]).name for e in report["earlier_outputs"]] == ["crm_a.parquet"]

    _erase(
        tmp_path,
        config,
        "R-1,someone.else@example.net,,,2026-01-31\nR-2,john.smith@example.net,,,2026-01-31\n",
    )
    receipt = json.loads((tmp_path / "receipts" / "R-2.json").read_text())
    assert str(quarantine) in receipt["rows_removed"]  # John's raw row in quarantine
    assert "john.smith" not in quarantine.read_text()
    assert pl.read_parquet(out_b).height == 1  # someone.else gone from crm_b's output
    out_a = tmp_path / "out" / "crm_a.parquet"  # listed only under earlier_outputs
    assert str(out_a) in receipt["rows_removed"]
    assert pl.read_parquet(out_a).height == 1


def test_each_run_publishes_a_markdown_artifact_without_values(tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    report = anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["anonymise-test"]))
        )
    markdown = "\n".join(str(a.data) for a in artifacts)
    assert report["run_id"] in markdown
    assert "| Email | EMAIL_ADDRESS | pseudonymise |" in markdown
    shown = HEX_IDS.sub("", markdown)
    for value in ("Jane", "Doe", "example.com", "7946", "SW1A"):
        assert value not in shown


def test_every_run_appends_a_chained_processing_record(tmp_path: Path) -> None:
    from anonymise.records.chain import read_records
    from anonymise.records.verify import verify_chain

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path)
    anonymise_run(str(config), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    with pytest.raises(ConfigError):  # a rule for a column the input lacks
        anonymise_run(
            str(_config(tmp_path, "columns:\n  Emial: {action: redact}\n")),
            inputs=[str(a)],
            output_dir=str(tmp_path / "o2"),
        )
    log = tmp_path / "records" / "processing.jsonl"
    records = read_records(log)
    assert [r["status"] for r in records] == ["succeeded", "failed"]
    assert verify_chain(log).broken is None
    text = HEX_IDS.sub("", log.read_text())
    for value in ("Jane", "Doe", "example.com", "7946", "SW1A", "Acme"):
        assert value not in text


def test_a_foreign_error_reaches_prefect_without_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anonymise import pipeline
    from anonymise.errors import RunError

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("could not parse 'jane.doe@example.com'")  # as Polars errors do

    monkeypatch.setattr(pipeline, "transform", broken)
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    with pytest.raises(RunError, match=r"step 'transform_task' failed \(ValueError\)") as info:
        anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    assert "jane" not in str(info.value)
    assert info.value.__cause__ is None
    assert not _published(tmp_path / "o")
    # its record says what it had read when it failed
    from anonymise.records.chain import read_records

    [record] = read_records(tmp_path / "records" / "processing.jsonl")
    assert record["status"] == "failed"
    assert [i["uri"] for i in record["data"]["inputs"]] == [str(a)]
    assert record["data"]["counts"]["rows_in"] == 2
    assert record["data"]["outputs"] == []


def test_residual_personal_data_refuses_the_run_and_publishes_nothing(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    # redacting only phone numbers from the notes leaves "wrote to jd@example.org"
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path, PHONES_ONLY)
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["run", str(config), "--input", str(a), "--output", str(out)])
    assert result.exit_code == 3, result.output
    assert "Person Notes (EMAIL_ADDRESS)" in result.stderr
    summary = json.loads(result.stdout)  # a scheduler reads this outcome as any other
    assert (summary["status"], summary["rows_in"], summary["outputs"]) == ("refused", 2, [])
    assert summary["rows_out"] == 0
    assert summary["residuals"] == ["Person Notes (EMAIL_ADDRESS)", "Person Notes (POSTCODE)"]
    report = json.loads((out / "run_report.json").read_text())
    assert report["status"] == "refused"
    (entry,) = report["inputs"]
    assert [(r["column"], r["entity"]) for r in entry["residuals"]] == [
        ("Person Notes", "EMAIL_ADDRESS"),
        ("Person Notes", "POSTCODE"),
    ]
    assert not (out / "crm_a.parquet").exists()
    assert [p.name for p in _published(out)] == ["run_report.json"]


def test_residual_personal_data_published_on_request_is_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    # verify.fail_on_residual: false publishes, but not without a word
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path, "verify:\n  fail_on_residual: false\n" + PHONES_ONLY)
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["run", str(config), "--input", str(a), "--output", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["outputs"]) == ("succeeded", [str(out / "crm_a.parquet")])
    assert summary["residuals"] == ["Person Notes (EMAIL_ADDRESS)", "Person Notes (POSTCODE)"]
    assert "published all the same, as verify.fail_on_residual is false" in caplog.text
    assert "jd@example" not in caplog.text


def test_a_dry_run_with_residuals_says_a_run_would_be_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path, PHONES_ONLY)
    out = tmp_path / "o"
    args = ["run", str(config), "--input", str(a), "--output", str(out), "--dry-run"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["would_write"]) == ("dry_run", [str(out / "crm_a.parquet")])
    assert summary["residuals"] == ["Person Notes (EMAIL_ADDRESS)", "Person Notes (POSTCODE)"]
    assert "a run would be refused and publish nothing" in caplog.text
    assert not (out / "run_report.json").exists()


def test_a_dry_runs_summary_lists_what_it_would_write(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    out = tmp_path / "o"
    result = CliRunner().invoke(
        app, ["run", str(_config(tmp_path)), "--input", str(a), "--output", str(out), "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["status"], summary["outputs"], summary["rows_out"]) == ("dry_run", [], 0)
    assert (summary["would_write"], summary["rows_made"]) == ([str(out / "crm_a.parquet")], 2)


def test_run_memory_option_runs_in_batches_and_the_report_says_so(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path)
    runs = {}
    for mode in ("batched", "whole"):
        out = tmp_path / mode
        args = ["run", str(config), "--input", str(a), "--output", str(out), "--memory", mode]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        runs[mode] = json.loads((out / "run_report.json").read_text())["inputs"][0]
    assert runs["batched"]["in_batches"] is True
    assert runs["whole"]["in_batches"] is False
    batched = pl.read_parquet(tmp_path / "batched" / "crm_a.parquet")
    assert batched.equals(pl.read_parquet(tmp_path / "whole" / "crm_a.parquet"))
    refused = CliRunner().invoke(app, ["run", str(config), "--input", str(a), "--memory", "lots"])
    assert refused.exit_code == 2
    assert "option --memory: 'lots' is not a memory mode" in refused.stderr
    # a failure is one JSON object on stdout too, for whoever scheduled the run
    failed = json.loads(refused.stdout)
    assert (failed["status"], failed["exit_code"]) == ("failed", 2)
    assert failed["error"].startswith("option --memory: 'lots' is not a memory mode")


def test_an_output_folder_that_is_a_file_is_a_config_error(tmp_path: Path) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    taken = _write(tmp_path, "out", "not a folder\n")
    config = _config(tmp_path, "output:\n  dir: out\n")
    with pytest.raises(ConfigError, match=r"^output\.dir '.*out': cannot make the run's folders"):
        anonymise_run(str(config), inputs=[str(a)])
    assert taken.read_text() == "not a folder\n"


def test_a_run_removes_the_work_folder_a_killed_run_left(tmp_path: Path) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    dead = tmp_path / "o" / ".anonymise-work-killed" / "quarantine"
    dead.mkdir(parents=True)
    (dead / "crm_a.0123456789ab.quarantine.csv").write_text("line,reason,raw\n3,x,Jane Doe\n")
    anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    assert not (tmp_path / "o" / ".anonymise-work-killed").exists()
    assert (tmp_path / "o" / "crm_a.parquet").is_file()


@pytest.mark.parametrize("memory", ["whole", "batched"])
def test_values_an_action_cannot_read_are_counted_and_warned_of(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, memory: str
) -> None:
    a = _write(
        tmp_path,
        "crm.csv",
        "Id,Email,Birthday\n1,a@example.com,21/07/1970\n2,b@example.com,sometime in 1980\n"
        "3,c@example.com,\n4,d@example.com,July 4 1971\n",
    )
    body = "columns:\n  Birthday: {action: generalise, params: {to: year}}\n"
    report = anonymise_run(
        str(_config(tmp_path, body)), inputs=[str(a)], output_dir=str(tmp_path / "o"), memory=memory
    )
    columns = {c["name"]: c for c in report["inputs"][0]["columns"]}
    assert columns["Birthday"]["nulled"] == 1
    assert columns["Email"]["nulled"] == 0
    out = pl.read_parquet(tmp_path / "o" / "crm.parquet")
    assert out["Birthday"].to_list() == ["1970", None, None, "1971"]
    assert "column 'Birthday': 1 value(s) its action 'generalise' could not read" in caplog.text
    assert "sometime" not in caplog.text


def test_the_readme_tour_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`anonymise scan` of the three bundled exports, then `anonymise run` of the example
    config with that plan, from a copy of the repository's config and samples."""
    import shutil

    from typer.testing import CliRunner

    from anonymise.cli.main import app

    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(SAMPLES, tmp_path / "data" / "samples")
    monkeypatch.chdir(tmp_path)
    exports = [f"data/samples/{n}" for n in ("keap_contacts.csv", "mailchimp_audience.csv")]
    scanned = CliRunner().invoke(
        app, ["scan", *exports, "data/samples/hubspot_contacts.tsv", "--plan-out", "plan.yaml"]
    )
    assert scanned.exit_code == 0, scanned.stderr
    ran = CliRunner().invoke(app, ["run", "config/example.yaml", "--plan", "plan.yaml"])
    assert ran.exit_code == 0, ran.stderr
    summary = json.loads(ran.stdout)
    assert (summary["status"], summary["rows_in"], summary["quarantined"]) == ("succeeded", 1149, 1)
    assert summary["outputs"][0] == "out/example/keap_contacts.parquet"
    # then the erasure the README shows, of the Keap export's first person: the export
    # has a malformed row, which stays as it was
    keap = Path("data/samples/keap_contacts.csv")
    lines = keap.read_text(encoding="utf-8").splitlines(keepends=True)
    email = next(cell for cell in lines[1].split(",") if "@" in cell)
    Path("requests.csv").write_text(
        f"request_id,email,phone,crm_id,received_at\nT-1,{email},,,2025-01-31\n",
        encoding="utf-8",
    )
    erased = CliRunner().invoke(app, ["erase", "requests.csv", "--config", "config/example.yaml"])
    assert erased.exit_code == 0, erased.stderr
    receipt = json.loads(Path("out/example-state/receipts/T-1.json").read_text())
    assert receipt["status"] == "erased"
    assert keap.read_text(encoding="utf-8") == "".join(lines[:1] + lines[2:])


def test_a_refused_run_does_not_hide_the_output_it_did_not_replace(tmp_path: Path) -> None:
    from anonymise.config import load_config
    from anonymise.erasure.datasets import find_datasets
    from anonymise.errors import VerificationRefused
    from anonymise.key_source import configured_key

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    b = _write(tmp_path, "crm_b.csv", CRM_B)
    out = tmp_path / "o"
    plain = _config(tmp_path, f"output:\n  dir: {out}\n")
    anonymise_run(str(plain), inputs=[str(a)])
    refusing = tmp_path / "refusing.yaml"
    refusing.write_text(
        f"pipeline: test\noutput:\n  dir: {out}\ncolumns:\n  Person Notes:\n"
        "    {entity: FREE_TEXT, action: redact_text, params: {entities: [PHONE_NUMBER]}}\n"
    )
    with pytest.raises(VerificationRefused):
        anonymise_run(str(refusing), inputs=[str(a)])
    anonymise_run(str(plain), inputs=[str(b)])
    report = json.loads((out / "run_report.json").read_text())
    [earlier] = report["earlier_outputs"]
    notes = next(c for c in earlier["columns"] if c["name"] == "Person Notes")
    assert notes["action"] == "redact_text"  # the published run's plan, not the refused one's
    assert notes["params"] == {}
    found = find_datasets(load_config(plain), configured_key(load_config(plain)))
    assert {Path(d.path).name for d in found if d.role == "output"} == {
        "crm_a.parquet",
        "crm_b.parquet",
    }


def test_a_csv_outputs_formula_guarded_column_is_still_erased(tmp_path: Path) -> None:

    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm.csv", "Id,@Email,Name\n1,ann.smith@example.com,Ann\n2,bob@example.net,Bob\n")
    config = _config(
        tmp_path,
        "sources:\n  - path: exports/crm.csv\noutput:\n  dir: out\n  format: csv\n"
        "columns:\n  '@Email': {entity: EMAIL_ADDRESS, action: pseudonymise}\n",
    )
    anonymise_run(str(config))
    output = tmp_path / "out" / "crm.csv"
    assert output.read_text().startswith("Id,'@Email,Name\n")
    (raw / "crm.csv").write_text("Id,@Email,Name\n2,bob@example.net,Bob\n")  # Ann left the CRM
    _erase(tmp_path, config, "R-1,ann.smith@example.com,,,2026-01-31\n")
    receipt = json.loads((tmp_path / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert len(output.read_text().splitlines()) == 2


def test_erasure_after_a_refused_run_reads_the_published_runs_plan(tmp_path: Path) -> None:
    from anonymise.config import load_config
    from anonymise.erasure.engine import erase
    from anonymise.erasure.requests import read_requests
    from anonymise.errors import VerificationRefused
    from anonymise.key_source import configured_key

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    out = tmp_path / "o"
    plain = _config(tmp_path, f"output:\n  dir: {out}\n")
    anonymise_run(str(plain), inputs=[str(a)])  # Email published as tokens
    refusing = tmp_path / "refusing.yaml"
    refusing.write_text(  # Email kept in plain: refused, never published
        f"pipeline: test\noutput:\n  dir: {out}\ncolumns:\n  Email: {{action: keep}}\n"
        "  Person Notes:\n"
        "    {entity: FREE_TEXT, action: redact_text, params: {entities: [PHONE_NUMBER]}}\n"
    )
    with pytest.raises(VerificationRefused):
        anonymise_run(str(refusing), inputs=[str(a)])
    requests = _write(
        tmp_path,
        "requests.csv",
        "request_id,email,phone,crm_id,received_at\nR-1,jane.doe@example.com,,,2026-01-31\n",
    )
    config = load_config(plain)
    outcome = erase(config, read_requests(requests), key=configured_key(config))
    assert outcome.requests[0].status == "erased"  # found by its token
    assert pl.read_parquet(out / "crm_a.parquet").height == 1


def test_a_run_waits_for_the_output_folders_lock_and_then_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # An erasure holds the folder's lock while it searches and rewrites: a run started
    # meanwhile must neither stage (its work folder holds raw rows) nor publish until
    # the lock is free, and must say it waits.
    import threading
    import time

    from anonymise.output_lock import holding_output_dir

    a = _write(tmp_path, "crm_a.csv", CRM_A)
    out = tmp_path / "o"
    config = _config(tmp_path)
    done: dict[str, object] = {}

    def run() -> None:
        done["report"] = anonymise_run(str(config), inputs=[str(a)], output_dir=str(out))

    caplog.set_level("INFO", logger="anonymise")
    with holding_output_dir(out, timeout=1):
        runner = threading.Thread(target=run)
        runner.start()
        _until_it_waits(runner, caplog, "the run")
        time.sleep(0.5)  # still waiting, having made and published nothing
        assert runner.is_alive()
        assert not list(out.glob(".anonymise-work-*"))
        assert not _published(out)
    runner.join(timeout=120)
    assert not runner.is_alive()
    report = done["report"]
    assert isinstance(report, dict)
    assert report["status"] == "succeeded"
    assert (out / "crm_a.parquet").is_file()


def test_erasure_finds_the_outputs_a_run_wrote_with_output(tmp_path: Path) -> None:
    # run --output DIR publishes outside output.dir: the processing log says where
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    config = _config(tmp_path)
    alt = tmp_path / "elsewhere"
    anonymise_run(str(config), inputs=[str(a)], output_dir=str(alt))
    assert pl.read_parquet(alt / "crm_a.parquet").height == 2
    said = _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2025-01-31\n")
    assert pl.read_parquet(alt / "crm_a.parquet").height == 1
    receipt = json.loads((tmp_path / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert list(receipt["rows_removed"]) == [str(alt / "crm_a.parquet")]
    # the raw input came with --input: named, not rewritten
    assert "1 raw input(s) the processing log says runs read" in said
    assert str(a) in said
    assert "jane" in a.read_text().lower()


def test_erasure_passes_over_another_pipelines_outputs_in_a_shared_log(tmp_path: Path) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    ours = _config(tmp_path)
    theirs = tmp_path / "other.yaml"
    theirs.write_text("pipeline: other\n")  # the same folder: the same log
    alt = tmp_path / "theirs"
    anonymise_run(str(theirs), inputs=[str(a)], output_dir=str(alt))
    said = _erase(tmp_path, ours, "R-1,jane.doe@example.com,,,2025-01-31\n")
    assert pl.read_parquet(alt / "crm_a.parquet").height == 2  # not this pipeline's
    assert "raw input(s)" not in said


def test_a_run_interrupted_while_publishing_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anonymise import pipeline
    from anonymise.records.chain import read_records

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the outputs are renamed into place

    monkeypatch.setattr(pipeline, "publish", interrupted)
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    with pytest.raises(KeyboardInterrupt):
        anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    [record] = read_records(tmp_path / "records" / "processing.jsonl")
    assert record["status"] == "failed"
    assert record["data"]["counts"]["rows_in"] == 2


def test_national_numbers_are_read_in_the_configured_region_by_runs_and_erasure(
    tmp_path: Path,
) -> None:
    # tokens read every national number as British: a US export's (415) 555-0101 got
    # another token than +1 415 555 0101, and an erasure of the latter said 'erased'
    # while the person's row stayed in the output
    raw = tmp_path / "exports"
    raw.mkdir()
    _write(
        raw,
        "us.csv",
        "First Name,Phone,Signup Date,Email\n"
        "Cindy,(415) 555-0100,2024-03-01,cindy@example.org\n"
        "Laura,(415) 555-0101,2024-03-01,laura@example.org\n",
    )
    _write(
        raw,
        "us_b.csv",
        "First Name,Phone,Signup Date,Email\n"
        "Laura,+1 415 555 0101,2024-03-01, Laura@Example.org \n",
    )
    rules = "columns:\n  Signup Date: {action: date_shift, params: {by_column: Email}}\n"
    config = _config(
        tmp_path,
        "sources:\n  - path: exports/*.csv\noutput:\n  dir: out\n  format: csv\n"
        f"suppression:\n  phone_region: US\n{rules}",
    )
    anonymise_run(str(config))
    a = pl.read_csv(tmp_path / "out" / "us.csv", infer_schema=False)
    b = pl.read_csv(tmp_path / "out" / "us_b.csv", infer_schema=False)
    assert a.row(1) == b.row(0)  # one token, and one date shift for one e-mail, per person
    _erase(tmp_path, config, "R-1,,+1 415 555 0101,,2026-01-31\n")
    receipt = json.loads((tmp_path / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert pl.read_csv(tmp_path / "out" / "us.csv").height == 1
    assert pl.read_csv(tmp_path / "out" / "us_b.csv").height == 0


def test_config_rules_beat_a_reviewed_plan_and_say_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # a rule added to the config after the plan was written was dropped without a
    # word: a column the config said to drop was published
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    a = _write(tmp_path, "a.csv", "Id,Email,Account Name\n1,a@example.com,Ann Lee\n")
    plan = tmp_path / "plan.yaml"
    scanned = CliRunner().invoke(app, ["scan", str(a), "--plan-out", str(plan)])
    assert scanned.exit_code == 0, scanned.stderr
    config = _config(
        tmp_path,
        "columns:\n  Account Name: {action: drop}\n  Id: {action: pseudonymise}\n"
        "output:\n  format: csv\n",
    )
    caplog.set_level("WARNING", logger="anonymise")
    report = anonymise_run(
        str(config), plan_path=str(plan), inputs=[str(a)], output_dir=str(tmp_path / "o")
    )
    assert report["status"] == "succeeded"
    out = pl.read_csv(tmp_path / "o" / "a.csv", infer_schema=False)
    assert out.columns == ["Id", "Email"]
    said = [r.getMessage() for r in caplog.records if "replaces what plan" in r.getMessage()]
    assert len(said) == 1  # Id's rule is what the plan says already
    assert "config rule columns.'Account Name'" in said[0]
    misspelt = _config(tmp_path, "columns:\n  Acount Name: {action: drop}\n")
    with pytest.raises(ConfigError, match=r"config key 'columns.Acount Name': no such column"):
        anonymise_run(
            str(misspelt), plan_path=str(plan), inputs=[str(a)], output_dir=str(tmp_path / "o2")
        )


def test_a_pipeline_without_records_is_not_told_its_record_is_incomplete(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    a = _write(tmp_path, "crm_a.csv", CRM_A)
    caplog.set_level("WARNING")
    anonymise_run(str(_config(tmp_path)), inputs=[str(a)], output_dir=str(tmp_path / "o"))
    assert "Art. 30 record incomplete" in caplog.text
    caplog.clear()
    quiet = _config(tmp_path, "records: {enabled: false}\n")
    anonymise_run(str(quiet), inputs=[str(a)], output_dir=str(tmp_path / "o2"))
    assert "Art. 30 record incomplete" not in caplog.text


def test_erasure_reads_an_outputs_phone_tokens_in_the_region_they_were_made_in(
    tmp_path: Path,
) -> None:
    # outputs made before tokens read phone_region (their report does not say) were
    # made reading national numbers as British; an erasure after the upgrade said
    # 'erased' and left the person's row in them
    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "us.csv", "First Name,Phone\nCindy,(415) 555-0100\nLaura,(415) 555-0101\n")
    body = "sources:\n  - path: exports/*.csv\noutput:\n  dir: out\n  format: csv\n"
    config = _config(tmp_path, body)  # GB, as every run before the upgrade
    anonymise_run(str(config))
    report_path = tmp_path / "out" / "run_report.json"
    report = json.loads(report_path.read_text())
    assert report["inputs"][0]["phone_region"] == "GB"
    for entry in report["inputs"]:
        del entry["phone_region"]  # as a report written before it was recorded
    report_path.write_text(json.dumps(report))
    config = _config(tmp_path, body + "suppression:\n  phone_region: US\n")
    _erase(tmp_path, config, "R-1,,(415) 555-0101,,2026-01-31\n")
    receipt = json.loads((tmp_path / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert pl.read_csv(raw / "us.csv").height == 1
    assert pl.read_csv(tmp_path / "out" / "us.csv").height == 1


def test_a_failed_run_cleans_up_only_once_its_other_steps_have_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from anonymise import pipeline
    from anonymise.errors import InputError
    from anonymise.output_lock import WORK_PREFIX

    ended = threading.Event()

    def stage(source: str, workdir: Path, quarantine: Path, index: int, **_: object) -> None:
        if index == 0:
            raise InputError("input 'crm_a.csv': refused")  # fails at once
        time.sleep(1.5)  # still reading when the run fails, as after a SIGTERM
        quarantine.mkdir(parents=True, exist_ok=True)  # as the quarantine writer does
        (quarantine / "crm_b.quarantine.csv").write_text("line,reason,raw\n")
        ended.set()
        raise InputError("input 'crm_b.csv': refused")

    monkeypatch.setattr(pipeline, "stage", stage)
    a, b = _write(tmp_path, "crm_a.csv", CRM_A), _write(tmp_path, "crm_b.csv", CRM_B)
    out = tmp_path / "o"
    with pytest.raises(InputError):
        anonymise_run(str(_config(tmp_path)), inputs=[str(a), str(b)], output_dir=str(out))
    assert ended.wait(timeout=10)
    time.sleep(0.2)
    # the late step's raw rows went with the work folder: none was remade after it
    assert not [p for p in out.iterdir() if p.name.startswith(WORK_PREFIX)]


@pytest.mark.parametrize("folder", ["out", "out/sub", "elsewhere"])
def test_outputs_a_killed_run_published_before_its_report_are_found_by_erasure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    import flows.run_flow as run_flow
    from anonymise.publishing import JOURNAL_PREFIX
    from anonymise.records.chain import read_records

    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm_a.csv", CRM_A)
    _write(raw, "crm_b.csv", CRM_B)
    sources = "sources:\n  - path: exports/crm_a.csv\n"
    config = _config(tmp_path, sources + "output:\n  dir: out\n")
    anonymise_run(str(config))
    config = _config(tmp_path, sources + "  - path: exports/crm_b.csv\noutput:\n  dir: out\n")

    class Killed(BaseException):
        """The process dies between the renames and the report (a SIGKILL, an OOM)."""

    def killed(*args: object, **kwargs: object) -> None:
        raise Killed

    # `run --output out/sub` or `--output elsewhere`: a folder with its own lock, and
    # for "elsewhere" one no erasure knows of (no run there was recorded yet)
    out = tmp_path / folder
    home = tmp_path / "out"  # the config's output.dir, where the journal goes
    with monkeypatch.context() as patched:
        patched.setattr(run_flow, "write_report", killed)
        patched.setattr(run_flow, "settle_journals", lambda *a, **k: 0)  # no time to
        patched.setattr(run_flow, "settle_journal", lambda *a, **k: False)
        with pytest.raises(Killed):
            anonymise_run(str(config), output_dir=None if folder == "out" else str(out))
    published = pl.read_parquet(out / "crm_b.parquet")
    assert published.height == 2
    if folder == "out":
        listed = json.loads((out / "run_report.json").read_text())
        assert [Path(i["output"]).name for i in listed["inputs"]] == ["crm_a.parquet"]  # stale
    [killed_id] = [p.name for p in home.glob(f"{JOURNAL_PREFIX}*")]

    _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2026-01-31\n")
    assert pl.read_parquet(out / "crm_b.parquet").height == 1  # searched, and erased
    listed = json.loads((out / "run_report.json").read_text())
    assert [Path(i["output"]).name for i in listed["inputs"]] == ["crm_a.parquet", "crm_b.parquet"]
    assert not list(home.glob(f"{JOURNAL_PREFIX}*"))
    runs = [
        r for r in read_records(tmp_path / "records" / "processing.jsonl") if r["kind"] == "run"
    ]
    settled = [r for r in runs if r["run_id"] in killed_id and r["status"] == "succeeded"]
    assert [Path(o["uri"]).name for o in settled[0]["data"]["outputs"]] == [
        "crm_a.parquet",
        "crm_b.parquet",
    ]


def test_an_erasure_removes_killed_runs_work_folders_in_run_output_folders(
    tmp_path: Path,
) -> None:
    from anonymise.output_lock import WORK_PREFIX

    raw = tmp_path / "exports"
    raw.mkdir()
    _write(raw, "crm_b.csv", CRM_B)
    config = _config(tmp_path, "sources:\n  - path: exports/crm_b.csv\noutput:\n  dir: out\n")
    elsewhere = tmp_path / "elsewhere"
    anonymise_run(str(config), output_dir=str(elsewhere))  # recorded: the erasure knows it
    # a later run there was killed: its work folder keeps a raw row it quarantined
    left = elsewhere / f"{WORK_PREFIX}killed" / "quarantine"
    left.mkdir(parents=True)
    (left / "crm_b.0.quarantine.csv").write_text('line,reason,raw\n3,too many fields,"x"\n')
    _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2026-01-31\n")
    assert not (elsewhere / f"{WORK_PREFIX}killed").exists()


def test_the_first_run_of_a_pipeline_into_another_folder_is_found_when_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anonymise.publishing import JOURNAL_PREFIX

    config = _pipeline_b(tmp_path)
    elsewhere = tmp_path / "elsewhere"  # and output.dir does not exist yet
    _killed_while_publishing(config, elsewhere, monkeypatch)
    assert len(list((tmp_path / "out").glob(f"{JOURNAL_PREFIX}*"))) == 1
    _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2026-01-31\n")
    assert pl.read_parquet(elsewhere / "crm_b.parquet").height == 1


def test_a_run_into_a_new_folder_started_while_an_erasure_works_waits_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The run starts after the erasure has listed the journals: it must not stage
    # before the blocklist has the person (it takes output.dir's lock first, as the
    # erasure does), else it published her into a folder the erasure never searched.
    import threading
    import time

    import anonymise.erasure.engine as engine

    config = _pipeline_b(tmp_path)
    anonymise_run(str(config))
    elsewhere = tmp_path / "elsewhere"
    real_search = engine._search
    runner: list[threading.Thread] = []

    def search_while_a_run_starts(*args: Any, **kwargs: Any) -> Any:
        thread = threading.Thread(
            target=lambda: anonymise_run(str(config), output_dir=str(elsewhere))
        )
        thread.start()
        runner.append(thread)
        deadline = time.monotonic() + 120
        while "waiting up to 3600 s for another run or erasure" not in caplog.text:
            assert thread.is_alive(), "the run did not wait for the erasure"
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.05)
        return real_search(*args, **kwargs)

    caplog.set_level("INFO", logger="anonymise")
    monkeypatch.setattr(engine, "_search", search_while_a_run_starts)
    _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2026-01-31\n")
    runner[0].join(timeout=120)
    assert not runner[0].is_alive()
    receipt = json.loads((tmp_path / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert pl.read_parquet(tmp_path / "out" / "crm_b.parquet").height == 1
    assert pl.read_parquet(elsewhere / "crm_b.parquet").height == 1  # staged after the list


def test_a_run_elsewhere_is_refused_when_output_dir_cannot_hold_its_journal(
    tmp_path: Path,
) -> None:
    from anonymise.errors import ConfigError

    config = _pipeline_b(tmp_path)
    (tmp_path / "out").write_text("a file where the output folder should be")
    elsewhere = tmp_path / "elsewhere"
    with pytest.raises(ConfigError, match=r"^config key 'output.dir': folder .* cannot be made"):
        anonymise_run(str(config), output_dir=str(elsewhere))
    assert not (elsewhere / "crm_b.parquet").exists()
    # a dry run too: it stages raw rows in its folder, which a killed one leaves there
    with pytest.raises(ConfigError, match=r"^config key 'output.dir'"):
        anonymise_run(str(config), output_dir=str(elsewhere), dry_run=True)


def test_with_records_off_an_erasure_searches_the_folder_a_killed_runs_journal_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    config = _pipeline_b(tmp_path, "records: {enabled: false}\n")
    elsewhere = tmp_path / "elsewhere"

    _killed_while_publishing(config, elsewhere, monkeypatch)
    assert pl.read_parquet(elsewhere / "crm_b.parquet").height == 2
    _erase(tmp_path, config, "R-1,jane.doe@example.com,,,2026-01-31\n")
    assert (elsewhere / "run_report.json").is_file()  # settled
    assert pl.read_parquet(elsewhere / "crm_b.parquet").height == 1  # and searched


def test_a_dry_run_erasure_reads_the_journals_in_recorded_folders(tmp_path: Path) -> None:
    # older versions kept a run's journal in its own folder when output.dir could not
    # be written; a real erasure settles those, and a dry run must say it does not
    from typer.testing import CliRunner

    from anonymise.cli.main import app
    from anonymise.publishing import write_stub

    config = _pipeline_b(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    anonymise_run(str(config), output_dir=str(elsewhere))  # recorded
    write_stub(elsewhere, elsewhere / "sub", "run-old")
    requests = _write(
        tmp_path,
        "requests.csv",
        "request_id,email,phone,crm_id,received_at\nR-1,jane.doe@example.com,,,2026-01-31\n",
    )
    said = CliRunner().invoke(app, ["erase", str(requests), "--config", str(config), "--dry-run"])
    assert said.exit_code == 0, said.stderr
    assert "are publishing now, or were killed while they did" in said.stderr


def test_a_run_elsewhere_does_not_wait_for_a_run_into_output_dir(tmp_path: Path) -> None:
    # it waits for an erasure (the journals' lock), not for the folder's own runs
    from anonymise.output_lock import holding_output_dir

    config = _pipeline_b(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    with holding_output_dir(tmp_path / "out", timeout=1):  # a long run into output.dir
        report = anonymise_run(str(config), output_dir=str(elsewhere))
    assert report["status"] == "succeeded"
    assert pl.read_parquet(elsewhere / "crm_b.parquet").height == 2


def test_a_run_elsewhere_does_not_wait_behind_a_run_that_waits_for_its_own_folder(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # the journals lock is not held while a folder's own lock is waited for
    import threading

    from anonymise.output_lock import holding_output_dir

    config = _pipeline_b(tmp_path)
    x, y = tmp_path / "x", tmp_path / "y"
    caplog.set_level("INFO", logger="anonymise")
    with holding_output_dir(x, timeout=1):  # a long run into X
        into_x = threading.Thread(target=lambda: anonymise_run(str(config), output_dir=str(x)))
        into_x.start()
        _until_it_waits(into_x, caplog, "the run into X")
        report = anonymise_run(str(config), output_dir=str(y))
        assert report["status"] == "succeeded"
        assert into_x.is_alive()  # still waiting for X
    into_x.join(timeout=120)
    assert not into_x.is_alive()
    assert (x / "crm_b.parquet").is_file()


def test_erasures_whose_folders_cross_both_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two configs, each of which published into the other's output folder with
    # --output: their erasures, at once, each want both folders' locks. Taken in one
    # order they wait for each other only while one works; each holding its own and
    # waiting for the other's, both failed after lock_timeout.
    import threading

    from anonymise.cli.erase_command import run_erase
    from anonymise.erasure import engine

    configs: list[Path] = []
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        configs.append(_pipeline_b(tmp_path / side, "  lock_timeout: 30\n"))
    a, b = configs
    _killed_while_publishing(a, tmp_path / "b" / "out", monkeypatch)  # a journal in a/out
    _killed_while_publishing(b, tmp_path / "a" / "out", monkeypatch)  # one in b/out
    failures: list[BaseException] = []
    start = threading.Barrier(2)
    # both read their journals holding their own output folder's locks, then want the
    # other's: the interleaving that deadlocked
    journals_of = engine._journals_of
    met = threading.Barrier(2, timeout=60)
    first_read = threading.local()

    def meeting(config: Any, out: Path) -> Any:
        if not getattr(first_read, "done", False):
            first_read.done = True
            met.wait()
        return journals_of(config, out)

    monkeypatch.setattr(engine, "_journals_of", meeting)

    def erasure(config: Path, request_id: str) -> None:
        requests = _write(
            config.parent,
            "requests.csv",
            "request_id,email,phone,crm_id,received_at\n"
            f"{request_id},jane.doe@example.com,,,2026-01-31\n",
        )
        start.wait()
        try:
            run_erase(requests, config, dry_run=False)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [
        threading.Thread(target=erasure, args=(config, f"R-{config.parent.name}"))
        for config in configs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert failures == []
    for config in configs:
        name = config.parent.name
        receipt = json.loads((config.parent / "receipts" / f"R-{name}.json").read_text())
        assert receipt["status"] == "erased"
        assert (config.parent / "out" / "run_report.json").is_file()  # the journal settled
        assert pl.read_parquet(config.parent / "out" / "crm_b.parquet").height == 1


def test_a_dry_run_elsewhere_says_where_it_stages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its work folder holds raw rows: a killed dry run's must be found and removed too
    from anonymise import pipeline
    from anonymise.publishing import journals

    config = _pipeline_b(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    seen: list[list[Path]] = []
    stage = pipeline.stage

    def staging(*args: Any, **kwargs: Any) -> Any:
        seen.append([j.folder for j in journals(tmp_path / "out")])
        return stage(*args, **kwargs)

    monkeypatch.setattr(pipeline, "stage", staging)
    assert anonymise_run(str(config), output_dir=str(elsewhere), dry_run=True)["status"] == (
        "dry_run"
    )
    assert seen == [[elsewhere.resolve()]]
    assert journals(tmp_path / "out") == []  # removed when it ended


def test_an_erasure_does_not_search_another_pipelines_folder_named_by_its_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two configs share the output folder; the other's outputs were made with its key
    ours = _pipeline_b(tmp_path)
    theirs = _write(tmp_path, "b.yaml", "pipeline: b\nkey: {env: B_KEY}\n" + _B_BODY)
    monkeypatch.setenv("B_KEY", OTHER_KEY)
    anonymise_run(str(ours))

    _killed_while_publishing(theirs, tmp_path / "x", monkeypatch)
    _erase(tmp_path, ours, "R-1,jane.doe@example.com,,,2026-01-31\n")
    assert (tmp_path / "x" / "run_report.json").is_file()  # settled all the same
    assert pl.read_parquet(tmp_path / "x" / "crm_b.parquet").height == 2  # not ours
    assert pl.read_parquet(tmp_path / "out" / "crm_b.parquet").height == 1
