"""The glossary: the hard words the lessons use, each with a one-sentence definition."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .model import Problem
from .typography import french_spacing
from .yaml_files import YAMLError, compose_yaml, load_yaml

GLOSSARY_FILE = "glossaire.yml"
ENTRY_KEYS = {"word", "forms", "definition"}
# Two capitals or more in a row: an acronym, such as « RIB » or « QR code ».
ACRONYM = re.compile(r"(?<![\w-])[A-ZÀ-ÖØ-Þ]{2,}(?![\w-])")


@dataclass(frozen=True)
class GlossaryEntry:
    word: str
    definition: str
    forms: tuple[str, ...]
    anchor: str
    line: int

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.word, *self.forms)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()
    _by_spelling: dict[str, GlossaryEntry] = field(init=False, repr=False, compare=False)
    _acronyms: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_spelling", {s.casefold(): e for e in self.entries for s in e.spellings})
        object.__setattr__(self, "_acronyms", frozenset(a for e in self.entries for s in e.spellings for a in ACRONYM.findall(s)))

    def find(self, word: str) -> GlossaryEntry | None:
        """The entry written this way, whatever the capitals."""
        return self._by_spelling.get(word.strip().casefold())

    def used_in(self, text: str) -> list[GlossaryEntry]:
        """The entries a text uses. An acronym counts in its capitals only: « ENT » is not « ent »."""
        lowered = text.casefold()
        # A quick look first: most lines hold no spelling at all.
        candidates = tuple(spelling for spelling in self._by_spelling if spelling in lowered)
        found = []
        for match in _whole_words(candidates).finditer(text) if candidates else ():
            entry = self._by_spelling[match.group().casefold()]
            if match.group() in entry.spellings or not ACRONYM.search(entry.word):
                found.append(entry)
        return found

    def explains(self, acronym: str) -> bool:
        """Whether an entry is this acronym, or a phrase with it (« QR code » explains « QR »)."""
        return acronym in self._acronyms

    @property
    def alphabetical(self) -> list[GlossaryEntry]:
        return sorted(self.entries, key=lambda e: anchor_of(e.word))


@functools.lru_cache(maxsize=1024)
def _whole_words(spellings: tuple[str, ...]) -> re.Pattern:
    """Any of these spellings as whole words, the longest first (« numéro allocataire » before « allocataire »)."""
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def anchor_of(word: str) -> str:
    """« Prime d'activité » -> « prime-d-activite »: the entry's place on the glossary page."""
    plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def load_glossary(path: Path) -> tuple[Glossary, list[Problem]]:
    """The entries of lessons/glossaire.yml; a broken entry is reported and left out."""
    if not path.is_file():
        return Glossary(), []
    problems: list[Problem] = []
    text = path.read_text(encoding="utf-8")
    try:
        document = compose_yaml(text)
        data = load_yaml(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return Glossary(), [Problem(path, mark.line + 1 if mark else 1, f"fichier illisible : {error}")]
    if data is None:
        return Glossary(), []
    if not isinstance(data, list):
        return Glossary(), [Problem(path, 1, "le glossaire doit être une liste : chaque mot commence par « - word: »")]
    entries: list[GlossaryEntry] = []
    taken: dict[str, GlossaryEntry] = {}
    for item, node in zip(data, document.value, strict=True):
        line = node.start_mark.line + 1
        entry = _entry(item, line, path, problems)
        if entry is None:
            continue
        clash = next((taken[key] for key in (*(s.casefold() for s in entry.spellings), entry.anchor) if key in taken), None)
        if clash is not None:
            problems.append(Problem(path, line, f"« {entry.word} » est déjà dans le glossaire (« {clash.word} », ligne {clash.line})"))
            continue
        entries.append(entry)
        taken.update({s.casefold(): entry for s in entry.spellings} | {entry.anchor: entry})
    return Glossary(tuple(entries)), problems


def _entry(item, line: int, path: Path, problems: list[Problem]) -> GlossaryEntry | None:
    found = len(problems)
    if not isinstance(item, dict):
        problems.append(Problem(path, line, "chaque mot s'écrit « - word: … » puis « definition: … »"))
        return None
    for key in item.keys() - ENTRY_KEYS:
        problems.append(Problem(path, line, f"clé inconnue : « {key} » (word, forms, definition)"))
    word, definition = item.get("word"), item.get("definition")
    forms = item.get("forms") or []
    if isinstance(forms, str):
        forms = [forms]
    if not isinstance(word, str) or not anchor_of(word):
        problems.append(Problem(path, line, "« word » manque : le mot expliqué"))
    if not isinstance(definition, str) or not definition.strip():
        problems.append(Problem(path, line, f"« definition » manque pour « {word} » : une phrase simple"))
    if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
        problems.append(Problem(path, line, "« forms » doit être une liste de mots, par exemple [allocataires]"))
    if len(problems) > found:
        return None
    return GlossaryEntry(
        word=word.strip(),
        definition=french_spacing(definition.strip()),
        forms=tuple(f.strip() for f in forms),
        anchor=anchor_of(word),
        line=line,
    )
