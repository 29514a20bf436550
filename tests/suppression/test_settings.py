"""The `suppression:` config section."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from anonymise.suppression import SuppressionConfig


def test_defaults() -> None:
    settings = SuppressionConfig()
    assert settings.path == "suppression/blocklist.jsonl"
    assert (settings.blocked_domains, settings.allow_values, settings.deny_terms) == ((), (), ())


def test_domains_are_normalised() -> None:
    settings = SuppressionConfig(blocked_domains=(" @Rival.COM. ", "example.org"))
    assert settings.blocked_domains == ("rival.com", "example.org")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("blocked_domains", ("jane@rival.com",), "plain domain"),  # an address, not a domain
        ("blocked_domains", ("",), "plain domain"),
        ("deny_terms", ("ok", " "), "blank entries"),
        ("allow_values", ("",), "blank entries"),
        ("phone_region", "GBR", "pattern"),
        ("unknown", 1, "Extra inputs"),
    ],
)
def test_invalid(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        SuppressionConfig.model_validate({field: value})
