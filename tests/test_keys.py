from __future__ import annotations

import base64
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from anonymise.errors import KeyConfigError
from anonymise.keys import SecretKey, derive_key, load_key

RAW = "correct horse battery staple, 32+ bytes long"
MATERIAL = bytes(range(32))


@pytest.mark.parametrize(
    ("value", "material"),
    [
        (RAW, RAW.encode()),
        (f"  {RAW}\n", RAW.encode()),  # surrounding whitespace is not key
        ("hex:" + MATERIAL.hex(), MATERIAL),
        ("hex:" + MATERIAL.hex().upper(), MATERIAL),
        ("base64:" + base64.b64encode(MATERIAL).decode(), MATERIAL),
        ("ü" * 16, ("ü" * 16).encode()),  # 16 characters, 32 UTF-8 bytes
    ],
)
def test_key_from_the_environment(value: str, material: bytes) -> None:
    key = load_key(environ={"ANONYMISE_KEY": value})
    assert key.material == material


def test_another_environment_variable() -> None:
    assert load_key(env_var="MY_KEY", environ={"MY_KEY": RAW}).material == RAW.encode()


@pytest.mark.parametrize("environ", [{}, {"ANONYMISE_KEY": ""}, {"ANONYMISE_KEY": "  "}])
def test_no_key_says_how_to_set_one(environ: dict[str, str]) -> None:
    with pytest.raises(
        KeyConfigError,
        match=r"^no key: set the environment variable ANONYMISE_KEY to at least 32 random "
        r"bytes \(for example: export ANONYMISE_KEY=\$\(openssl rand -hex 32\)\) or name a "
        r"key file \(key: \{file: \.\.\.\}\)",
    ):
        load_key(environ=environ)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "short-key",
            r"^the key in the environment variable ANONYMISE_KEY decodes to 9 bytes; "
            r"at least 32",
        ),
        ("hex:00ff", r"decodes to 2 bytes; at least 32"),
        (
            "hex:zz" + "00" * 32,
            r"^the key in the environment variable ANONYMISE_KEY starts with "
            r"'hex:' but is not valid hex$",
        ),
        ("base64:***", r"starts with 'base64:' but is not valid base64$"),
    ],
)
def test_a_weak_or_garbled_key_is_refused_without_showing_it(value: str, message: str) -> None:
    with pytest.raises(KeyConfigError, match=message) as raised:
        load_key(environ={"ANONYMISE_KEY": value})
    assert value not in str(raised.value)
    assert raised.value.__cause__ is None


def test_key_file(tmp_path: Path) -> None:
    path = tmp_path / "anonymise.key"
    path.write_text("hex:" + MATERIAL.hex() + "\n")
    assert load_key(key_file=path, environ={}).material == MATERIAL


def test_short_key_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "short.key"
    path.write_text("tiny")
    with pytest.raises(KeyConfigError, match=rf"^the key in the key file {re.escape(str(path))} "):
        load_key(key_file=path, environ={})


def test_missing_key_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.key"
    with pytest.raises(KeyConfigError, match=rf"^the key file {re.escape(str(path))} does not"):
        load_key(key_file=path, environ={})


def test_two_sources_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "anonymise.key"
    path.write_text(RAW)
    with pytest.raises(KeyConfigError, match=r"give exactly one source"):
        load_key(key_file=path, environ={"ANONYMISE_KEY": RAW})
    with pytest.raises(KeyConfigError, match=r"give exactly one source"):
        load_key(key_file=path, prefect_secret_block="anonymise-key", environ={})


def fake_prefect(monkeypatch: pytest.MonkeyPatch, load: Any) -> None:
    """Stand in for ``prefect.blocks.system`` so no Prefect server is needed."""
    system = types.ModuleType("prefect.blocks.system")
    system.Secret = types.SimpleNamespace(load=load)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "prefect.blocks.system", system)


def test_prefect_secret_block(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, bool]] = []

    def load(name: str, *, _sync: bool) -> Any:
        calls.append((name, _sync))
        return types.SimpleNamespace(get=lambda: "hex:" + MATERIAL.hex())

    fake_prefect(monkeypatch, load)
    key = load_key(prefect_secret_block="anonymise-key", environ={})
    assert key.material == MATERIAL
    assert calls == [("anonymise-key", True)]


def test_prefect_secret_block_that_cannot_be_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    def load(name: str, *, _sync: bool) -> Any:
        raise ValueError("Unable to find block document named anonymise-key")

    fake_prefect(monkeypatch, load)
    with pytest.raises(
        KeyConfigError, match=r"^the Prefect Secret block 'anonymise-key' could not be loaded"
    ):
        load_key(prefect_secret_block="anonymise-key", environ={})


def test_prefect_secret_block_holding_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_prefect(monkeypatch, lambda name, _sync: types.SimpleNamespace(get=lambda: {"k": 1}))
    with pytest.raises(KeyConfigError, match=r"holds a dict, not the key as text$"):
        load_key(prefect_secret_block="anonymise-key", environ={})


def test_secret_key_never_shows_its_material() -> None:
    key = SecretKey(MATERIAL)
    for shown in (repr(key), str(key), f"{key}"):
        assert MATERIAL.hex() not in shown
        assert repr(MATERIAL) not in shown
        assert key.key_id in shown


def test_key_id_is_a_stable_fingerprint() -> None:
    key = SecretKey(MATERIAL)
    assert re.fullmatch(r"k-[0-9a-f]{12}", key.key_id)
    assert SecretKey(MATERIAL).key_id == key.key_id
    assert SecretKey(bytes(32)).key_id != key.key_id
    assert key.key_id[2:] not in MATERIAL.hex()


def test_secret_key_refuses_short_material() -> None:
    with pytest.raises(KeyConfigError, match=r"^the key is 31 bytes; at least 32 are needed$"):
        SecretKey(bytes(31))


def test_derived_keys_are_separate_per_purpose_and_per_key() -> None:
    key = SecretKey(MATERIAL)
    pseudonymise, encrypt = derive_key(key, "pseudonymise"), derive_key(key, "encrypt")
    assert len(pseudonymise) == 32
    assert pseudonymise != encrypt
    assert derive_key(MATERIAL, "pseudonymise") == pseudonymise  # bytes or SecretKey alike
    assert derive_key(bytes(32), "pseudonymise") != pseudonymise
    assert len(derive_key(key, "encrypt", length=64)) == 64
    assert MATERIAL not in pseudonymise + encrypt


def test_derive_key_matches_hkdf_sha256() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    expected = HKDF(hashes.SHA256(), 64, salt=None, info=b"anonymise/encrypt").derive(MATERIAL)
    assert derive_key(MATERIAL, "encrypt", length=64) == expected
