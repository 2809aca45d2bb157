"""Warnings for a lesson's author: what the review found hard for weak readers.

A warning never leaves a lesson out (an error does): the author reads it in `flask lessons check`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .glossary import ACRONYM, Glossary
from .model import GLOSSARY_LINK, Problem, QuestionType, Quiz

OFFICIAL_DOMAINS_FILE = "domaines-officiels.txt"

# « ne … pas », « n'… plus », « ne … jamais », « aucun »: a statement a weak reader must turn around.
NEGATION = re.compile(
    r"(?:\bne\b|\bn['’]).*?\b(?:pas|plus|jamais|rien)\b|\baucune?s?\b", re.IGNORECASE
)
_WEB_LINK = re.compile(r"\]\((?P<url>https://[^)\s]+)|<(?P<auto>https://[^>\s]+)>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
_CODE = re.compile(r"`[^`]*`")
# What a screen shows (« Mon compte », « OK ») is quoted as it is, not explained.
_QUOTED = re.compile(r"«[^»]*»")
# Web addresses written out: « pix.fr » is not the word « Pix ».
_ADDRESS = re.compile(r"\S*\w\.\w\S*|<[^>]*>")
_QUIZ_MARKER = re.compile(r"^\s*(type|réponse)\s*:", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class LessonSource:
    """A lesson file's lines, with where its text and its quiz start (0-based indexes)."""

    path: Path
    lines: list[str]
    body_start: int
    quiz_start: int | None

    @property
    def body_lines(self) -> range:
        return range(self.body_start, self.quiz_start if self.quiz_start is not None else len(self.lines))

    @property
    def text_lines(self) -> range:
        return range(self.body_start, len(self.lines))


def load_official_domains(path: Path) -> frozenset[str]:
    """One domain a line; « # » starts a comment."""
    if not path.is_file():
        return frozenset()
    lines = (line.split("#", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(line.removeprefix("www.") for line in lines if line)


def is_official(url: str, domains: frozenset[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith(f".{domain}") for domain in domains)


def lesson_warnings(
    source: LessonSource,
    quiz: Quiz | None,
    glossary: Glossary,
    linked_words: set[str],
    official_domains: frozenset[str],
) -> list[Problem]:
    warnings: list[Problem] = []

    def warn(index: int, message: str) -> None:
        warnings.append(Problem(source.path, index + 1, message))

    if not any(_IMAGE.search(source.lines[i]) for i in source.body_lines):
        first_text = next((i for i in source.body_lines if source.lines[i].strip()), source.body_start)
        warn(first_text, "la leçon n'a pas d'image : montrez l'écran que la personne va voir")
    for question in quiz.questions if quiz else ():
        statement = html.unescape(_TAG.sub("", question.prompt_html))
        if question.type is QuestionType.TRUE_FALSE and NEGATION.search(statement):
            warn(question.line - 1, "phrase vrai ou faux à la forme négative : écrivez-la à la forme positive")
        if question.type is QuestionType.MULTIPLE and len(question.right_keys) == 1:
            warn(question.line - 1, "« Plusieurs réponses possibles » mais une seule bonne réponse : faites-en une question à choix unique")
    for i in source.text_lines:
        for match in _WEB_LINK.finditer(source.lines[i]):
            url = match["url"] or match["auto"]
            if not is_official(url, official_domains):
                warn(i, f"lien vers « {urlsplit(url).hostname} » : ce site n'est pas dans {OFFICIAL_DOMAINS_FILE}")

    reading = [(i, _reading_text(source.lines[i])) for i in source.text_lines if not _QUIZ_MARKER.match(source.lines[i])]
    first_use: dict[str, int] = {}
    for i, text in reading:
        for entry in glossary.used_in(text):
            first_use.setdefault(entry.word, i)
    for entry in glossary.entries:
        if entry.word in first_use and entry.anchor not in linked_words:
            warn(first_use[entry.word], f"« {entry.word} » est dans le glossaire : écrivez [[{entry.word}]] la première fois")

    whole_text = "\n".join(source.lines[i] for i in source.text_lines)
    seen: set[str] = set()
    for i, text in reading:
        for acronym in ACRONYM.findall(text):
            if acronym in seen:
                continue
            seen.add(acronym)
            if not glossary.explains(acronym) and not _explained_in(acronym, whole_text):
                warn(i, f"sigle « {acronym} » sans explication : écrivez « mots en entier ({acronym}) » ou ajoutez-le au glossaire")
    return warnings


def _reading_text(line: str) -> str:
    """The words of a line a learner reads, without addresses, code, quotes or glossary links."""
    line = _IMAGE.sub(" ", line)
    line = _MARKDOWN_LINK.sub(lambda m: m["text"], line)
    for pattern in (GLOSSARY_LINK, _CODE, _QUOTED, _ADDRESS):
        line = pattern.sub(" ", line)
    return line


def _explained_in(acronym: str, text: str) -> bool:
    """« Compte personnel de formation (CPF) » or « CPF (compte personnel de formation) »."""
    return bool(re.search(rf"\({re.escape(acronym)}\)|(?<![\w-]){re.escape(acronym)} \(", text))
