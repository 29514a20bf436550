"""Keys and a fresh list per test."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from anonymise.keys import SecretKey
from anonymise.suppression import Identifier, IdentifierKind, SuppressionList

KEY = SecretKey(bytes(range(32)))
OTHER_KEY = SecretKey(bytes(range(1, 33)))
WHEN = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)


def email(value: str) -> Identifier:
    return Identifier(IdentifierKind.EMAIL, value)


def phone(value: str) -> Identifier:
    return Identifier(IdentifierKind.PHONE, value)


def crm_id(value: str, source: str) -> Identifier:
    return Identifier(IdentifierKind.CRM_ID, value, source)


@pytest.fixture
def list_path(tmp_path: Path) -> Path:
    return tmp_path / "suppression" / "blocklist.jsonl"


@pytest.fixture
def suppression_list(list_path: Path) -> SuppressionList:
    return SuppressionList(list_path, KEY)
