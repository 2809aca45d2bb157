"""French typography for text shown to learners: no « : », « ? » or « » » alone at a line's start."""

from __future__ import annotations

import re

_SPACES = "[ \u00a0\u202f]"
# A word-wide non-breaking space before « : », a narrow one before « ; ! ? » and inside « »
# (Lexique des règles typographiques de l'Imprimerie nationale; the narrow one in « » is common usage).
_FRENCH_SPACING = (
    (re.compile(f"{_SPACES}+(?=[;!?])"), "\u202f"),
    (re.compile(f"{_SPACES}+(?=:)"), "\u00a0"),
    (re.compile(f"«{_SPACES}*"), "«\u202f"),
    (re.compile(f"{_SPACES}*»"), "\u202f»"),
)


def french_spacing(text: str) -> str:
    """The spaces an author typed before « : ; ! ? » and inside « », made non-breaking.

    A sign typed without a space before it (« https://… », « 10:30 ») is left as it is.
    """
    for pattern, replacement in _FRENCH_SPACING:
        text = pattern.sub(replacement, text)
    return text
