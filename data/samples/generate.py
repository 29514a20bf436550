"""Seeded generator for the bundled CRM sample exports (Keap, Mailchimp, HubSpot).

Every value is made up by Faker or drawn from the tables below; nothing comes from real
people. The output is deterministic: the same Faker version writes the same bytes on
every run (no network, no clock, no relative dates).

    uv run python data/samples/generate.py                      # rewrite data/samples/*
    uv run python data/samples/generate.py --out /tmp/samples   # somewhere else
    uv run python data/samples/generate.py --big /tmp/keap_1m.csv --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import io
import json
import random
import re
import string
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import numpy as np
import polars as pl
from faker import Faker

SEED = 20240611
SAMPLES_DIR = Path(__file__).resolve().parent

PEOPLE = 900
KEAP_ROWS = 420
MAILCHIMP_ROWS = 380
HUBSPOT_ROWS = 350
NDJSON_ROWS = 100

# 0-based data rows after which an empty line is written (263 twice: two blank lines).
KEAP_BLANK_LINES_AFTER = (97, 263, 263)
# 0-based data row written with an unquoted comma in its note: one field too many.
KEAP_MALFORMED_ROW = 181

T = TypeVar("T")

# --------------------------------------------------------------------------------------
# The world: countries and cities with consistent postcodes, phone areas and time zones
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    locale: str
    calling_code: str
    weight: float


@dataclass(frozen=True)
class City:
    name: str
    country: str
    region: str
    region_code: str
    lat: float
    lon: float
    tz: str
    gmtoff: int
    dstoff: int
    postcodes: tuple[str, ...]
    """Outward codes for GB (an inward code is added); full postcodes elsewhere."""
    phone_area: tuple[str, ...]
    """Leading groups of a landline's national significant number, e.g. ("20", "7946");
    for US cities the area codes, one of which is followed by the fictional 555-01xx."""
    weight: float = 1.0


def _codes(low: int, high: int, step: int = 1) -> tuple[str, ...]:
    return tuple(f"{code:05d}" for code in range(low, high + 1, step))


COUNTRIES = (
    Country("GB", "United Kingdom", "en_GB", "44", 0.38),
    Country("US", "United States", "en_US", "1", 0.27),
    Country("DE", "Germany", "de_DE", "49", 0.18),
    Country("FR", "France", "fr_FR", "33", 0.17),
)
COUNTRY_BY_CODE = {country.code: country for country in COUNTRIES}
GB_INDEX = [country.code for country in COUNTRIES].index("GB")

# UK landlines use Ofcom's drama ranges (020 7946 0xxx, 0161 496 0xxx, ...); US ones 555-01xx.
_GB, _DE, _FR = "Europe/London", "Europe/Berlin", "Europe/Paris"
_US, _LA, _CHI = "America/New_York", "America/Los_Angeles", "America/Chicago"
CITIES = (
    City("London", "GB", "England", "ENG", 51.5074, -0.1278, _GB, 0, 1,
         ("SW1A", "EC1A", "WC2N", "N1", "E2", "SE1", "NW3", "W1D", "SW11", "E14"),
         ("20", "7946"), 4.0),
    City("Manchester", "GB", "England", "ENG", 53.4808, -2.2426, _GB, 0, 1,
         ("M1", "M4", "M14", "M20"), ("161", "496"), 1.5),
    City("Birmingham", "GB", "England", "ENG", 52.4862, -1.8904, _GB, 0, 1,
         ("B1", "B5", "B15", "B29"), ("121", "496"), 1.3),
    City("Leeds", "GB", "England", "ENG", 53.8008, -1.5491, _GB, 0, 1,
         ("LS1", "LS6", "LS11"), ("113", "496")),
    City("Sheffield", "GB", "England", "ENG", 53.3811, -1.4701, _GB, 0, 1,
         ("S1", "S10", "S11"), ("114", "496"), 0.7),
    City("Bristol", "GB", "England", "ENG", 51.4545, -2.5879, _GB, 0, 1,
         ("BS1", "BS8"), ("117", "496")),
    City("Liverpool", "GB", "England", "ENG", 53.4084, -2.9916, _GB, 0, 1,
         ("L1", "L8", "L17"), ("151", "496"), 0.8),
    City("Edinburgh", "GB", "Scotland", "SCT", 55.9533, -3.1883, _GB, 0, 1,
         ("EH1", "EH3", "EH8"), ("131", "496")),
    City("Glasgow", "GB", "Scotland", "SCT", 55.8642, -4.2518, _GB, 0, 1,
         ("G1", "G12"), ("141", "496"), 0.9),
    City("Cardiff", "GB", "Wales", "WLS", 51.4816, -3.1791, _GB, 0, 1,
         ("CF10", "CF24"), ("29", "2018"), 0.6),
    City("Belfast", "GB", "Northern Ireland", "NIR", 54.5973, -5.9301, _GB, 0, 1,
         ("BT1", "BT7"), ("28", "9018"), 0.5),
    City("New York", "US", "New York", "NY", 40.7128, -74.0060, _US, -5, -4,
         _codes(10001, 10282), ("212", "646", "718", "917", "347"), 3.0),
    City("Los Angeles", "US", "California", "CA", 34.0522, -118.2437,
         _LA, -8, -7, _codes(90001, 90089), ("213", "310", "323", "424", "818"), 2.0),
    City("San Francisco", "US", "California", "CA", 37.7749, -122.4194,
         _LA, -8, -7, _codes(94102, 94134), ("415", "628"), 1.5),
    City("Chicago", "US", "Illinois", "IL", 41.8781, -87.6298, _CHI, -6, -5,
         _codes(60601, 60661), ("312", "773", "872"), 1.5),
    City("Houston", "US", "Texas", "TX", 29.7604, -95.3698, _CHI, -6, -5,
         _codes(77002, 77099), ("713", "281", "832")),
    City("Austin", "US", "Texas", "TX", 30.2672, -97.7431, _CHI, -6, -5,
         _codes(78701, 78759), ("512", "737"), 0.8),
    City("Seattle", "US", "Washington", "WA", 47.6062, -122.3321, _LA,
         -8, -7, _codes(98101, 98199), ("206", "425")),
    City("Boston", "US", "Massachusetts", "MA", 42.3601, -71.0589, _US, -5, -4,
         _codes(2108, 2137), ("617", "857")),
    City("Denver", "US", "Colorado", "CO", 39.7392, -104.9903, "America/Denver", -7, -6,
         _codes(80202, 80239), ("303", "720"), 0.7),
    City("Atlanta", "US", "Georgia", "GA", 33.7490, -84.3880, _US, -5, -4,
         _codes(30303, 30349), ("404", "470", "678"), 0.8),
    City("Miami", "US", "Florida", "FL", 25.7617, -80.1918, _US, -5, -4,
         _codes(33125, 33199), ("305", "786"), 0.8),
    City("Phoenix", "US", "Arizona", "AZ", 33.4484, -112.0740, "America/Phoenix", -7, -7,
         _codes(85003, 85099), ("602", "480"), 0.6),
    City("Berlin", "DE", "Berlin", "BE", 52.5200, 13.4050, _DE, 1, 2,
         _codes(10115, 14199), ("30",), 3.0),
    City("Hamburg", "DE", "Hamburg", "HH", 53.5511, 9.9937, _DE, 1, 2,
         _codes(20095, 22769), ("40",), 1.5),
    City("München", "DE", "Bayern", "BY", 48.1351, 11.5820, _DE, 1, 2,
         _codes(80331, 81929), ("89",), 1.5),
    City("Köln", "DE", "Nordrhein-Westfalen", "NW", 50.9375, 6.9603, _DE, 1, 2,
         _codes(50667, 51149), ("221",)),
    City("Frankfurt am Main", "DE", "Hessen", "HE", 50.1109, 8.6821, _DE, 1, 2,
         _codes(60306, 60599), ("69",)),
    City("Stuttgart", "DE", "Baden-Württemberg", "BW", 48.7758, 9.1829, _DE, 1, 2,
         _codes(70173, 70629), ("711",), 0.8),
    City("Düsseldorf", "DE", "Nordrhein-Westfalen", "NW", 51.2277, 6.7735, _DE, 1, 2,
         _codes(40210, 40629), ("211",), 0.8),
    City("Leipzig", "DE", "Sachsen", "SN", 51.3397, 12.3731, _DE, 1, 2,
         _codes(4103, 4357), ("341",), 0.7),
    City("Dresden", "DE", "Sachsen", "SN", 51.0504, 13.7373, _DE, 1, 2,
         _codes(1067, 1328), ("351",), 0.6),
    City("Hannover", "DE", "Niedersachsen", "NI", 52.3759, 9.7320, _DE, 1, 2,
         _codes(30159, 30669), ("511",), 0.6),
    City("Nürnberg", "DE", "Bayern", "BY", 49.4521, 11.0767, _DE, 1, 2,
         _codes(90402, 90491), ("911",), 0.6),
    City("Bremen", "DE", "Bremen", "HB", 53.0793, 8.8017, _DE, 1, 2,
         _codes(28195, 28779), ("421",), 0.5),
    City("Paris", "FR", "Île-de-France", "IDF", 48.8566, 2.3522, _FR, 1, 2,
         _codes(75001, 75020), ("1",), 4.0),
    City("Lyon", "FR", "Auvergne-Rhône-Alpes", "ARA", 45.7640, 4.8357, _FR, 1, 2,
         _codes(69001, 69009), ("4",), 1.2),
    City("Marseille", "FR", "Provence-Alpes-Côte d'Azur", "PAC", 43.2965, 5.3698, _FR, 1, 2,
         _codes(13001, 13016), ("4",), 1.2),
    City("Toulouse", "FR", "Occitanie", "OCC", 43.6047, 1.4442, _FR, 1, 2,
         _codes(31000, 31500, 100), ("5",)),
    City("Nice", "FR", "Provence-Alpes-Côte d'Azur", "PAC", 43.7102, 7.2620, _FR, 1, 2,
         _codes(6000, 6300, 100), ("4",), 0.7),
    City("Nantes", "FR", "Pays de la Loire", "PDL", 47.2184, -1.5536, _FR, 1, 2,
         _codes(44000, 44300, 100), ("2",), 0.8),
    City("Strasbourg", "FR", "Grand Est", "GES", 48.5734, 7.7521, _FR, 1, 2,
         _codes(67000, 67200, 100), ("3",), 0.7),
    City("Bordeaux", "FR", "Nouvelle-Aquitaine", "NAQ", 44.8378, -0.5792, _FR, 1, 2,
         _codes(33000, 33800, 100), ("5",), 0.9),
    City("Lille", "FR", "Hauts-de-France", "HDF", 50.6292, 3.0573, _FR, 1, 2,
         _codes(59000, 59800, 100), ("3",), 0.8),
    City("Rennes", "FR", "Bretagne", "BRE", 48.1173, -1.6778, _FR, 1, 2,
         _codes(35000, 35700, 100), ("2",), 0.6),
)  # fmt: skip
CITIES_BY_COUNTRY = {c.code: tuple(x for x in CITIES if x.country == c.code) for c in COUNTRIES}

_GB_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_DE_MOBILE_PREFIXES = ("151", "152", "157", "160", "162", "170", "171", "172", "176", "177")


def pick(rng: random.Random, weights: dict[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(count))


def random_datetime(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.randint(0, int((end - start).total_seconds())))


def random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def postcode(rng: random.Random, city: City) -> str:
    code = rng.choice(city.postcodes)
    if city.country != "GB":
        return code
    letters = rng.choice(_GB_INWARD_LETTERS) + rng.choice(_GB_INWARD_LETTERS)
    return f"{code} {rng.randint(1, 9)}{letters}"


# --------------------------------------------------------------------------------------
# Phones: stored as groups of the national significant number, formatted per export
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phone:
    calling_code: str
    groups: tuple[str, ...]


def landline(rng: random.Random, city: City) -> Phone:
    calling_code = COUNTRY_BY_CODE[city.country].calling_code
    if city.country == "GB":
        return Phone(calling_code, (*city.phone_area, "0" + digits(rng, 3)))
    if city.country == "US":
        return Phone(calling_code, (rng.choice(city.phone_area), "555", "01" + digits(rng, 2)))
    if city.country == "DE":
        subscriber = str(rng.randint(2, 9)) + digits(rng, rng.randint(5, 7))
        return Phone(calling_code, (*city.phone_area, subscriber))
    lead = rng.randint(10, 89)  # 059x and 0262 belong to overseas departments
    lead = 63 if city.phone_area[0] + str(lead) == "262" else lead
    pairs = (str(lead), *(digits(rng, 2) for _ in range(3)))
    return Phone(calling_code, (*city.phone_area, *pairs))


def mobile(rng: random.Random, city: City) -> Phone:
    calling_code = COUNTRY_BY_CODE[city.country].calling_code
    if city.country == "GB":
        prefix = "7" + rng.choice("45789") + digits(rng, 2)
        while prefix in {"7700", "7911"}:  # not valid for mobiles (7700 900 is drama-only)
            prefix = "7" + rng.choice("45789") + digits(rng, 2)
        return Phone(calling_code, (prefix, digits(rng, 6)))
    if city.country == "DE":
        return Phone(calling_code, (rng.choice(_DE_MOBILE_PREFIXES), digits(rng, 8)))
    if city.country == "FR":
        # 06 10..68 and 07 30..89 are allocated to mobile operators (0639 is reserved for fiction)
        first = rng.choice(("6", "6", "7"))
        lead = rng.randint(10, 68) if first == "6" else rng.randint(30, 89)
        lead = 38 if first + str(lead) == "639" else lead
        return Phone(calling_code, (first, str(lead), *(digits(rng, 2) for _ in "123")))
    return landline(rng, city)  # US numbers do not tell mobiles apart


def format_phone(phone: Phone, style: str) -> str:
    """Render as written by people: national, international, compact, e164, intl_trunk."""
    nsn = "".join(phone.groups)
    if style == "e164":
        return f"+{phone.calling_code}{nsn}"
    if style == "international":
        return f"+{phone.calling_code} " + " ".join(phone.groups)
    if phone.calling_code == "1":
        area, exchange, line = phone.groups
        if style == "compact":
            return f"{area}-{exchange}-{line}"
        if style == "intl_trunk":
            return f"{area}.{exchange}.{line}"
        return f"({area}) {exchange}-{line}"
    if style == "compact":
        return "0" + nsn
    if style == "intl_trunk":
        return f"+{phone.calling_code} (0)" + " ".join(phone.groups)
    return "0" + " ".join(phone.groups)


PHONE_STYLES = {"national": 52.0, "international": 36.0, "compact": 7.0, "intl_trunk": 5.0}


def keap_phone_cell(text: str, rng: random.Random) -> str:
    """Keap prefixes phone cells with an apostrophe (a spreadsheet text marker) and pads them."""
    return "'" + text + " " * rng.choice((1, 2, 3, 3, 3, 4))


# --------------------------------------------------------------------------------------
# People: one shared pool, so the same person can appear in several exports
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    city: City
    street: str
    postcode: str
    email: str
    alt_email: str
    landline: Phone
    mobile: Phone
    birthday: date
    company: str
    job: str

    @property
    def country(self) -> Country:
        return COUNTRY_BY_CODE[self.city.country]

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


def seeded_faker(locale: str, seed: int) -> Faker:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return fake


def fits_cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def ascii_slug(text: str) -> str:
    text = text.replace("ß", "ss").replace("ø", "o").replace("œ", "oe").replace("æ", "ae")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in ".-_")


def email_address(rng: random.Random, first: str, last: str, domain: str) -> str:
    f, surname = ascii_slug(first), ascii_slug(last)
    local = pick(
        rng,
        {
            f"{f}.{surname}": 40.0,
            f"{f}{surname}": 12.0,
            f"{f[:1]}.{surname}": 14.0,
            f"{f}_{surname}": 6.0,
            f"{f}{rng.randint(1, 99)}": 10.0,
            f"{surname}.{f}": 6.0,
            f"{f}.{surname}{rng.randint(60, 99)}": 12.0,
        },
    )
    return f"{local}@{domain}"


def company_domain(company: str, fake: Faker) -> str:
    words = [ascii_slug(word) for word in company.replace(",", " ").split()]
    words = [word for word in words if word and word not in {"and", "und", "et", "plc", "ltd"}]
    tld = {"en_GB": "co.uk", "de_DE": "de", "fr_FR": "fr"}.get(fake.locales[0], "com")
    return f"{'-'.join(words[:2]) or fake.domain_word()}.{tld}"


def unique_phone(
    rng: random.Random, city: City, make: Callable[[random.Random, City], Phone], used: set[str]
) -> Phone:
    """A number nobody else in the pool has, so phone matching never hits a stranger."""
    phone = make(rng, city)
    while format_phone(phone, "e164") in used:
        phone = make(rng, city)
    used.add(format_phone(phone, "e164"))
    return phone


def make_person(rng: random.Random, fake: Faker, country: Country, used: set[str]) -> Person:
    city = pick(rng, {city: city.weight for city in CITIES_BY_COUNTRY[country.code]})
    first, last = fake.first_name(), fake.last_name()
    while not fits_cp1252(first + last):  # Mailchimp writes Windows-1252
        first, last = fake.first_name(), fake.last_name()
    company = fake.company() if chance(rng, 0.75) else ""
    work_domain = company_domain(company, fake) if company else fake.free_email_domain()
    domain = work_domain if chance(rng, 0.3) else fake.free_email_domain()
    email = email_address(rng, first, last, domain)
    while email in used:
        email = email_address(rng, first, last, fake.free_email_domain())
    used.add(email)
    return Person(
        first=first,
        last=last,
        city=city,
        street=fake.street_address().replace("\n", ", "),
        postcode=postcode(rng, city),
        email=email,
        alt_email=email_address(rng, first, last, work_domain),
        landline=unique_phone(rng, city, landline, used),
        mobile=unique_phone(rng, city, mobile, used),
        birthday=random_date(rng, date(1948, 1, 1), date(2004, 12, 31)),
        company=company,
        job=fake.job() if chance(rng, 0.65) else "",
    )


def make_people(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    fakers = {c.code: seeded_faker(c.locale, seed + i) for i, c in enumerate(COUNTRIES)}
    used: set[str] = set()
    people = []
    for _ in range(count):
        country = pick(rng, {country: country.weight for country in COUNTRIES})
        people.append(make_person(rng, fakers[country.code], country, used))
    return people


# --------------------------------------------------------------------------------------
# Keap / Infusionsoft: UTF-8 with BOM, CRLF, phone cells as Keap writes them, dirty rows
# --------------------------------------------------------------------------------------

KEAP_COLUMNS = (
    "Id", "First Name", "Last Name", "Email", "Email 2", "Phone 1", "Phone 1 Type",
    "Company", "Job Title", "Billing Address Street 1", "Billing Address City",
    "Billing Address Postal Code", "Billing Address Country", "Birthday", "Tags",
    "Person Notes", "Date Created", "Lead Source", "Person Type", "Email Status",
    "Total Spent", "Opt-in Reason",
)  # fmt: skip

KEAP_TAGS = {
    "Newsletter": 30.0, "Customer": 18.0, "VIP": 6.0, "Webinar Attendee": 10.0,
    "Free Trial": 9.0, "Churned": 5.0, "Black Friday 2023": 6.0, "Event - London 2022": 4.0,
    "Partner Referral": 4.0, "Abandoned Cart": 5.0,
}  # fmt: skip
KEAP_LEAD_SOURCES = {
    "Website": 30.0, "Google Ads": 14.0, "Facebook Ads": 10.0, "Referral": 12.0,
    "Trade Show": 6.0, "Webinar": 8.0, "LinkedIn": 6.0, "Cold Call": 3.0, "": 11.0,
}  # fmt: skip
KEAP_PERSON_TYPES = {"Customer": 45.0, "Prospect": 38.0, "Partner": 6.0, "Vendor": 3.0, "": 8.0}
KEAP_EMAIL_STATUSES = {
    "Opted In": 20.0, "Single Opt-in": 22.0, "Double Opt-in": 14.0,
    "Unengaged Marketable": 16.0, "Non-marketable": 12.0, "Unsubscribed": 9.0,
    "Hard Bounce": 4.0, "Unconfirmed": 3.0,
}  # fmt: skip
KEAP_MARKETABLE = {"Opted In", "Single Opt-in", "Double Opt-in", "Unengaged Marketable"}
KEAP_OPT_IN_REASONS = {
    "Customer opted in through webform": 40.0,
    "Contact opted in via landing page": 20.0,
    "API Opt In": 12.0,
    "Opted in at checkout": 14.0,
    "Imported from trade show list - permission confirmed": 6.0,
    "Double opt-in confirmation link clicked": 8.0,
}

KEAP_INNOCENT_NOTES = (
    "Interested in the premium plan.",
    "Asked for an invoice copy.",
    "Renewal due next quarter.",
    "Prefers calls in the afternoon.",
    "Downloaded the pricing guide twice; send case studies.",
    "Do not call before 10am.",
    "Unsubscribed from the weekly digest but still wants product updates.",
    "Paid by bank transfer.",
    "VAT number supplied for the annual invoice.",
    "Trial extended by 14 days.",
)
KEAP_PERSONAL_NOTES = (
    "Called {name} on {phone}, prefers email {email}.",
    "Spoke to {first} – please send the contract to {email}.",
    "Moved to {postcode}, update billing address before the next invoice.",
    "Referred by {name}.",
    "Left a voicemail on {phone}. Try again Thursday.",
    "Assistant is {name}; reach them at {email} or {phone}.",
    "New address from March: {street}, {postcode}.",
    "Rückruf erbeten unter {phone} (Frau {last}).",
    "Rappeler {name} au {phone} avant vendredi.",
    "Partner {other_first} also wants the newsletter: {email}",
)
KEAP_MULTILINE_NOTES = (
    "Call notes:\n- wants a demo of the reporting module\n- decision maker is {name} ({email})",
    "Invoice query.\nPlease use the new PO number.\nContact: {phone}",
    "Met at the Manchester trade show.\nFollow up in Q3.",
    "Delivery address:\n{street}\n{town}\n{postcode}",
)
KEAP_MALFORMED_NOTE = "Spoke to reception, will call back after the holidays"


def note_context(
    rng: random.Random, person: Person, other: Person, uk_home: Person
) -> dict[str, str]:
    """Values a note can mention: another person's name and contacts, a UK address."""
    phone = other.mobile if chance(rng, 0.5) else person.landline
    return {
        "name": other.full_name,
        "first": person.first,
        "last": person.last,
        "other_first": other.first,
        "phone": format_phone(phone, pick(rng, PHONE_STYLES)),
        "email": other.email,
        "postcode": uk_home.postcode,
        "street": uk_home.street,
        "town": uk_home.city.name,
    }


def keap_note(rng: random.Random, person: Person, other: Person, uk_home: Person) -> str:
    kind = pick(rng, {"empty": 45.0, "innocent": 25.0, "personal": 22.0, "multiline": 8.0})
    if kind == "empty":
        return ""
    if kind == "innocent":
        return rng.choice(KEAP_INNOCENT_NOTES)
    templates = KEAP_PERSONAL_NOTES if kind == "personal" else KEAP_MULTILINE_NOTES
    return rng.choice(templates).format(**note_context(rng, person, other, uk_home))


def money(amount: float) -> str:
    return f"{amount:.2f}"


def keap_row(
    rng: random.Random, contact_id: int, created: datetime, person: Person, note: str
) -> list[str]:
    phone_type = pick(rng, {"Mobile": 45.0, "Work": 35.0, "Home": 20.0})
    phone = person.mobile if phone_type == "Mobile" else person.landline
    has_phone = chance(rng, 0.85)
    person_type = pick(rng, KEAP_PERSON_TYPES)
    status = pick(rng, KEAP_EMAIL_STATUSES)
    tags = rng.sample(list(KEAP_TAGS), k=pick(rng, {0: 25.0, 1: 40.0, 2: 25.0, 3: 10.0}))
    spent = rng.lognormvariate(5.5, 1.1) if person_type == "Customer" else 0.0
    email = person.email
    if chance(rng, 0.04):  # typed by hand into a web form
        email = email.capitalize() if chance(rng, 0.7) else f" {email}"
    return [
        str(contact_id),
        person.first if chance(rng, 0.98) else "",
        person.last if chance(rng, 0.95) else "",
        email,
        person.alt_email if chance(rng, 0.12) else "",
        keap_phone_cell(format_phone(phone, pick(rng, PHONE_STYLES)), rng) if has_phone else "",
        phone_type if has_phone else "",
        person.company,
        person.job,
        person.street if chance(rng, 0.8) else "",
        person.city.name if chance(rng, 0.85) else "",
        person.postcode if chance(rng, 0.82) else "",
        person.country.name if chance(rng, 0.9) else "",
        person.birthday.isoformat() if chance(rng, 0.45) else "",
        ", ".join(sorted(tags, key=list(KEAP_TAGS).index)),
        note,
        created.strftime("%Y-%m-%d %H:%M:00"),
        pick(rng, KEAP_LEAD_SOURCES),
        person_type,
        status,
        money(spent),
        pick(rng, KEAP_OPT_IN_REASONS) if status in KEAP_MARKETABLE else "",
    ]


def keap_rows(people: Sequence[Person], seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    chosen = list(people[:KEAP_ROWS])
    for position in rng.sample(range(100, KEAP_ROWS), k=3):  # the usual CRM duplicates
        chosen[position] = chosen[rng.randrange(0, 100)]
    created = sorted(
        random_datetime(rng, datetime(2019, 3, 1), datetime(2024, 11, 30)) for _ in chosen
    )
    uk_people = [person for person in people if person.city.country == "GB"]
    rows, contact_id = [], 1000 + 2 * rng.randint(1, 60)
    for person, when in zip(chosen, created, strict=True):
        contact_id += 2 * pick(rng, {1: 85.0, 2: 10.0, 5: 5.0})  # gaps: deleted contacts
        note = keap_note(rng, person, rng.choice(people), rng.choice(uk_people))
        rows.append(keap_row(rng, contact_id, when, person, note))
    return rows


def keap_malformed_line(row: list[str]) -> str:
    """Write the row as Keap's buggy exporter did: the note's comma left unquoted."""
    placeholder = "NOTE_PLACEHOLDER"
    fields = [
        placeholder if name == "Person Notes" else row[i] for i, name in enumerate(KEAP_COLUMNS)
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(fields)
    return buffer.getvalue().replace(placeholder, KEAP_MALFORMED_NOTE)


def keap_csv_text(rows: Sequence[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(KEAP_COLUMNS)
    for index, row in enumerate(rows):
        if index == KEAP_MALFORMED_ROW:
            buffer.write(keap_malformed_line(row))
        else:
            writer.writerow(row)
        buffer.write("\r\n" * KEAP_BLANK_LINES_AFTER.count(index))
    return buffer.getvalue()


def write_keap(out_dir: Path, people: Sequence[Person], seed: int) -> list[Path]:
    data = ("\ufeff" + keap_csv_text(keap_rows(people, seed))).encode("utf-8")
    csv_path, gz_path = out_dir / "keap_contacts.csv", out_dir / "keap_contacts.csv.gz"
    csv_path.write_bytes(data)
    gz_path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return [csv_path, gz_path]


# --------------------------------------------------------------------------------------
# Mailchimp audience: Windows-1252, every field quoted, geo columns from IP look-ups
# --------------------------------------------------------------------------------------

MAILCHIMP_COLUMNS = (
    "Email Address", "First Name", "Last Name", "Referrer", "MEMBER_RATING", "OPTIN_TIME",
    "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF",
    "TIMEZONE", "CC", "REGION", "LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS",
)  # fmt: skip
MAILCHIMP_TAGS = {
    '"Customers"': 38.0, '"Customers","VIP"': 8.0, '"Newsletter"': 18.0,
    '"Event 2023"': 5.0, '"Customers","Newsletter"': 6.0, "": 25.0,
}  # fmt: skip
MAILCHIMP_NOTES = (
    "Met at the Berlin expo, colleague of {name}.",
    "Spent €{amount} at the pop-up store.",
    "Customer’s partner {name} also subscribed.",
    "Asked to be called on {phone}.",
    "Prefers the French newsletter.",
    "Bounced once in 2022, re-confirmed.",
    "Old address: {email}",
    "Won the €50 voucher – sent to {name}.",
    "Möchte den Newsletter auf Deutsch – Grüße aus Köln.",
)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def ip_address(rng: random.Random, fake: Faker) -> str:
    return fake.ipv6() if chance(rng, 0.12) else fake.ipv4_public()


def coordinate(rng: random.Random, centre: float, spread: float) -> str:
    return f"{centre + rng.uniform(-spread, spread):.{rng.randint(4, 7)}f}"


def mailchimp_geo(rng: random.Random, person: Person) -> list[str]:
    """LATITUDE .. REGION: Mailchimp geolocates the sign-up IP, so they come as a group."""
    if not chance(rng, 0.78):
        return [""] * 7
    city = person.city if chance(rng, 0.9) else rng.choice(CITIES)
    return [
        coordinate(rng, city.lat, 0.08),
        coordinate(rng, city.lon, 0.12),
        str(city.gmtoff),
        str(city.dstoff),
        city.tz,
        city.country,
        city.region_code,
    ]


def mailchimp_note(rng: random.Random, other: Person) -> str:
    if not chance(rng, 0.22):
        return ""
    template = rng.choice(MAILCHIMP_NOTES)
    return template.format(
        name=other.full_name,
        amount=rng.choice(("35", "120", "249,90", "80")),
        phone=format_phone(other.mobile, pick(rng, PHONE_STYLES)),
        email=other.email,
    )


def mailchimp_row(
    rng: random.Random, fake: Faker, person: Person, people: Sequence[Person], ids: tuple[int, str]
) -> list[str]:
    imported = chance(rng, 0.2)
    optin = random_datetime(rng, datetime(2020, 1, 1), datetime(2024, 6, 30))
    confirm = optin + timedelta(seconds=rng.randint(20, 172_800))
    changed = confirm + timedelta(seconds=rng.randint(0, 30_000_000))
    optin_ip = ip_address(rng, fake) if not imported and chance(rng, 0.9) else ""
    confirm_ip = optin_ip if chance(rng, 0.7) else ip_address(rng, fake)
    leid, euid = ids
    return [
        person.email,
        person.first if chance(rng, 0.95) else "",
        person.last if chance(rng, 0.92) else "",
        rng.choice(people).email if chance(rng, 0.85) else "",
        str(pick(rng, {1: 4.0, 2: 46.0, 3: 24.0, 4: 16.0, 5: 10.0})),
        "" if imported else optin.strftime(TIME_FORMAT),
        optin_ip,
        confirm.strftime(TIME_FORMAT),
        "" if imported else confirm_ip,
        *mailchimp_geo(rng, person),
        min(changed, datetime(2024, 12, 31, 23, 0)).strftime(TIME_FORMAT),
        str(leid),
        euid,
        mailchimp_note(rng, rng.choice(people)),
        pick(rng, MAILCHIMP_TAGS),
    ]


def mailchimp_rows(people: Sequence[Person], seed: int) -> list[list[str]]:
    rng, fake = random.Random(seed), seeded_faker("en_US", seed)
    # about a third of the audience also sits in the Keap export, so joins have something to do
    chosen = rng.sample(list(people[:KEAP_ROWS]), 130) + list(people[KEAP_ROWS:])
    chosen = rng.sample(chosen, MAILCHIMP_ROWS)
    leids = rng.sample(range(100_000_000, 999_999_999), MAILCHIMP_ROWS)
    euids = ["".join(rng.choices("0123456789abcdef", k=10)) for _ in chosen]
    return [
        mailchimp_row(rng, fake, person, people, (leid, euid))
        for person, leid, euid in zip(chosen, leids, euids, strict=True)
    ]


def write_mailchimp(out_dir: Path, people: Sequence[Person], seed: int) -> list[Path]:
    rows = mailchimp_rows(people, seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(MAILCHIMP_COLUMNS)
    writer.writerows(rows)
    csv_path, ndjson_path = (
        out_dir / "mailchimp_audience.csv",
        out_dir / "mailchimp_audience.ndjson",
    )
    csv_path.write_bytes(buffer.getvalue().encode("cp1252"))
    records = (
        json.dumps(
            dict(zip(MAILCHIMP_COLUMNS, [v or None for v in row], strict=True)), ensure_ascii=False
        )
        for row in rows[:NDJSON_ROWS]
    )
    ndjson_path.write_bytes("".join(f"{record}\n" for record in records).encode("utf-8"))
    return [csv_path, ndjson_path]


# --------------------------------------------------------------------------------------
# HubSpot contacts: tab-separated UTF-8 with a duplicated "Phone Number" header
# --------------------------------------------------------------------------------------

HUBSPOT_COLUMNS = (
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
    "Street Address", "City", "State/Region", "Postal Code", "Country/Region", "Date of birth",
    "Lead Status", "Lifecycle Stage", "Contact owner", "Create Date", "Last Activity Date",
    "Number of Pageviews", "Annual Revenue", "Marketing contact status", "Phone Number",
)  # fmt: skip
HUBSPOT_LEAD_STATUSES = {
    "NEW": 22.0, "OPEN": 16.0, "IN_PROGRESS": 14.0, "OPEN_DEAL": 6.0, "UNQUALIFIED": 8.0,
    "ATTEMPTED_TO_CONTACT": 12.0, "CONNECTED": 10.0, "BAD_TIMING": 4.0, "": 8.0,
}  # fmt: skip
HUBSPOT_LIFECYCLE_STAGES = {
    "Subscriber": 20.0, "Lead": 30.0, "Marketing Qualified Lead": 14.0,
    "Sales Qualified Lead": 9.0, "Opportunity": 7.0, "Customer": 15.0, "Evangelist": 2.0,
    "Other": 3.0,
}  # fmt: skip
HUBSPOT_TIME_FORMAT = "%Y-%m-%d %H:%M"


def sales_reps(seed: int) -> list[str]:
    fake = seeded_faker("en_GB", seed)
    return [f"{fake.first_name()} {fake.last_name()}" for _ in range(6)]


def hubspot_row(
    rng: random.Random, record_id: int, person: Person, owners: Sequence[str]
) -> list[str]:
    created = random_datetime(rng, datetime(2021, 1, 4), datetime(2024, 10, 31))
    activity = created + timedelta(minutes=rng.randint(5, 400_000))
    second_phone = person.landline if chance(rng, 0.4) else person.mobile
    revenue = round(rng.lognormvariate(13.5, 1.6), -3)
    return [
        str(record_id),
        person.first,
        person.last if chance(rng, 0.96) else "",
        person.email,
        format_phone(person.landline, pick(rng, PHONE_STYLES)) if chance(rng, 0.7) else "",
        format_phone(person.mobile, pick(rng, PHONE_STYLES)) if chance(rng, 0.5) else "",
        person.street if chance(rng, 0.7) else "",
        person.city.name if chance(rng, 0.8) else "",
        person.city.region if chance(rng, 0.7) else "",
        person.postcode if chance(rng, 0.72) else "",
        person.country.name if chance(rng, 0.88) else "",
        person.birthday.isoformat() if chance(rng, 0.35) else "",
        pick(rng, HUBSPOT_LEAD_STATUSES),
        pick(rng, HUBSPOT_LIFECYCLE_STAGES),
        rng.choice(owners) if chance(rng, 0.9) else "",
        created.strftime(HUBSPOT_TIME_FORMAT),
        activity.strftime(HUBSPOT_TIME_FORMAT) if chance(rng, 0.75) else "",
        str(int(rng.expovariate(1 / 14))),
        f"{revenue:.0f}" if chance(rng, 0.25) else "",
        "Marketing contact" if chance(rng, 0.7) else "Non-marketing contact",
        format_phone(second_phone, "e164") if chance(rng, 0.45) else "",
    ]


def hubspot_rows(people: Sequence[Person], seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    chosen = rng.sample(list(people[KEAP_ROWS - 80 :]), HUBSPOT_ROWS)
    record_ids = rng.sample(range(10_000_000, 99_999_999_999), HUBSPOT_ROWS)
    owners = sales_reps(seed)
    return [
        hubspot_row(rng, record_id, person, owners)
        for record_id, person in zip(record_ids, chosen, strict=True)
    ]


def write_hubspot(out_dir: Path, people: Sequence[Person], seed: int) -> list[Path]:
    rows = hubspot_rows(people, seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    writer.writerow(HUBSPOT_COLUMNS)
    writer.writerows(rows)
    tsv_path, parquet_path = out_dir / "hubspot_contacts.tsv", out_dir / "hubspot_contacts.parquet"
    tsv_path.write_bytes(buffer.getvalue().encode("utf-8"))
    columns = HUBSPOT_COLUMNS[:-1]  # the duplicate header cannot be a Parquet column
    frame = pl.DataFrame(
        [[value or None for value in row[:-1]] for row in rows],
        schema={name: pl.String for name in columns},
        orient="row",
    )
    frame.write_parquet(parquet_path, compression="zstd")
    return [tsv_path, parquet_path]


def main(out_dir: Path = SAMPLES_DIR, seed: int = SEED) -> list[Path]:
    """Write every sample export into out_dir and return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    people = make_people(PEOPLE, seed)
    return [
        *write_keap(out_dir, people, seed + 101),
        *write_mailchimp(out_dir, people, seed + 202),
        *write_hubspot(out_dir, people, seed + 303),
    ]


# --------------------------------------------------------------------------------------
# A large Keap-style export for benchmarks: Faker pools + numpy indices, no per-cell Faker
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BigPools:
    """Per-country pools laid end to end: entry i of country c sits at c * size + i."""

    columns: dict[str, pl.Series]
    sizes: dict[str, int]

    def gather(self, names: Sequence[str], index: np.ndarray) -> dict[str, pl.Series]:
        return {name: self.columns[name].gather(index) for name in names}


# pool sizes per country; 4 countries give 2,000 first names, 5,000 last names, 10,000 addresses
BIG_POOL_SIZES = {"first": 500, "last": 1_250, "address": 2_500, "phone": 1_000,
                  "company": 750, "job": 250, "domain": 25}  # fmt: skip


def country_pool(fake: Faker, rng: random.Random, country: Country) -> dict[str, list[str]]:
    size = BIG_POOL_SIZES
    cities = CITIES_BY_COUNTRY[country.code]
    homes = rng.choices(cities, weights=[city.weight for city in cities], k=size["address"])
    phone_cities = rng.choices(cities, k=size["phone"])
    first = [fake.first_name() for _ in range(size["first"])]
    last = [fake.last_name() for _ in range(size["last"])]
    return {
        "first": first,
        "first_slug": [ascii_slug(name) for name in first],
        "last": last,
        "last_slug": [ascii_slug(name) for name in last],
        "street": [fake.street_address().replace("\n", ", ") for _ in homes],
        "city": [city.name for city in homes],
        "postcode": [postcode(rng, city) for city in homes],
        "country": [country.name] * size["address"],
        "landline": [format_phone(landline(rng, c), pick(rng, PHONE_STYLES)) for c in phone_cities],
        "mobile": [format_phone(mobile(rng, c), pick(rng, PHONE_STYLES)) for c in phone_cities],
        "company": [fake.company() for _ in range(size["company"])],
        "job": [fake.job() for _ in range(size["job"])],
        # drawn with repeats, so popular providers come up more often
        "domain": [fake.free_email_domain() for _ in range(size["domain"])],
    }


@functools.cache
def big_pools(seed: int) -> BigPools:
    """Faker runs here only: a few thousand calls, whatever the row count."""
    rng = random.Random(seed)
    pools = [
        country_pool(seeded_faker(country.locale, seed + i), rng, country)
        for i, country in enumerate(COUNTRIES)
    ]
    columns = {
        name: pl.Series(name, [v for pool in pools for v in pool[name]]) for name in pools[0]
    }
    sizes = {name: len(values) for name, values in pools[0].items()}
    columns["innocent"] = pl.Series(KEAP_INNOCENT_NOTES)
    return BigPools(columns, sizes)


def _choice(rng: np.random.Generator, options: dict[str, float], rows: int) -> pl.Series:
    weights = np.array(list(options.values()))
    picked = rng.choice(len(options), size=rows, p=weights / weights.sum())
    return pl.Series(list(options)).gather(picked)


BIG_NOTE_TEMPLATES = KEAP_PERSONAL_NOTES + KEAP_MULTILINE_NOTES
BIG_KEAP_TAGS = {
    "": 25.0, "Newsletter": 30.0, "Customer": 15.0, "Newsletter, VIP": 8.0,
    "Webinar Attendee": 8.0, "Free Trial, Newsletter": 9.0, "Churned": 5.0,
}  # fmt: skip


def template_expr(template: str) -> pl.Expr:
    """'Called {name} on {phone}' -> concat of literals and the _note_name, _note_phone columns."""
    parts = re.split(r"\{(\w+)\}", template)
    pieces = [pl.col(f"_note_{p}") if i % 2 else pl.lit(p) for i, p in enumerate(parts) if p]
    return pl.concat_str(pieces)


def big_note_expr() -> pl.Expr:
    """_note_template indexes BIG_NOTE_TEMPLATES; one past the end is innocent, then empty."""
    template = pl.col("_note_template")
    expr: pl.Expr = pl.when(template == len(BIG_NOTE_TEMPLATES)).then(pl.col("_note_innocent"))
    for number, text in enumerate(BIG_NOTE_TEMPLATES):
        expr = pl.when(template == number).then(template_expr(text)).otherwise(expr)
    return expr


def big_note_templates(rng: np.random.Generator, rows: int) -> np.ndarray:
    personal, innocent, empty = 0.25, 0.25, 0.50
    count = len(BIG_NOTE_TEMPLATES)
    weights = [personal / count] * count + [innocent, empty]
    return rng.choice(count + 2, size=rows, p=weights)


def big_keap_frame(rows: int, seed: int) -> pl.DataFrame:
    """Helper columns (prefixed _) gathered from the pools; big_keap_columns shapes them."""
    pools = big_pools(seed)
    rng = np.random.default_rng(seed)
    weights = np.array([country.weight for country in COUNTRIES])
    row_country = rng.choice(len(COUNTRIES), size=rows, p=weights / weights.sum())

    def draw(
        *names: str, prefix: str = "_", country: np.ndarray | int = row_country
    ) -> dict[str, pl.Series]:
        """One random pool entry per row, from its country's pool, for all the names given."""
        size = pools.sizes[names[0]]
        index = country * size + rng.integers(0, size, rows)
        gathered = pools.gather(names, index)
        return {f"{prefix}{name}": series for name, series in gathered.items()}

    def anywhere(name: str) -> pl.Series:
        return pools.columns[name].gather(rng.integers(0, len(pools.columns[name]), rows))

    created = np.sort(rng.integers(1_551_398_400, 1_732_924_800, rows)) * 1_000_000
    frame = pl.DataFrame(
        {
            "_u": rng.random((rows, 8)),
            "_id": 1000 + 2 * np.cumsum(rng.choice([1, 2, 5], size=rows, p=[0.85, 0.1, 0.05])),
            **draw("first", "first_slug"),
            **draw("last", "last_slug"),
            **draw("street", "city", "postcode", "country"),
            **draw("landline", "mobile"),
            **draw("domain"),
            **draw("company"),
            **draw("job"),
            "_email_style": rng.integers(0, 4, rows),
            "_pad": pl.Series([" ", "  ", "   ", "    "]).gather(rng.integers(0, 4, rows)),
            "_phone_type": _choice(rng, {"Mobile": 45.0, "Work": 35.0, "Home": 20.0}, rows),
            "_birthday": pl.Series(rng.integers(-8_036, 12_784, rows), dtype=pl.Int32),
            "_created": pl.Series(created).cast(pl.Datetime("us")),
            "_cents": (rng.lognormal(5.5, 1.1, rows) * 100).astype(np.int64),
            "_note_template": big_note_templates(rng, rows),
            "_note_innocent": anywhere("innocent"),
            "_note_other_first": anywhere("first"),
            "_note_other_last": anywhere("last"),
            "_note_email_local": anywhere("first_slug") + "." + anywhere("last_slug"),
            "_note_email_domain": anywhere("domain"),
            "_note_phone": anywhere("mobile"),
            **draw("street", "city", "postcode", prefix="_note_", country=GB_INDEX),
            "Tags": _choice(rng, BIG_KEAP_TAGS, rows),
            "Lead Source": _choice(rng, KEAP_LEAD_SOURCES, rows),
            "Person Type": _choice(rng, KEAP_PERSON_TYPES, rows),
            "Email Status": _choice(rng, KEAP_EMAIL_STATUSES, rows),
            "Opt-in Reason": _choice(rng, KEAP_OPT_IN_REASONS, rows),
        }
    )
    return frame.with_columns(
        _note_name=pl.concat_str("_note_other_first", "_note_other_last", separator=" "),
        _note_email=pl.concat_str("_note_email_local", "_note_email_domain", separator="@"),
        _note_town=pl.col("_note_city"),
        _note_first=pl.col("_first"),
        _note_last=pl.col("_last"),
    )


def big_email_local() -> pl.Expr:
    first, last, style = pl.col("_first_slug"), pl.col("_last_slug"), pl.col("_email_style")
    return (
        pl.when(style == 0).then(pl.concat_str(first, pl.lit("."), last))
        .when(style == 1).then(pl.concat_str(first, last))
        .when(style == 2).then(pl.concat_str(first.str.slice(0, 1), pl.lit("."), last))
        .otherwise(pl.concat_str(first, pl.lit("_"), last))
    )  # fmt: skip


def big_keap_columns() -> list[pl.Expr]:
    u = pl.col("_u").arr

    def blank_unless(probability: float, slot: int, expr: pl.Expr) -> pl.Expr:
        return pl.when(u.get(slot) < probability).then(expr)

    domain, cents = pl.col("_domain"), pl.col("_cents")
    phone = pl.when(pl.col("_phone_type") == "Mobile").then("_mobile").otherwise("_landline")
    spent = pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2))
    is_customer = pl.col("Person Type") == "Customer"
    marketable = pl.col("Email Status").is_in(list(KEAP_MARKETABLE))
    return [
        pl.col("_id").alias("Id"),
        blank_unless(0.98, 0, pl.col("_first")).alias("First Name"),
        blank_unless(0.95, 1, pl.col("_last")).alias("Last Name"),
        pl.concat_str(big_email_local(), pl.lit("@"), domain).alias("Email"),
        blank_unless(0.12, 2, pl.concat_str(pl.col("_last_slug"), pl.lit("@"), domain)).alias(
            "Email 2"
        ),
        blank_unless(0.85, 3, pl.concat_str(pl.lit("'"), phone, pl.col("_pad"))).alias("Phone 1"),
        blank_unless(0.85, 3, pl.col("_phone_type")).alias("Phone 1 Type"),
        blank_unless(0.75, 4, pl.col("_company")).alias("Company"),
        blank_unless(0.65, 5, pl.col("_job")).alias("Job Title"),
        # one draw for the whole address, so a missing city implies a missing street
        blank_unless(0.8, 6, pl.col("_street")).alias("Billing Address Street 1"),
        blank_unless(0.85, 6, pl.col("_city")).alias("Billing Address City"),
        blank_unless(0.82, 6, pl.col("_postcode")).alias("Billing Address Postal Code"),
        blank_unless(0.9, 6, pl.col("_country")).alias("Billing Address Country"),
        blank_unless(0.45, 7, pl.col("_birthday").cast(pl.Date).dt.to_string("%Y-%m-%d")).alias(
            "Birthday"
        ),
        pl.col("Tags").replace("", None),
        big_note_expr().alias("Person Notes"),
        pl.col("_created").dt.to_string("%Y-%m-%d %H:%M:00").alias("Date Created"),
        pl.col("Lead Source").replace("", None),
        pl.col("Person Type").replace("", None),
        pl.col("Email Status"),
        pl.when(is_customer).then(spent).otherwise(pl.lit("0.00")).alias("Total Spent"),
        pl.when(marketable).then(pl.col("Opt-in Reason")).alias("Opt-in Reason"),
    ]


def write_big_keap(path: Path, rows: int = 1_000_000, seed: int = SEED) -> Path:
    """A clean Keap-style CSV (BOM, CRLF, same columns as keap_contacts.csv) for benchmarks."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = big_keap_frame(rows, seed).select(big_keap_columns())
    frame.write_csv(path, include_bom=True, line_terminator="\r\n")
    return path


def cli(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="directory for the samples")
    parser.add_argument("--big", type=Path, help="write a large Keap-style CSV here instead")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows for --big")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.big is not None:
        written = [write_big_keap(args.big, rows=args.rows, seed=args.seed)]
    else:
        written = main(args.out, seed=args.seed)
    for path in written:
        print(f"{path}  {path.stat().st_size:,} bytes")
    print(f"done in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli())
