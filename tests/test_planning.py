"""Config rules over a reviewed plan's entries (planning.with_rules)."""

from __future__ import annotations

from anonymise.config import ColumnRule
from anonymise.planning import with_rules
from tests.planned import planned_column, planned_input


def test_a_fake_rule_over_a_plan_takes_the_part_the_header_names() -> None:
    # the plan said part: first; a rule laid over it wrote full fake names in both
    planned = planned_input(
        planned_column("First Name", "PERSON", "fake", {"part": "first"}),
        planned_column("Last Name", "PERSON", "pseudonymise"),
        planned_column("Email", "EMAIL_ADDRESS", "pseudonymise"),
    )
    rules = {
        "First Name": ColumnRule(action="fake"),
        "Last Name": ColumnRule(action="fake", params={"locale": "de_DE"}),
    }
    ruled, changed = with_rules(planned, rules)
    params = {c.name: (c.action, c.params, c.decided_by) for c in ruled.columns}
    assert params == {
        "First Name": ("fake", {"part": "first"}, "config"),
        "Last Name": ("fake", {"locale": "de_DE", "part": "last"}, "config"),
        "Email": ("pseudonymise", {}, "detection"),
    }
    assert changed == ["Last Name"]  # First Name's rule says what the plan says
