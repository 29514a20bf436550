"""Quarantine files of past runs: raw malformed rows of an erased person go, others stay."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from anonymise.erasure.engine import erase
from anonymise.erasure.matching import RequestIndex, match_quarantine
from anonymise.erasure.requests import ErasureRequest, read_requests
from anonymise.erasure.rewrite import load_quarantine
from anonymise.errors import InputError
from anonymise.io.quarantine_file import write_quarantine
from anonymise.io.read_result import QuarantinedRow, ReadResult
from anonymise.suppression import Identifier, IdentifierKind
from tests.erasure.conftest import REQUEST_VALUES, World

JANE = QuarantinedRow(5, "too many fields", '5,Jane,"JANE.Doe@Example.COM",x,y,"likes, tea"')
JOHN = QuarantinedRow(6, "unclosed quote", '6,John,,020 7946 0123,"note\nover two lines')
ZED = QuarantinedRow(7, "too many fields", "7,Zed,zed@example.com,07700 900999,,")
NEAR = QuarantinedRow(
    9, "too many fields", "9,Jo,notjane.doe@example.com,jane.doe@example.com.au,020 7946 01234,"
)


def _publish_to(directory: Path, rows: tuple[QuarantinedRow, ...]) -> Path:
    """A quarantine file of ``rows``, written by the pipeline's own writer."""
    result = ReadResult(
        source="data/keap.csv",
        format="csv",
        frame=pl.DataFrame(),
        encoding="utf-8",
        delimiter=",",
        blank_rows=0,
        renamed_columns={},
        quarantined=rows,
        sha256="0123456789abcdef" * 4,
    )
    path = write_quarantine(result, directory)
    assert path is not None
    return path


def _publish(world: World, rows: tuple[QuarantinedRow, ...]) -> Path:
    """A quarantine file as a run publishes it, recorded in the past run's report."""
    out_dir = world.output_parquet.parent
    path = _publish_to(out_dir / "quarantine", rows)
    _record(world, str(path))
    return path


def _record(world: World, quarantine_file: str | None) -> None:
    report_path = world.output_parquet.parent / "run_report.json"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report["inputs"][0]["quarantine_file"] = quarantine_file
    report_path.write_text(json.dumps(report), encoding="utf-8")


def _expected(world: World, rows: tuple[QuarantinedRow, ...]) -> bytes:
    """The bytes ``write_quarantine`` writes for ``rows`` (in a scratch folder)."""
    path = _publish_to(world.root / "scratch", rows)
    data = path.read_bytes()
    path.unlink()
    return data


def _run(world: World, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return erase(world.config, read_requests(world.requests), key=world.key, dry_run=dry_run)


def test_person_rows_go_and_other_rows_stay_byte_for_byte(world: World) -> None:
    path = _publish(world, (JANE, JOHN, ZED, NEAR))

    outcome = _run(world)

    assert path.read_bytes() == _expected(world, (ZED, NEAR))
    removed = {o.request.request_id: o.rows_removed for o in outcome.requests}
    assert removed["R-1"][str(path)] == 1  # e-mail in mixed case
    assert removed["R-2"][str(path)] == 1  # phone in national format
    assert str(path) not in removed["R-3"]
    assert str(path) in outcome.datasets_searched
    assert load_quarantine(str(path)).frame["line"].to_list() == ["7", "9"]


def test_second_run_changes_no_byte(world: World) -> None:
    path = _publish(world, (JANE, JOHN, ZED))
    _run(world)
    before = path.read_bytes(), path.stat().st_mtime_ns

    again = _run(world)

    assert {o.status for o in again.requests} == {"already_erased", "not_found"}
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_no_match_no_rewrite(world: World) -> None:
    path = _publish(world, (ZED, NEAR))
    before = path.read_bytes(), path.stat().st_mtime_ns
    _run(world)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_all_rows_gone_leaves_the_header_and_a_rerun_reads_it(world: World) -> None:
    path = _publish(world, (JANE, JOHN))
    _run(world)
    assert path.read_bytes() == b"line,reason,raw\r\n"
    assert {o.status for o in _run(world).requests} == {"already_erased", "not_found"}
    assert path.read_bytes() == b"line,reason,raw\r\n"


def test_dry_run_counts_but_leaves_the_file(world: World) -> None:
    path = _publish(world, (JANE, JOHN, ZED))
    before = path.read_bytes()
    outcome = _run(world, dry_run=True)
    assert {o.request.request_id: o.rows_removed.get(str(path)) for o in outcome.requests} == {
        "R-1": 1,
        "R-2": 1,
        "R-3": None,
    }
    assert path.read_bytes() == before


def test_receipts_list_the_file_and_hold_no_identifier(world: World) -> None:
    path = _publish(world, (JANE, JOHN, ZED))
    _run(world)
    receipt = json.loads((world.root / "receipts" / "R-1.json").read_text(encoding="utf-8"))
    assert receipt["datasets_searched"] == [
        str(world.raw_csv),
        str(world.output_parquet),
        str(path),
    ]
    for file in (world.root / "receipts").iterdir():
        text = file.read_text(encoding="utf-8").lower()
        for value in (*REQUEST_VALUES, "020 7946 0123", "likes, tea", "john"):
            assert value.lower() not in text


def test_file_moved_with_its_report_is_found_beside_it(world: World) -> None:
    path = _publish(world, (JANE, ZED))
    _record(world, "/elsewhere/out/quarantine/" + path.name)

    _run(world)

    assert path.read_bytes() == _expected(world, (ZED,))


@pytest.mark.parametrize("recorded", [None, "gone.quarantine.csv"])
def test_no_or_missing_quarantine_file_is_skipped(world: World, recorded: str | None) -> None:
    _record(world, recorded)
    outcome = _run(world)
    assert outcome.datasets_searched == (str(world.raw_csv), str(world.output_parquet))


def test_a_file_not_in_quarantine_shape_is_refused_before_any_write(world: World) -> None:
    path = _publish(world, (JANE,))
    path.write_text("line,why,raw\r\n5,x,jane.doe@example.com\r\n", encoding="utf-8")
    raw_before = world.raw_csv.read_bytes()
    with pytest.raises(InputError, match=r"quarantine file '.*': its header is not") as caught:
        _run(world)
    assert "jane" not in str(caught.value)
    assert world.raw_csv.read_bytes() == raw_before


def _index(world: World, *identifiers: Identifier) -> RequestIndex:
    requests = [
        ErasureRequest(f"R{i}", i + 2, date(2025, 1, 1), (identifier,))
        for i, identifier in enumerate(identifiers)
    ]
    return RequestIndex(requests, key=world.key, phone_region="GB")


def test_whole_token_matching(world: World, tmp_path: Path) -> None:
    rows = (
        QuarantinedRow(2, "r", "a,K-1234,b"),  # id 0
        QuarantinedRow(3, "r", "a,K-12345,b"),  # not id 0
        QuarantinedRow(4, "r", "<A.B+tag@X.org>;(020) 7946-0123"),  # e-mail 1, phone 2
        QuarantinedRow(5, "r", "xa.b+tag@x.org,+44 20 7946 0124"),  # neither
        QuarantinedRow(6, "r", "'+44 (0)20 7946 0123'"),  # phone 2
    )
    frame = load_quarantine(str(_publish_to(tmp_path, rows))).frame
    index = _index(
        world,
        Identifier(IdentifierKind.CRM_ID, "K-1234", "keap"),
        Identifier(IdentifierKind.EMAIL, " a.b+tag@x.org "),
        Identifier(IdentifierKind.PHONE, "020 7946 0123"),
    )

    matches = match_quarantine(frame, index)

    assert matches.mask.to_list() == [True, False, True, False, True]
    assert matches.rows_per_request == {0: 1, 1: 1, 2: 2}


def test_a_crm_id_in_a_quarantined_row_is_named_never_removed(world: World) -> None:
    # a request for id 5003 removed Zed's row, whose amount was 5003, and counted it on
    # the requester's receipt
    amount = QuarantinedRow(8, "too many fields", "8,Zed,zed@example.com,,5003,,")
    path = _publish(world, (JANE, amount))
    world.requests.write_text(
        "request_id,email,phone,crm_id,received_at,source\nR-4,,,5003,2025-03-15,keap\n",
        encoding="utf-8",
    )
    [outcome] = _run(world).requests
    assert outcome.status != "erased"
    assert outcome.to_check == {str(path): [8]}
    summary = (world.root / "receipts" / "erasure_summary.csv").read_text().splitlines()
    assert summary[0].endswith(",rows_to_check")
    assert summary[1].endswith(",1")
    assert load_quarantine(str(path)).frame["line"].to_list() == ["5", "8"]
