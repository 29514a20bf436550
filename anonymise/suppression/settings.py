"""The ``suppression:`` section of the pipeline config."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_PATH = "suppression/blocklist.jsonl"


class SuppressionConfig(BaseModel):
    """Where the suppression list lives and the three plain-value lists beside it.

    ``path`` is relative to the config file's folder. ``blocked_domains`` drops every
    row whose e-mail domain is listed (a domain is not personal data, so it is stored
    plainly). ``allow_values`` are never treated as personal (the company's own support
    address). ``deny_terms`` are always redacted from free text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = DEFAULT_PATH
    phone_region: str = Field(default="GB", pattern=r"^[A-Za-z]{2}$")
    blocked_domains: tuple[str, ...] = ()
    allow_values: tuple[str, ...] = ()
    deny_terms: tuple[str, ...] = ()

    @field_validator("blocked_domains")
    @classmethod
    def _plain_domains(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        domains = tuple(normalise_domain(d) for d in value)
        for domain in domains:
            if not domain or "@" in domain or any(c.isspace() for c in domain):
                raise ValueError("each blocked domain must be a plain domain such as 'example.com'")
        return domains

    @field_validator("deny_terms", "allow_values")
    @classmethod
    def _no_blank(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not term.strip() for term in value):
            raise ValueError("blank entries are not allowed; remove them")
        return value


def normalise_domain(domain: str) -> str:
    """``' @Example.COM. '`` -> ``'example.com'``."""
    return domain.strip().lstrip("@").rstrip(".").lower()
