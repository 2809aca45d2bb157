"""Sentence and word counts for the plain-French check."""

from __future__ import annotations

import re

from .model import GLOSSARY_LINK, Readability

LONG_SENTENCE_WORDS = 20
MAX_AVERAGE_WORDS = 15

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"^\s*(#{1,6}\s+|[-*+]\s+(\[[ xX]\]\s+)?|\d+[.)]\s+|>\s*)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][»”\"])\s+")
_WORD = re.compile(r"\w", re.UNICODE)


def plain_lines(markdown_text: str) -> list[str]:
    """The lines a reader reads, without Markdown syntax."""
    lines = []
    for raw in markdown_text.splitlines():
        line = _IMAGE.sub("", raw)
        line = GLOSSARY_LINK.sub(lambda m: m["shown"], line)
        line = _LINK.sub(r"\1", line)
        line = _MARKUP.sub("", line)
        line = line.replace("**", "").replace("`", "").strip()
        if line:
            lines.append(line)
    return lines


def sentences_of(markdown_text: str) -> list[str]:
    # A heading or a list item is a sentence of its own, even without a full stop.
    sentences = []
    for line in plain_lines(markdown_text):
        sentences.extend(s for s in _SENTENCE_END.split(line) if _WORD.search(s))
    return sentences


def word_count(sentence: str) -> int:
    return sum(1 for token in sentence.split() if _WORD.search(token))


def measure(markdown_text: str) -> Readability:
    sentences = sentences_of(markdown_text)
    counts = [word_count(s) for s in sentences]
    return Readability(
        sentences=len(sentences),
        words=sum(counts),
        long_sentences=tuple(
            s for s, n in zip(sentences, counts, strict=True) if n > LONG_SENTENCE_WORDS
        ),
    )
