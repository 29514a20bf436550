"""A hard, seeded agreement set for free-text detection (~10k note cells).

Many phrasings; punctuation against entities; entities at the start and end of a
cell and next to each other; Unicode names; lower-case words that are also names
("will", "may", "mark"); numbers that are not phones (amounts, order ids, dates);
card numbers that fail Luhn; IBAN-like strings with bad checksums; lower-case
postcodes; e-mails with subdomains and plus tags; IPv6. Values are synthetic.

    uv run --frozen python -m benchmarks.agreement_notes [--cells N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import string
from collections.abc import Callable
from functools import cache

from faker import Faker

LOCALES = ("en_GB", "en_US", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "sv_SE")
PUNCTUATION = ["", "", "", "(", ")", ",", ".", ";", ":", '"', "'", "<", ">", "-", "/", "!", "?"]
LOWER_NAME_WORDS = ["will", "may", "mark", "bill", "grace", "hope", "rose", "long", "young"]
FILLER = [
    "please follow up",
    "Asked for an invoice copy",
    "sent the brochure",
    "Will call back on Monday",
    "May be interested in the premium plan",
    "mark as priority",
    "Met at the London fair",
    "VAT number supplied",
    "left a voicemail",
    "Résumé reçu, à rappeler",
    "wants a demo",
]


@cache
def fakers() -> dict[str, Faker]:
    made = {}
    for i, locale in enumerate(LOCALES):
        fake = Faker(locale)
        fake.seed_instance(1000 + i)
        made[locale] = fake
    return made


def luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    prefix = rng.choice(["4", "51", "55", "6011", "3782"])
    length = 15 if prefix == "3782" else 16
    body = prefix + "".join(rng.choices(string.digits, k=length - len(prefix) - 1))
    number = body + luhn_digit(body)
    if rng.random() < 0.4:  # fails Luhn
        number = number[:-1] + str((int(number[-1]) + rng.randint(1, 9)) % 10)
    sep = rng.choice(["", " ", "-"])
    return sep.join(number[i : i + 4] for i in range(0, len(number), 4))


def iban(rng: random.Random) -> str:
    country, length = rng.choice([("GB", 22), ("DE", 22), ("FR", 27), ("NL", 18), ("ES", 24)])
    if country in ("GB", "NL"):
        bank = "".join(rng.choices(string.ascii_uppercase, k=4))
        rest = "".join(rng.choices(string.digits, k=length - 8))
        bban = bank + rest
    else:
        bban = "".join(rng.choices(string.digits, k=length - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = f"{98 - int(numeric) % 97:02d}"
    if rng.random() < 0.35:  # bad checksum
        check = f"{(int(check) + rng.randint(1, 50)) % 100:02d}"
    code = country + check + bban
    if rng.random() < 0.5:
        code = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    return code.lower() if rng.random() < 0.1 else code


def phone(rng: random.Random) -> str:
    shapes = [
        lambda: f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        lambda: f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        lambda: f"020 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
        lambda: f"+33 6 {' '.join(str(rng.randint(10, 99)) for _ in range(4))}",
        lambda: f"06 {' '.join(str(rng.randint(10, 99)) for _ in range(4))}",
        lambda: f"+49 1{rng.randint(50, 79)} {rng.randint(1000000, 99999999)}",
        lambda: f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        lambda: f"+1 {rng.randint(201, 989)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}",
        lambda: f"0044{rng.randint(7100000000, 7999999999)}",
        lambda: f"{rng.randint(201, 989)}.{rng.randint(200, 999)}.{rng.randint(1000, 9999)}",
        lambda: str(rng.randint(10**9, 10**11)),  # bare digits
    ]
    return rng.choice(shapes)()


def not_a_phone(rng: random.Random) -> str:
    return rng.choice(
        [
            f"£{rng.randint(1, 99)},{rng.randint(100, 999)}.{rng.randint(10, 99)}",
            f"order #{rng.randint(10**5, 10**8)}",
            f"{rng.randint(2000, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2030)}",
            f"{rng.randint(1, 12)}:{rng.randint(10, 59)}",
            f"ref {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            f"{rng.randint(1, 999)}.{rng.randint(1000, 99999)}",
            f"v{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}",
        ]
    )


def email(rng: random.Random, fake: Faker) -> str:
    local = f"{fake.first_name()}.{fake.last_name()}".lower().replace(" ", "")
    if rng.random() < 0.3:
        local += f"+{rng.choice(['crm', 'news', 'x1'])}"
    domain = rng.choice(
        [fake.free_email_domain(), f"mail.{fake.domain_name()}", f"eu.sub.{fake.domain_name()}"]
    )
    address = f"{local}@{domain}"
    return address.upper() if rng.random() < 0.05 else address


def postcode(rng: random.Random) -> str:
    area = rng.choice(["SW1A", "EC1A", "W1A", "M1", "B33", "CR2", "DN55", "G12", "LS1", "EH1"])
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    space, digit = rng.choice(["", " "]), rng.randint(0, 9)
    code = f"{area}{space}{digit}{rng.choice(letters)}{rng.choice(letters)}"
    return code.lower() if rng.random() < 0.25 else code


def ipv4(rng: random.Random) -> str:
    top = 300 if rng.random() < 0.1 else 255
    return ".".join(str(rng.randint(0, top)) for _ in range(4))


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    shape = rng.random()
    if shape < 0.4:
        return ":".join(groups)
    if shape < 0.8:
        return f"{groups[0]}:{groups[1]}::{groups[7]}"
    return f"::ffff:{ipv4(rng)}"


def nino(rng: random.Random) -> str:
    prefix = rng.choice(["AB", "CE", "JG", "GB", "NK", "QQ", "ZX", "TW", "pr"])
    digits = f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if rng.random() < 0.5:
        digits = digits.replace(" ", "")
    return f"{prefix}{rng.choice(['', ' '])}{digits}{rng.choice(['', ' '])}{rng.choice('ABCDE')}"


def street(rng: random.Random, fake: Faker) -> str:
    return rng.choice(
        [
            f"{rng.randint(1, 999)} {fake.last_name()} "
            f"{rng.choice(['Street', 'Road', 'Lane', 'Close'])}",
            f"Flat {rng.randint(1, 40)}, {rng.randint(1, 200)} {fake.first_name()} Avenue",
            f"{fake.last_name()}straße {rng.randint(1, 200)}",
            f"{rng.randint(1, 99)}, rue de la {fake.last_name()}",
        ]
    )


def geo(rng: random.Random) -> str:
    return f"{rng.uniform(-89, 89):.4f}, {rng.uniform(-179, 179):.{rng.randint(3, 6)}f}"


def person(rng: random.Random, fake: Faker) -> str:
    shape = rng.random()
    if shape < 0.5:
        return f"{fake.first_name()} {fake.last_name()}"
    if shape < 0.65:
        return f"{fake.first_name()}-{fake.first_name()} {fake.last_name()}"
    if shape < 0.75:
        return f"{fake.first_name()} {fake.last_name()}".upper()
    if shape < 0.85:
        return fake.first_name()
    return f"{fake.first_name()} {rng.choice(['O’Neil', 'McDonald', 'de la Cruz', 'Ångström'])}"


Maker = Callable[[random.Random, Faker], str]
ENTITIES: dict[str, Maker] = {
    "person": person,
    "email": email,
    "phone": lambda rng, fake: phone(rng),
    "not_phone": lambda rng, fake: not_a_phone(rng),
    "card": lambda rng, fake: card(rng),
    "iban": lambda rng, fake: iban(rng),
    "postcode": lambda rng, fake: postcode(rng),
    "ipv4": lambda rng, fake: ipv4(rng),
    "ipv6": lambda rng, fake: ipv6(rng),
    "nino": lambda rng, fake: nino(rng),
    "street": street,
    "geo": lambda rng, fake: geo(rng),
    "lower_name": lambda rng, fake: rng.choice(LOWER_NAME_WORDS),
}
PHRASES = [
    "Called {} today",
    "{}",
    "contact: {}",
    "Spoke to {} – please send the contract",
    "Rappeler {} avant vendredi",
    "bitte {} anrufen",
    "see {} and {}",
    "{} / {}",
    "{},{}",
    "Ref {}: {}",
    "Delivery address:\n{}\n{}",
    "{} {}",
]


def note(rng: random.Random) -> str:
    fake = fakers()[rng.choice(LOCALES)]
    parts = []
    for _ in range(rng.randint(1, 3)):
        phrase = rng.choice(PHRASES)
        values = []
        for _ in range(phrase.count("{}")):
            kind = rng.choice(list(ENTITIES))
            value = ENTITIES[kind](rng, fake)
            values.append(rng.choice(PUNCTUATION) + value + rng.choice(PUNCTUATION))
        parts.append(phrase.format(*values))
        if rng.random() < 0.4:
            parts.append(rng.choice(FILLER))
    sep = rng.choice([". ", "; ", "\n", " ", ", "])
    return sep.join(parts)


def agreement_notes(cells: int = 10_000, seed: int = 20240611) -> list[str | None]:
    """``cells`` seeded notes, a few of them empty or null."""
    rng = random.Random(seed)
    out: list[str | None] = []
    for _ in range(cells):
        roll = rng.random()
        out.append(None if roll < 0.02 else "" if roll < 0.03 else note(rng))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args(argv)
    for text in agreement_notes(args.cells, args.seed):
        print(repr(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
