"""Finding a lesson from a few words typed on the home page: titles, objectives, glossary words.

Case, accents and word order do not matter (« reseau » finds « Réseau social »); every word
typed must appear. Pure functions over the library, like the rest of content.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .glossary import GlossaryEntry
from .library import Library
from .model import Lesson

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchResults:
    lessons: tuple[Lesson, ...]
    glossary: tuple[GlossaryEntry, ...]


def folded(text: str) -> str:
    """Lowercase, without accents: what is compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def query_words(query: str) -> list[str]:
    return folded(query[:MAX_QUERY_LENGTH]).split()


def _matches(words: list[str], *texts: str) -> bool:
    haystack = folded(" ".join(texts))
    return all(word in haystack for word in words)


def search(library: Library, query: str) -> SearchResults:
    """Lessons whose title or objectives hold every word, in course order; glossary entries likewise."""
    words = query_words(query)
    if not words:
        return SearchResults((), ())
    lessons = tuple(
        lesson for lesson in library.ordered_lessons if _matches(words, lesson.title, *lesson.objectives)
    )
    entries = tuple(
        entry for entry in library.glossary.alphabetical if _matches(words, *entry.spellings, entry.definition)
    )
    return SearchResults(lessons, entries)
