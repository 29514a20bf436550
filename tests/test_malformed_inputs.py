"""An input's malformed records: set aside and said, and an input of nothing else refused."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from anonymise import pipeline
from anonymise.config import load_config
from anonymise.errors import InputError
from anonymise.keys import SecretKey

KEY = bytes(range(32))
HEADER = "Kundennummer;Vorname;E-Mail;Umsatz\r\n"


def _stage(tmp: Path, text: str, mode: str, extra: str = "") -> pipeline.StagedInput:
    source = tmp / "kunden.csv"
    source.write_text(text, encoding="utf-8")
    config_path = tmp / "pipeline.yaml"
    config_path.write_text(f"pipeline: test\nmemory: {{mode: {mode}}}\n{extra}")
    config = load_config(config_path)
    return pipeline.stage(str(source), tmp, tmp / "q", 0, config=config, key=SecretKey(KEY))


@pytest.mark.parametrize("mode", ["whole", "batched"])
def test_an_input_of_malformed_records_only_is_refused(tmp_path: Path, mode: str) -> None:
    # the exporter began ending its rows, not its header, with the delimiter: the run
    # published an empty file over last week's and exited 0
    rows = "".join(f"{i};Zoë;z{i}@beispiel.de;4179,15;\r\n" for i in range(60))
    with pytest.raises(InputError) as refused:
        _stage(tmp_path, HEADER + rows, mode)
    message = str(refused.value)
    assert message.startswith(f"input '{tmp_path / 'kunden.csv'}': every one of its 60 record")
    assert "(the first on line 2: " in message
    assert "Zoë" not in message
    assert "beispiel" not in message
    assert not (tmp_path / "q").exists() or not any((tmp_path / "q").iterdir())


def test_malformed_records_beside_good_ones_are_said_in_the_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = "1;Zoë;z1@beispiel.de;4179,15\r\n2;Ann;a2@beispiel.de;12,00;x\r\n"
    with caplog.at_level(logging.WARNING, logger="anonymise.pipeline"):
        staged = _stage(tmp_path, HEADER + rows, "whole")
    assert (staged.rows, staged.quarantined) == (1, 1)
    [said] = [r.getMessage() for r in caplog.records if r.name == "anonymise.pipeline"]
    assert said.startswith(f"input {tmp_path / 'kunden.csv'}: 1 malformed record(s) set aside")
    assert "the first on line 3: " in said
    assert "Ann" not in said


def test_a_blocked_persons_malformed_row_does_not_reach_the_quarantine_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # the block step filtered the good rows only: a suppressed person's malformed row
    # was written in full to the quarantine file
    from anonymise.io.quarantine_file import QUARANTINE_COLUMNS
    from anonymise.suppression import Identifier, IdentifierKind, Reason, SuppressionList

    config_path = tmp_path / "pipeline.yaml"
    config_path.write_text("pipeline: test\n")
    listing = SuppressionList(tmp_path / "suppression" / "blocklist.jsonl", SecretKey(KEY))
    listing.add(
        [
            Identifier(IdentifierKind.EMAIL, "ann@beispiel.de"),
            Identifier(IdentifierKind.PHONE, "+49 30 18470054"),
        ],
        reason=Reason.ERASURE,
    )
    rows = (
        "1;Zoë;z1@beispiel.de;4179,15\r\n"
        "2;Ann;Ann@Beispiel.de;12,00;x\r\n"  # blocked, malformed
        "3;Bo;bo@beispiel.de;+49 30 18470054;x\r\n"  # blocked by phone, malformed
        "4;Cy;cy@beispiel.de;1,00;x\r\n"  # malformed, not blocked
        "5;Di;di@beispiel.de;030/1847-0054;x\r\n"  # the same number, written nationally
        "6;Ed;ed@beispiel.de;0170 1234567 / +49 30 18470054;x\r\n"  # two in one field
    )
    with caplog.at_level(logging.WARNING, logger="anonymise.pipeline"):
        staged = _stage(tmp_path, HEADER + rows, "whole", "suppression: {phone_region: DE}\n")
    assert (staged.rows, staged.quarantined, staged.blocked) == (1, 1, {"erasure": 4})
    said = [r.getMessage() for r in caplog.records if r.name == "anonymise.pipeline"]
    assert any("4 malformed record(s) on line(s) 3, 4, 6, 7 hold an address" in m for m in said)
    assert any(
        "1 malformed record(s) set aside in its quarantine file (the first on line 5" in m
        for m in said
    )
    assert staged.quarantine_file is not None
    text = Path(staged.quarantine_file).read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(QUARANTINE_COLUMNS)
    assert "cy@beispiel.de" in text
    assert "Ann" not in text
    assert "18470054" not in text
