"""The column classifier: header hints and a sample of values, combined.

Values decide when they are clear (a share of whole-cell hits at or above
``min_hit_rate``); the header decides between close calls and for entities that
patterns cannot see (a city). A header that says "not personal" (status, type,
country) overrides everything but self-evident values such as e-mail addresses, whole
or inside text (with phone numbers). Text-like columns with personal data inside are
FREE_TEXT.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from statistics import median

import polars as pl
from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.batch import Hit, detect_batch, runs_nlp
from detectors.columns import Columns
from detectors.contact_shapes import is_phone_shaped, is_phone_text
from detectors.findings import ColumnEvidence, ColumnFinding
from detectors.header_hints import HeaderHint, header_words, hint_for, is_generic_name
from detectors.name_shapes import name_shaped_rate
from detectors.sampling import ValueSample, sample_column, sample_of
from detectors.settings import DetectionSettings

WHOLE_CELL = 0.8  # a hit must cover this share of a value to classify the column
# a run of 9 digits or more (an id, an EAN, an epoch, a large amount): what free-text
# redaction's phone pattern would take
# what free-text redaction's phone pattern takes from a cell: 9 to 15 digits on word
# boundaries (not "INV100200300", nor an 18-digit id)
_LONG_NUMBER = re.compile(r"\b\d(?:[ .\-]?\d){8,14}\b")
_BARE_DIGITS = re.compile(r"\d+(?:\.0+)?")
_VERSION_HINTS = frozenset({"version"})
_FEW_PHONES = 0.1  # phone notes in fewer cells than this share may be spared among ids
# dates and times, which redaction's date shield keeps from the phone pattern
_DATE_OR_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}:\d{2}")
TEXT_MIN_WORDS = 4
TEXT_MIN_SPAN_RATE = 0.01
SELF_EVIDENT_OVERRIDE = 0.8  # values beat a contrary header only this clearly
GENERIC_NAME_MIN_RATE = 0.2  # share of dictionary names a bare "Name" column needs
_COLUMNS_AT_ONCE = 2  # more threads would wait on the GIL
# What a "not personal" header (status, tags, source) cannot hide inside its text.
_CONTACT_IN_TEXT = e.SELF_EVIDENT | {e.PHONE_NUMBER}
_OUTVOTE_HEADERS = _CONTACT_IN_TEXT | {e.PERSON}


def _covered(value: str, hits: list[Hit], entity: str) -> bool:
    covered = [False] * len(value)
    for hit in hits:
        if hit.entity == entity:
            covered[hit.start : hit.end] = [True] * (hit.end - hit.start)
    content = [c for c, ch in zip(covered, value, strict=True) if not ch.isspace()]
    return bool(content) and sum(content) >= WHOLE_CELL * len(content)


def _is_text_like(sample: ValueSample) -> bool:
    words = [len(v.split()) for v in sample.values]
    return bool(words) and median(words) >= TEXT_MIN_WORDS


def _rates(
    sample: ValueSample, hits: list[list[Hit]]
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    whole: Counter[str] = Counter()
    spans: Counter[str] = Counter()
    recognizers: Counter[str] = Counter()
    for value, count, value_hits in zip(sample.values, sample.counts, hits, strict=True):
        for entity in {h.entity for h in value_hits}:
            spans[entity] += count
            if _covered(value, value_hits, entity):
                whole[entity] += count
        for name in {h.recognizer for h in value_hits}:
            recognizers[name] += count
    return whole, spans, recognizers


def _best(whole: Counter[str]) -> tuple[str | None, int]:
    if not whole:
        return None, 0
    entity, count = max(whole.items(), key=lambda kv: (kv[1], kv[0] in e.SELF_EVIDENT))
    return entity, count


def classify_column(
    name: str, series: pl.Series, analyzer: AnalyzerEngine, settings: DetectionSettings
) -> ColumnFinding:
    """Classify one column from its header and a deterministic sample of its values."""
    full = sample_column(series, size=settings.sample_size, seed=settings.seed)
    return classify_sample(name, full, analyzer, settings)


def classify_sample(
    name: str, full: ValueSample, analyzer: AnalyzerEngine, settings: DetectionSettings
) -> ColumnFinding:
    """``classify_column`` from the column's sample (``sample_column``)."""
    hint = hint_for(name)
    text_like = _is_text_like(full)
    sample = full.head(settings.free_text_sample_size) if text_like else full
    hits = detect_batch(
        analyzer,
        sample.values,
        context=header_words(name),
        threshold=settings.threshold,
        language=settings.language,
    )
    whole, spans, recognizers = _rates(sample, hits)
    analysed = sample.sampled
    entity_rates = {k: round(v / analysed, 3) for k, v in sorted(whole.items())} if analysed else {}
    best, best_count = _best(whole)
    rate = best_count / analysed if analysed else 0.0
    # an IP address alone in its cell is a version only under a version's header ("App
    # Version: 3.0.0.1"); under another "not personal" one (Lead Source) it is an address
    bare_ips = hint is None or hint.words not in _VERSION_HINTS

    def mixed() -> tuple[int, int, int]:
        """Cells with contacts beside other values, those with self-evident ones, and
        with long numbers: counted only for the columns that get that far."""
        counted = _mixed_contacts(sample, hits, bare_ips=bare_ips)
        # what may spare a few phone notes, counted only for a few (most columns have none)
        if not 2 <= counted < _FEW_PHONES * analysed:
            return counted, counted, 0
        self_evident = _mixed_contacts(sample, hits, phones=False, bare_ips=bare_ips)
        return counted, self_evident, _long_numbers(sample, hits)

    entity, confidence, decided_by = _decide(
        hint,
        best,
        rate,
        whole,
        spans,
        sample,
        text_like,
        settings,
        generic_name=is_generic_name(name, hint),
        mixed=mixed,
    )
    chosen_rate = whole.get(entity, 0) / analysed if entity and analysed else 0.0
    if decided_by == "shape":
        chosen_rate = _name_shaped(sample) if entity == e.PERSON else _phone_shaped_rate(sample)
    evidence = ColumnEvidence(
        sampled=full.sampled,
        distinct=len(full.values),
        analysed=analysed,
        hit_rate=round(chosen_rate if entity != e.FREE_TEXT else _span_rate(spans, analysed), 3),
        recognizers=dict(sorted(recognizers.items())),
        entity_rates=entity_rates,
        header_hint=hint.words if hint else None,
        header_entity=hint.entity if hint else None,
        text_entities=dict(sorted(spans.items())) if entity == e.FREE_TEXT else {},
        decided_by=decided_by,
    )
    return ColumnFinding(
        name=name, entity=entity, confidence=round(confidence, 2), evidence=evidence
    )


def _span_rate(spans: Counter[str], analysed: int) -> float:
    return max(spans.values()) / analysed if spans and analysed else 0.0


def _decide(
    hint: HeaderHint | None,
    best: str | None,
    rate: float,
    whole: Counter[str],
    spans: Counter[str],
    sample: ValueSample,
    text_like: bool,
    settings: DetectionSettings,
    *,
    generic_name: bool = False,
    mixed: Callable[[], tuple[int, int, int]] = lambda: (0, 0, 0),
) -> tuple[str | None, float, str]:
    header_entity = hint.entity if hint else None
    says_not_personal = hint is not None and hint.entity is None
    analysed = sample.sampled
    if analysed == 0:
        if header_entity:
            return header_entity, 0.5, "header"
        return None, 0.5, "header" if hint else "none"

    if best is not None and rate >= settings.min_hit_rate:
        # libphonenumber-valid numbers in 80% of cells beat a "not personal" header:
        # kept in clear, a phone column leaks; a code that looks like one loses no more
        # than its readability. So do names in 80% of cells, whole: Salesforce's
        # "Account Name" holds the person in a B2C org (companies are not first and
        # last names of the dictionary)
        self_evident = best in _OUTVOTE_HEADERS and rate >= SELF_EVIDENT_OVERRIDE
        if best == header_entity:
            return best, min(0.99, 0.6 + 0.4 * rate), "values+header"
        if hint is None:
            return best, 0.4 + 0.5 * rate, "values"
        if self_evident:
            return best, 0.4 + 0.5 * rate, "values"
        if says_not_personal:
            return None, 0.6, "header"
        return header_entity, 0.6, "header"

    span_rate = _span_rate(spans, analysed)
    templated = len(sample.values) < 0.2 * analysed
    spans_seen = span_rate >= TEXT_MIN_SPAN_RATE and sum(spans.values()) >= 2
    # "Lead Source: Referred by Liam (liam@...)": an address or a number in the text
    # outweighs a header that says "not personal", as a whole-cell address does.
    contact_spans = Counter({k: n for k, n in spans.items() if k in _CONTACT_IN_TEXT})
    contacts_seen = _span_rate(contact_spans, analysed) >= TEXT_MIN_SPAN_RATE
    contacts_seen = contacts_seen and sum(contact_spans.values()) >= 2
    if hint is None and (shaped := _phone_shaped_rate(sample)) >= settings.min_hit_rate:
        # Numbers libphonenumber does not take as valid (a range newer than its
        # metadata, a typo, a made-up number) but written as phone numbers, under a
        # header that says nothing: a column of them kept would publish the valid ones
        # among them too. Before the text test: "0113 496 0970 ext. 164" has four words.
        return e.PHONE_NUMBER, 0.3 + 0.4 * shaped, "shape"
    contact_rate = _span_rate(contact_spans, analysed)
    if not text_like and header_entity is None and contact_rate >= settings.min_hit_rate:
        # "Ann Lee <ann@example.com>", "07700 900123 (home)": short cells that hold an
        # address or a number beside a few words are contact columns, whatever the
        # header says; kept, they would be published.
        contact = max(sorted(contact_spans), key=lambda k: contact_spans[k])
        return contact, 0.4 + 0.5 * contact_rate, "values"
    may_be_text = header_entity in (None, e.FREE_TEXT) and (not says_not_personal or contacts_seen)
    if text_like and may_be_text and spans_seen and not templated:
        top = max(sorted(spans), key=lambda k: spans[k])
        if header_entity is None and top == e.STREET_ADDRESS and span_rate >= WHOLE_CELL:
            # a column of addresses, some written in ways the recognizer does not cover
            # whole ("Flat 2, 15 High St"): redacted as a column, not left to a free-text
            # detector that may not know addresses
            return e.STREET_ADDRESS, 0.4 + 0.5 * span_rate, "values"
        return e.FREE_TEXT, min(0.95, 0.6 + span_rate), "values"
    if header_entity == e.FREE_TEXT:
        return e.FREE_TEXT, 0.6, "header"
    # a few phones beside words (under 10% of cells) among many cells (a fifth) holding
    # long numbers (ids, epochs, large amounts) do not count: as free text, redaction
    # would take each such number for a phone number; many do (the numbers are then
    # lost: the safer mistake), and addresses always count
    mixed_contacts, mixed_self_evident, long_numbers = (
        mixed() if header_entity is None else (0, 0, 0)
    )
    few_among_ids = mixed_contacts < _FEW_PHONES * analysed and long_numbers >= 0.2 * analysed
    counted = mixed_self_evident if few_among_ids else mixed_contacts
    inside = counted / analysed
    if header_entity is None and inside >= TEXT_MIN_SPAN_RATE and counted >= 2:
        # an address or a number beside words in some cells, too few for a contact
        # column and in cells too short or too alike for free text ("vip; ann@...", a
        # whole address in a third of an "Info" column, "vip; call +44 ..."): kept, they
        # would be published; as free text they are redacted, the rest of each cell kept
        return e.FREE_TEXT, min(0.95, 0.6 + inside), "values"
    header_rate = whole.get(header_entity, 0) / analysed if header_entity else 0.0
    # A handful of repeated values is a flag or a status, unless the values are what
    # the header says (two sales reps' names, whether the dictionary knows their
    # surnames or only their shape does). Places cannot be told without NER, so one
    # region's three cities stay a flag, like Active/Inactive under "State".
    says_so = header_entity != e.LOCATION and (
        spans.get(header_entity or "", 0) > 0
        or (header_entity == e.PERSON and _name_shaped(sample) >= settings.min_hit_rate)
    )
    if header_entity is not None and (not _enum_like(sample) or says_so):
        if generic_name and max(header_rate, _name_shaped(sample)) < GENERIC_NAME_MIN_RATE:
            # a bare "Name" column of products or plans: the dictionary must back it
            return None, round(1 - max(rate, span_rate), 2), "header"
        return header_entity, 0.5 + 0.3 * header_rate, "header"
    if (hint is None or says_not_personal) and not _enum_like(sample):
        # "Doe, Jane", "DOE Jane", "J. Doe": names the recognizer's runs do not cover
        # whole, under a header that says nothing (or, in 80% of cells, one that says
        # "not personal", as whole names outvote it above); a handful of values
        # repeated is a flag or a tier, as above
        shaped = _name_shaped(sample, formed=says_not_personal)
        if shaped >= (settings.min_hit_rate if hint is None else SELF_EVIDENT_OVERRIDE):
            return e.PERSON, 0.3 + 0.4 * shaped, "shape"
    # kept: as sure as the values are free of personal data, whole or inside the cells
    return None, round(1 - max(rate, span_rate), 2), "header" if hint else "none"


def _mixed_contacts(
    sample: ValueSample,
    hits: list[list[Hit]],
    *,
    phones: bool = True,
    bare_ips: bool = True,
) -> int:
    """Cells holding a self-evident value (an e-mail address, an IBAN...), or a phone
    number beside letters or written as only a phone number is (``call +44 ...``, ``+44
    20 ...``, ``(020) 7946 0123``; not a bare number, which may be an id or an amount a
    phone pattern happens to take). Without ``bare_ips`` (a header that says "not
    personal": ``App Version``), an IP address alone in its cell is a version."""
    return sum(
        count
        for value, count, value_hits in zip(sample.values, sample.counts, hits, strict=True)
        if any(_a_contact(h, value.strip(), phones=phones, bare_ips=bare_ips) for h in value_hits)
    )


def _a_contact(hit: Hit, cell: str, *, phones: bool, bare_ips: bool) -> bool:
    if hit.entity == e.CREDIT_CARD:
        # a bare run of digits (pandas writes "4000000007919.0") is an id: a tenth of them
        # are Luhn-valid; grouped ("4111 1111 ...") or beside anything, a card
        return _BARE_DIGITS.fullmatch(cell) is None
    if hit.entity == e.IP_ADDRESS and not bare_ips:
        return hit.end - hit.start < len(cell)
    if hit.entity in e.SELF_EVIDENT:
        return True
    if phones and hit.entity == e.PHONE_NUMBER:
        return any(c.isalpha() for c in cell) or "+" in cell or is_phone_text(cell)
    return False


def _long_numbers(sample: ValueSample, hits: list[list[Hit]]) -> int:
    """Cells holding a run of 9 digits or more that is no phone number, date or time (an
    id, an epoch, a large amount): what free-text redaction's phone pattern would take."""
    return sum(
        count
        for value, count, value_hits in zip(sample.values, sample.counts, hits, strict=True)
        if _LONG_NUMBER.search(_DATE_OR_TIME.sub(" ", value))
        and not any(h.entity == e.PHONE_NUMBER for h in value_hits)
    )


def _phone_shaped_rate(sample: ValueSample) -> float:
    """The share of the sample's cells written as phone numbers (``contact_shapes``)."""
    if not sample.values:
        return 0.0
    shaped = pl.DataFrame({"v": sample.values, "n": sample.counts}).select(
        pl.col("n").filter(is_phone_shaped(pl.col("v"))).sum()
    )
    return int(shaped.item() or 0) / sample.sampled


def _name_shaped(sample: ValueSample, *, formed: bool = False) -> float:
    """The share of the sample's cells written as a person's name (``name_shapes``)."""
    return name_shaped_rate(sample.values, sample.counts, formed=formed)


def _enum_like(sample: ValueSample) -> bool:
    """A handful of values repeated over many cells: a flag or a status, not a person."""
    return sample.sampled >= 20 and len(sample.values) <= 3


def classify_frame(
    frame: Columns,
    analyzer: AnalyzerEngine,
    settings: DetectionSettings,
    *,
    at_once: int = _COLUMNS_AT_ONCE,
) -> list[ColumnFinding]:
    """Classify every column of a frame (or any ``Columns``), in column order.

    Without a spaCy pipeline to run, two columns are classified at a time: Polars
    releases the GIL, so one column's sampling and Rust regexes run beside another's
    Python (22 columns of 1M rows: 1.1 -> 0.7 s). The findings are the same.
    ``at_once=1`` holds one column at a time, for runs that save memory.
    """

    def classify(name: str) -> ColumnFinding:
        sample = sample_of(frame, name, size=settings.sample_size, seed=settings.seed)
        return classify_sample(name, sample, analyzer, settings)

    if at_once < 2 or frame.width < 2 or runs_nlp(analyzer, settings.language):
        return [classify(name) for name in frame.columns]
    with ThreadPoolExecutor(max_workers=at_once, thread_name_prefix="classify") as pool:
        return list(pool.map(classify, frame.columns))
