from __future__ import annotations

import hashlib
import os

from hypothesis import given
from hypothesis import strategies as st

from anonymise.io.file_digest import FileDigest


@given(data=st.binary(max_size=300), ends=st.lists(st.integers(0, 300), max_size=6))
def test_fed_in_order_or_not_the_digest_is_the_files(data: bytes, ends: list[int]) -> None:
    with FileDigest(data) as digest:
        for end in ends:  # ends that go back, or past the end, hash nothing twice
            digest.feed_through(min(end, len(data)))
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_the_rest_is_hashed_in_the_background() -> None:
    data = os.urandom(3 << 20)
    with FileDigest(data) as digest:
        digest.feed_through(1000)
        digest.hash_in_background()
        digest.hash_in_background()  # once only
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_little_is_hashed_at_once() -> None:
    data = b"x" * 100
    with FileDigest(data) as digest:
        digest.hash_in_background()
        assert digest.hashed == len(data)  # no thread to wait for
        assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
