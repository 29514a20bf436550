"""The recognizers the engine may enable, by name.

Presidio's own recognizers are used where they are right for contact exports
(e-mail, IP, card and IBAN checksums, UK NINO); Presidio's phone, date and US number
recognizers are replaced by ours, which a table's false positives taught us to
distrust (postcodes as driver licences, amounts as bank numbers, creation dates).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UkNinoRecognizer,
)

from anonymise.errors import ConfigError
from detectors.recognizers.crm_id import CrmIdRecognizer
from detectors.recognizers.date_of_birth import DateOfBirthRecognizer
from detectors.recognizers.geo_coordinate import GeoCoordinateRecognizer
from detectors.recognizers.person_name import PersonNameRecognizer
from detectors.recognizers.phone import CrmPhoneRecognizer
from detectors.recognizers.postcode import PostcodeRecognizer
from detectors.recognizers.street_address import StreetAddressRecognizer
from detectors.settings import DetectionSettings

Factory = Callable[[DetectionSettings], EntityRecognizer]

RECOGNIZERS: dict[str, Factory] = {
    "EmailRecognizer": lambda s: EmailRecognizer(),
    "IpRecognizer": lambda s: IpRecognizer(),
    "CreditCardRecognizer": lambda s: CreditCardRecognizer(),
    "IbanRecognizer": lambda s: IbanRecognizer(),
    "UkNinoRecognizer": lambda s: UkNinoRecognizer(),
    "CrmPhoneRecognizer": lambda s: CrmPhoneRecognizer(regions=s.phone_regions),
    "PostcodeRecognizer": lambda s: PostcodeRecognizer(),
    "DateOfBirthRecognizer": lambda s: DateOfBirthRecognizer(),
    "PersonNameRecognizer": lambda s: PersonNameRecognizer(),
    "StreetAddressRecognizer": lambda s: StreetAddressRecognizer(),
    "GeoCoordinateRecognizer": lambda s: GeoCoordinateRecognizer(),
    "CrmIdRecognizer": lambda s: CrmIdRecognizer(),
}


def build_recognizers(settings: DetectionSettings) -> list[EntityRecognizer]:
    """Instantiate the enabled recognizers; an unknown name is a config error."""
    names: Sequence[str] = settings.recognizers or tuple(RECOGNIZERS)
    unknown = [name for name in names if name not in RECOGNIZERS]
    if unknown:
        raise ConfigError(
            f"detection.recognizers: unknown recognizer '{unknown[0]}'; "
            f"known recognizers: {', '.join(sorted(RECOGNIZERS))}"
        )
    return [RECOGNIZERS[name](settings) for name in names]
