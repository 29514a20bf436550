"""The detection warm-up: it fills the shared analyzer once and never fails a run."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from anonymise.errors import ConfigError
from detectors.analyzer import _analyzer, shared_analyzer
from detectors.settings import DetectionSettings
from detectors.warm_up import warm_up, warm_up_in_background


def _warm_up_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "detection-warm-up"]


def test_the_analyzer_it_builds_is_the_one_detection_then_uses() -> None:
    settings = DetectionSettings(seed=101)  # settings no other test has built
    built = _analyzer.cache_info().misses
    warm_up(settings)
    assert _analyzer.cache_info().misses == built + 1
    shared_analyzer(settings)
    assert _analyzer.cache_info().misses == built + 1  # found built, not built again


def test_it_starts_once_per_settings_and_a_failure_is_left_to_the_step() -> None:
    settings = DetectionSettings(nlp_model="no_such_spacy_model_here", seed=102)
    warm_up_in_background(settings)
    for thread in _warm_up_threads():
        thread.join(timeout=60)
    warm_up_in_background(settings)  # already started once: no second thread
    assert not _warm_up_threads()
    with pytest.raises(ConfigError, match="no_such_spacy_model_here"):
        shared_analyzer(settings)  # the step that needs it reports the error


def test_staging_warms_detection_up_only_when_asked(tmp_path: Path, samples: Path) -> None:
    from anonymise import pipeline
    from anonymise.config import default_config
    from anonymise.keys import SecretKey
    from anonymise.staging import STAGING
    from detectors import warm_up as module

    for seed, asked in ((103, False), (104, True)):
        config = default_config("t").model_copy(update={"detection": DetectionSettings(seed=seed)})
        staged = pipeline.stage(
            str(samples / "keap_contacts.csv"),
            tmp_path,
            tmp_path / "q",
            seed,
            config=config,
            key=SecretKey(b"k" * 32),
            warm_detection=asked,
        )
        STAGING.discard(staged.staged)
        assert (config.detection in module._started) is asked


def test_a_run_without_ner_never_makes_the_blank_pipeline(
    monkeypatch: pytest.MonkeyPatch, samples: Path
) -> None:
    # Warm-up, classification, free-text scanning and verification run the
    # recognizers themselves; only AnalyzerEngine.analyze would tokenise.
    import spacy

    from anonymise.io import read_table
    from detectors.batch import detect_batch
    from detectors.classifier import classify_frame
    from detectors.text import build_scanner, scan

    made: list[str] = []
    blank = spacy.blank
    monkeypatch.setattr(spacy, "blank", lambda language: made.append(language) or blank(language))
    settings = DetectionSettings(seed=105)  # settings no other test has built
    warm_up(settings)
    analyzer = shared_analyzer(settings)
    frame = read_table(str(samples / "keap_contacts.csv")).frame
    findings = classify_frame(frame, analyzer, settings)
    assert any(f.entity == "EMAIL_ADDRESS" for f in findings)
    assert not scan(build_scanner(analyzer), frame.get_column("Person Notes")).is_empty()
    assert detect_batch(analyzer, ["jane@example.com"], threshold=0.5)[0]
    assert made == []
    found = analyzer.analyze(text="Mail jane@example.com", language="en")  # made now
    assert [r.entity_type for r in found] == ["EMAIL_ADDRESS"]
    assert made == ["en"]


def test_after_it_the_first_classification_compiles_no_pattern(samples: Path) -> None:
    from anonymise.io import read_table
    from detectors import phone_validity
    from detectors.classifier import classify_frame
    from detectors.recognizers import pattern_hits

    pattern_hits._compiled.cache_clear()
    phone_validity._types_at.cache_clear()
    settings = DetectionSettings(seed=106)  # settings no other test has built
    warm_up(settings)
    compiled = pattern_hits._compiled.cache_info().misses
    assert compiled > 0
    frame = read_table(str(samples / "keap_contacts.csv")).frame
    classify_frame(frame, shared_analyzer(settings), settings)
    assert pattern_hits._compiled.cache_info().misses == compiled
    typed = phone_validity._types_at.cache_info().misses
    # numbers valid in configured regions (a number another region of its country code
    # claims, such as Jersey's under +44, compiles that region's patterns when met)
    numbers = ["+442079460000", "+12015550123", "+4930901820", "+33140000000"]
    assert all(phone_validity.valid_e164(numbers))
    assert phone_validity._types_at.cache_info().misses == typed


def test_what_the_process_holds_by_then_is_spared_from_collections_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    from detectors import warm_up as module

    monkeypatch.setattr(module, "_frozen", False)  # as in a fresh process
    gc.unfreeze()
    try:
        warm_up(DetectionSettings(seed=107))
        analyzer = shared_analyzer(DetectionSettings(seed=107))
        assert gc.get_freeze_count() > 0
        assert not any(analyzer is o for o in gc.get_objects())  # no pass walks it
        gc.unfreeze()
        warm_up(DetectionSettings(seed=108))
        assert gc.get_freeze_count() == 0  # once per process: later garbage is collected
    finally:
        gc.unfreeze()
