"""Multilingual header hints: what a column's name says about its content.

A header is normalised (accents folded, camelCase and punctuation split, lower-cased)
into words. Rules are tried in order and the first whose words all occur, in order
and adjacent, decides. Rules that say "not personal" (``None``) sit before the
personal ones they would otherwise be mistaken for: "Phone 1 Type", "Email Status",
"Billing Address Country".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from detectors import entities as e


@dataclass(frozen=True)
class HeaderHint:
    """The rule a header matched: the entity it implies (or None) and the words."""

    entity: str | None
    words: str


_DOB = (
    "birth",
    "birthday",
    "birthdate",
    "dob",
    "date of birth",
    "born",
    "geburtsdatum",
    "geburtstag",
    "naissance",
    "date de naissance",
    "fecha de nacimiento",
    "nacimiento",
    "data di nascita",
    "nascita",
    "geboortedatum",
    "data urodzenia",
)
# Where a person was born is a place; the country alone says as little as "Country".
_BIRTHPLACE = (
    "place of birth",
    "city of birth",
    "town of birth",
    "birthplace",
    "birth place",
    "geburtsort",
    "lieu de naissance",
    "luogo di nascita",
    "lugar de nacimiento",
    "miejsce urodzenia",
)
_NOT_PERSONAL = (
    "type",
    "status",
    "country",
    "country region",
    "land",
    "pays",
    "pais",
    "cc",
    "stage",
    "lifecycle",
    "rating",
    "score",
    "count",
    "number of",
    "reason",
    "consent",
    "source",
    "timezone",
    "time zone",
    "gmtoff",
    "dstoff",
    "created",
    "create",
    "modified",
    "changed",
    "updated",
    "last activity",
    "time",
    "tags",
    "tag",
    "job title",
    "title",
    "position",
    "language",
    "currency",
    "revenue",
    "amount",
    "spent",
    "total",
    "price",
    "opt in",
    "optin",
    "marketing",
    "permission",
    "subscribed",
    "unsubscribed",
    "industry",
    "website",
    "url",
    "domain",
    "member",
    "list",
    "campaign",
    "account name",
    "product",
    "deal",
    "opportunity",
    "pipeline",
    "template",
    "form",
    "page",
    "file",
    "event",
    "version",
    "order state",
    # French "nombre de" is a count; Spanish "nombre de pila" a first name
    "nombre d",
    "nombre de commandes",
    "nombre de visites",
    "nombre de contacts",
    "nombre de produits",
    "nombre total",
)
# A company or a product: not personal, but tried after the e-mail and phone rules, as
# "Email Empresa" or "Telefon Unternehmen" is a contact's address or number
_BUSINESS = (
    "company",
    "organisation",
    "organization",
    "firma",
    "societe",
    "entreprise",
    "azienda",
    "empresa",
    "bedrijf",
    "unternehmen",
    "societa",
    "produit",
    "producto",
    "prodotto",
    "produkt",
)
_EMAIL = ("email", "e mail", "mail", "courriel", "correo", "emailadresse", "mailadresse")
_IP = ("ip", "ip address", "ipaddress", "ip adresse", "adresse ip")
_POSTCODE = (
    "postal code",
    "postcode",
    "post code",
    "postalcode",
    "zip",
    "zipcode",
    "zip code",
    "plz",
    "postleitzahl",
    "code postal",
    "cp",
    "cap",
    "codigo postal",
    "kod pocztowy",
    "postal",
)
_PHONE = (
    "phone",
    "telephone",
    "tel",
    "mobile",
    "cell",
    "cellphone",
    "fax",
    "telefon",
    "telefonnummer",
    "handy",
    "mobil",
    "telefono",
    "movil",
    "portable",
    "telefoon",
    "whatsapp",
    "sms",
)
_GEO = (
    "latitude",
    "longitude",
    "lat",
    "lng",
    "lon",
    "long",
    "geo",
    "coordinates",
    "breitengrad",
    "langengrad",
)
_LOCATION = (
    "city",
    "town",
    "state",
    "region",
    "county",
    "province",
    "district",
    "locality",
    "stadt",
    "ort",
    "wohnort",
    "ville",
    "ciudad",
    "citta",
    "localite",
    "bundesland",
    "provincia",
    "departement",
    "gemeente",
    "plaats",
    "woonplaats",
    "miasto",
    "miejscowosc",
)
_STREET = (
    "street",
    "address",
    "addr",
    "address line",
    "strasse",
    "str",
    "adresse",
    "anschrift",
    "rue",
    "calle",
    "direccion",
    "indirizzo",
    "via",
    "straat",
    "house",
    "ulica",
    "adres",
    # Italian forms: "Via/Piazza", "Via e Numero Civico" ("via" alone is any channel's)
    "via piazza",
    "via e numero",
    "via numero",
    "numero civico",
    "civico",
)
_PERSON = (
    "first name",
    "last name",
    "firstname",
    "lastname",
    "fname",
    "lname",
    "surname",
    "given name",
    "family name",
    "full name",
    "middle name",
    "forename",
    "vorname",
    "nachname",
    "familienname",
    "prenom",
    "nom",
    "nom de famille",
    "nombre",
    "apellido",
    "apellidos",
    "cognome",
    "nome",
    "imie",
    "nazwisko",
    "achternaam",
    "voornaam",
    "owner",
    "contact owner",
    "spouse",
    "assistant",
    "nickname",
    "name",  # last: "First Name" should say "first name"
)
_CRM_ID = (
    "id",
    "record id",
    "contact id",
    "customer id",
    "leid",
    "euid",
    "uuid",
    "guid",
    "unique id",
    "customer number",
    "kundennummer",
    "member id",
    "subscriber id",
    "lead id",
    "account id",
    "identifiant",
)
_FREE_TEXT = (
    "notes",
    "note",
    "comments",
    "comment",
    "description",
    "remarks",
    "remark",
    "bemerkung",
    "bemerkungen",
    "notizen",
    "notiz",
    "commentaire",
    "commentaires",
    "message",
    "bio",
    "about",
    "memo",
    "details",
)
_GENERIC_NOT_PERSONAL = ("date", "datum", "day", "timestamp", "at")

# People named by their role, tried before the rules, as their headers hold "not
# personal" words ("Created By" is no creation date); what follows the role decides
# ("Created By Name" a person, "Created By Phone" a phone, "Sales Rep Territory" none).
_PERSON_BY_ROLE = (
    "created by",
    "modified by",
    "updated by",
    "changed by",
    "contact owner",
    "lead owner",
    "deal owner",
    "account owner",
    "company owner",
    "record owner",
    "sales rep",
    "account manager",
    "account executive",
    "assigned to",
    "referred by",
    "owner",  # opportunity, case, campaign owner: a person, whatever they own
    "attendee",
    "participant",
    "member name",
    "contact person",
    "contact name",
    "company contact",
    "primary contact",
    "billing contact",
    "technical contact",
    "account contact",
    "ansprechpartner",
    "kontaktperson",
    "personne de contact",
    "persona de contacto",
)
_NAME_WORDS: Final = frozenset({"name", "names", "full", "first", "last", "display"})
# Headers that say "name" and no more: the values must be names in the dictionary too
# ("Name", "Nome Campagna" of plans and campaigns), unless another word says a person's
# ("Nome Completo", "Nombre y Apellidos", "Nombre de Contacto")
GENERIC_NAME_HINTS: Final = frozenset({"name", "nome", "nombre"})
_PERSONAL_QUALIFIERS: Final = frozenset(
    {"completo", "apellidos", "apellido", "cognome", "contacto", "contatto", "cliente"}
    | {"persona", "full", "first", "last", "given", "family"}
)


def is_generic_name(header: str, hint: HeaderHint | None) -> bool:
    """Whether ``header`` says "name" of anything, not a person's name."""
    if hint is None or hint.words not in GENERIC_NAME_HINTS:
        return False
    return not set(header_words(header)) & _PERSONAL_QUALIFIERS


# Words that mean something else inside a longer header ("Contacted Via", "Long
# Description", "Postal Address") match only as the whole header; "ip" only as its
# last word ("OPTIN_IP", "Last IP", not "IP Country").
_WHOLE_HEADER_ONLY: Final = frozenset({"via", "long", "postal"})
_LAST_WORD_ONLY: Final = frozenset({"ip", "version"})
_HEADER_WORDS: Final = 40
RULES: Final[tuple[tuple[str | None, tuple[str, ...]], ...]] = (
    (None, ("country of birth",)),
    (e.LOCATION, _BIRTHPLACE),
    (e.DATE_OF_BIRTH, _DOB),
    (e.IP_ADDRESS, _IP),
    (None, _NOT_PERSONAL),
    (e.EMAIL_ADDRESS, _EMAIL),
    (e.POSTCODE, _POSTCODE),
    (e.PHONE_NUMBER, _PHONE),
    (None, _BUSINESS),
    (e.GEO_COORDINATE, _GEO),
    (e.LOCATION, _LOCATION),
    (e.STREET_ADDRESS, _STREET),
    (e.PERSON, _PERSON),
    (e.CRM_ID, _CRM_ID),
    (e.FREE_TEXT, _FREE_TEXT),
    (None, _GENERIC_NOT_PERSONAL),
)


def header_words(header: str) -> list[str]:
    """Split a header into lower-case ASCII words: "Billing_AddressCity" -> billing address city."""
    folded = unicodedata.normalize("NFKD", header.replace("ß", "ss"))
    folded = folded.encode("ascii", "ignore").decode()
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", folded)
    return [w for w in re.split(r"[^A-Za-z]+", spaced.lower()) if w]


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def _matches(words: list[str], phrase: str) -> bool:
    parts = phrase.split()
    if phrase in _WHOLE_HEADER_ONLY:
        return words == parts
    if phrase in _LAST_WORD_ONLY:
        return words[-len(parts) :] == parts
    return _contains(words, parts)


def hint_for(header: str) -> HeaderHint | None:
    """A person's role in the header (a person, or what the words after it say), else
    the first rule the header matches, or None when the header says nothing."""
    # a header's first words say what it is: a long one ran a role's recursion once per
    # role in it, to a RecursionError
    words = header_words(header)[:_HEADER_WORDS]
    for phrase in _PERSON_BY_ROLE:
        role = phrase.split()
        at = next((i for i in range(len(words)) if words[i : i + len(role)] == role), None)
        if at is None:
            continue
        rest = words[at + len(role) :]
        if all(word in _NAME_WORDS for word in rest):  # "Created By", "... By Full Name"
            return HeaderHint(entity=e.PERSON, words=phrase)
        return hint_for(" ".join(rest))  # "Created By Phone", "Created By ID", "... Territory"
    for entity, phrases in RULES:
        for phrase in phrases:
            if _matches(words, phrase):
                return HeaderHint(entity=entity, words=phrase)
    return None


def context_words(entity: str) -> list[str]:
    """Single words that back an entity in Presidio's context enhancer.

    Words of multi-word phrases are left out: "date" from "date of birth" would
    otherwise back a birth date under "Date Created".
    """
    return sorted(
        {
            p
            for rule_entity, phrases in RULES
            if rule_entity == entity
            for p in phrases
            if " " not in p
        }
    )


_FIRST_NAME_WORDS: Final = frozenset(
    {"first", "given", "forename", "fname", "firstname", "vorname", "prenom", "voornaam"}
    | {"nome", "imie"}
)
_LAST_NAME_WORDS: Final = frozenset(
    {"last", "surname", "family", "lname", "lastname", "nachname", "familienname"}
    | {"apellido", "apellidos", "cognome", "achternaam", "nazwisko"}
)


def name_part(header: str) -> str | None:
    """``first`` or ``last`` when the header names that part of a person's name
    ("First Name", "Nachname"), else ``None`` (a full name, or nothing said)."""
    words = set(header_words(header))
    if words & _FIRST_NAME_WORDS and not words & _LAST_NAME_WORDS:
        return "first"
    if words & _LAST_NAME_WORDS and not words & _FIRST_NAME_WORDS:
        return "last"
    return None
