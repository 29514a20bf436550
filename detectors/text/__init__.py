"""Free-text detection with Presidio's knowledge, vectorised in Polars (Rust regex).

``build_scanner`` turns the analyzer's registry into vectorised forms (``forms``);
``scan`` finds the spans ``AnalyzerEngine.analyze`` would find cell by cell, with
Python only once per distinct candidate span.
"""

from detectors.text.scanner import TextScanner, build_scanner, scan, shared_scanner
from detectors.text.spans import SPAN_SCHEMA

__all__ = ["SPAN_SCHEMA", "TextScanner", "build_scanner", "scan", "shared_scanner"]
