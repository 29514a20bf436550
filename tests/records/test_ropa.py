from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest

from anonymise.records.build import record_from_report, suppression_record
from anonymise.records.render import render_ropa
from anonymise.records.ropa import RopaEntry, build_ropa
from tests.records.helpers import FULL_SECTIONS, PROCESSOR_SECTIONS, make_config, make_report

CONTROLLER_ORDER = [
    "Controller",
    "Representative",
    "Data protection officer",
    "Purposes of the processing",
    "Lawful basis",
    "Categories of data subjects",
    "Categories of personal data",
    "Categories of personal data per dataset",
    "Recipients",
    "Third-country transfers",
    "Time limits for erasure",
    "Security measures",
]
PROCESSOR_ORDER = [
    "Processor",
    "Controllers on whose behalf it acts",
    "Representative",
    "Data protection officer",
    "Categories of processing",
    "Third-country transfers",
    "Security measures",
]
HISTORY = [
    "First run",
    "Last run",
    "Runs",
    "Runs by status",
    "Rows processed",
    "Rows erased",
    "Rows left to check by hand, summed over erasures (a row two erasures found counts twice)",
    "Suppression list changed by hand",
    "Decryptions (re-identification)",
    "Processing log",
]


def _records(config: Any, pipeline: str = "crm") -> list[dict[str, Any]]:
    first = make_report(pipeline=pipeline, run_id="r1")
    second = make_report(pipeline=pipeline, run_id="r2")
    second["started_at"], second["finished_at"] = (
        "2025-04-02T08:00:00+00:00",
        "2025-04-02T08:01:00+00:00",
    )
    second["inputs"] = second["inputs"][1:]  # only the Keap file this time
    erasure = {"kind": "erasure", "pipeline": pipeline, "data": {"counts": {"erased": 3}}}
    change = {"config": config, "started_at": "2025-04-03T09:00:00+00:00", "key_id": "k-1"}
    change |= {"finished_at": "2025-04-03T09:00:01+00:00", "list_path": "list.jsonl"}
    return [
        record_from_report(first, config, status="succeeded", error=None),
        record_from_report(second, config, status="refused", error="VerificationRefused"),
        erasure,
        suppression_record(
            **change,
            change="add",
            reason="objection",
            identifiers={"email": 2, "phone": 1},
            outcome={"added": 2, "already_present": 1},
        ),
        suppression_record(
            **change,
            change="remove",
            reason=None,
            identifiers={"email": 1},
            outcome={"removed": 1, "not_found": 0},
        ),
    ]


def _entry(entries: list[RopaEntry], name: str = "crm") -> dict[str, Any]:
    entry = next(e for e in entries if e.activity == name)
    return {f.name: f.value for f in entry.fields}


def test_an_entry_aggregates_its_runs() -> None:
    config = make_config(**FULL_SECTIONS)
    entries = build_ropa([config], _records(config))
    assert [e.activity for e in entries] == ["crm"]
    fields = _entry(entries)
    assert list(fields) == CONTROLLER_ORDER + HISTORY
    assert fields["First run"] == "2025-03-01T10:00:00+00:00"
    assert fields["Last run"] == "2025-04-02T08:01:00+00:00"
    assert fields["Runs"] == 2
    assert fields["Runs by status"] == {"refused": 1, "succeeded": 1}
    assert fields["Rows processed"] == 700
    assert fields["Rows erased"] == 3
    assert fields["Suppression list changed by hand"] == {"added": 2, "removed": 1}
    assert fields["Categories of personal data"] == [
        "contact details",
        "free-text notes",
        "names",
        "postal address",
    ]
    assert fields["Third-country transfers"] == ["United States (safeguard: SCCs 2021/914)"]
    assert fields["Controller"] == "Acme Ltd (privacy@acme.example)"
    assert entries[0].missing == ()


def test_without_a_config_an_entry_comes_from_its_latest_record() -> None:
    config = make_config(**FULL_SECTIONS)
    entries = build_ropa([], _records(config))
    assert _entry(entries)["Purposes of the processing"] == [
        "analytics on CRM contacts",
        "sharing with the agency",
    ]


def test_a_processor_entry_follows_art30_2() -> None:
    config = make_config("bureau", **PROCESSOR_SECTIONS)
    entries = build_ropa([config], _records(config, "bureau"))
    assert entries[0].role == "processor"
    fields = _entry(entries, "bureau")
    assert list(fields) == [*PROCESSOR_ORDER, "Categories of personal data seen", *HISTORY]
    assert fields["Controllers on whose behalf it acts"] == ["Acme Ltd (privacy@acme.example)"]
    assert fields["Third-country transfers"] == []


def test_a_config_without_metadata_lists_its_gaps_and_a_config_without_runs_shows() -> None:
    entries = build_ropa([make_config("bare")], [])
    assert entries[0].missing[0] == "controller"
    fields = _entry(entries, "bare")
    assert fields["Runs"] == 0
    assert fields["Purposes of the processing"] is None


def _sample_entries() -> list[RopaEntry]:
    config = make_config(**FULL_SECTIONS)
    processor = make_config("bureau", **PROCESSOR_SECTIONS)
    return build_ropa([config, processor], _records(config) + _records(processor, "bureau"))


def _in_order(text: str, names: list[str]) -> bool:
    positions = [text.index(name) for name in names]
    return positions == sorted(positions)


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "json"])
def test_every_format_lists_the_art30_fields_in_order(fmt: Any) -> None:
    text = render_ropa(_sample_entries(), fmt)
    controller_part, processor_part = text.split("bureau", 1)
    assert _in_order(controller_part, CONTROLLER_ORDER)
    assert _in_order(processor_part, PROCESSOR_ORDER)
    for article in ("30(1)(a)", "30(1)(g)", "30(2)(a)", "30(2)(d)"):
        assert article in text


def test_csv_is_one_row_per_activity_and_field() -> None:
    rows = list(csv.DictReader(io.StringIO(render_ropa(_sample_entries(), "csv"))))
    crm = [r for r in rows if r["activity"] == "crm"]
    assert [r["field"] for r in crm] == CONTROLLER_ORDER + HISTORY
    assert crm[0]["article"] == "Art. 30(1)(a)"


def test_json_keeps_structured_values() -> None:
    document = json.loads(render_ropa(_sample_entries(), "json"))
    first = document["activities"][0]
    assert first["fields"][0] == {
        "article": "30(1)(a)",
        "field": "Controller",
        "value": "Acme Ltd (privacy@acme.example)",
    }


class _StrictParser(HTMLParser):
    """Fails on any unbalanced non-void tag."""

    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "link", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables += 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1:] == [tag], f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def test_html_is_a_balanced_standalone_page_with_a_table_per_activity() -> None:
    text = render_ropa(_sample_entries(), "html")
    assert text.startswith("<!DOCTYPE html>")
    parser = _StrictParser()
    parser.feed(text)
    parser.close()
    assert parser.stack == []
    assert parser.tables == 2


def test_html_and_markdown_escape_config_text() -> None:
    config = make_config(
        "<script>x</script>",
        controller={"name": "A | B <b>", "contact": "c"},
        activity=FULL_SECTIONS["activity"],
    )
    entries = build_ropa([config], [])
    html_text = render_ropa(entries, "html")
    assert "<script>" not in html_text
    assert "&lt;script&gt;" in html_text
    assert "A \\| B" in render_ropa(entries, "md")
    parser = _StrictParser()
    parser.feed(html_text)
    assert parser.stack == []


def test_csv_cells_cannot_run_as_formulas() -> None:
    config = make_config("=cmd", **FULL_SECTIONS)
    rows = list(csv.DictReader(io.StringIO(render_ropa(build_ropa([config], []), "csv"))))
    assert rows[0]["activity"] == "'=cmd"


def test_an_empty_ropa_still_renders() -> None:
    for fmt in ("md", "html", "json", "csv"):
        assert render_ropa([], fmt)
