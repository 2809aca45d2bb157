"""Generated passwords: four common French words and a two-digit number.

Strength (CNIL's 2022 recommendation: about 50 bits when sign-in attempts are limited,
which they are, per address and per account):

    4 words drawn from 2048  -> 4 * log2(2048) = 44.0 bits
    a number from 10 to 99   -> log2(90)       =  6.5 bits
    total                                         50.5 bits

Words are drawn with `secrets`, never `random`. The list is `words_fr.txt` beside this
file, made once from the BIP-0039 French list of the `mnemonic` package:

    pip download --no-deps mnemonic  # then strip accents (unicodedata NFKD), keep ASCII

Such a password is easy to read aloud and to type on a phone: "girafe-tunnel-coton-lucide-42".
"""

from __future__ import annotations

import math
import secrets
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words_fr.txt")
WORD_COUNT = 4
NUMBERS = range(10, 100)


@cache
def words() -> tuple[str, ...]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def entropy_bits() -> float:
    return WORD_COUNT * math.log2(len(words())) + math.log2(len(NUMBERS))


def generate_password() -> str:
    chosen = [secrets.choice(words()) for _ in range(WORD_COUNT)]
    return "-".join([*chosen, str(secrets.choice(NUMBERS))])
