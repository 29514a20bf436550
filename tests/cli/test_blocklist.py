"""`anonymise blocklist add|remove|check|list` against the sub-app."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from anonymise.cli.blocklist_command import blocklist_app

KEY = "k" * 40
OTHER_KEY = "o" * 40
Blocklist = Callable[..., Result]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "pipeline.yaml"
    path.write_text(
        "pipeline: crm\nsources:\n  - path: exports/keap*.csv\n    name: Keap\n"
        "  - path: exports/hubspot*.csv\n    name: hubspot\n"
    )
    return path


@pytest.fixture
def blocklist(config: Path) -> Blocklist:
    runner = CliRunner()

    def _invoke(command: str, *args: str, key: str = KEY) -> Result:
        return runner.invoke(
            blocklist_app, [command, "--config", str(config), *args], env={"ANONYMISE_KEY": key}
        )

    return _invoke


def test_add_then_add_again(blocklist: Blocklist, config: Path) -> None:
    first = blocklist("add", "--email", " Jane.Doe@Example.COM ", "--phone", "020 7946 0123")
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("added 2, already present 0")
    again = blocklist("add", "--email", "jane.doe@example.com", "--reason", "erasure")
    assert again.stdout.startswith("added 0, already present 1")
    assert (config.parent / "suppression" / "blocklist.jsonl").exists()


def test_check_masks_what_it_echoes(blocklist: Blocklist) -> None:
    blocklist("add", "--email", "jane.doe@example.com", "--reason", "objection")
    blocklist("add", "--crm-id", "C-123456", "--source", "keap")
    result = blocklist(
        "check",
        "--email", "Jane.Doe@example.com",
        "--phone", "'+44 20 7946 0123   ",
        "--crm-id", "C-123456", "--source", "Keap",
    )  # fmt: skip
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("email   j***@example.com: blocked (objection, 20")
    assert lines[1] == "phone   +44******0123: not blocked"
    assert lines[2].startswith("crm_id  Keap:***56: blocked (manual, ")
    for value in ("jane.doe", "7946", "C-123456"):
        assert value not in result.output


@pytest.mark.parametrize("source", ["kaep", "jane@example.com"])
def test_a_crm_id_of_a_source_the_config_does_not_name_is_not_added(
    blocklist: Blocklist, config: Path, source: str
) -> None:
    result = blocklist("add", "--crm-id", "C-123456", "--source", source)
    assert result.exit_code == 2
    assert "is not the name of a source of the config (Keap, hubspot)" in result.stderr
    assert source not in result.output
    assert not (config.parent / "suppression" / "blocklist.jsonl").exists()


@pytest.mark.parametrize(("listed", "code"), [(True, 1), (False, 0)])
def test_fail_if_blocked(blocklist: Blocklist, listed: bool, code: int) -> None:
    if listed:
        blocklist("add", "--email", "a@b.io")
    result = blocklist("check", "--email", "a@b.io", "--fail-if-blocked")
    assert result.exit_code == code


def test_remove(blocklist: Blocklist) -> None:
    blocklist("add", "--email", "a@b.io", "--email", "c@d.io")
    result = blocklist("remove", "--email", "A@B.io", "--email", "x@y.io")
    assert result.stdout.startswith("removed 1, not found 1")
    assert "not blocked" in blocklist("check", "--email", "a@b.io").stdout


def test_file_of_identifiers(blocklist: Blocklist, tmp_path: Path) -> None:
    ids = tmp_path / "ids.csv"
    ids.write_text(
        "\ufeffemail,phone,crm_id,source\n"
        "a@b.io,,,\n"
        ",07700 900123,,\n"
        ",,42,keap\n"
        "c@d.io,07700 900124,43,hubspot\n",
        encoding="utf-8",
    )
    result = blocklist("add", "--file", str(ids), "--reason", "opt_out")
    assert result.stdout.startswith("added 6, already present 0"), result.output
    listed = json.loads(blocklist("list", "--json").stdout)
    assert listed["totals"] == {
        "kind": {"email": 2, "phone": 2, "crm_id": 2},
        "reason": {"opt_out": 6},
    }


def test_list_json_shows_hash_prefixes_only(blocklist: Blocklist) -> None:
    blocklist("add", "--crm-id", "42", "--source", "Keap", "--reason", "erasure")
    report = json.loads(blocklist("list", "--json").stdout)
    (entry,) = report["entries"]
    assert entry["kind"] == "crm_id"
    assert entry["source"] == "keap"
    assert entry["reason"] == "erasure"
    assert len(entry["hash"]) == 12
    assert report["count"] == 1


def test_list_table(blocklist: Blocklist) -> None:
    blocklist("add", "--email", "a@b.io", "--reason", "erasure")
    result = blocklist("list")
    assert result.exit_code == 0
    assert "erasure" in result.stdout
    assert "by kind: email 1" in result.stdout
    assert "a@b.io" not in result.stdout


def test_another_key_exits_2_naming_both_key_ids(blocklist: Blocklist) -> None:
    blocklist("add", "--email", "a@b.io")
    result = blocklist("list", key=OTHER_KEY)
    assert result.exit_code == 2
    assert result.stderr.startswith("anonymise: error: suppression list '")
    assert "was made with key k-" in result.stderr
    assert KEY not in result.output
    assert OTHER_KEY not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "no identifier"),
        (("--crm-id", "42"), "1 --crm-id but 0 --source"),
        (("--source", "keap"), "--source names the CRM of a --crm-id"),
        (("--email", "  "), r"identifier 1 \(email\) is blank"),
        (("--email", "janedoe.example.com"), r"identifier 1 \(email\): not an e-mail address"),
        (("--email", "a@b.io", "--phone", "12345"), r"identifier 2 \(phone\): not a phone"),
    ],
)
def test_usage_errors_exit_2(blocklist: Blocklist, args: tuple[str, ...], message: str) -> None:
    result = blocklist("add", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert re.search(message, result.stderr)


def test_bad_identifier_file(blocklist: Blocklist, tmp_path: Path) -> None:
    ids = tmp_path / "ids.csv"
    ids.write_text("emial,crm_id\nsecret@x.io,\n")
    result = blocklist("add", "--file", str(ids))
    assert result.exit_code == 2
    assert "unknown: 'emial' (did you mean 'email'?)\n" in result.stderr
    ids.write_text("crm_id\n42\n")
    result = blocklist("add", "--file", str(ids))
    assert "row 2, column 'source'" in result.stderr
    for first in ("secret@x.io", "5500019"):  # one identifier a line, no header
        ids.write_text(f"{first}\nother@x.io\n")
        result = blocklist("add", "--file", str(ids))
        assert result.exit_code == 2
        assert "unknown: column 1; rename it to one of those" in result.stderr
        assert "or add the header line if it is missing" in result.stderr
        assert first not in result.stderr
    ids.write_text("Email Address,Phone\nsecret@x.io,\n")  # Mailchimp's column, not ours
    result = blocklist("add", "--file", str(ids))
    assert "unknown: column 1; rename it" in result.stderr
    assert "'Email Address' to 'email'" in result.stderr


def test_missing_key_exits_2(blocklist: Blocklist) -> None:
    result = blocklist("check", "--email", "a@b.io", key="")
    assert result.exit_code == 2
    assert "no key" in result.stderr


def test_changes_by_hand_are_recorded_without_identifiers(
    blocklist: Blocklist, config: Path
) -> None:
    from anonymise.config import load_config
    from anonymise.records.chain import read_records
    from anonymise.records.settings import log_path_of
    from anonymise.records.verify import verify_chain

    log = log_path_of(load_config(config))
    added = blocklist(
        "add", "--email", "jane.doe@example.com", "--phone", "020 7946 0123",
        "--crm-id", "C-123456", "--source", "Keap", "--reason", "objection",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert blocklist("add", "--email", "Jane.Doe@example.com").exit_code == 0  # no change
    removed = blocklist("remove", "--email", "jane.doe@example.com", "--phone", "0123 456789")
    assert removed.exit_code == 0, removed.output
    assert blocklist("remove", "--email", "jane.doe@example.com").exit_code == 0  # no change

    records = read_records(log)
    assert [(r["kind"], r["flow"], r["data"]["change"]) for r in records] == [
        ("suppression", "anonymise-blocklist", "add"),
        ("suppression", "anonymise-blocklist", "remove"),
    ]
    first, second = (r["data"] for r in records)
    assert first["reason"] == "objection"
    assert first["identifiers"] == {"crm_id": 1, "email": 1, "phone": 1}
    assert (first["added"], first["already_present"]) == (3, 0)
    assert second["identifiers"] == {"email": 1, "phone": 1}
    assert (second["removed"], second["not_found"]) == (1, 1)
    assert verify_chain(log).broken is None
    # record ids, key ids and chain hashes are random hex: digit probes could hit them
    text = re.sub(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9a-f]{8,}", "", log.read_text())
    for value in ("jane", "example.com", "7946", "123456"):
        assert value not in text.lower()


def test_a_torn_processing_log_stops_a_change_before_the_list_is_touched(
    blocklist: Blocklist, config: Path
) -> None:
    from anonymise.config import load_config
    from anonymise.records.settings import log_path_of

    loaded = load_config(config)
    log = log_path_of(loaded)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text('{"hash": "abc"')  # a write cut short
    result = blocklist("add", "--email", "jane.doe@example.com")
    assert result.exit_code == 1
    assert "the last line is incomplete" in result.output
    listed = blocklist("list", "--json")
    assert json.loads(listed.stdout)["count"] == 0
