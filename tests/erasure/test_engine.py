"""End to end without the CLI: erase, idempotence, dry run, receipts, crash safety."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import polars as pl
import pytest

from anonymise.erasure.engine import erase
from anonymise.erasure.requests import read_requests
from anonymise.errors import InputError, OutputError
from anonymise.suppression import Reason, SuppressionList
from tests.erasure.conftest import REQUEST_VALUES, World
from transforms.pseudonymise import pseudonymise_values


def _run(world: World, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return erase(world.config, read_requests(world.requests), key=world.key, dry_run=dry_run)


def _statuses(outcome) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {o.request.request_id: o.status for o in outcome.requests}


def test_erase_removes_people_by_raw_value_and_by_token(world: World) -> None:
    outcome = _run(world)

    assert _statuses(outcome) == {"R-1": "erased", "R-2": "erased", "R-3": "not_found"}
    raw = pl.read_csv(world.raw_csv, infer_schema=False)
    assert raw["Id"].to_list() == ["3", "4"]
    assert raw.columns == ["Id", "First Name", "Email", "Phone", "Notes"]
    past = pl.read_parquet(world.output_parquet)
    tokens = pseudonymise_values(
        ["jane.doe@example.com"], key=world.key.material, entity="EMAIL_ADDRESS"
    ) + pseudonymise_values(["+442079460123"], key=world.key.material, entity="PHONE_NUMBER")
    assert past.height == 2
    assert not past["Email"].is_in(tokens).any()
    assert not past["Phone"].is_in(tokens).any()
    by_id = {o.request.request_id: o.rows_removed for o in outcome.requests}
    # R-1 is in the raw file once and in the past output once; R-2 likewise (by phone).
    assert by_id["R-1"] == {str(world.raw_csv): 1, str(world.output_parquet): 1}
    assert by_id["R-2"] == {str(world.raw_csv): 1, str(world.output_parquet): 1}


def test_every_identifier_goes_on_the_suppression_list(world: World) -> None:
    _run(world)
    config = world.config
    listing = SuppressionList(Path(config.resolve(config.suppression.path)), world.key)
    identifiers = [i for r in read_requests(world.requests) for i in r.identifiers]
    entries = listing.lookup(identifiers)
    assert all(e is not None and e.reason is Reason.ERASURE for e in entries)


def test_second_run_is_already_erased_and_changes_no_data_byte(world: World) -> None:
    _run(world)
    before = world.digests()
    suppression = world.root / "suppression" / "blocklist.jsonl"
    list_before = suppression.read_bytes()

    again = _run(world)

    # R-3 was not found: a rerun says so again, not that it was erased before
    assert _statuses(again) == {
        "R-1": "already_erased",
        "R-2": "already_erased",
        "R-3": "not_found",
    }
    assert world.digests() == before
    assert suppression.read_bytes() == list_before
    receipt = json.loads((world.root / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "already_erased"
    # The first run is kept: when it was done and what it removed.
    assert receipt["history"][0]["status"] == "erased"
    assert sum(receipt["history"][0]["rows_removed"].values()) == 2


def test_dry_run_writes_nothing(world: World) -> None:
    before_tree, before_digests = world.tree(), world.digests()

    outcome = _run(world, dry_run=True)

    assert _statuses(outcome) == {"R-1": "erased", "R-2": "erased", "R-3": "not_found"}
    assert world.tree() == before_tree
    assert world.digests() == before_digests
    assert not (world.root / "suppression").exists()
    assert not (world.root / "receipts").exists()


def test_a_dry_run_says_a_run_is_publishing_what_it_does_not_search(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    from anonymise.publishing import write_stub

    elsewhere = world.root / "elsewhere"
    write_stub(world.root / "out", elsewhere, "run-live")  # a run into a new folder
    _run(world, dry_run=True)
    assert f"into {elsewhere.resolve()} are publishing now" in caplog.text


def test_receipts_hold_no_identifier(world: World) -> None:
    _run(world)
    receipts = world.root / "receipts"
    texts = [p.read_text(encoding="utf-8") for p in receipts.iterdir()]
    assert {p.name for p in receipts.iterdir()} == {
        "R-1.json",
        "R-2.json",
        "R-3.json",
        "erasure_summary.csv",
    }
    for text in texts:
        for value in REQUEST_VALUES:
            assert value.lower() not in text.lower()


def test_receipt_and_summary_fields(world: World) -> None:
    _run(world)
    receipt = json.loads((world.root / "receipts" / "R-1.json").read_text())
    assert receipt["status"] == "erased"
    assert receipt["received_at"] == "2025-01-31"
    assert receipt["deadline"] == "2025-02-28"
    assert receipt["completed_at"].endswith("Z")
    assert receipt["datasets_searched"] == [str(world.raw_csv), str(world.output_parquet)]
    assert receipt["rows_removed_total"] == 2
    with (world.root / "receipts" / "erasure_summary.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["request_id"] for r in rows] == ["R-1", "R-2", "R-3"]
    assert rows[1]["deadline"] == "2024-02-29"
    assert rows[2] | {"completed_at": ""} == {
        "request_id": "R-3",
        "status": "not_found",
        "rows_removed": "0",
        "datasets_with_matches": "0",
        "received_at": "2025-03-15",
        "deadline": "2025-04-15",
        "completed_at": "",
        "rows_to_check": "0",
    }


def test_crash_between_files_leaves_each_file_whole_and_a_rerun_finishes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_output = world.output_parquet.read_bytes()
    real_replace = os.replace
    calls = []

    def replace_then_crash(src: str, dst: str) -> None:
        calls.append(dst)
        if str(dst).endswith(".parquet"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_crash)
    with pytest.raises(OutputError, match=r"^dataset '.*keap\.parquet': cannot rewrite it"):
        _run(world)
    monkeypatch.setattr(os, "replace", real_replace)

    assert pl.read_csv(world.raw_csv, infer_schema=False)["Id"].to_list() == ["3", "4"]
    assert world.output_parquet.read_bytes() == old_output
    leftovers = [p for p in world.root.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []

    rerun = _run(world)
    # R-3 was found nowhere, before the failure as after it
    assert _statuses(rerun) == {"R-1": "erased", "R-2": "erased", "R-3": "not_found"}
    assert pl.read_parquet(world.output_parquet).height == 2


def test_empty_file_after_erasure_is_searched_again(world: World, tmp_path: Path) -> None:
    world.raw_csv.write_text("Id,Email\n1,jane.doe@example.com\n", encoding="utf-8")
    _run(world)
    assert world.raw_csv.read_text() == "Id,Email\n"
    digest = world.digests()
    assert set(_statuses(_run(world)).values()) == {"already_erased", "not_found"}
    assert world.digests() == digest


def test_delimiter_encoding_and_line_endings_survive(world: World) -> None:
    text = "Id;Email;Ville\r\n1;jane.doe@example.com;Orléans\r\n2;x@example.com;Besançon\r\n"
    world.raw_csv.write_bytes(text.encode("cp1252"))
    _run(world)
    assert world.raw_csv.read_bytes() == "Id;Email;Ville\r\n2;x@example.com;Besançon\r\n".encode(
        "cp1252"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # the person's address in a list: not one identifier, never matched
        ("crm.ndjson", b'{"Id": 7, "emails": ["x@example.com", "jane.doe@example.com"]}\n'),
        ("crm.json", b'[{"Id": 7, "person": {"email": "jane.doe@example.com"}}]'),
    ],
)
def test_a_source_with_nested_fields_is_refused_before_any_write(
    world: World, name: str, content: bytes
) -> None:
    (world.root / "data" / name).write_bytes(content)
    world.config_path.write_text(
        "pipeline: test\nsources:\n  - path: data/*\n    name: keap\noutput:\n  dir: out\n",
        encoding="utf-8",
    )
    before = world.tree()
    with pytest.raises(InputError, match=r"some fields hold nested values") as caught:
        _run(world)
    assert str(caught.value).endswith("erasure cannot search it, so nothing was erased or written")
    assert name in str(caught.value)
    assert "jane" not in str(caught.value)
    assert world.tree() == before


def test_a_parquet_source_with_nested_fields_is_refused(world: World) -> None:
    nested = pl.DataFrame({"Id": [7], "emails": [["jane.doe@example.com"]]})
    nested.write_parquet(world.root / "data" / "crm.parquet")
    world.config_path.write_text(
        "pipeline: test\nsources:\n  - path: data/*.parquet\n    name: keap\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"crm\.parquet': some fields hold nested values"):
        _run(world)
    assert not (world.root / "receipts").exists()


def test_outputs_recorded_relative_to_another_folder_are_found_beside_their_report(
    world: World, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The run ran from the config's folder; the erasure runs from another pipeline's,
    # which has an output at the same relative path.
    report = world.output_parquet.parent / "run_report.json"
    recorded = json.loads(report.read_text())
    recorded["inputs"][0]["output"] = "out/2025-01/keap.parquet"
    report.write_text(json.dumps(recorded))
    elsewhere = tmp_path_factory.mktemp("other_pipeline")
    decoy = elsewhere / "out" / "2025-01" / "keap.parquet"
    decoy.parent.mkdir(parents=True)
    decoy.write_bytes(world.output_parquet.read_bytes())
    decoy_bytes = decoy.read_bytes()
    monkeypatch.chdir(elsewhere)

    outcome = _run(world)

    assert decoy.read_bytes() == decoy_bytes  # the other pipeline's file is untouched
    assert pl.read_parquet(world.output_parquet).height == 2
    assert str(world.output_parquet) in outcome.datasets_searched


def test_a_source_reached_by_a_link_is_erased_in_the_file_it_points_to(world: World) -> None:
    real = world.root / "archive" / "keap-2025-01-31.csv"
    real.parent.mkdir()
    world.raw_csv.rename(real)
    world.raw_csv.symlink_to(real)

    _run(world)

    assert world.raw_csv.is_symlink()
    assert pl.read_csv(real, infer_schema=False)["Id"].to_list() == ["3", "4"]


def test_a_source_with_other_hard_links_is_refused_before_any_write(world: World) -> None:
    other_name = world.root / "backup-keap.csv"
    os.link(world.raw_csv, other_name)
    before = world.digests()
    with pytest.raises(InputError, match=r"keap\.csv': .*2 names \(hard links\)"):
        _run(world)
    assert world.digests() == before
    assert not (world.root / "receipts").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a folder without w")
def test_a_source_in_a_folder_that_cannot_be_written_is_refused_before_any_write(
    world: World,
) -> None:
    # the blocklist took the people, the rewrite then failed, and every rerun did too
    before = world.digests()
    world.raw_csv.parent.chmod(0o555)
    try:
        with pytest.raises(InputError, match=r"keap\.csv': .*folder .* cannot be written"):
            _run(world)
    finally:
        world.raw_csv.parent.chmod(0o755)
    assert world.digests() == before
    assert not (world.root / "receipts").exists()


@pytest.mark.parametrize("source", ["kaep", "jane.doe@example.com"])
def test_a_crm_id_of_a_source_the_config_does_not_name_is_refused(
    world: World, source: str
) -> None:
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at,source\n"
        "R-1,ann@example.com,,,2025-01-31,\n"
        f"R-2,,,4,2025-01-31,{source}\n",
        encoding="utf-8",
    )
    before = world.tree()
    message = r"row 3, column 'source': not the name of a source of the config \(keap\)"
    with pytest.raises(InputError, match=message) as caught:
        _run(world)
    assert source not in str(caught.value)
    assert world.tree() == before  # not on the list, where it would never match a row


def test_a_request_whose_receipt_name_is_taken_by_another_is_refused(world: World) -> None:
    header = "request_id,email,phone,crm_id,received_at\n"
    world.requests.write_text(header + "T/1,jane.doe@example.com,,,2025-01-31\n")
    _run(world)
    world.requests.write_text(header + "T_1,bob@example.com,,,2025-02-01\n")
    before = world.tree()
    with pytest.raises(InputError, match=r"row 2, column 'request_id': its receipt 'T_1\.json'"):
        _run(world)
    assert world.tree() == before
    receipt = json.loads((world.root / "receipts" / "T_1.json").read_text())
    assert receipt["request_id"] == "T/1"


def test_a_raw_column_of_phones_under_an_unknown_header_is_searched(world: World) -> None:
    world.raw_csv.write_text(
        "Id,First Name,Contact Number,Login,Status\n"
        "4,David,07911 100004,david4@gmail.com,active\n"
        "5,Erin,07911 100005,erin5@gmail.com,active\n",
        encoding="utf-8",
    )
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at\n"
        "W-1,,+44 7911 100004,,2025-03-01\nW-2,erin5@gmail.com,,,2025-03-01\n",
        encoding="utf-8",
    )
    outcome = _run(world)
    assert _statuses(outcome) == {"W-1": "erased", "W-2": "erased"}
    assert world.raw_csv.read_text() == "Id,First Name,Contact Number,Login,Status\n"


def test_a_killed_erasures_temporary_file_is_removed(world: World) -> None:
    leftover = world.raw_csv.parent / f".{world.raw_csv.name}.x1y2z3.erasure.tmp"
    leftover.write_text(world.raw_csv.read_text())  # whole rows, Jane's among them
    other = world.raw_csv.parent / ".other.csv.x1y2z3.erasure.tmp"
    other.write_text("not ours\n")
    _run(world)
    assert not leftover.exists()
    assert other.exists()  # beside no dataset of this config


def test_an_erasure_waits_for_a_run_in_the_output_folder(world: World) -> None:
    from anonymise.errors import RunError
    from anonymise.output_lock import holding_output_dir

    world.config_path.write_text(
        world.config_path.read_text() + "  lock_timeout: 0.2\n", encoding="utf-8"
    )
    before = world.digests()
    busy = r"output folder '.*out': another run or erasure"
    with holding_output_dir(world.root / "out", timeout=1), pytest.raises(RunError, match=busy):
        _run(world)  # while a run works there
    assert world.digests() == before
    assert _statuses(_run(world))["R-1"] == "erased"  # once the run has finished


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_excels_separator_line_survives_and_an_emptied_file_is_searched_again(
    world: World, bom: bytes
) -> None:
    text = "sep=;\r\nId;Email;Ville\r\n1;jane.doe@example.com;Lyon\r\n2;x@example.com;Nice\r\n"
    world.raw_csv.write_bytes(bom + text.encode())
    _run(world)
    kept = "sep=;\r\nId;Email;Ville\r\n2;x@example.com;Nice\r\n"
    assert world.raw_csv.read_bytes() == bom + kept.encode()
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at\nR-9,x@example.com,,,2025-01-31\n"
    )
    _run(world)
    assert world.raw_csv.read_bytes() == bom + b"sep=;\r\nId;Email;Ville\r\n"
    assert _statuses(_run(world)) == {"R-9": "already_erased"}  # header-only: read again


def test_a_person_blocked_for_another_reason_then_erased_stays_erased(world: World) -> None:
    listing = SuppressionList(world.root / "suppression" / "blocklist.jsonl", world.key)
    [jane] = read_requests(world.requests)[:1]
    listing.add(list(jane.identifiers), reason=Reason.OBJECTION)  # she objected first
    assert _statuses(_run(world))["R-1"] == "erased"
    # the list now says she was erased, and a rerun says so
    assert [e.reason for e in listing.lookup(list(jane.identifiers))] == [Reason.ERASURE]
    assert _statuses(_run(world))["R-1"] == "already_erased"


def test_a_list_that_still_says_objection_after_an_erasure_reruns_as_erased(
    world: World,
) -> None:
    # a list an earlier version left: the erasure kept the objection as the reason
    suppression = world.root / "suppression" / "blocklist.jsonl"
    _run(world)
    suppression.write_text(suppression.read_text().replace('"erasure"', '"objection"'))
    assert _statuses(_run(world)) == {
        "R-1": "already_erased",  # its receipt says it was erased
        "R-2": "already_erased",
        "R-3": "not_found",
    }


_WITH_MALFORMED = (
    '"Id","First Name","Email","Phone","Notes"\r\n'
    '"1","Jane","jane.doe@example.com","","likes ""tea"", and\r\ncoffee"\r\n'
    '"7","Bad","row@example.com","too","many","fields"\r\n'
    "\r\n"
    '"3","Ann","ann@example.com","07700 900123",""\r\n'
    '"8","Odd","john@example.com"\r\n'  # John, in a malformed row only
    '"4","Bob","bob@example.com","",""\r\n'
)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("cp1252", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),  # written back in its own byte order
    ],
)
def test_a_raw_file_with_malformed_rows_loses_only_the_matching_records(
    world: World, encoding: str, bom: bytes
) -> None:
    # every other byte stays: the quoting, CRLFs, the blank line, the malformed row
    text = _WITH_MALFORMED.replace("Ann", "Ann\u00e9" if encoding == "cp1252" else "Ann")
    world.raw_csv.write_bytes(bom + text.encode(encoding))
    outcome = _run(world)
    assert _statuses(outcome)["R-1"] == "erased"
    assert _statuses(outcome)["R-2"] == "erased"  # John's phone: the output's row
    jane = '"1","Jane","jane.doe@example.com","","likes ""tea"", and\r\ncoffee"\r\n'
    john = '"8","Odd","john@example.com"\r\n'
    expected = text.replace(jane, "")
    assert world.raw_csv.read_bytes() == bom + expected.encode(encoding)
    assert john in expected  # John's request is by phone: his malformed row stays
    assert outcome.rows_removed[str(world.raw_csv)] == 1


def test_a_person_only_in_a_malformed_row_is_found_and_that_record_goes(world: World) -> None:
    world.raw_csv.write_bytes(_WITH_MALFORMED.encode())
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at\nR-9,john@example.com,,,2025-01-31\n",
        encoding="utf-8",
    )
    outcome = _run(world)
    assert _statuses(outcome) == {"R-9": "erased"}
    assert outcome.rows_removed == {str(world.raw_csv): 1}
    assert (
        world.raw_csv.read_bytes()
        == _WITH_MALFORMED.replace('"8","Odd","john@example.com"\r\n', "").encode()
    )


def test_records_that_cannot_be_cut_as_the_reader_cut_them_refuse_the_file(world: World) -> None:
    # a Windows-1252 byte with no character (0x81) is read through, but would not be
    # written back as it was: the file is refused, as before there was a way to keep
    # its malformed rows
    world.raw_csv.write_bytes(
        b"Id,Name,Email\n1,Jos\xe9 \x81,jane.doe@example.com\n2,Bad,b@x.io,extra\n"
    )
    before = world.digests()
    with pytest.raises(InputError, match=r"has 1 malformed row\(s\) that a rewrite would lose"):
        _run(world)
    assert world.digests() == before


def test_a_gzipped_raw_file_with_malformed_rows_stays_gzipped(world: World) -> None:
    import gzip

    packed = world.raw_csv.with_name("keap.csv.gz")
    packed.write_bytes(gzip.compress(_WITH_MALFORMED.encode()))
    world.raw_csv.unlink()
    world.config_path.write_text(
        world.config_path.read_text().replace("data/*.csv", "data/*.csv.gz"), encoding="utf-8"
    )
    assert _statuses(_run(world))["R-1"] == "erased"
    jane = '"1","Jane","jane.doe@example.com","","likes ""tea"", and\r\ncoffee"\r\n'
    assert gzip.decompress(packed.read_bytes()) == _WITH_MALFORMED.replace(jane, "").encode()


def test_a_crm_id_request_never_removes_a_malformed_row_it_cannot_place(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    # "3" in a malformed row may be a flat number or another CRM's id: named, kept
    text = (
        "Id,First Name,Email,Phone,Notes\n3,Ann,ann@example.com,,\n"
        "8,Odd,odd@example.org,Flat 3,High St,extra\n"
    )
    world.raw_csv.write_text(text, encoding="utf-8")
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at,source\nR-3,,,3,2025-01-31,keap\n",
        encoding="utf-8",
    )
    caplog.set_level("WARNING", logger="anonymise")
    outcome = _run(world)
    assert outcome.rows_removed == {str(world.raw_csv): 1}  # Ann's row, by its Id column
    assert "odd@example.org" in world.raw_csv.read_text()
    assert "line(s) 3: a malformed row holds a CRM id a request names" in caplog.text
    # the receipt says where to look, as the warning does
    [request] = outcome.requests
    assert request.to_check == {str(world.raw_csv): [3]}
    receipt = json.loads((world.root / "receipts" / "R-3.json").read_text())
    assert receipt["to_check"] == {str(world.raw_csv): [3]}
