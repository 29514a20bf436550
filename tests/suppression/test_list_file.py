"""The list file: idempotent adds, removes, the key check, no plain value, locking."""

from __future__ import annotations

import json
import multiprocessing
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from anonymise.errors import ConfigError, InputError, KeyConfigError
from anonymise.keys import SecretKey
from anonymise.suppression import Reason, SuppressionList
from tests.suppression.conftest import KEY, OTHER_KEY, WHEN, crm_id, email, phone

PEOPLE = [
    email("Jane.Doe@Example.com"),
    phone("+44 20 7946 0123"),
    crm_id("C-12345", "Keap"),
]


def test_a_missing_file_is_an_empty_list(suppression_list: SuppressionList) -> None:
    assert suppression_list.entries() == ()
    assert len(suppression_list.hashes()) == 0


def test_add_writes_one_entry_per_identifier(suppression_list: SuppressionList) -> None:
    outcome = suppression_list.add(PEOPLE, reason=Reason.ERASURE, now=WHEN)
    assert (outcome.added, outcome.already_present) == (3, 0)
    lines = [json.loads(line) for line in suppression_list.path.read_text().splitlines()]
    assert lines[2] == {
        "kind": "crm_id",
        "source": "keap",
        "hash": lines[2]["hash"],
        "reason": "erasure",
        "added_at": "2025-01-31T09:30:00Z",
        "key_id": KEY.key_id,
    }
    assert [set(line) for line in lines[:2]] == [
        {"kind", "hash", "reason", "added_at", "key_id"}
    ] * 2


def test_adding_again_is_a_no_op(suppression_list: SuppressionList) -> None:
    suppression_list.add(PEOPLE, reason=Reason.ERASURE, now=WHEN)
    before = suppression_list.path.read_bytes()
    again = [email(" jane.doe@EXAMPLE.com"), phone("020 7946 0123"), crm_id("C-12345", "keap")]
    outcome = suppression_list.add(again, reason=Reason.MANUAL)
    assert (outcome.added, outcome.already_present) == (0, 3)
    assert suppression_list.path.read_bytes() == before  # first reason and date kept


def test_duplicates_in_one_add_count_once(suppression_list: SuppressionList) -> None:
    outcome = suppression_list.add([email("a@x.io"), email("A@X.io ")], reason=Reason.MANUAL)
    assert (outcome.added, outcome.already_present) == (1, 1)


def test_same_crm_id_in_two_crms_is_two_entries(suppression_list: SuppressionList) -> None:
    outcome = suppression_list.add(
        [crm_id("42", "keap"), crm_id("42", "hubspot")], reason=Reason.MANUAL
    )
    assert outcome.added == 2


def test_remove_deletes_by_hash(suppression_list: SuppressionList) -> None:
    suppression_list.add(PEOPLE, reason=Reason.OPT_OUT, now=WHEN)
    outcome = suppression_list.remove([email("jane.doe@example.com"), email("nobody@x.io")])
    assert (outcome.removed, outcome.not_found) == (1, 1)
    assert [e.kind.value for e in suppression_list.entries()] == ["phone", "crm_id"]
    assert suppression_list.lookup(PEOPLE)[0] is None


def test_a_line_doubled_by_hand_is_removed_with_its_twin(
    suppression_list: SuppressionList,
) -> None:
    suppression_list.add([email("a@x.io")], reason=Reason.MANUAL)
    line = suppression_list.path.read_text()
    suppression_list.path.write_text(line + line)
    outcome = suppression_list.remove([email("a@x.io"), email("b@x.io")])
    assert (outcome.removed, outcome.not_found) == (1, 1)
    assert suppression_list.entries() == ()


def test_lookup_finds_entries(suppression_list: SuppressionList) -> None:
    suppression_list.add(PEOPLE[:1], reason=Reason.OBJECTION, now=WHEN)
    found = suppression_list.lookup([email("JANE.DOE@example.com"), phone("020 7946 0123")])
    assert found[0] is not None
    assert found[0].reason is Reason.OBJECTION
    assert found[1] is None


def test_the_file_holds_no_plain_identifier(suppression_list: SuppressionList) -> None:
    values = ["Jane.Doe@Example.com", "jane.doe", "+442079460123", "2079460123", "C-12345"]
    suppression_list.add(PEOPLE, reason=Reason.ERASURE)
    text = suppression_list.path.read_text().lower()
    for value in values:
        assert value.lower() not in text


OPERATIONS: dict[str, Callable[[SuppressionList], object]] = {
    "entries": lambda lst: lst.entries(),
    "add": lambda lst: lst.add(PEOPLE, reason=Reason.MANUAL),
    "remove": lambda lst: lst.remove(PEOPLE),
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_list_made_with_another_key_is_refused(list_path: Path, operation: str) -> None:
    SuppressionList(list_path, OTHER_KEY).add(PEOPLE, reason=Reason.MANUAL)
    mine = SuppressionList(list_path, KEY)
    message = (
        rf"^suppression list '{re.escape(str(list_path))}' was made with key "
        rf"{OTHER_KEY.key_id} but the current key is {KEY.key_id};"
    )
    with pytest.raises(KeyConfigError, match=message) as caught:
        OPERATIONS[operation](mine)
    assert caught.value.exit_code == 2
    assert OTHER_KEY.material.hex() not in str(caught.value)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"line 2: not valid JSON"),
        # a plain value in the hash field is refused, and not quoted back
        (
            '{"kind":"email","hash":"jane@example.com","reason":"manual",'
            '"added_at":"2025-01-01T00:00:00Z","key_id":"k-1"}',
            r"line 2, field 'hash'",
        ),
        (
            '{"kind":"crm_id","hash":"' + "a" * 64 + '","reason":"manual",'
            '"added_at":"2025-01-01T00:00:00Z","key_id":"k-1"}',
            r"line 2, field '\(entry\)': .*source",
        ),
        # a field the list never writes, named by hand with an address: by its place
        (
            '{"kind":"email","hash":"' + "a" * 64 + '","reason":"manual",'
            '"added_at":"2025-01-01T00:00:00Z","key_id":"k-1","jane@example.com":1}',
            r"line 2: field 6 is not one the list has \(kind, source, hash, reason, ",
        ),
    ],
)
def test_a_broken_line_names_its_number_not_its_text(
    suppression_list: SuppressionList, line: str, message: str
) -> None:
    suppression_list.add(PEOPLE[:1], reason=Reason.MANUAL)
    with suppression_list.path.open("a") as handle:
        handle.write(line + "\n")
    with pytest.raises(ConfigError, match=message) as caught:
        suppression_list.entries()
    assert "jane" not in str(caught.value)


def test_a_blank_identifier_is_refused(suppression_list: SuppressionList) -> None:
    with pytest.raises(InputError, match=r"^identifier 2 \(phone\) is blank"):
        suppression_list.add([email("a@b.io"), phone("  ")], reason=Reason.MANUAL)
    assert not suppression_list.path.exists()


def _add_many(path: str, material: bytes, prefix: str, count: int) -> None:
    suppression = SuppressionList(Path(path), SecretKey(material))
    for number in range(count):
        suppression.add([email(f"{prefix}{number}@example.com")], reason=Reason.MANUAL)


@pytest.mark.slow
def test_concurrent_adds_from_two_processes_lose_nothing(list_path: Path) -> None:
    context = multiprocessing.get_context("spawn")  # fork and Polars' threads do not mix
    workers = [
        context.Process(target=_add_many, args=(str(list_path), KEY.material, prefix, 25))
        for prefix in ("left", "right")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    assert len(SuppressionList(list_path, KEY).entries()) == 50


def test_a_list_edited_by_hand_is_read_as_the_list_writes_it(
    suppression_list: SuppressionList,
) -> None:
    # a BOM an editor saved, a source spelt as the CRM spells it
    suppression_list.add([crm_id("42", "hubspot")], reason=Reason.MANUAL)
    text = suppression_list.path.read_text().replace('"hubspot"', '"HubSpot"')
    suppression_list.path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    [entry] = suppression_list.lookup([crm_id("42", "HUBSPOT")])
    assert entry is not None
    assert suppression_list.add([crm_id("42", "hubspot")], reason=Reason.MANUAL).added == 0
