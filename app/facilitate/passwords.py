"""Generated passwords: four common French words and a three-digit number.

Strength (CNIL's 2022 recommendation: at least 50 bits when sign-in attempts are limited,
which they are, per address and per account):

    4 words drawn from 1106   -> 4 * log2(1106) = 40.4 bits
    a number from 100 to 999  -> log2(900)      =  9.8 bits
    total                                          50.3 bits

`entropy_bits()` computes it from the list itself, and a test keeps it at 50 or more.
Words are drawn with `secrets`, never `random`. The list is `words_fr.txt` beside this
file: short everyday words with no accent, so that "pomme-lapin-bougie-jardin-427" is read
at once, read aloud easily and typed on any phone keyboard.
"""

from __future__ import annotations

import math
import secrets
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words_fr.txt")
WORD_COUNT = 4
NUMBERS = range(100, 1000)
SEPARATOR = "-"


@cache
def words() -> tuple[str, ...]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def entropy_bits() -> float:
    return WORD_COUNT * math.log2(len(words())) + math.log2(len(NUMBERS))


def generate_password() -> str:
    chosen = [secrets.choice(words()) for _ in range(WORD_COUNT)]
    return SEPARATOR.join([*chosen, str(secrets.choice(NUMBERS))])


def password_parts(password: str) -> list[str]:
    """The words of a password, to show them apart on screen and on the card."""
    return password.split(SEPARATOR)
