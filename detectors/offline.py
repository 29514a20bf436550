"""Keep Presidio offline: tldextract must use its bundled public-suffix snapshot."""

from __future__ import annotations

import tldextract.tldextract as _tldextract


def use_bundled_public_suffix_list() -> None:
    """Point tldextract's module-level extractor at the snapshot shipped in the wheel.

    Presidio's e-mail recognizer calls ``tldextract.extract``, whose default
    extractor downloads the public suffix list on first use.
    """
    _tldextract.TLD_EXTRACTOR = _tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
