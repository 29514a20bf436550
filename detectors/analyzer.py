"""Build Presidio's AnalyzerEngine offline from the detection settings."""

from __future__ import annotations

import threading
from functools import cache

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from detectors import entities as e
from detectors.nlp_engine import build_nlp_engine, has_ner
from detectors.offline import use_bundled_public_suffix_list
from detectors.recognizers import build_recognizers
from detectors.recognizers.base import CONTEXT_BOOST
from detectors.settings import DetectionSettings


def build_analyzer(settings: DetectionSettings) -> AnalyzerEngine:
    """An analyzer with our recognizers, on a blank or named spaCy pipeline.

    Named-entity recognition joins in only when the pipeline has an NER component;
    without one, detection relies on patterns, checksums, dictionaries and headers.
    """
    use_bundled_public_suffix_list()
    nlp_engine = build_nlp_engine(settings.nlp_model, language=settings.language)
    registry = RecognizerRegistry(supported_languages=[settings.language])
    for recognizer in build_recognizers(settings):
        registry.add_recognizer(recognizer)
    if has_ner(nlp_engine, settings.language):
        registry.add_recognizer(
            SpacyRecognizer(
                supported_language=settings.language,
                supported_entities=[e.PERSON, e.LOCATION],
            )
        )
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[settings.language],
        default_score_threshold=settings.threshold,
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=CONTEXT_BOOST,
            min_score_with_context_similarity=settings.threshold,
        ),
    )


_BUILDING = threading.Lock()


def shared_analyzer(settings: DetectionSettings) -> AnalyzerEngine:
    """One analyzer per distinct settings in a process: building one takes seconds. A
    caller that arrives while another thread builds it (``detectors.warm_up``) waits for
    that one."""
    with _BUILDING:
        return _analyzer(settings)


@cache
def _analyzer(settings: DetectionSettings) -> AnalyzerEngine:
    return build_analyzer(settings)
