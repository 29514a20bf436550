"""`anonymise erase`: the table, exit codes, and no identifier on screen."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from anonymise.cli.erase_command import erase
from tests.erasure.conftest import REQUEST_VALUES, World
from tests.erasure.conftest import world as world


def _app() -> typer.Typer:
    from anonymise.cli.main import app

    if any(c.name == "erase" for c in app.registered_commands):
        return app
    # Until main.py registers the command: the same function on a bare app.
    bare = typer.Typer(pretty_exceptions_enable=False)
    bare.callback()(lambda: None)
    bare.command("erase")(erase)
    return bare


def _invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(_app(), ["erase", *args])


def test_erase_prints_a_table_and_no_identifier(world: World) -> None:
    result = _invoke(str(world.requests), "--config", str(world.config_path))

    assert result.exit_code == 0, result.output
    assert "R-1" in result.output
    assert "erased" in result.output
    assert "not_found" in result.output
    for value in REQUEST_VALUES:
        assert value.lower() not in result.output.lower()
    receipt = json.loads((world.root / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"


def test_second_run_says_already_erased(world: World) -> None:
    _invoke(str(world.requests), "--config", str(world.config_path))
    before = world.digests()
    result = _invoke(str(world.requests), "--config", str(world.config_path))
    assert result.exit_code == 0
    assert result.output.count("already_erased") == 2
    assert result.output.count("not_found") == 1
    assert world.digests() == before


def test_dry_run_writes_nothing(world: World) -> None:
    before = world.tree()
    result = _invoke(str(world.requests), "--config", str(world.config_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output
    assert "would be erased" in result.output
    assert world.tree() == before


def test_bad_requests_file_exits_2_with_one_line(world: World) -> None:
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at\nR1,jane@x.com,,,not-a-date\n",
        encoding="utf-8",
    )
    result = _invoke(str(world.requests), "--config", str(world.config_path))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("anonymise: error: requests file '")
    assert "row 2, column 'received_at'" in lines[0]
    assert "jane@x.com" not in result.output
    assert "not-a-date" not in result.output


def test_missing_key_exits_2(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ANONYMISE_KEY")
    result = _invoke(str(world.requests), "--config", str(world.config_path))
    assert result.exit_code == 2
    assert "no key" in result.output


def test_the_record_counts_a_row_matched_by_two_requests_once(world: World) -> None:
    from anonymise.records.chain import read_records

    # the same person asked twice: by e-mail, and by phone
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at\n"
        "D-1,john@example.com,,,2025-01-31\n"
        "D-2,JOHN@example.com,,,2025-01-31\n"
        "D-3,,020 7946 0123,,2025-01-31\n",
        encoding="utf-8",
    )
    assert _invoke(str(world.requests), "--config", str(world.config_path)).exit_code == 0
    [record] = read_records(world.root / "records" / "processing.jsonl")
    removed = {p.rsplit("/", 1)[-1]: rows for p, rows in record["data"]["rows_removed"].items()}
    # John's raw row, and the past output's row of the phone's owner (Jane)
    assert removed == {"keap.csv": 1, "keap.parquet": 1}


def test_the_record_counts_the_rows_left_to_check_by_hand(world: World) -> None:
    from anonymise.records.chain import read_records
    from anonymise.records.ropa import build_ropa

    # two malformed rows hold CRM id 3 (a flat number? another CRM's id?), one twice
    world.raw_csv.write_text(
        "Id,First Name,Email,Phone,Notes\n3,Ann,ann@example.com,,\n"
        "8,Odd,odd@example.org,Flat 3,High St,extra\n9,Eve,eve@example.org,3,3,x,y\n",
        encoding="utf-8",
    )
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at,source\n"
        "R-3,,,3,2025-01-31,keap\nR-4,,,3,2025-01-31,keap\n",
        encoding="utf-8",
    )
    assert _invoke(str(world.requests), "--config", str(world.config_path)).exit_code == 0
    [record] = read_records(world.root / "records" / "processing.jsonl")
    to_check = {p.rsplit("/", 1)[-1]: n for p, n in record["data"]["rows_to_check"].items()}
    assert to_check == {"keap.csv": 2}  # each row once, whichever requests name it
    [entry] = build_ropa([], [record])
    fields = {f.name: f.value for f in entry.fields}
    assert fields[next(n for n in fields if n.startswith("Rows left to check by hand"))] == 2


def test_a_long_requests_file_shows_fifty_rows_and_counts_the_rest(world: World) -> None:
    rows = [f"T-{i},user{i}@example.com,,,2025-01-31" for i in range(60)]
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    result = _invoke(str(world.requests), "--config", str(world.config_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "T-49 " in result.output
    assert "T-50 " not in result.output
    assert "and 10 more request(s); in all: not_found 60" in result.output


def test_a_torn_processing_log_stops_the_erasure_before_anything_is_erased(world: World) -> None:
    log = world.root / "records" / "processing.jsonl"
    log.parent.mkdir()
    log.write_text('{"record_id": "x", "hash": "ab')  # a write cut short
    before = world.digests()
    result = _invoke(str(world.requests), "--config", str(world.config_path))
    assert result.exit_code == 1
    assert "the last line is incomplete" in result.stderr
    assert world.digests() == before
    assert not (world.root / "receipts").exists()


def test_an_interrupted_erasure_is_recorded_and_says_what_stays(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anonymise.erasure.engine as engine
    from anonymise.records.chain import read_records

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while a dataset is rewritten

    monkeypatch.setattr(engine, "write_atomically", interrupted)
    result = _invoke(str(world.requests), "--config", str(world.config_path))
    assert result.exit_code == 130
    assert "datasets rewritten before it stay rewritten; erase again" in result.stderr
    [record] = read_records(world.root / "records" / "processing.jsonl")
    assert (record["kind"], record["status"]) == ("erasure", "failed")
    assert record["error"].startswith("interrupted (Ctrl-C)")


def test_an_erasure_says_it_waits_for_a_run_in_the_output_folder(world: World) -> None:
    from anonymise.output_lock import holding_output_dir

    world.config_path.write_text(
        world.config_path.read_text() + "  lock_timeout: 0.2\n", encoding="utf-8"
    )
    with holding_output_dir(world.root / "out", timeout=1):  # a run works there
        result = _invoke(str(world.requests), "--config", str(world.config_path))
    assert result.exit_code == 1
    assert "waiting up to 0.2 s for another run or erasure to finish" in result.stderr
    assert "another run or erasure still works in it after 0.2 s" in result.stderr
    done = _invoke(str(world.requests), "--config", str(world.config_path))
    assert done.exit_code == 0, done.stderr
    assert "anonymise: erasure: rewrote " in done.stderr  # the engine's own progress
    for value in REQUEST_VALUES:
        assert value.lower() not in done.stderr.lower()
