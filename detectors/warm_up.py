"""Pay detection's one-time costs early, in the background, while the input is read.

The first classification in a process builds the analyzer (~0.5 s here) and fills
caches the later ones find full: libphonenumber's metadata for every region, Presidio's
compiled patterns, tldextract's suffix list, the phone validity patterns of the
configured regions. Together that is about a second of Python. Reading a big export
takes seconds of mostly Rust (Arrow's parser, hashing), so ``warm_up_in_background``
runs the warm-up beside it and classification starts warm. Without NER, every pattern
of Presidio's recognizers is compiled, not only those the examples reach, and what the
process holds by the end is frozen out of the garbage collector's passes (once per
process): a fresh process's first plan took 0.87 s before, 0.64 s after (medians of
five).

Only reserved example values are analysed (RFC 2606 and 5737 addresses, Ofcom's drama
numbers), never anything from an input. A warm-up that fails is ignored: the step that
needs the analyzer builds it again and reports the error itself.
"""

from __future__ import annotations

import gc
import logging
import threading
from typing import Final

import phonenumbers

from detectors.analyzer import shared_analyzer
from detectors.batch import detect_batch, language_recognizers, runs_nlp
from detectors.nlp_engine import is_blank
from detectors.phone_rules import national_rule, strippable_after_country_code
from detectors.phone_validity import compile_regions, valid_e164
from detectors.recognizers.pattern_hits import compile_patterns
from detectors.settings import DetectionSettings

EXAMPLES: Final = (
    "someone@example.invalid",
    "+44 20 7946 0000",
    "020 7946 0000",
    "SW1A 1AA",
    "192.0.2.1",
    "2001:db8::1",
    "Example Street 1",
    "1990-01-01",
    "no personal data here, just some words to read",
)

_LOG = logging.getLogger(__name__)
_started: set[DetectionSettings] = set()
_started_lock = threading.Lock()
_frozen = False  # whether ``_spare_from_collections`` has run in this process


def warm_up(settings: DetectionSettings) -> None:
    """Build the shared analyzer and fill detection's caches, on example values only.

    With a spaCy pipeline (NER) it stops once libphonenumber's metadata is read, and
    analyses nothing: a step may start classifying the moment the analyzer is built,
    and one pipeline is not run from two threads.
    """
    analyzer = shared_analyzer(settings)
    strippable_after_country_code()  # reads every region's metadata
    for region in settings.phone_regions:
        national_rule(region)
    codes = {phonenumbers.country_code_for_region(r) for r in settings.phone_regions}
    valid_e164([f"+{code}0" for code in sorted(codes) if code])
    compile_regions(settings.phone_regions)
    if runs_nlp(analyzer, settings.language):
        return
    for recognizer in language_recognizers(analyzer, settings.language):
        compile_patterns(recognizer)  # the examples do not reach every pattern
    detect_batch(analyzer, EXAMPLES, threshold=settings.threshold, language=settings.language)
    if not is_blank(analyzer.nlp_engine):  # a run never analyses with the blank pipeline
        analyzer.analyze(text=" ".join(EXAMPLES), language=settings.language)
    _spare_from_collections()


def _spare_from_collections() -> None:
    """Keep what the process holds by now out of the garbage collector's full passes,
    once per process.

    ``gc.freeze`` moves every object the collector tracks into a generation no pass
    walks again. During a run that is mostly the modules, the analyzer and
    libphonenumber's metadata (~160k objects): a full collection walked them in the
    first plan of a fresh process (0.15 s), and would again in every later one. The
    input is in Arrow's and Polars' memory, outside the collector. Frozen objects are
    still freed by their reference counts; a cycle among them, garbage already or
    later, stays until the process ends (and its ``__del__`` does not run at exit).
    Hence once only: ``anonymise run`` and ``scan`` are one process each, and
    Prefect starts each served flow run in a fresh process.
    """
    global _frozen
    with _started_lock:
        if _frozen:
            return
        _frozen = True
    gc.freeze()


def warm_up_in_background(settings: DetectionSettings) -> None:
    """Start ``warm_up`` in a daemon thread, once per settings in this process."""
    with _started_lock:
        if settings in _started:
            return
        _started.add(settings)
    threading.Thread(
        target=_warm_up_quietly, args=(settings,), name="detection-warm-up", daemon=True
    ).start()


def _warm_up_quietly(settings: DetectionSettings) -> None:
    try:
        warm_up(settings)
    except Exception:  # the step that needs the analyzer builds it again and reports it
        # Example values only, so the trace holds no input data.
        _LOG.debug("detection warm-up failed; left to the step that needs it", exc_info=True)
