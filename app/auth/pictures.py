"""Picture codes: PICTURE_CODE_LENGTH pictures, in order, among the twelve below.

Twelve pictures, repeats allowed: 12³ = 1,728 codes, about 10.8 bits. That is far too few on its
own, so a picture code is only ever checked for a phone holding a device secret (phones.py), and
that phone locks it after rules.PICTURE_CODE_ATTEMPTS wrong codes.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .. import hashing
from ..rules import PICTURE_CODE_LENGTH


@dataclass(frozen=True)
class Picture:
    id: str  # its file, static/pictures/<id>.svg, and its part of the hashed code
    name: str  # said and shown


# Distinct shapes, each named by one everyday word (none of them is one of the app's icons).
PICTURES = (
    Picture("house", _l("Maison")),
    Picture("sun", _l("Soleil")),
    Picture("bicycle", _l("Vélo")),
    Picture("tree", _l("Arbre")),
    Picture("cat", _l("Chat")),
    Picture("fish", _l("Poisson")),
    Picture("flower", _l("Fleur")),
    Picture("car", _l("Voiture")),
    Picture("key", _l("Clé")),
    Picture("moon", _l("Lune")),
    Picture("umbrella", _l("Parapluie")),
    Picture("boat", _l("Bateau")),
)
BY_ID = {picture.id: picture for picture in PICTURES}


def entropy_bits() -> float:
    return PICTURE_CODE_LENGTH * math.log2(len(PICTURES))


def is_code(ids: list[str]) -> bool:
    return len(ids) == PICTURE_CODE_LENGTH and all(i in BY_ID for i in ids)


def random_code() -> list[str]:
    return [secrets.choice(PICTURES).id for _ in range(PICTURE_CODE_LENGTH)]


def _text(ids: list[str]) -> str:
    return " ".join(ids)


def hash_code(ids: list[str]) -> str:
    return hashing.hash_password(_text(ids))


def check_code(code_hash: str, ids: list[str]) -> bool:
    return hashing.check_password(code_hash, _text(ids))


def pictures_of(ids: list[str]) -> list[Picture]:
    return [BY_ID[i] for i in ids]
